// Offset allocator of Linux gntalloc (drivers/xen/gntalloc.c, docs/kernel-model.md §4.3): a per-file
// counter that starts at 0 and grows by the size of every ALLOC; DEALLOC never gives space back,
// so offsets are never reused. O(1) per call, no structure at all.
//
// The kernel's counter is a u64 of bytes, so it would wrap after 2^64 bytes and hand out offsets
// that may still be live. By default we detect that instead: the call that would pass the end
// of the space fails with EOVERFLOW (the check LX-P3 proposes) and `wrapped` is set. The
// bumpWrap quirk lets the counter wrap. A run that would straddle the end then starts over at
// page 0: the u64 counter would split it across the end, but records keep page numbers inside
// the space this way and the run aliases live low offsets exactly as the wrapped counter would.

import '../structures/counting.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError, newCostCounters } from '../structures/types.js'
import { EINVAL, EOVERFLOW } from '../errno.js'
import type { AllocatorOptions } from './allocator-options.js'
import { isBadRunLength, offsetSpaceOf } from './allocator-options.js'
import type { AllocatorStats, OffsetAllocator } from './types.js'

export class BumpAllocator implements OffsetAllocator {
  readonly kind = 'bump'
  readonly cost: CostCounters
  readonly offsetSpacePages: number
  private readonly wrapAround: boolean
  /** First page of the next run (Linux priv->index, in pages). */
  private nextPage: number
  private livePages: number
  /** Highest end handed out since the last wrap, in pages. */
  private highWater: number
  private wrapped: boolean

  constructor(options?: AllocatorOptions) {
    this.cost = newCostCounters()
    this.offsetSpacePages = offsetSpaceOf(options)
    this.wrapAround = options?.quirks?.bumpWrap ?? false
    this.nextPage = 0
    this.livePages = 0
    this.highWater = 0
    this.wrapped = false
  }

  /** O(1). */
  alloc(pages: number): number {
    const space = this.offsetSpacePages
    if (isBadRunLength(pages, space)) return -EINVAL
    let first = this.nextPage
    if (COUNTING) this.cost.keyCompares++
    if (first + pages > space) {
      this.wrapped = true
      if (!this.wrapAround) return -EOVERFLOW
      first = 0
      this.highWater = space
    }
    this.nextPage = first + pages
    if (this.nextPage > this.highWater) this.highWater = this.nextPage
    this.livePages += pages
    return first
  }

  /** Linux gntalloc returns nothing to the counter; only the live-page count changes. O(1). */
  free(_firstPage: number, pages: number): void {
    this.livePages -= pages
  }

  /**
   * spanPages: the counter never learns which runs were freed, so the span is from page 0 to
   * the highest end handed out (the whole space once wrapped), while any page is live.
   */
  stats(): AllocatorStats {
    return {
      livePages: this.livePages,
      nodes: 0,
      spanPages: this.livePages > 0 ? this.highWater : 0,
      wrapped: this.wrapped,
      leakedPages: 0,
    }
  }

  check(): void {
    const space = this.offsetSpacePages
    if (!(this.nextPage >= 0 && this.nextPage <= space)) {
      throw new InvariantError(`BumpAllocator: counter ${this.nextPage} outside [0, ${space}]`)
    }
    if (this.livePages < 0) throw new InvariantError(`BumpAllocator: ${this.livePages} live pages`)
    // Without a wrap every live page lies below the counter.
    if (!this.wrapped && this.livePages > this.nextPage) {
      throw new InvariantError(`BumpAllocator: ${this.livePages} live pages but only ${this.nextPage} handed out`)
    }
  }
}
