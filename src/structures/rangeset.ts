// Xen rangeset, modelled on xen/common/rangeset.c (docs/kernel-model.md §5): a sorted doubly linked
// list of disjoint inclusive ranges [start, end] with an optional cap on the number of range
// nodes (rangeset_limit). Every operation starts with find(), a linear walk from the head, so
// add/remove/claim are O(r) in the number of ranges; there is no balanced index. That O(r) is
// the point of modelling it: it is the alternative the FreeBSD review (D7293) asked about.
//
// add/remove follow Xen's shape: x = find(start), y = find(end), then the x === y and x !== y
// cases (§5.2), including the 2025 remove fix (trim x only if it actually reaches start).
// Nodes are allocated exactly where Xen allocates them (a new range in add, the split in remove,
// a new first range in claim), so the node cap fails with -ENOMEM in the same situations, and
// always before anything has been changed.
//
// Invariants (verified by check()):
//   1. Ranges are integers with 0 <= start <= end <= maxValue.
//   2. Ranges are sorted ascending and disjoint: prev.end < next.start.
//   3. Ranges are maximal: prev.end + 1 < next.start. Only with claimNoMerge may claim() leave
//      two ranges touching (prev.end + 1 === next.start), as Xen's claim_range does.
//   4. The list links are consistent (TailQueue invariants) and rangeCount <= maxRanges.
//
// Cost accounting: nodesVisited per range node walked, keyCompares per bound test against a
// node's start or end, nodesAllocated / nodesFreed per RangeNode created / dropped.

import './counting.js'
import { EINVAL, ENOMEM, ENOSPC } from '../errno.js'
import { TailQueue } from './tail-queue.js'
import type { CostCounters, ListLinks } from './types.js'
import { InvariantError, newCostCounters } from './types.js'

/** One inclusive range [start, end] (Xen struct range). */
export class RangeNode implements ListLinks<RangeNode> {
  start: number
  end: number
  tqNext: RangeNode | null
  tqPrev: RangeNode | null

  constructor(start: number, end: number) {
    this.start = start
    this.end = end
    this.tqNext = null
    this.tqPrev = null
  }
}

export interface RangeSetOptions {
  /** Largest representable value (Xen: ULONG_MAX). Default 2^52 − 1, the 2^52-page offset space. */
  maxValue?: number
  /** Cap on range nodes (Xen nr_ranges via rangeset_limit); allocating beyond it gives -ENOMEM. Default Infinity. */
  maxRanges?: number
  /**
   * Xen quirk: claim() extends the previous range (or inserts a new first range) without merging
   * the following one even when they now touch. Default false: merge, keeping ranges maximal.
   */
  claimNoMerge?: boolean
}

const DEFAULT_MAX_VALUE = 2 ** 52 - 1

export class RangeSet {
  readonly cost: CostCounters
  readonly maxValue: number
  readonly maxRanges: number
  readonly claimNoMerge: boolean
  private readonly list: TailQueue<RangeNode>

  constructor(options: RangeSetOptions = {}) {
    const maxValue = options.maxValue ?? DEFAULT_MAX_VALUE
    const maxRanges = options.maxRanges ?? Infinity
    // end + 1 must stay exact, so the largest value is capped at 2^53 − 1.
    if (!Number.isSafeInteger(maxValue) || maxValue < 0) {
      throw new RangeError(`RangeSet: maxValue must be a safe integer >= 0, got ${maxValue}`)
    }
    if (!(maxRanges === Infinity || (Number.isInteger(maxRanges) && maxRanges >= 0))) {
      throw new RangeError(`RangeSet: maxRanges must be an integer >= 0 or Infinity, got ${maxRanges}`)
    }
    this.cost = newCostCounters()
    this.maxValue = maxValue
    this.maxRanges = maxRanges
    this.claimNoMerge = options.claimNoMerge ?? false
    this.list = new TailQueue<RangeNode>()
  }

  /** Number of range nodes. O(1). */
  get rangeCount(): number {
    return this.list.length
  }

  /** The lowest range, or null when empty. */
  first(): RangeNode | null {
    return this.list.first()
  }

  /** The range after node. O(1), not counted. */
  next(node: RangeNode): RangeNode | null {
    return node.tqNext
  }

  /** Xen find_range: the highest range whose start <= value, or null. O(r), walks from the head. */
  find(value: number): RangeNode | null {
    let x: RangeNode | null = null
    let y = this.list.first()
    while (y !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (y.start > value) break
      x = y
      y = y.tqNext
    }
    return x
  }

