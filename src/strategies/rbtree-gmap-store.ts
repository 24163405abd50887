// Gmap store of FreeBSD gntdev (sys/dev/xen/gntdev/gntdev.c gmap_tree, docs/kernel-model.md §2.2,
// §2.4): a red-black tree of map records keyed by first page, one node per MAP call.
//
// find-exact (UNMAP, mmap) is RB_FIND of the first page, then a test of the page count (0 matches
// any count). Like gntdev_find_gmap it trusts the comparator: under the truncated comparator a
// gmap 2^20·k pages away compares equal and is returned, as the kernel would return it.
// find-containing (SET_UNMAP_NOTIFY) is a floor lookup (pfind) plus a range test, O(log n); with
// `linearContainment` it is FreeBSD's scan of every gmap in tree order instead, O(n).

import '../structures/counting.js'
import type { KeyCompare } from '../structures/types.js'
import { exactCompare } from '../structures/types.js'
import { RbTree } from '../structures/rb-tree.js'
import { checkRecordTree } from './rbtree-gref-store.js'
import { TreeGmapStore } from './tree-gmap-store.js'
import type { Gmap } from './types.js'

export interface RbTreeGmapStoreOptions {
  /** Tree comparator (exact, or FreeBSD's truncated one). */
  compare?: KeyCompare
  /** findContaining scans all gmaps in order, as FreeBSD's SET_UNMAP_NOTIFY does. */
  linearContainment?: boolean
}

export class RbTreeGmapStore extends TreeGmapStore<RbTree<Gmap>> {
  readonly kind = 'rbtree'
  readonly linearContainment: boolean

  constructor(options?: RbTreeGmapStoreOptions) {
    super(new RbTree<Gmap>(options?.compare ?? exactCompare))
    this.linearContainment = options?.linearContainment ?? false
  }

  /** pfind + range test, O(log n); or the FreeBSD in-order scan, O(n). */
  findContaining(page: number): Gmap | null {
    if (this.linearContainment) {
      for (let gmap = this.gmaps.min(); gmap !== null; gmap = this.gmaps.next(gmap)) {
        if (COUNTING) this.cost.keyCompares++
        if (gmap.firstPage <= page && page < gmap.firstPage + gmap.pages) return gmap
      }
      return null
    }
    const gmap = this.gmaps.pfind(page)
    if (gmap === null) return null
    if (COUNTING) this.cost.keyCompares++
    return gmap.firstPage <= page && page < gmap.firstPage + gmap.pages ? gmap : null
  }

  /** Tree invariants; keys equal first pages; every gmap live. O(n). */
  check(): void {
    checkRecordTree(this.gmaps, 'RbTreeGmapStore', (gmap) => gmap.firstPage)
  }
}
