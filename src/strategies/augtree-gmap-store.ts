// Gmap store over an augmented red-black tree (src/structures/aug-rb-tree.ts): gmaps keyed by
// first page, each carrying its end page as the augmented value, so every subtree knows the
// furthest page it covers (an interval tree, as Linux's VMA tree kept rb_subtree_gap beside
// the VMAs). SET_UNMAP_NOTIFY's containment lookup is then one root-to-leaf path even if gmaps
// overlapped (they cannot with a correct allocator, but a wrapped bump counter can hand out a
// live range again): it returns the lowest-starting gmap that holds the page, which is what the
// list store's in-order scan returns. find-exact is RB_FIND plus the count test (0 = any).
// Keys are ordered exactly; the truncated-comparator quirk is FreeBSD's and does not apply.

import '../structures/counting.js'
import { drainGmapTree } from './rbtree-gmap-store.js'
import { AugRbTree } from '../structures/aug-rb-tree.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import type { Gmap, GmapStore } from './types.js'

export class AugTreeGmapStore implements GmapStore {
  readonly kind = 'augtree'
  readonly cost: CostCounters
  private readonly gmaps: AugRbTree<Gmap>

  constructor() {
    this.gmaps = new AugRbTree<Gmap>()
    this.cost = this.gmaps.cost
  }

  get size(): number {
    return this.gmaps.size
  }

  /** O(log n). */
  insert(gmap: Gmap): Gmap | null {
    gmap.augValue = gmap.firstPage + gmap.pages
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

  /** Interval stabbing query. O(log n). */
  findContaining(page: number): Gmap | null {
    return this.gmaps.lowestStab(page)
  }

  /** O(log n). */
  remove(gmap: Gmap): void {
    this.gmaps.remove(gmap)
    gmap.live = false
  }

  /** In-order walk, unlinking each gmap. O(n log n). */
  drain(out: Gmap[]): void {
    drainGmapTree(this.gmaps, out)
  }

  /** Tree and augment invariants; keys are first pages, augmented values are ends; all live. O(n). */
  check(): void {
    this.gmaps.check()
    for (let gmap = this.gmaps.min(); gmap !== null; gmap = this.gmaps.next(gmap)) {
      if (gmap.rbKey !== gmap.firstPage) throw new InvariantError(`AugTreeGmapStore: key ${gmap.rbKey} for first page ${gmap.firstPage}`)
      if (gmap.augValue !== gmap.firstPage + gmap.pages) throw new InvariantError(`AugTreeGmapStore: gmap at ${gmap.firstPage} has end ${gmap.augValue}`)
      if (!gmap.live) throw new InvariantError(`AugTreeGmapStore: gmap at ${gmap.firstPage} is linked but not live`)
    }
  }
}
