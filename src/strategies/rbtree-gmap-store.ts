// Gmap store of FreeBSD gntdev (sys/dev/xen/gntdev/gntdev.c gmap_tree, docs/kernel-model.md §2.2,
// §2.4): a red-black tree of map records keyed by first page, one node per MAP call.
//
// find-exact (UNMAP, mmap) is RB_FIND of the first page, then a test of the page count (0 matches
// any count). Like gntdev_find_gmap it trusts the comparator: under the truncated comparator a
// gmap 2^20·k pages away compares equal and is returned, as the kernel would return it.
// find-containing (SET_UNMAP_NOTIFY) is a floor lookup (pfind) plus a range test, O(log n); with
// `linearContainment` it is FreeBSD's scan of every gmap in tree order instead, O(n).

import '../structures/counting.js'
import type { CostCounters, KeyCompare } from '../structures/types.js'
import { InvariantError, exactCompare } from '../structures/types.js'
import { RbTree } from '../structures/rb-tree.js'
import type { Gmap, GmapStore } from './types.js'

export interface RbTreeGmapStoreOptions {
  /** Tree comparator (exact, or FreeBSD's truncated one). */
  compare?: KeyCompare
  /** findContaining scans all gmaps in order, as FreeBSD's SET_UNMAP_NOTIFY does. */
  linearContainment?: boolean
}

export class RbTreeGmapStore implements GmapStore {
  readonly kind = 'rbtree'
  readonly cost: CostCounters
  readonly linearContainment: boolean
  private readonly gmaps: RbTree<Gmap>

  constructor(options?: RbTreeGmapStoreOptions) {
    this.gmaps = new RbTree<Gmap>(options?.compare ?? exactCompare)
    this.cost = this.gmaps.cost
    this.linearContainment = options?.linearContainment ?? false
  }

  get size(): number {
    return this.gmaps.size
  }

  /** RB_INSERT. O(log n). */
  insert(gmap: Gmap): Gmap | null {
    const existing = this.gmaps.insert(gmap)
    if (existing === null) gmap.live = true
    return existing
  }

  /** RB_FIND + count test. O(log n). */
  findExact(firstPage: number, pages: number): Gmap | null {
    const gmap = this.gmaps.find(firstPage)
    if (gmap === null) return null
    if (COUNTING) this.cost.keyCompares++
    return pages === 0 || gmap.pages === pages ? gmap : null
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

  /** RB_REMOVE. O(log n). */
  remove(gmap: Gmap): void {
    this.gmaps.remove(gmap)
    gmap.live = false
  }

  /** In-order walk, unlinking each gmap (tree order: circular under the truncated comparator). O(n log n). */
  drain(out: Gmap[]): void {
    drainGmapTree(this.gmaps, out)
  }

  /** Tree invariants; keys equal first pages; every gmap live. O(n). */
  check(): void {
    // An inconsistent comparator (truncated) need not order neighbours: structure only.
    if (this.gmaps.compare === exactCompare) this.gmaps.check()
    else this.gmaps.checkStructure()
    let count = 0
    for (let gmap = this.gmaps.min(); gmap !== null; gmap = this.gmaps.next(gmap)) {
      count++
      if (gmap.rbKey !== gmap.firstPage) throw new InvariantError(`RbTreeGmapStore: key ${gmap.rbKey} for first page ${gmap.firstPage}`)
      if (!gmap.live) throw new InvariantError(`RbTreeGmapStore: gmap at ${gmap.firstPage} is linked but not live`)
    }
    if (count !== this.gmaps.size) throw new InvariantError(`RbTreeGmapStore: ${count} gmaps reachable, size ${this.gmaps.size}`)
  }
}

/** What drainGmapTree needs of a tree of gmaps (RbTree and AugRbTree both have it). */
export interface GmapTree {
  min(): Gmap | null
  next(gmap: Gmap): Gmap | null
  remove(gmap: Gmap): void
}

/** Unlink every gmap of a tree in order into `out` (the close path of the tree gmap stores). O(n log n). */
export function drainGmapTree(gmaps: GmapTree, out: Gmap[]): void {
  out.length = 0
  let gmap = gmaps.min()
  while (gmap !== null) {
    const next = gmaps.next(gmap)
    gmaps.remove(gmap)
    gmap.live = false
    out.push(gmap)
    gmap = next
  }
}
