// Gref store indexed like a Xen rangeset (xen/common/rangeset.c, docs/kernel-model.md §5): a design
// NONE of the kernels uses. FreeBSD keeps one tree node per page, Linux gntalloc one list
// element per page; here one index node covers a contiguous run of records, so the index has
// one node per ALLOC (until DEALLOCs cut runs apart) however many pages each holds.
//
// The index is a sorted list of run nodes; a node holds its records in an array (record of page
// p at grefs[base + p − firstPage]). Lookup is rangeset's find: walk from the head to the last
// node starting at or below the page, O(r) in run nodes. Runs of separate insertRun calls stay
// separate nodes even when adjacent (as separate ALLOCs are separate records in the kernels),
// so find-run walks on across nodes that touch: a run may span ALLOC calls. removeRun of a
// sub-range trims or splits nodes, like rangeset_remove_range; a split shares the array.

import '../structures/counting.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { TailQueue } from '../structures/tail-queue.js'
import { foundRun } from './find-run.js'
import type { Gref, GrefStore } from './types.js'

/** Records of pages [firstPage, firstPage + pages): grefs[base] … grefs[base + pages − 1]. */
class GrefRun {
  firstPage: number
  pages: number
  grefs: readonly Gref[]
  base: number
  tqNext: GrefRun | null = null
  tqPrev: GrefRun | null = null

  constructor(firstPage: number, pages: number, grefs: readonly Gref[], base: number) {
    this.firstPage = firstPage
    this.pages = pages
    this.grefs = grefs
    this.base = base
  }
}

export class RangeSetGrefStore implements GrefStore {
  readonly kind = 'rangeset'
  readonly cost: CostCounters
  private readonly runs: TailQueue<GrefRun>
  private records: number

  constructor() {
    this.runs = new TailQueue<GrefRun>()
    this.cost = this.runs.cost
    this.records = 0
  }

  get size(): number {
    return this.records
  }

  /**
   * One node per maximal stretch of the run that collides with nothing and is consecutive;
   * colliding records are dropped. O(r + pages).
   */
  insertRun(run: readonly Gref[]): number {
    const n = run.length
    if (n === 0) return 0
    const runs = this.runs
    const firstGref = run[0] as Gref
    // `at`: the last node starting at or below the current page (null: before the head).
    let at = this.find(firstGref.page)
    let dropped = 0
    let i = 0
    while (i < n) {
      const page = (run[i] as Gref).page
      let next = at === null ? runs.first() : at.tqNext
      while (next !== null) {
        if (COUNTING) this.cost.nodesVisited++
        if (COUNTING) this.cost.keyCompares++
        if (next.firstPage > page) break
        at = next
        next = next.tqNext
      }
      if (COUNTING) this.cost.keyCompares++
      if (at !== null && page < at.firstPage + at.pages) {
        dropped++
        i++
        continue
      }
      // Take records while consecutive and below the next node.
      const limit = next === null ? Infinity : next.firstPage
      let j = i + 1
      while (j < n) {
        const p = (run[j] as Gref).page
        if (p !== page + (j - i) || p >= limit) break
        j++
      }
      const node = this.newRun(page, j - i, run.slice(i, j), 0)
      if (at === null) runs.insertHead(node)
      else runs.insertAfter(at, node)
      for (let k = i; k < j; k++) (run[k] as Gref).live = true
      this.records += j - i
      at = node
      i = j
    }
    return dropped
  }

  /** find, then collect across touching nodes. O(r + pages). */
  findRun(firstPage: number, pages: number, out: Gref[]): boolean {
    out.length = 0
    if (!(pages >= 1)) return false
    let node = this.find(firstPage)
    let expected = firstPage
    while (node !== null && out.length < pages) {
      if (COUNTING) this.cost.keyCompares++
      if (!(expected >= node.firstPage && expected < node.firstPage + node.pages)) break
      const end = node.firstPage + node.pages
      const offset = node.base - node.firstPage
      while (expected < end && out.length < pages) {
        out.push(node.grefs[offset + expected] as Gref)
        expected++
      }
      node = node.tqNext
      if (COUNTING && node !== null && out.length < pages) this.cost.nodesVisited++
    }
    return foundRun(out, pages)
  }

