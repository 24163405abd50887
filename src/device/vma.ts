// One mmap of a grant device file: the VMA and its private data. Both kernels keep the record
// behind a mapping in the VMA itself (Linux drivers/xen/gntalloc.c: {first gref, count} in the
// VMA private data; drivers/xen/gntdev.c: vm_private_data = the grant map; FreeBSD
// sys/dev/xen/gntdev/gntdev.c: the VM object's handle is the gmap), which is why munmap and
// GET_OFFSET_FOR_VADDR never search the file's stores (docs/kernel-model.md §8.1 byVaddr).

import type { Gmap, Gref } from '../strategies/types.js'

export class Vma {
  /** Start address, in pages (> 0, never reused). */
  readonly vaddr: number
  readonly pages: number
  /** The gref run mapped (page firstPage + i at index i), or null for a gmap VMA. */
  readonly grefs: Gref[] | null
  /** The gmap mapped, or null for a gref VMA. */
  readonly gmap: Gmap | null

  constructor(vaddr: number, pages: number, grefs: Gref[] | null, gmap: Gmap | null) {
    this.vaddr = vaddr
    this.pages = pages
    this.grefs = grefs
    this.gmap = gmap
  }
}
