// Gmap store over an augmented red-black tree (src/structures/aug-rb-tree.ts): gmaps keyed by
// first page, each carrying its end page as the augmented value, so every subtree knows the
// furthest page it covers (an interval tree, as Linux's VMA tree kept rb_subtree_gap beside
// the VMAs). SET_UNMAP_NOTIFY's containment lookup is then one root-to-leaf path even if gmaps
// overlapped (they cannot with a correct allocator, but a wrapped bump counter can hand out a
// live range again): it returns the lowest-starting gmap that holds the page, which is what the
// list store's in-order scan returns. find-exact is RB_FIND plus the count test (0 = any).
// Keys are ordered exactly; the truncated-comparator quirk is FreeBSD's and does not apply.

import { AugRbTree } from '../structures/aug-rb-tree.js'
import { InvariantError } from '../structures/types.js'
import { TreeGmapStore } from './tree-gmap-store.js'
import type { Gmap } from './types.js'

export class AugTreeGmapStore extends TreeGmapStore<AugRbTree<Gmap>> {
  readonly kind = 'augtree'

  constructor() {
    super(new AugRbTree<Gmap>())
  }

  /** The augmented value is the end page, set before the insert. O(log n). */
  override insert(gmap: Gmap): Gmap | null {
    gmap.augValue = gmap.firstPage + gmap.pages
    return super.insert(gmap)
  }

  /** Interval stabbing query. O(log n). */
  findContaining(page: number): Gmap | null {
    return this.gmaps.lowestStab(page)
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
