// Offset allocator with Linux gntdev's policy (drivers/xen/gntdev.c gntdev_add_map: the lowest
// hole that holds the run, low end first, docs/kernel-model.md §3.2) found in O(log n) the way
// Linux's vm_unmapped_area found the lowest free gap before the maple tree: a red-black tree of
// FREE regions keyed by start, augmented with the largest free region in each subtree
// (rb_subtree_gap; BSD tree.h RB_AUGMENT). See src/structures/aug-rb-tree.ts.
//
// alloc: the lowest region with at least `pages` pages gives up its LOW end (Linux returns the
// low end of the hole); its key moves up inside its own span, so tree order is kept and only
// its size (the augmented value) needs repairing. Under the strictGap quirk Linux's test is
// `candidate + pages < next map`, so a hole below a live run must have pages + 1 pages, while
// the hole after the last run only has to reach the end of the space: search the augmented tree
// for pages + 1 first, and if nothing qualifies, try the top region (the one ending at the
// space) with `pages`. Both steps are O(log n). This returns exactly what ListAllocator's O(n)
// walk returns, with or without the quirk.
//
// free: any sub-range, also one spanning several allocations or partly free already: the
// regions it overlaps or touches are absorbed into one. O(log n + regions absorbed).
//
// Regions are coalesced at all times, so the tree holds one node per hole between live runs.

import '../structures/counting.js'
import { AugRbTree } from '../structures/aug-rb-tree.js'
import type { AugRbLinks, CostCounters, RbColor } from '../structures/types.js'
import { InvariantError, RB_BLACK } from '../structures/types.js'
import { EINVAL, ENOSPC } from '../errno.js'
import type { AllocatorOptions } from './allocator-options.js'
import { isBadRunLength, offsetSpaceOf } from './allocator-options.js'
import type { AllocatorStats, OffsetAllocator } from './types.js'

/** A free region [rbKey, rbKey + augValue): its size is the augmented value. */
class FreeGap implements AugRbLinks<FreeGap> {
  rbLeft: FreeGap | null = null
  rbRight: FreeGap | null = null
  rbParent: FreeGap | null = null
  rbColor: RbColor = RB_BLACK
  rbKey: number
  augValue: number
  augMax: number

  constructor(start: number, pages: number) {
    this.rbKey = start
    this.augValue = pages
    this.augMax = pages
  }
}

export class AugTreeAllocator implements OffsetAllocator {
  readonly kind = 'augtree'
  readonly cost: CostCounters
  readonly offsetSpacePages: number
  private readonly strictGap: boolean
  private readonly gaps: AugRbTree<FreeGap>
  /** Removed regions kept for reuse (linked through rbRight), so churn allocates nothing. */
  private spare: FreeGap | null
  private livePages: number

  constructor(options?: AllocatorOptions) {
    this.gaps = new AugRbTree<FreeGap>()
    this.cost = this.gaps.cost
    this.offsetSpacePages = offsetSpaceOf(options)
    this.strictGap = options?.quirks?.strictGap ?? false
    this.spare = null
    this.livePages = 0
    this.gaps.insert(this.newGap(0, this.offsetSpacePages))
  }

  /** Lowest fitting hole, low end. O(log n). */
  alloc(pages: number): number {
    const space = this.offsetSpacePages
    if (isBadRunLength(pages, space)) return -EINVAL
    const gaps = this.gaps
    let gap = gaps.firstFit(this.strictGap ? pages + 1 : pages)
    if (gap === null && this.strictGap) {
      // The hole above the last live run only has to reach the end of the space.
      const top = gaps.max()
      if (top !== null && top.rbKey + top.augValue === space && top.augValue >= pages) gap = top
    }
    if (gap === null) return -ENOSPC
    const first = gap.rbKey
    if (gap.augValue === pages) {
      gaps.remove(gap)
      this.recycle(gap)
    } else {
      gap.rbKey = first + pages
      gap.augValue -= pages
      gaps.updateAugment(gap)
    }
    this.livePages += pages
    return first
  }