  /**
   * Xen add_range: union with [start, end], merging overlapping and adjacent ranges.
   * 0, or -EINVAL (start > end, outside [0, maxValue], not integers), or -ENOMEM (node cap;
   * the set is unchanged). O(r).
   */
  add(start: number, end: number): number {
    if (!this.validRange(start, end)) return -EINVAL
    let x = this.find(start)
    const y = this.find(end)
    if (x === y) {
      if (COUNTING) this.cost.keyCompares++
      if (x === null || x.end < start - 1) {
        // Neither overlaps nor touches [start, end] on the left: a new range after x.
        const node = this.allocNode(start, end)
        if (node === null) return -ENOMEM
        if (x === null) this.list.insertHead(node)
        else this.list.insertAfter(x, node)
        x = node
      } else {
        if (COUNTING) this.cost.keyCompares++
        if (x.end < end) x.end = end
      }
    } else {
      // x !== y, so y is a range after x (or after the head when x is null) and y.start <= end.
      const last = y as RangeNode
      if (x === null) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- narrows x for what follows (the variable is RangeNode | null); the rule sees only the assignment
        x = this.list.first() as RangeNode
        x.start = start
      } else {
        if (COUNTING) this.cost.keyCompares++
        if (x.end < start - 1) {
          // x ends short of start: the survivor is the next range, pulled down to start.
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- narrows x for what follows (the variable is RangeNode | null); the rule sees only the assignment
          x = x.tqNext as RangeNode
          if (COUNTING) this.cost.nodesVisited++
          x.start = start
        }
      }
      if (COUNTING) this.cost.keyCompares++
      const newEnd = last.end < end ? end : last.end
      // Everything after x up to and including y starts <= end and ends <= y.end: covered.
      if (x !== last) {
        let t = x.tqNext
        while (t !== null) {
          if (COUNTING) this.cost.nodesVisited++
          const following: RangeNode | null = t.tqNext
          this.freeNode(t)
          if (t === last) break
          t = following
        }
      }
      x.end = newEnd
    }
    // Merge a range starting right after the new end (the right-hand adjacency).
    const n = x.tqNext
    if (n !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (n.start === x.end + 1) {
        x.end = n.end
        this.freeNode(n)
      }
    }
    return 0
  }

  /**
   * Xen remove_range: difference with [start, end], splitting a range that strictly contains it.
   * 0, or -EINVAL (as for add), or -ENOMEM (the split needs a node beyond the cap; the set is
   * unchanged). O(r).
   */
  remove(start: number, end: number): number {
    if (!this.validRange(start, end)) return -EINVAL
    const x = this.find(start)
    const y = this.find(end)
    if (x === y) {
      if (COUNTING) this.cost.keyCompares++
      if (x === null || x.end < start) return 0
      if (COUNTING) this.cost.keyCompares += 2
      if (x.start < start && x.end > end) {
        const tail = this.allocNode(end + 1, x.end)
        if (tail === null) return -ENOMEM
        x.end = start - 1
        this.list.insertAfter(x, tail)
      } else if (x.start === start) {
        if (COUNTING) this.cost.keyCompares++
        if (x.end <= end) this.freeNode(x)
        else x.start = end + 1
      } else {
        // x starts before start and ends inside [start, end]: keep the left part.
        x.end = start - 1
      }
      return 0
    }
    // x !== y: y lies after x and start < y.start <= end.
    const last = y as RangeNode
    let t: RangeNode | null
    if (x === null) {
      t = this.list.first()
    } else {
      if (COUNTING) this.cost.keyCompares++
      if (x.start < start) {
        // The 2025 fix (e118fc98e7ae): trim x only if it reaches start; before, a range ending
        // below start was stretched up to start − 1.
        if (COUNTING) this.cost.keyCompares++
        if (x.end >= start) x.end = start - 1
        t = x.tqNext
      } else {
        // x starts exactly at start and ends before y: wholly covered, delete it with the rest.
        t = x
      }
    }
    while (t !== null && t !== last) {
      if (COUNTING) this.cost.nodesVisited++
      const following: RangeNode | null = t.tqNext
      this.freeNode(t)
      t = following
    }
    if (COUNTING) this.cost.keyCompares++
    if (last.end <= end) this.freeNode(last)
    else last.start = end + 1
    return 0
  }

  /** Xen contains_range: true iff one range holds all of [start, end]. O(r). */
  contains(start: number, end: number): boolean {
    if (!this.validRange(start, end)) return false
    const x = this.find(start)
    if (COUNTING) this.cost.keyCompares++
    return x !== null && x.end >= end
  }

  /** Xen overlaps_range: true iff some value of [start, end] is in the set. O(r). */
  overlaps(start: number, end: number): boolean {
    if (!this.validRange(start, end)) return false
    // The highest range starting <= end has the largest end of all candidates.
    const x = this.find(end)
    if (COUNTING) this.cost.keyCompares++
    return x !== null && x.end >= start
  }

  /**
   * Xen claim_range: first-fit over the gaps from 0; marks the low `size` values of the first gap
   * wide enough as used and returns its first value. The previous range is extended; a gap before
   * the first range gets a new node (-ENOMEM at the cap). -EINVAL if size is not a positive
   * integer; -ENOSPC if no gap, the tail gap up to maxValue included. O(r).
   */
  claim(size: number): number {
    if (!Number.isSafeInteger(size) || size <= 0) return -EINVAL
    let start = 0
    let prev: RangeNode | null = null
    let x = this.list.first()
    while (x !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (x.start - start >= size) break
      if (COUNTING) this.cost.keyCompares++
      if (x.end === this.maxValue) return -ENOSPC
      start = x.end + 1
      prev = x
      x = x.tqNext
    }
    if (x === null) {
      if (COUNTING) this.cost.keyCompares++
      if (this.maxValue - start + 1 < size) return -ENOSPC
    }
    let claimed: RangeNode
    if (prev === null) {
      const node = this.allocNode(start, start + size - 1)
      if (node === null) return -ENOMEM
      this.list.insertHead(node)
      claimed = node
    } else {
      prev.end += size
      claimed = prev
    }
    if (!this.claimNoMerge && x !== null) {
      if (COUNTING) this.cost.keyCompares++
      if (x.start === claimed.end + 1) {
        claimed.end = x.end
        this.freeNode(x)
      }
    }
    return start
  }

  /**
   * Xen report_ranges: call visit(s, e) for every range meeting [start, end], in ascending order,
   * clipped to [start, end]. visit must not modify the set. O(r).
   */
  report(start: number, end: number, visit: (start: number, end: number) => void): void {
    if (!this.validRange(start, end)) return
    let x = this.find(start) ?? this.list.first()
    while (x !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (x.start > end) break
      if (COUNTING) this.cost.keyCompares++
      if (x.end >= start) visit(x.start > start ? x.start : start, x.end < end ? x.end : end)
      x = x.tqNext
    }
  }

  /** The ranges as [start, end] pairs, ascending. O(r), allocates; for tests and reports. */
  toArray(): Array<[number, number]> {
    const out: Array<[number, number]> = []
    for (let x = this.list.first(); x !== null; x = x.tqNext) out.push([x.start, x.end])
    return out
  }

  /** Drop every range (rangeset_purge). O(r). */
  clear(): void {
    let x = this.list.first()
    while (x !== null) {
      if (COUNTING) this.cost.nodesVisited++
      const following: RangeNode | null = x.tqNext
      this.freeNode(x)
      x = following
    }
  }

  /** Verify the invariants above; throws InvariantError. O(r), tests only. */
  check(): void {
    try {
      this.list.check()
    } catch (err) {
      if (err instanceof InvariantError) throw new InvariantError(`RangeSet links: ${err.message}`)
      throw err
    }
    const n = this.list.length
    if (n > this.maxRanges) throw new InvariantError(`RangeSet: ${n} ranges exceed maxRanges ${this.maxRanges}`)
    let prev: RangeNode | null = null
    let i = 0
    for (let x = this.list.first(); x !== null; x = x.tqNext, i++) {
      const { start, end } = x
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
        throw new InvariantError(`RangeSet: range ${i} [${start}, ${end}] is not integral`)
      }
      if (start > end) throw new InvariantError(`RangeSet: range ${i} [${start}, ${end}] has start > end`)
      if (start < 0 || end > this.maxValue) {
        throw new InvariantError(`RangeSet: range ${i} [${start}, ${end}] lies outside [0, ${this.maxValue}]`)
      }
      if (prev !== null) {
        if (prev.end >= start) {
          throw new InvariantError(`RangeSet: ranges ${i - 1} [${prev.start}, ${prev.end}] and ${i} [${start}, ${end}] overlap or are unsorted`)
        }
        if (prev.end + 1 === start && !this.claimNoMerge) {
          throw new InvariantError(`RangeSet: ranges ${i - 1} [${prev.start}, ${prev.end}] and ${i} [${start}, ${end}] touch but were not merged`)
        }
      }
      prev = x
    }
  }

  private validRange(start: number, end: number): boolean {
    return Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start <= end && end <= this.maxValue
  }

  // Xen alloc_range: honours the nr_ranges cap before creating anything.
  private allocNode(start: number, end: number): RangeNode | null {
    if (this.list.length >= this.maxRanges) return null
    if (COUNTING) this.cost.nodesAllocated++
    return new RangeNode(start, end)
  }

  // Xen destroy_range.
  private freeNode(node: RangeNode): void {
    this.list.remove(node)
    if (COUNTING) this.cost.nodesFreed++
  }
}
