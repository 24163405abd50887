// What the gref stores share around find-run (docs/kernel-model.md §8.1), whatever indexes their
// records: its answer, which empties `out` unless the whole run was found, and removeRun over an
// index with one node per record (Linux gntalloc's list, FreeBSD's tree), which unlinks the found
// records one list_del or RB_REMOVE each, as the kernels do.

import type { Gref, GrefStore } from './types.js'

/** find-run's answer: true when all `pages` records were collected, else false with out emptied. */
export function foundRun(out: Gref[], pages: number): boolean {
  if (out.length === pages) return true
  out.length = 0
  return false
}

/** What removeEachRecord needs of an index: one node per record, removed by the record (TailQueue, RbTree). */
interface GrefIndex {
  remove(gref: Gref): void
}

/**
 * removeRun of a store whose index has one node per record: find-run, then unlink every record
 * (live = false), one list_del or RB_REMOVE each.
 */
export function removeEachRecord(store: GrefStore, index: GrefIndex, firstPage: number, pages: number, out: Gref[]): boolean {
  if (!store.findRun(firstPage, pages, out)) return false
  for (const gref of out) {
    index.remove(gref)
    gref.live = false
  }
  return true
}
