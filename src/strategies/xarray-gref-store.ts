// Gref store over a radix tree keyed by page (src/structures/xarray.ts), the way Linux indexes
// per-page objects (the page cache's XArray; Documentation/core-api/xarray.rst). Not a store any
// grant driver uses today: it answers issue 15's question of what a kernel developer would reach
// for now. One slot per gref page; the record needs no link fields of its own.
//
// find-run (DEALLOC, mmap): descend once to the leaf of the first page, then read consecutive
// slots, descending again only when the run crosses into the next 64-page leaf. The run may span
// ALLOC calls. O(height + pages), height <= 9 for the 2^52-page space: the cost does not grow
// with the number of records, only with the highest page used.
// insertRun: xa_insert per page; a page already present (a wrapped counter under bump-wrap) is
// not stored and counts as dropped, as FreeBSD's ignored RB_INSERT failure does.
// drain: one ascending walk over the nodes, then the whole tree is dropped. O(records + nodes).

import '../structures/counting.js'
import type { XaNode } from '../structures/xarray.js'
import { XA_CHUNK_SIZE, XArray } from '../structures/xarray.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { foundRun } from './find-run.js'
import type { Gref, GrefStore } from './types.js'

const SLOT_MASK = XA_CHUNK_SIZE - 1

export class XArrayGrefStore implements GrefStore {
  readonly kind = 'xarray'
  readonly cost: CostCounters
  private readonly pages: XArray<Gref>

  constructor() {
    this.pages = new XArray<Gref>()
    this.cost = this.pages.cost
  }

  get size(): number {
    return this.pages.size
  }

  /** Radix nodes linked (the memory model's index nodes). O(nodes). */
  nodeCount(): number {
    return this.pages.nodeCount()
  }

  /** xa_insert per page. O(pages · height). */
  insertRun(run: readonly Gref[]): number {
    let dropped = 0
    for (const gref of run) {
      if (this.pages.insert(gref.page, gref) === null) gref.live = true
      else dropped++
    }
    return dropped
  }

  /** One descent per 64-page leaf crossed. O(height + pages). */
  findRun(firstPage: number, pages: number, out: Gref[]): boolean {
    out.length = 0
    if (!(pages >= 1) || !Number.isInteger(firstPage) || firstPage < 0) return false
    let leaf: XaNode<Gref> | null = null
    for (let page = firstPage; page < firstPage + pages; page++) {
      const slot = page & SLOT_MASK
      if (leaf === null || slot === 0) {
        leaf = this.pages.leafOf(page)
        if (leaf === null) break
      }
      if (COUNTING) this.cost.keyCompares++
      const gref = leaf.slots[slot] as Gref | null
      if (gref === null) break
      out.push(gref)
    }
    return foundRun(out, pages)
  }

  /**
   * find-run, then erase each page through its leaf, descending again only at a leaf boundary
   * (a leaf emptied by the run holds no later page of it). O(height + pages).
   */
  removeRun(firstPage: number, pages: number, out: Gref[]): boolean {
    if (!this.findRun(firstPage, pages, out)) return false
    const xa = this.pages
    let leaf: XaNode<Gref> | null = null
    for (const gref of out) {
      const slot = gref.page & SLOT_MASK
      if (leaf === null || slot === 0 || leaf.count === 0) leaf = xa.leafOf(gref.page)
      if (leaf !== null) xa.eraseInLeaf(leaf, slot)
      gref.live = false
    }
    return true
  }

  /** xa_load. O(height). */
  findPage(page: number): Gref | null {
    if (!Number.isInteger(page)) return null
    return this.pages.load(page)
  }

  /** Ascending walk, then drop the tree. O(records + nodes). */
  drain(out: Gref[]): void {
    out.length = 0
    this.pages.forEach((_index, gref) => {
      gref.live = false
      out.push(gref)
    })
    this.pages.clear()
  }

  /** Radix invariants; every record sits at its page and is live. O(nodes · 64). */
  check(): void {
    this.pages.check((gref) => gref.page)
    this.pages.forEach((index, gref) => {
      if (!gref.live) throw new InvariantError(`XArrayGrefStore: record of page ${index} is stored but not live`)
    })
  }
}