  /** Make [firstPage, firstPage + pages) free, merging every region it overlaps or touches. O(log n + k). */
  free(firstPage: number, pages: number): void {
    const space = this.offsetSpacePages
    if (isBadRunLength(pages, space) || !(firstPage >= 0) || firstPage + pages > space) return
    const gaps = this.gaps
    let start = firstPage
    let end = firstPage + pages
    let freed = pages
    // A region starting at or below `start` that reaches it absorbs the range.
    let node = gaps.pfind(start)
    if (node !== null && node.rbKey + node.augValue >= start) {
      const nodeEnd = node.rbKey + node.augValue
      freed -= Math.min(nodeEnd, end) - start
      start = node.rbKey
      if (nodeEnd > end) end = nodeEnd
    } else {
      node = null
    }
    // Every later region starting at or before `end` is absorbed too.
    let next = node === null ? this.ceiling(start) : gaps.next(node)
    while (next !== null && next.rbKey <= end) {
      const nextEnd = next.rbKey + next.augValue
      const overlap = Math.min(nextEnd, firstPage + pages) - next.rbKey
      if (overlap > 0) freed -= overlap
      if (nextEnd > end) end = nextEnd
      const after = gaps.next(next)
      gaps.remove(next)
      this.recycle(next)
      next = after
    }
    if (node === null) {
      gaps.insert(this.newGap(start, end - start))
    } else if (node.augValue !== end - start) {
      node.augValue = end - start
      gaps.updateAugment(node)
    }
    this.livePages -= freed
  }

  /** O(log n). */
  stats(): AllocatorStats {
    const space = this.offsetSpacePages
    const min = this.gaps.min()
    const max = this.gaps.max()
    let span = 0
    if (this.livePages > 0) {
      const low = min !== null && min.rbKey === 0 ? min.augValue : 0
      const high = max !== null && max.rbKey + max.augValue === space ? max.rbKey : space
      span = high > low ? high - low : 0
    }
    return { livePages: this.livePages, nodes: this.gaps.size, spanPages: span, wrapped: false, leakedPages: 0 }
  }

  /** Tree and augment invariants; regions non-empty, inside the space, coalesced; free + live = space. O(n). */
  check(): void {
    this.gaps.check()
    const space = this.offsetSpacePages
    let free = 0
    let prevEnd = -1
    for (let gap = this.gaps.min(); gap !== null; gap = this.gaps.next(gap)) {
      if (!Number.isInteger(gap.augValue) || gap.augValue < 1) throw new InvariantError(`AugTreeAllocator: region at ${gap.rbKey} has ${gap.augValue} pages`)
      if (gap.rbKey < 0 || gap.rbKey + gap.augValue > space) throw new InvariantError(`AugTreeAllocator: region at ${gap.rbKey} leaves the space`)
      if (gap.rbKey <= prevEnd) throw new InvariantError(`AugTreeAllocator: region at ${gap.rbKey} overlaps or touches the one before (end ${prevEnd})`)
      prevEnd = gap.rbKey + gap.augValue
      free += gap.augValue
    }
    if (free + this.livePages !== space) throw new InvariantError(`AugTreeAllocator: free ${free} + live ${this.livePages} != space ${space}`)
  }

  /** Smallest region starting at or after `start`. */
  private ceiling(start: number): FreeGap | null {
    const below = this.gaps.pfind(start)
    if (below === null) return this.gaps.min()
    return below.rbKey === start ? below : this.gaps.next(below)
  }

  private newGap(start: number, pages: number): FreeGap {
    if (COUNTING) this.cost.nodesAllocated++
    const gap = this.spare
    if (gap === null) return new FreeGap(start, pages)
    this.spare = gap.rbRight
    gap.rbRight = null
    gap.rbKey = start
    gap.augValue = pages
    gap.augMax = pages
    return gap
  }

  private recycle(gap: FreeGap): void {
    if (COUNTING) this.cost.nodesFreed++
    gap.rbRight = this.spare
    this.spare = gap
  }
}
