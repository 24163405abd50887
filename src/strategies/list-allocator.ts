// Offset allocator of Linux gntdev (drivers/xen/gntdev.c gntdev_add_map, docs/kernel-model.md §3.2)
// as a stand-alone allocator: a list of live extents sorted by page, searched first-fit from
// page 0. The kernel keeps no extents of its own; it walks the sorted map list and puts the
// index in the map (see linux-gmap-list.ts for that fused form). Here each alloc gets its own
// extent node, so the allocator can sit under any gmap or gref store.
//
// alloc: candidate = 0; for each extent in page order, if the hole before it holds the run
// (candidate + pages <= extent.firstPage; under the strictGap quirk `<`, as Linux writes it, so
// a hole must have pages + 1) link a new extent there; otherwise candidate = extent end. At the
// tail the run must fit below the end of the offset space (Linux's int index has no such test).
// O(n) in live extents. The low end of the hole is returned.
//
// free: any live sub-range, also one spanning several allocations (a DEALLOC of a gref run may
// span ALLOC calls): every extent it touches is trimmed, split or unlinked. O(n).

import '../structures/counting.js'
import type { CostCounters, ListLinks } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { TailQueue } from '../structures/tail-queue.js'
import { EINVAL, ENOSPC } from '../errno.js'
import type { AllocatorOptions } from './allocator-options.js'
import { isBadRunLength, offsetSpaceOf } from './allocator-options.js'
import type { AllocatorStats, OffsetAllocator } from './types.js'

/** A run of pages in a tail queue sorted by page: what the first-fit walk reads (Extent, Gmap). */
interface SortedRun<T> extends ListLinks<T> {
  readonly firstPage: number
  readonly pages: number
}

/**
 * gntdev_add_map's first-fit walk (shared with linux-gmap-list.ts): from candidate page 0, the
 * first run whose hole before it holds `pages` pages (strictGap: candidate + pages < its first
 * page), or null when the new run can only go after the last one. O(n).
 */
export function firstFitBefore<T extends SortedRun<T>>(runs: TailQueue<T>, pages: number, strict: boolean): T | null {
  let candidate = 0
  let run = runs.first()
  while (run !== null) {
    if (COUNTING) runs.cost.nodesVisited++
    if (COUNTING) runs.cost.keyCompares++
    const end = candidate + pages
    if (strict ? end < run.firstPage : end <= run.firstPage) break
    candidate = run.firstPage + run.pages
    run = run.tqNext
  }
  return run
}

/** Where the hole before `run` (null: after the last run) starts: the end of the run before it, or 0. */
export function holeStart<T extends SortedRun<T>>(runs: TailQueue<T>, run: T | null): number {
  const prev = run === null ? runs.last() : run.tqPrev
  return prev === null ? 0 : prev.firstPage + prev.pages
}

/** stats() of an allocator whose nodes are the live runs in page order (shared with linux-gmap-list.ts). O(1). */
export function sortedRunStats<T extends SortedRun<T>>(runs: TailQueue<T>, livePages: number): AllocatorStats {
  const first = runs.first()
  const last = runs.last()
  return {
    livePages,
    nodes: runs.length,
    spanPages: first === null || last === null ? 0 : last.firstPage + last.pages - first.firstPage,
    wrapped: false,
    leakedPages: 0,
  }
}

/** One live run [firstPage, firstPage + pages). */
class Extent {
  firstPage: number
  pages: number
  tqNext: Extent | null = null
  tqPrev: Extent | null = null

  constructor(firstPage: number, pages: number) {
    this.firstPage = firstPage
    this.pages = pages
  }
}

export class ListAllocator implements OffsetAllocator {
  readonly kind = 'list'
  readonly cost: CostCounters
  readonly offsetSpacePages: number
  private readonly strictGap: boolean
  private readonly extents: TailQueue<Extent>
  /** Unlinked extents kept for reuse (linked through tqNext), so churn allocates nothing. */
  private spare: Extent | null
  private livePages: number

