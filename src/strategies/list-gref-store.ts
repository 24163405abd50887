// Gref store of Linux gntalloc (drivers/xen/gntalloc.c, docs/kernel-model.md §4.1–4.2): the per-file
// list of gref records, one per page, in ascending page order. The kernel appends each ALLOC's
// batch at the tail, which keeps the list sorted because its bump counter only grows. We look
// for the insert position from the TAIL, so those appends stay O(1) and a run handed out below
// the tail (another allocator under this store, or a wrapped counter) still lands in order.
//
// find-run (DEALLOC, mmap, SET_UNMAP_NOTIFY with one page): a linear scan from the head for the
// record of the first page, then the following records must carry consecutive pages; the run may
// span ALLOC calls. Like the kernel, the scan does not stop early at a larger page, so a miss
// walks the whole list. O(n).
//
// Two insert rules. Sorted (the default, for the generic `list` strategy, whose allocators reuse
// pages below the tail): a run lands in page order and a record whose page is already linked is
// dropped, like the other stores. In allocation order (the linux-gntalloc preset, §4.2–4.3):
// every batch is appended at the tail and nothing is dropped, as gntalloc does; the list stays
// sorted while the bump counter grows, and once a wrapped counter (quirk bump-wrap) hands out a
// live page again both records are kept and find-run, scanning from the head, finds the oldest.

import '../structures/counting.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { TailQueue } from '../structures/tail-queue.js'
import { foundRun, removeEachRecord } from './find-run.js'
import type { Gref, GrefStore } from './types.js'

export interface ListGrefStoreOptions {
  /** Append every batch at the tail and keep colliding records (Linux gntalloc). Default false. */
  readonly allocationOrder?: boolean
}

export class ListGrefStore implements GrefStore {
  readonly kind = 'list'
  readonly cost: CostCounters
  /** Batches appended at the tail, collisions kept (Linux gntalloc); else sorted, collisions dropped. */
  readonly allocationOrder: boolean
  private readonly grefs: TailQueue<Gref>

  constructor(options?: ListGrefStoreOptions) {
    this.grefs = new TailQueue<Gref>()
    this.cost = this.grefs.cost
    this.allocationOrder = options?.allocationOrder ?? false
  }

  get size(): number {
    return this.grefs.length
  }

  /**
   * O(pages) for a run above the current tail (the gntalloc case). Otherwise one backward walk
   * from the tail for the first record, then forward steps: O(pages + records passed).
   */
  insertRun(run: readonly Gref[]): number {
    const grefs = this.grefs
    if (this.allocationOrder) {
      // gntalloc splices the batch onto the tail: O(pages), nothing compared, nothing dropped.
      for (const gref of run) {
        grefs.insertTail(gref)
        gref.live = true
      }
      return 0
    }
    let dropped = 0
    // `at` is the last linked record with a page <= the current page (null: before the head).
    let at: Gref | null = null
    let placed = false
    for (const gref of run) {
      const page = gref.page
      if (!placed) {
        at = grefs.last()
        while (at !== null) {
          if (COUNTING) this.cost.nodesVisited++
          if (COUNTING) this.cost.keyCompares++
          if (at.page <= page) break
          at = at.tqPrev
        }
        placed = true
      } else {
        // Records of a run ascend, so the position only moves forward.
        let next: Gref | null = at === null ? grefs.first() : at.tqNext
        while (next !== null) {
          if (COUNTING) this.cost.nodesVisited++
          if (COUNTING) this.cost.keyCompares++
          if (next.page > page) break
          at = next
          next = next.tqNext
        }
      }
      if (at !== null && at.page === page) {
        dropped++
        continue
      }
      if (at === null) grefs.insertHead(gref)
      else grefs.insertAfter(at, gref)
      gref.live = true
      at = gref
    }
    return dropped
  }

  /** Linear scan from the head, then the successor walk. O(n). */
  findRun(firstPage: number, pages: number, out: Gref[]): boolean {
    out.length = 0
    if (!(pages >= 1)) return false
    let gref = this.grefs.first()
    while (gref !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (gref.page === firstPage) break
      gref = gref.tqNext
    }
    let expected = firstPage
    while (gref !== null && out.length < pages) {
      if (COUNTING) this.cost.keyCompares++
      if (gref.page !== expected) break
      out.push(gref)
      expected++
      gref = gref.tqNext
      if (COUNTING && gref !== null && out.length < pages) this.cost.nodesVisited++
    }
    return foundRun(out, pages)
  }

  /** find-run, then unlink each record in O(1). O(n). */
  removeRun(firstPage: number, pages: number, out: Gref[]): boolean {
    return removeEachRecord(this, this.grefs, firstPage, pages, out)
  }

  /** O(n). */
  findPage(page: number): Gref | null {
    for (let gref = this.grefs.first(); gref !== null; gref = gref.tqNext) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (gref.page === page) return gref
    }
    return null
  }

  /** O(n). */
  drain(out: Gref[]): void {
    out.length = 0
    let gref = this.grefs.first()
    while (gref !== null) {
      if (COUNTING) this.cost.nodesVisited++
      const next: Gref | null = gref.tqNext
      this.grefs.remove(gref)
      gref.live = false
      out.push(gref)
      gref = next
    }
  }

  /**
   * List invariants; every record live; pages strictly ascending when sorted (in allocation
   * order a wrapped counter may put any page after any other). O(n).
   */
  check(): void {
    this.grefs.check()
    let prev = -1
    for (let gref = this.grefs.first(); gref !== null; gref = gref.tqNext) {
      if (!gref.live) throw new InvariantError(`ListGrefStore: record of page ${gref.page} is linked but not live`)
      if (!this.allocationOrder && gref.page <= prev) throw new InvariantError(`ListGrefStore: page ${gref.page} after ${prev}`)
      prev = gref.page
    }
  }
}
