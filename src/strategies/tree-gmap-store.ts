// What the two red-black-tree gmap stores share (FreeBSD gntdev's gmap_tree in rbtree-gmap-store.ts,
// the interval tree in augtree-gmap-store.ts; docs/kernel-model.md §2.2, §2.4): gmaps keyed by
// first page, one node per MAP call. Insert is RB_INSERT, find-exact is RB_FIND plus the count test
// (0 matches any count), remove is RB_REMOVE, close is an in-order walk unlinking every gmap. The
// stores differ in their tree, its comparator and find-containing, which each defines itself.

import '../structures/counting.js'
import type { CostCounters } from '../structures/types.js'
import type { Gmap, GmapStore } from './types.js'

/** What a tree of gmaps offers (RbTree and AugRbTree both do). */
interface GmapTree {
  readonly cost: CostCounters
  readonly size: number
  insert(gmap: Gmap): Gmap | null
  find(key: number): Gmap | null
  remove(gmap: Gmap): void
  min(): Gmap | null
  next(gmap: Gmap): Gmap | null
}

export abstract class TreeGmapStore<T extends GmapTree> implements GmapStore {
  abstract readonly kind: string
  readonly cost: CostCounters
  protected readonly gmaps: T

  constructor(gmaps: T) {
    this.gmaps = gmaps
    this.cost = gmaps.cost
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

  abstract findContaining(page: number): Gmap | null

  /** RB_REMOVE. O(log n). */
  remove(gmap: Gmap): void {
    this.gmaps.remove(gmap)
    gmap.live = false
  }

  /** In-order walk, unlinking each gmap (tree order: circular under the truncated comparator). O(n log n). */
  drain(out: Gmap[]): void {
    const gmaps = this.gmaps
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

  abstract check(): void
}
