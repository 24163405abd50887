// Offset allocator of FreeBSD gntdev (sys/dev/xen/gntdev/gntdev.c get_file_offset /
// put_file_offset, docs/kernel-model.md §2.3): a red-black tree of FREE regions {start, pages} keyed
// by start, holding the single region {0, space} at open().
//
// alloc: walk the tree in comparator order from its minimum; the first region with at least
// `pages` pages gives up its HIGH end (offset = start + remaining), so the region's key never
// changes; a region left empty is removed. O(r) in free regions. With an exact comparator the
// base region (key 0) sorts first and always fits: allocations descend from the top of the space
// and freed holes are never reused (pure bump-down). With FreeBSD's truncated comparator
// (quirks.ts) the base region sorts after the keys near the top, so freed holes are reused
// first, lowest address first (§8.3.1).
//
// free: insert a region for the run. If the insert collides (only under the truncated
// comparator, for keys 2^20·k pages apart) FreeBSD ignores the failure and the run is lost: we
// count it in leakedPages. Otherwise coalesce with the successor, then the predecessor, IN TREE
// ORDER, testing adjacency modulo the space as the kernel's u64 arithmetic does: under the
// truncated comparator freeing the topmost block therefore merges it with the base region
// through the wrap, giving one region that wraps the space (§2.3 [X]). O(log r).
//
// A region that wraps can hand out a run straddling the end of the space (first page + pages >
// space), as FreeBSD would hand out a u64 range that wraps; free() takes first pages mod space.

import '../structures/counting.js'
import type { CostCounters, KeyCompare, RbColor, RbLinks } from '../structures/types.js'
import { InvariantError, RB_BLACK, exactCompare } from '../structures/types.js'
import { RbTree } from '../structures/rb-tree.js'
import { EINVAL, ENOSPC } from '../errno.js'
import type { AllocatorOptions } from './allocator-options.js'
import { isBadRunLength, offsetSpaceOf } from './allocator-options.js'
import { truncatedCompare } from './quirks.js'
import type { AllocatorStats, OffsetAllocator } from './types.js'

/** One free region (FreeBSD file_offset_struct): pages [start, start + pages) mod the space. */
class FreeRegion implements RbLinks<FreeRegion> {
  start: number
  pages: number
  rbLeft: FreeRegion | null = null
  rbRight: FreeRegion | null = null
  rbParent: FreeRegion | null = null
  rbColor: RbColor = RB_BLACK
  rbKey: number

  constructor(start: number, pages: number) {
    this.start = start
    this.rbKey = start
    this.pages = pages
  }
}

export class RbTreeAllocator implements OffsetAllocator {
  readonly kind = 'rbtree'
  readonly cost: CostCounters
  readonly offsetSpacePages: number
  private readonly regions: RbTree<FreeRegion>
  private readonly truncated: boolean
  /** Regions removed from the tree, kept for reuse (linked through rbRight). */
  private spare: FreeRegion | null
  private livePages: number
  private leakedPages: number

  constructor(options?: AllocatorOptions) {
    this.offsetSpacePages = offsetSpaceOf(options)
    this.truncated = options?.quirks?.truncatedCompare ?? false
    const compare: KeyCompare = this.truncated ? truncatedCompare : exactCompare
    this.regions = new RbTree<FreeRegion>(compare)
    this.cost = this.regions.cost
    this.spare = null
    this.livePages = 0
    this.leakedPages = 0
    this.regions.insert(this.newRegion(0, this.offsetSpacePages))
  }

  /** First fit in comparator order, carving the high end. O(r). */
  alloc(pages: number): number {
    const space = this.offsetSpacePages
    if (isBadRunLength(pages, space)) return -EINVAL
    const regions = this.regions
    // min/next count the nodes they step over; the size test is not a key comparison.
    for (let region = regions.min(); region !== null; region = regions.next(region)) {
      if (region.pages < pages) continue
      const remaining = region.pages - pages
      let first = region.start + remaining
      if (first >= space) first -= space
      if (remaining === 0) {
        regions.remove(region)
        this.recycle(region)
      } else {
        region.pages = remaining
      }
      this.livePages += pages
      return first
    }
    return -ENOSPC
  }

  /** Insert the run as a free region and coalesce with its tree neighbours. O(log r). */
  free(firstPage: number, pages: number): void {
    const space = this.offsetSpacePages
    if (isBadRunLength(pages, space)) return
    const start = firstPage % space
    const regions = this.regions
    this.livePages -= pages
    const node = this.newRegion(start, pages)
    if (regions.insert(node) !== null) {
      // FreeBSD ignores RB_INSERT's result: the node is dropped and its pages are gone for good.
      this.leakedPages += pages
      this.recycle(node)
      return
    }
    const next = regions.next(node)
    if (next !== null && this.endOf(node) === next.start) {
      node.pages += next.pages
      regions.remove(next)
      this.recycle(next)
    }
    const prev = regions.prev(node)
    if (prev !== null && this.endOf(prev) === node.start) {
      prev.pages += node.pages
      regions.remove(node)
      this.recycle(node)
    }
  }

