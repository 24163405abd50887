// Offsets from a Xen rangeset (xen/common/rangeset.c, docs/kernel-model.md §5), the allocator the
// reviewer asked for in FreeBSD review D7293: the set holds the USED ranges; alloc is
// rangeset_claim_range (first-fit over the gaps from 0, low end of the gap, the previous range
// extended), free is rangeset_remove_range of the run (trim, split or delete; any live sub-range,
// also one spanning several allocations). Both are O(r) walks of the sorted range list.
// Under the claimNoMerge quirk claim extends the previous range without merging the next one,
// as Xen's claim_range does; by default the set stays maximal. No node cap is set, so remove
// never fails for lack of a node.

import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { RangeSet } from '../structures/rangeset.js'
import { EINVAL } from '../errno.js'
import type { AllocatorOptions } from './allocator-options.js'
import { isBadRunLength, offsetSpaceOf } from './allocator-options.js'
import type { AllocatorStats, OffsetAllocator } from './types.js'

export class RangeSetAllocator implements OffsetAllocator {
  readonly kind = 'rangeset'
  readonly cost: CostCounters
  readonly offsetSpacePages: number
  private readonly used: RangeSet
  private livePages: number

  constructor(options?: AllocatorOptions) {
    this.offsetSpacePages = offsetSpaceOf(options)
    this.used = new RangeSet({
      maxValue: this.offsetSpacePages - 1,
      claimNoMerge: options?.quirks?.claimNoMerge ?? false,
    })
    this.cost = this.used.cost
    this.livePages = 0
  }

  /** rangeset_claim_range: −ENOSPC when no gap holds the run. O(r). */
  alloc(pages: number): number {
    if (isBadRunLength(pages, this.offsetSpacePages)) return -EINVAL
    const first = this.used.claim(pages)
    if (first >= 0) this.livePages += pages
    return first
  }

  /** rangeset_remove_range of [firstPage, firstPage + pages − 1]. O(r). */
  free(firstPage: number, pages: number): void {
    if (isBadRunLength(pages, this.offsetSpacePages)) return
    if (this.used.remove(firstPage, firstPage + pages - 1) >= 0) this.livePages -= pages
  }

  /** O(r): the set has no tail pointer, so the span walks to the last range. */
  stats(): AllocatorStats {
    const first = this.used.first()
    let last = first
    for (let node = first; node !== null; node = this.used.next(node)) last = node
    return {
      livePages: this.livePages,
      nodes: this.used.rangeCount,
      spanPages: first === null || last === null ? 0 : last.end + 1 - first.start,
      wrapped: false,
      leakedPages: 0,
    }
  }

  /** The set's own invariants; the used ranges hold exactly the live pages. O(r). */
  check(): void {
    this.used.check()
    let pages = 0
    for (let node = this.used.first(); node !== null; node = this.used.next(node)) pages += node.end + 1 - node.start
    if (pages !== this.livePages) throw new InvariantError(`RangeSetAllocator: ranges hold ${pages} pages, livePages ${this.livePages}`)
  }
}
