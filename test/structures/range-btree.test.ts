// The maple-like range B-tree against a sorted array of ranges: insert (refused on overlap),
// erase, shrink, floor/ceiling seeks and the lowest-gap search, with check() — shape, fill,
// pivots, leaf chain and every node's max gap — after every operation. Enough entries for three
// levels. Fixed seeds; 100 runs × ~1,000 ops ≈ 100,000 ops.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BT_MAX, RangeBTree } from '../../src/structures/range-btree.js'
import { InvariantError } from '../../src/structures/types.js'

type Range = [number, number, number]

/** Lowest p with a hole of minGap before an entry, else the tail if it has minTail; −1 if none. */
function bruteGap(ranges: readonly Range[], space: number, minGap: number, minTail: number): number {
  let prevEnd = 0
  for (const [s, e] of ranges) {
    if (s - prevEnd >= minGap) return prevEnd
    prevEnd = e
  }
  return space - prevEnd >= minTail ? prevEnd : -1
}

function contents(t: RangeBTree<number>): Range[] {
  const out: Range[] = []
  t.forEach((s, e, v) => out.push([s, e, v]))
  return out
}

describe('RangeBTree basics', () => {
  it('refuses overlapping and out-of-space ranges, accepts touching ones', () => {
    const t = new RangeBTree<number>(100)
    expect(t.insert(10, 20, 1)).toBe(true)
    expect(t.insert(15, 25, 2)).toBe(false)
    expect(t.insert(5, 11, 2)).toBe(false)
    expect(t.insert(20, 30, 3)).toBe(true)
    expect(t.insert(0, 10, 4)).toBe(true)
    expect(t.insert(95, 101, 5)).toBe(false)
    expect(t.insert(50, 50, 5)).toBe(false)
    expect(contents(t)).toEqual([[0, 10, 4], [10, 20, 1], [20, 30, 3]])
    t.check()
  })

  it('grows to several levels under sequential inserts and shrinks back when emptied', () => {
    const t = new RangeBTree<number>(1 << 20)
    const n = BT_MAX * BT_MAX * 3
    for (let i = 0; i < n; i++) expect(t.insert(i * 3, i * 3 + 2, i)).toBe(true)
    t.check()
    expect(t.height()).toBe(3)
    expect(t.lowestGap(1, 1)).toBe(2)
    expect(t.lowestGap(2, 2)).toBe(n * 3 - 1)
    for (let i = 0; i < n; i++) {
      expect(t.seekFloor(i * 3)).toBe(true)
      t.eraseCursor()
      if (i % 97 === 0) t.check()
    }
    t.check()
    expect(t.size).toBe(0)
    expect(t.height()).toBe(1)
    expect(t.nodeCount).toBe(1)
    expect(t.lowestGap(5, 5)).toBe(0)
  })

  it('check() catches a stale gap', () => {
    const t = new RangeBTree<number>(1000)
    for (let i = 0; i < 40; i++) t.insert(i * 10, i * 10 + 5, i)
    // Reach past the API to corrupt the root's gap, as a missed update would leave it.
    const inner = t as unknown as { root: { maxGap: number } }
    inner.root.maxGap = 999
    expect(() => t.check()).toThrow(InvariantError)
  })

  it('counted work of lowestGap grows with log n, not n (1,000 vs 64,000 entries)', () => {
    const cost = (n: number): number => {
      const t = new RangeBTree<number>(2 ** 40)
      // Holes of one page everywhere, and one three-page hole just before the last entry.
      for (let i = 0; i < n - 1; i++) t.insert(i * 2 + 1, i * 2 + 2, i)
      t.insert(n * 2 + 1, n * 2 + 2, n)
      t.cost.nodesVisited = 0
      t.cost.keyCompares = 0
      expect(t.lowestGap(2, 2)).toBe(n * 2 - 2)
      return t.cost.nodesVisited + t.cost.keyCompares
    }
    const small = cost(1000)
    const large = cost(64_000)
    // 64× the entries: a scan would do 64× the work; one descent does one more level or two.
    expect(large).toBeLessThan(2 * small)
  })
})

const op = fc.record({
  op: fc.integer({ min: 0, max: 99 }),
  at: fc.integer({ min: 0, max: 3999 }),
  len: fc.integer({ min: 1, max: 12 }),
  pick: fc.nat(),
})

describe('RangeBTree against a sorted array (property)', () => {
  it('every answer matches; check() after every op', () => {
    const space = 4000
    let tallest = 0
    fc.assert(
      fc.property(fc.array(op, { minLength: 900, maxLength: 1100 }), (ops) => {
        const t = new RangeBTree<number>(space)
        let ref: Range[] = []
        let tag = 0
        for (const o of ops) {
          if (o.op < 50) {
            const s = o.at
            const e = s + o.len
            const ok = e <= space && ref.every(([rs, re]) => re <= s || e <= rs)
            expect(t.insert(s, e, tag)).toBe(ok)
            if (ok) {
              ref.push([s, e, tag])
              ref.sort((a, b) => a[0] - b[0])
            }
            tag++
          } else if (o.op < 70 && ref.length > 0) {
            const [s] = ref[o.pick % ref.length] as Range
            expect(t.seekFloor(s)).toBe(true)
            expect(t.cursorStart).toBe(s)
            t.eraseCursor()
            ref = ref.filter((r) => r[0] !== s)
          } else if (o.op < 78 && ref.length > 0) {
            const r = ref[o.pick % ref.length] as Range
            if (r[1] - r[0] >= 2) {
              expect(t.seekFloor(r[0])).toBe(true)
              // Trim the front by one or the back by one.
              if (o.len % 2 === 0) r[0]++
              else r[1]--
              t.shrinkCursor(r[0], r[1])
            }
          } else if (o.op < 86) {
            const k = o.len
            expect(t.lowestGap(k, k)).toBe(bruteGap(ref, space, k, k))
            expect(t.lowestGap(k + 1, k)).toBe(bruteGap(ref, space, k + 1, k))
          } else if (o.op < 93) {
            const floor = [...ref].reverse().find((r) => r[0] <= o.at)
            expect(t.seekFloor(o.at)).toBe(floor !== undefined)
            if (floor !== undefined) {
              expect([t.cursorStart, t.cursorEnd, t.cursorValue]).toEqual(floor)
              const next = ref[ref.indexOf(floor) + 1]
              expect(t.step()).toBe(next !== undefined)
              if (next !== undefined) expect(t.cursorStart).toBe(next[0])
            }
          } else {
            const ceiling = ref.find((r) => r[0] >= o.at)
            expect(t.seekCeiling(o.at)).toBe(ceiling !== undefined)
            if (ceiling !== undefined) expect(t.cursorStart).toBe(ceiling[0])
          }
          t.check()
          expect(t.size).toBe(ref.length)
          if (t.height() > tallest) tallest = t.height()
        }
        expect(contents(t)).toEqual(ref)
      }),
      { seed: 0xb7ee, numRuns: 100 },
    )
    // Splits and merges of inner nodes were exercised, not only of leaves.
    expect(tallest).toBeGreaterThanOrEqual(3)
  })
})
