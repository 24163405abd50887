// Gref store of FreeBSD gntdev (sys/dev/xen/gntdev/gntdev.c gref_tree, docs/kernel-model.md §2.2,
// §2.4): a red-black tree of gref records keyed by page, one node per page.
//
// insertRun inserts the records one by one, as ALLOC_GREF does; a record whose key collides
// with a live one is not linked (FreeBSD ignores RB_INSERT's result) and is counted as dropped.
// find-run is an exact tree find of the first page, then successor steps while each record's
// page is exactly the expected one (the kernel compares file_index for equality, so an alias
// the truncated comparator finds is rejected). O(log n + pages); the run may span ALLOC calls.
// The tree orders by the strategy's comparator: exact, or FreeBSD's truncated one (quirks.ts).

import '../structures/counting.js'
import type { CostCounters, KeyCompare, RbLinks } from '../structures/types.js'
import { InvariantError, exactCompare } from '../structures/types.js'
import { RbTree } from '../structures/rb-tree.js'
import { foundRun, removeEachRecord } from './find-run.js'
import type { Gref, GrefStore } from './types.js'

export class RbTreeGrefStore implements GrefStore {
  readonly kind = 'rbtree'
  readonly cost: CostCounters
  private readonly grefs: RbTree<Gref>

  constructor(compare: KeyCompare = exactCompare) {
    this.grefs = new RbTree<Gref>(compare)
    this.cost = this.grefs.cost
  }

  get size(): number {
    return this.grefs.size
  }

  /** O(pages · log n). */
  insertRun(run: readonly Gref[]): number {
    let dropped = 0
    for (const gref of run) {
      if (this.grefs.insert(gref) === null) gref.live = true
      else dropped++
    }
    return dropped
  }

  /** RB_FIND + RB_NEXT walk. O(log n + pages). */
  findRun(firstPage: number, pages: number, out: Gref[]): boolean {
    out.length = 0
    if (!(pages >= 1)) return false
    let gref = this.grefs.find(firstPage)
    let expected = firstPage
    while (gref !== null && out.length < pages) {
      if (COUNTING) this.cost.keyCompares++
      if (gref.page !== expected) break
      out.push(gref)
      expected++
      if (out.length < pages) gref = this.grefs.next(gref)
    }
    return foundRun(out, pages)
  }

  /** find-run, then RB_REMOVE each record. O((log n) · pages). */
  removeRun(firstPage: number, pages: number, out: Gref[]): boolean {
    return removeEachRecord(this, this.grefs, firstPage, pages, out)
  }

  /** O(log n). */
  findPage(page: number): Gref | null {
    const gref = this.grefs.find(page)
    return gref !== null && gref.page === page ? gref : null
  }

  /**
   * In-order walk, unlinking each record, as close() does with RB_FOREACH_SAFE + RB_REMOVE.
   * Ascending pages; under the truncated comparator it is the tree's (circular) order. O(n log n).
   */
  drain(out: Gref[]): void {
    out.length = 0
    let gref = this.grefs.min()
    while (gref !== null) {
      const next = this.grefs.next(gref)
      this.grefs.remove(gref)
      gref.live = false
      out.push(gref)
      gref = next
    }
  }

  /** Tree invariants; keys equal pages; every record live. O(n). */
  check(): void {
    checkRecordTree(this.grefs, 'RbTreeGrefStore', (gref) => gref.page)
  }
}

/**
 * Invariants of a red-black tree of records keyed by page (shared with rbtree-gmap-store.ts): the
 * tree's own, each record keyed by its page and live, every record reachable. O(n).
 */
export function checkRecordTree<T extends RbLinks<T> & { readonly live: boolean }>(tree: RbTree<T>, who: string, pageOf: (record: T) => number): void {
  // An inconsistent comparator (truncated) need not order neighbours: structure only.
  if (tree.compare === exactCompare) tree.check()
  else tree.checkStructure()
  let count = 0
  for (let record = tree.min(); record !== null; record = tree.next(record)) {
    count++
    const page = pageOf(record)
    if (record.rbKey !== page) throw new InvariantError(`${who}: key ${record.rbKey} for page ${page}`)
    if (!record.live) throw new InvariantError(`${who}: record at page ${page} is linked but not live`)
  }
  if (count !== tree.size) throw new InvariantError(`${who}: ${count} records reachable, size ${tree.size}`)
}
