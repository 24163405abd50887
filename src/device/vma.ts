// One mmap of a grant device file: the VMA and its private data, and a file's table of them. Both kernels keep the record
// behind a mapping in the VMA itself (Linux drivers/xen/gntalloc.c: {first gref, count} in the
// VMA private data; drivers/xen/gntdev.c: vm_private_data = the grant map; FreeBSD
// sys/dev/xen/gntdev/gntdev.c: the VM object's handle is the gmap), which is why munmap and
// GET_OFFSET_FOR_VADDR never search the file's stores (docs/kernel-model.md §8.1 byVaddr).

import type { Gmap, Gref } from '../strategies/types.js'

class Vma {
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

/** The VMAs of one file by start address: found in O(1) by start, by a scan by an inner address. */
export class VmaTable {
  private readonly byStart = new Map<number, Vma>()

  get size(): number {
    return this.byStart.size
  }

  add(vaddr: number, pages: number, grefs: Gref[] | null, gmap: Gmap | null): number {
    this.byStart.set(vaddr, new Vma(vaddr, pages, grefs, gmap))
    return vaddr
  }

  /** The VMA starting at `vaddr`, removed from the table; undefined if none does. */
  take(vaddr: number): Vma | undefined {
    const vma = this.byStart.get(vaddr)
    if (vma !== undefined) this.byStart.delete(vaddr)
    return vma
  }

  /** The VMA whose pages contain `vaddr` (its start first, then a scan for an address inside a mapping). */
  containing(vaddr: number): Vma | undefined {
    const vma = this.byStart.get(vaddr)
    if (vma !== undefined) return vma
    for (const other of this.byStart.values()) {
      if (other.vaddr <= vaddr && vaddr < other.vaddr + other.pages) return other
    }
    return undefined
  }
}
