// Gmap store indexed like a Xen rangeset (xen/common/rangeset.c, docs/kernel-model.md §5): a design
// none of the kernels uses for gmaps. A sorted list of range nodes, one per gmap, each covering
// [firstPage, firstPage + pages) and pointing at its record; gmaps are never merged, because
// each MAP call is its own record. Every lookup is rangeset's find (walk from the head to the
// last node starting at or below the page, stopping at the first larger start), then a test of
// that one node: find-exact compares the start and count, find-containing the range. O(r).
// Unlike the Linux list the walk stops early on a miss, and the index allocates its own nodes
// (counted in cost.nodesAllocated) as Xen's rangeset does.

import '../structures/counting.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { TailQueue } from '../structures/tail-queue.js'
import type { Gmap, GmapStore } from './types.js'

/** Range node of one gmap; `gmap` is null only while the node sits in the spare pool. */
class GmapRange {
  gmap: Gmap | null
  tqNext: GmapRange | null = null
  tqPrev: GmapRange | null = null

  constructor(gmap: Gmap) {
    this.gmap = gmap
  }
}

export class RangeSetGmapStore implements GmapStore {
  readonly kind = 'rangeset'
  readonly cost: CostCounters
  private readonly ranges: TailQueue<GmapRange>
  private spare: GmapRange | null

  constructor() {
    this.ranges = new TailQueue<GmapRange>()
    this.cost = this.ranges.cost
    this.spare = null
  }

  get size(): number {
    return this.ranges.length
  }

  /** find, then link after the found node; a gmap starting at the same page is returned. O(r). */
  insert(gmap: Gmap): Gmap | null {
    const at = this.find(gmap.firstPage)
    const found = at?.gmap ?? null
    if (found !== null && found.firstPage === gmap.firstPage) return found
    const node = this.newRange(gmap)
    if (at === null) this.ranges.insertHead(node)
    else this.ranges.insertAfter(at, node)
    gmap.live = true
    return null
  }

  /** O(r). */
  findExact(firstPage: number, pages: number): Gmap | null {
    const gmap = this.find(firstPage)?.gmap ?? null
    if (COUNTING) this.cost.keyCompares++
    if (gmap === null || gmap.firstPage !== firstPage) return null
    return pages === 0 || gmap.pages === pages ? gmap : null
  }

  /** O(r). */
  findContaining(page: number): Gmap | null {
    const gmap = this.find(page)?.gmap ?? null
    if (COUNTING) this.cost.keyCompares++
    return gmap !== null && page < gmap.firstPage + gmap.pages ? gmap : null
  }

  /** rangeset_remove_range of the gmap's pages: find its node, unlink it. O(r). */
  remove(gmap: Gmap): void {
    const node = this.find(gmap.firstPage)
    if (node === null || node.gmap !== gmap) throw new InvariantError(`RangeSetGmapStore.remove: gmap at ${gmap.firstPage} is not here`)
    this.ranges.remove(node)
    this.recycle(node)
    gmap.live = false
  }

  /** O(n). */
  drain(out: Gmap[]): void {
    out.length = 0
    let node = this.ranges.first()
    while (node !== null) {
      if (COUNTING) this.cost.nodesVisited++
      const next: GmapRange | null = node.tqNext
      const gmap = node.gmap as Gmap
      this.ranges.remove(node)
      this.recycle(node)
      gmap.live = false
      out.push(gmap)
      node = next
    }
  }

  /** List invariants; ranges sorted by start, one per live gmap. O(n). */
  check(): void {
    this.ranges.check()
    let prev = -Infinity
    for (let node = this.ranges.first(); node !== null; node = node.tqNext) {
      const gmap = node.gmap
      if (gmap === null) throw new InvariantError('RangeSetGmapStore: linked node without a gmap')
      if (!gmap.live) throw new InvariantError(`RangeSetGmapStore: gmap at ${gmap.firstPage} is indexed but not live`)
      if (gmap.firstPage <= prev) throw new InvariantError(`RangeSetGmapStore: gmap at ${gmap.firstPage} after ${prev}`)
      prev = gmap.firstPage
    }
  }

  /** rangeset's find: the last node whose gmap starts at or below page. O(r). */
  private find(page: number): GmapRange | null {
    let found: GmapRange | null = null
    for (let node = this.ranges.first(); node !== null; node = node.tqNext) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if ((node.gmap as Gmap).firstPage > page) break
      found = node
    }
    return found
  }

  private newRange(gmap: Gmap): GmapRange {
    if (COUNTING) this.cost.nodesAllocated++
    const node = this.spare
    if (node === null) return new GmapRange(gmap)
    this.spare = node.tqNext
    node.tqNext = null
    node.gmap = gmap
    return node
  }

  private recycle(node: GmapRange): void {
    if (COUNTING) this.cost.nodesFreed++
    node.gmap = null
    node.tqNext = this.spare
    this.spare = node
  }
}