  /** find-run, then trim, split or unlink every node the run covers. O(r + pages). */
  removeRun(firstPage: number, pages: number, out: Gref[]): boolean {
    if (!this.findRun(firstPage, pages, out)) return false
    for (const gref of out) gref.live = false
    this.records -= pages
    const end = firstPage + pages
    let node = this.find(firstPage)
    while (node !== null && node.firstPage < end) {
      const next: GrefRun | null = node.tqNext
      const nodeEnd = node.firstPage + node.pages
      const cutStart = node.firstPage > firstPage ? node.firstPage : firstPage
      const cutEnd = nodeEnd < end ? nodeEnd : end
      if (cutStart === node.firstPage && cutEnd === nodeEnd) {
        this.runs.remove(node)
        if (COUNTING) this.cost.nodesFreed++
      } else if (cutStart === node.firstPage) {
        node.base += cutEnd - node.firstPage
        node.firstPage = cutEnd
        node.pages = nodeEnd - cutEnd
      } else if (cutEnd === nodeEnd) {
        node.pages = cutStart - node.firstPage
      } else {
        const tail = this.newRun(cutEnd, nodeEnd - cutEnd, node.grefs, node.base + (cutEnd - node.firstPage))
        node.pages = cutStart - node.firstPage
        this.runs.insertAfter(node, tail)
      }
      node = next
    }
    return true
  }

  /** O(r). */
  findPage(page: number): Gref | null {
    const node = this.find(page)
    if (COUNTING) this.cost.keyCompares++
    if (node === null || page >= node.firstPage + node.pages) return null
    return node.grefs[node.base + page - node.firstPage] ?? null
  }

  /** O(n). */
  drain(out: Gref[]): void {
    out.length = 0
    let node = this.runs.first()
    while (node !== null) {
      if (COUNTING) this.cost.nodesVisited++
      for (let k = 0; k < node.pages; k++) {
        const gref = node.grefs[node.base + k] as Gref
        gref.live = false
        out.push(gref)
      }
      const next: GrefRun | null = node.tqNext
      this.runs.remove(node)
      if (COUNTING) this.cost.nodesFreed++
      node = next
    }
    this.records = 0
  }

  /** List invariants; nodes sorted, disjoint, non-empty; records at their pages and live. O(n). */
  check(): void {
    this.runs.check()
    let prevEnd = -Infinity
    let records = 0
    for (let node = this.runs.first(); node !== null; node = node.tqNext) {
      if (!Number.isInteger(node.pages) || node.pages < 1) throw new InvariantError(`RangeSetGrefStore: node of ${node.pages} pages`)
      if (node.firstPage < prevEnd) throw new InvariantError(`RangeSetGrefStore: node at ${node.firstPage} overlaps or is out of order`)
      if (node.base < 0 || node.base + node.pages > node.grefs.length) {
        throw new InvariantError(`RangeSetGrefStore: node at ${node.firstPage} indexes outside its array`)
      }
      for (let k = 0; k < node.pages; k++) {
        const gref = node.grefs[node.base + k] as Gref
        if (gref.page !== node.firstPage + k) throw new InvariantError(`RangeSetGrefStore: page ${gref.page} at slot of ${node.firstPage + k}`)
        if (!gref.live) throw new InvariantError(`RangeSetGrefStore: record of page ${gref.page} is indexed but not live`)
      }
      prevEnd = node.firstPage + node.pages
      records += node.pages
    }
    if (records !== this.records) throw new InvariantError(`RangeSetGrefStore: ${records} records indexed, size ${this.records}`)
  }

  /** rangeset's find: the last node starting at or below page, walking from the head. O(r). */
  private find(page: number): GrefRun | null {
    let found: GrefRun | null = null
    for (let node = this.runs.first(); node !== null; node = node.tqNext) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (node.firstPage > page) break
      found = node
    }
    return found
  }

  private newRun(firstPage: number, pages: number, grefs: readonly Gref[], base: number): GrefRun {
    if (COUNTING) this.cost.nodesAllocated++
    return new GrefRun(firstPage, pages, grefs, base)
  }
}
