// Intrusive doubly linked tail queue, modelled on BSD sys/queue.h TAILQ (and Linux list_head,
// which gntdev's priv->maps and gntalloc's per-file gref list use). The element carries its own
// tqNext/tqPrev links, so linking allocates nothing and unlinking an element whose address is
// known is O(1); finding an element by key is the caller's O(n) walk, which is the cost the
// benchmark is about.
//
// How it works: the queue keeps the first and last element and a count. An element's tqPrev is
// null exactly when it is the first element (queue.h keeps a pointer-to-pointer instead; a null
// tqPrev plus the head pointer carries the same information without a sentinel object).
//
// Invariants (verified by check()):
//   1. head === null  <=>  tail === null  <=>  length === 0.
//   2. head.tqPrev === null and tail.tqNext === null.
//   3. For every linked element x with x.tqNext === y: y.tqPrev === x (symmetry).
//   4. Following tqNext from head reaches tail after exactly `length` elements (so no cycle).
//   5. An element that is not linked has tqNext === tqPrev === null.
//
// Cost accounting: nodesVisited counts elements stepped over by walks this class does itself
// (only clear()). next/prev/insert/remove are O(1) pointer updates and count nothing, so a
// strategy's own search loop is the only thing that shows up in its cost.

import './counting.js'
import type { CostCounters, ListLinks } from './types.js'
import { InvariantError, newCostCounters } from './types.js'

export class TailQueue<T extends ListLinks<T>> {
  readonly cost: CostCounters
  private head: T | null
  private tail: T | null
  private count: number

  constructor() {
    this.cost = newCostCounters()
    this.head = null
    this.tail = null
    this.count = 0
  }

  /** Number of linked elements. O(1). */
  get length(): number {
    return this.count
  }

  /** TAILQ_FIRST. O(1). */
  first(): T | null {
    return this.head
  }

  /** TAILQ_LAST. O(1). */
  last(): T | null {
    return this.tail
  }

  /** TAILQ_NEXT. O(1); the caller's walk, so it is not counted here. */
  next(elm: T): T | null {
    return elm.tqNext
  }

  /** TAILQ_PREV. O(1). */
  prev(elm: T): T | null {
    return elm.tqPrev
  }

  /** TAILQ_INSERT_HEAD. O(1). */
  insertHead(elm: T): void {
    this.assertUnlinked(elm)
    const first = this.head
    elm.tqPrev = null
    elm.tqNext = first
    if (first === null) this.tail = elm
    else first.tqPrev = elm
    this.head = elm
    this.count++
  }

  /** TAILQ_INSERT_TAIL. O(1). */
  insertTail(elm: T): void {
    this.assertUnlinked(elm)
    const last = this.tail
    elm.tqNext = null
    elm.tqPrev = last
    if (last === null) this.head = elm
    else last.tqNext = elm
    this.tail = elm
    this.count++
  }

  /** TAILQ_INSERT_AFTER: link elm right after listElm, which must be in this queue. O(1). */
  insertAfter(listElm: T, elm: T): void {
    this.assertUnlinked(elm)
    const after = listElm.tqNext
    elm.tqPrev = listElm
    elm.tqNext = after
    if (after === null) this.tail = elm
    else after.tqPrev = elm
    listElm.tqNext = elm
    this.count++
  }

  /** TAILQ_INSERT_BEFORE: link elm right before listElm, which must be in this queue. O(1). */
  insertBefore(listElm: T, elm: T): void {
    this.assertUnlinked(elm)
    const before = listElm.tqPrev
    elm.tqNext = listElm
    elm.tqPrev = before
    if (before === null) this.head = elm
    else before.tqNext = elm
    listElm.tqPrev = elm
    this.count++
  }

  /** TAILQ_REMOVE: unlink elm (which must be in this queue) and null its links. O(1). */
  remove(elm: T): void {
    const next = elm.tqNext
    const prev = elm.tqPrev
    // A null tqPrev means "first element"; if elm is not our head it is not in this queue, and
    // unlinking it anyway would silently corrupt head/tail. Two compares buy a loud failure.
    if (prev === null && this.head !== elm) {
      throw new InvariantError('TailQueue.remove: element is not in this queue')
    }
    if (next === null) this.tail = prev
    else next.tqPrev = prev
    if (prev === null) this.head = next
    else prev.tqNext = next
    elm.tqNext = null
    elm.tqPrev = null
    this.count--
  }

  /** Unlink every element, nulling its links so each can be inserted again. O(n). */
  clear(): void {
    let elm = this.head
    while (elm !== null) {
      if (COUNTING) this.cost.nodesVisited++
      const next: T | null = elm.tqNext
      elm.tqNext = null
      elm.tqPrev = null
      elm = next
    }
    this.head = null
    this.tail = null
    this.count = 0
  }

  /** Verify the invariants above (QMD_TAILQ_CHECK_* style); throws InvariantError. O(n), tests only. */
  check(): void {
    const head = this.head
    const tail = this.tail
    const n = this.count
    if (!Number.isInteger(n) || n < 0) throw new InvariantError(`TailQueue: length ${n} is not a count`)
    if ((head === null) !== (tail === null) || (head === null) !== (n === 0)) {
      throw new InvariantError(`TailQueue: head/tail/length disagree (length ${n})`)
    }
    if (head === null || tail === null) return
    if (head.tqPrev !== null) throw new InvariantError('TailQueue: head.tqPrev is not null')
    if (tail.tqNext !== null) throw new InvariantError('TailQueue: tail.tqNext is not null')
    let prev: T | null = null
    let elm: T | null = head
    let seen = 0
    while (elm !== null) {
      // Bounding the walk by the recorded length turns a cycle into an error instead of a hang.
      if (++seen > n) throw new InvariantError(`TailQueue: more than length ${n} elements reachable (cycle?)`)
      if (elm.tqPrev !== prev) throw new InvariantError(`TailQueue: tqPrev of element ${seen} does not point back`)
      prev = elm
      elm = elm.tqNext
    }
    if (seen !== n) throw new InvariantError(`TailQueue: ${seen} elements reachable, length says ${n}`)
    if (prev !== tail) throw new InvariantError('TailQueue: last reachable element is not tail')
  }

  private assertUnlinked(elm: T): void {
    // An element still linked (here or in another queue using the same fields) would splice two
    // lists together; refuse instead of corrupting both.
    if (elm.tqNext !== null || elm.tqPrev !== null || this.head === elm) {
      throw new InvariantError('TailQueue.insert: element is already linked')
    }
  }
}