  constructor(options?: AllocatorOptions) {
    this.extents = new TailQueue<Extent>()
    this.cost = this.extents.cost
    this.offsetSpacePages = offsetSpaceOf(options)
    this.strictGap = options?.quirks?.strictGap ?? false
    this.spare = null
    this.livePages = 0
  }

  /** First-fit from page 0. O(n). */
  alloc(pages: number): number {
    if (isBadRunLength(pages, this.offsetSpacePages)) return -EINVAL
    const extent = firstFitBefore(this.extents, pages, this.strictGap)
    const candidate = holeStart(this.extents, extent)
    if (extent !== null) {
      this.extents.insertBefore(extent, this.newExtent(candidate, pages))
    } else {
      if (COUNTING) this.cost.keyCompares++
      if (candidate + pages > this.offsetSpacePages) return -ENOSPC
      this.extents.insertTail(this.newExtent(candidate, pages))
    }
    this.livePages += pages
    return candidate
  }

  /** Unlink [firstPage, firstPage + pages) from every extent it touches; pages not live are ignored. O(n). */
  free(firstPage: number, pages: number): void {
    const end = firstPage + pages
    let extent = this.extents.first()
    // Skip extents that end at or before the range.
    while (extent !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (extent.firstPage + extent.pages > firstPage) break
      extent = extent.tqNext
    }
    while (extent !== null) {
      if (COUNTING) this.cost.keyCompares++
      if (extent.firstPage >= end) break
      const next: Extent | null = extent.tqNext
      const extentEnd = extent.firstPage + extent.pages
      const cutStart = extent.firstPage > firstPage ? extent.firstPage : firstPage
      const cutEnd = extentEnd < end ? extentEnd : end
      this.livePages -= cutEnd - cutStart
      if (cutStart === extent.firstPage && cutEnd === extentEnd) {
        this.extents.remove(extent)
        this.recycle(extent)
      } else if (cutStart === extent.firstPage) {
        extent.firstPage = cutEnd
        extent.pages = extentEnd - cutEnd
      } else if (cutEnd === extentEnd) {
        extent.pages = cutStart - extent.firstPage
      } else {
        // The range is strictly inside: split into [firstPage, cutStart) and [cutEnd, extentEnd).
        extent.pages = cutStart - extent.firstPage
        this.extents.insertAfter(extent, this.newExtent(cutEnd, extentEnd - cutEnd))
      }
      extent = next
      if (COUNTING && extent !== null) this.cost.nodesVisited++
    }
  }

  /** O(1). */
  stats(): AllocatorStats {
    return sortedRunStats(this.extents, this.livePages)
  }

  /** Extents sorted, disjoint, non-empty, inside the space; live pages add up. O(n). */
  check(): void {
    this.extents.check()
    let pages = 0
    let prevEnd = 0
    for (let e = this.extents.first(); e !== null; e = e.tqNext) {
      if (!Number.isInteger(e.pages) || e.pages < 1) throw new InvariantError(`ListAllocator: extent of ${e.pages} pages`)
      if (e.firstPage < prevEnd) throw new InvariantError(`ListAllocator: extent at ${e.firstPage} overlaps or is out of order`)
      prevEnd = e.firstPage + e.pages
      if (prevEnd > this.offsetSpacePages) throw new InvariantError(`ListAllocator: extent ends at ${prevEnd}, beyond the space`)
      pages += e.pages
    }
    if (pages !== this.livePages) throw new InvariantError(`ListAllocator: extents hold ${pages} pages, livePages ${this.livePages}`)
  }

  private newExtent(firstPage: number, pages: number): Extent {
    // Counted as an allocation even when a spare is reused: the kernel would kmalloc one.
    if (COUNTING) this.cost.nodesAllocated++
    const extent = this.spare
    if (extent === null) return new Extent(firstPage, pages)
    this.spare = extent.tqNext
    extent.tqNext = null
    extent.firstPage = firstPage
    extent.pages = pages
    return extent
  }

  private recycle(extent: Extent): void {
    if (COUNTING) this.cost.nodesFreed++
    extent.tqNext = this.spare
    this.spare = extent
  }
}