  /**
   * spanPages counts leaked pages as occupied (they are lost, not free). O(log r) with the exact
   * comparator; O(r log r) with the truncated one, whose tree order is not address order.
   */
  stats(): AllocatorStats {
    return {
      livePages: this.livePages,
      nodes: this.regions.size,
      spanPages: this.livePages + this.leakedPages === 0 ? 0 : this.truncated ? this.sortedSpan() : this.orderedSpan(),
      wrapped: false,
      leakedPages: this.leakedPages,
    }
  }

  /**
   * Tree invariants; regions non-empty, inside the space, pairwise disjoint modulo the space;
   * free + live + leaked pages = space; with the exact comparator also fully coalesced and
   * never wrapping. O(r log r).
   */
  check(): void {
    // The truncated comparator need not order neighbours consistently (§2.3): structure only.
    if (this.truncated) this.regions.checkStructure()
    else this.regions.check()
    const space = this.offsetSpacePages
    const pieces = this.linearPieces()
    let free = 0
    for (let i = 0; i < pieces.length; i += 2) free += (pieces[i + 1] ?? 0) - (pieces[i] ?? 0)
    for (let region = this.regions.min(); region !== null; region = this.regions.next(region)) {
      if (!Number.isInteger(region.pages) || region.pages < 1 || region.pages > space) {
        throw new InvariantError(`RbTreeAllocator: region at ${region.start} has ${region.pages} pages`)
      }
      if (!(region.start >= 0 && region.start < space) || region.rbKey !== region.start) {
        throw new InvariantError(`RbTreeAllocator: region start ${region.start} (key ${region.rbKey}) outside the space`)
      }
      if (!this.truncated && region.start + region.pages > space) {
        throw new InvariantError(`RbTreeAllocator: region at ${region.start} wraps under the exact comparator`)
      }
    }
    for (let i = 2; i < pieces.length; i += 2) {
      const prevEnd = pieces[i - 1] ?? 0
      const start = pieces[i] ?? 0
      if (start < prevEnd) throw new InvariantError(`RbTreeAllocator: free regions overlap at page ${start}`)
      if (!this.truncated && start === prevEnd) throw new InvariantError(`RbTreeAllocator: adjacent free regions at page ${start} not coalesced`)
    }
    if (free + this.livePages + this.leakedPages !== space) {
      throw new InvariantError(
        `RbTreeAllocator: free ${free} + live ${this.livePages} + leaked ${this.leakedPages} pages != space ${space}`,
      )
    }
  }

  /** End of a region modulo the space (u64 arithmetic in the kernel). */
  private endOf(region: FreeRegion): number {
    const end = region.start + region.pages
    return end >= this.offsetSpacePages ? end - this.offsetSpacePages : end
  }

  /** Exact comparator: tree order is address order and regions are coalesced. */
  private orderedSpan(): number {
    const space = this.offsetSpacePages
    const min = this.regions.min()
    const max = this.regions.max()
    if (min === null || max === null) return space
    const low = min.start === 0 ? min.pages : 0
    const high = max.start + max.pages === space ? max.start : space
    return high > low ? high - low : 0
  }

  /** Truncated comparator: sort the free pieces by address, then find the occupied hull. */
  private sortedSpan(): number {
    const pieces = this.linearPieces()
    let low = 0
    for (let i = 0; i < pieces.length; i += 2) {
      if ((pieces[i] ?? 0) > low) break
      low = pieces[i + 1] ?? 0
    }
    let high = this.offsetSpacePages
    for (let i = pieces.length - 2; i >= 0; i -= 2) {
      if ((pieces[i + 1] ?? 0) < high) break
      high = pieces[i] ?? 0
    }
    return high > low ? high - low : 0
  }

  /** Free regions as [start, end) pairs in address order, a wrapping region split in two. */
  private linearPieces(): number[] {
    const space = this.offsetSpacePages
    const pairs: [number, number][] = []
    for (let region = this.regions.min(); region !== null; region = this.regions.next(region)) {
      const end = region.start + region.pages
      if (end > space) {
        pairs.push([region.start, space], [0, end - space])
      } else {
        pairs.push([region.start, end])
      }
    }
    pairs.sort((a, b) => a[0] - b[0])
    const flat: number[] = []
    for (const [start, end] of pairs) flat.push(start, end)
    return flat
  }

  private newRegion(start: number, pages: number): FreeRegion {
    if (COUNTING) this.cost.nodesAllocated++
    const region = this.spare
    if (region === null) return new FreeRegion(start, pages)
    this.spare = region.rbRight
    region.rbLeft = null
    region.rbRight = null
    region.rbParent = null
    region.rbColor = RB_BLACK
    region.start = start
    region.rbKey = start
    region.pages = pages
    return region
  }

  private recycle(region: FreeRegion): void {
    if (COUNTING) this.cost.nodesFreed++
    region.rbLeft = null
    region.rbParent = null
    region.rbRight = this.spare
    this.spare = region
  }
}
