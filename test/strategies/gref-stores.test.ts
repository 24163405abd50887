// The three gref stores against a reference Map (page → record) under random insertRun /
// removeRun / findRun / findPage / drain, check() after every op, plus the contract's edge
// cases: runs spanning insertRun calls, sub-range removal, collisions dropped and left unlinked,
// and the truncated comparator's aliases rejected by the exact page test (FreeBSD find_grefs).
// Fixed seeds; 5 configurations × 70 runs × ~300 ops ≈ 105,000 ops, plus 2 for the XArray ≈ 42,000.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OFFSET_SPACE_PAGES } from '../../src/abi.js'
import { exactCompare } from '../../src/structures/types.js'
import { ListGrefStore } from '../../src/strategies/list-gref-store.js'
import { truncatedCompare } from '../../src/strategies/quirks.js'
import { RangeSetGrefStore } from '../../src/strategies/rangeset-gref-store.js'
import { RbTreeGrefStore } from '../../src/strategies/rbtree-gref-store.js'
import { XArrayGrefStore } from '../../src/strategies/xarray-gref-store.js'
import { Gref } from '../../src/strategies/types.js'
import type { GrefStore } from '../../src/strategies/types.js'

function run(first: number, pages: number): Gref[] {
  return Array.from({ length: pages }, (_, i) => new Gref(first + i, 1000 + first + i, 1, true))
}

const stores: Array<{ name: string; make: () => GrefStore; base: number }> = [
  { name: 'list', make: () => new ListGrefStore(), base: 0 },
  { name: 'rbtree', make: () => new RbTreeGrefStore(exactCompare), base: 0 },
  // Near the top of the space, where FreeBSD's keys live; the window is small, so the truncated
  // comparator is a consistent order there.
  { name: 'rbtree truncated-compare (keys near 2^52)', make: () => new RbTreeGrefStore(truncatedCompare), base: OFFSET_SPACE_PAGES - 400 },
  { name: 'rangeset', make: () => new RangeSetGrefStore(), base: 0 },
  { name: 'rangeset (keys near 2^52)', make: () => new RangeSetGrefStore(), base: OFFSET_SPACE_PAGES - 400 },
  // Issue 15: the radix tree, low (2 levels) and near the top of the space (9 levels).
  { name: 'xarray', make: () => new XArrayGrefStore(), base: 0 },
  { name: 'xarray (keys near 2^52)', make: () => new XArrayGrefStore(), base: OFFSET_SPACE_PAGES - 400 },
]

const op = fc.record({
  op: fc.integer({ min: 0, max: 199 }),
  page: fc.integer({ min: 0, max: 299 }),
  pages: fc.integer({ min: 1, max: 12 }),
})
const ops = fc.array(op, { minLength: 250, maxLength: 350 })

describe('gref stores against a reference Map (property)', () => {
  stores.forEach(({ name, make, base }, index) => {
    it(`${name}: every answer matches the reference; check() after every op`, () => {
      fc.assert(
        fc.property(ops, (list) => {
          const store = make()
          const ref = new Map<number, Gref>()
          const out: Gref[] = [new Gref(-1, 0, 0, false)] // stale content must be cleared
          for (const o of list) {
            const first = base + o.page
            if (o.op < 70) {
              const records = run(first, o.pages)
              const colliding = records.filter((g) => ref.has(g.page))
              expect(store.insertRun(records)).toBe(colliding.length)
              for (const g of records) {
                expect(g.live).toBe(!colliding.includes(g))
                if (g.live) ref.set(g.page, g)
              }
            } else if (o.op < 190) {
              const want: Gref[] = []
              for (let p = first; p < first + o.pages && ref.has(p); p++) want.push(ref.get(p) as Gref)
              const found = want.length === o.pages
              if (o.op < 110) {
                expect(store.findRun(first, o.pages, out)).toBe(found)
                expect(out.length).toBe(found ? o.pages : 0)
                if (found) for (let i = 0; i < want.length; i++) expect(out[i]).toBe(want[i])
              } else if (o.op < 150) {
                expect(store.removeRun(first, o.pages, out)).toBe(found)
                expect(out.length).toBe(found ? o.pages : 0)
                if (found) {
                  for (let i = 0; i < want.length; i++) expect(out[i]).toBe(want[i])
                  for (const g of want) {
                    expect(g.live).toBe(false)
                    ref.delete(g.page)
                  }
                }
              } else {
                expect(store.findPage(first)).toBe(ref.get(first) ?? null)
              }
            } else if (o.op < 197) {
              expect(store.findRun(first, 0, out)).toBe(false)
              expect(store.findPage(first + 1000)).toBeNull()
            } else {
              store.drain(out)
              const want = [...ref.values()].sort((a, b) => a.page - b.page)
              expect(out.length).toBe(want.length)
              for (let i = 0; i < want.length; i++) expect(out[i]).toBe(want[i])
              for (const g of want) expect(g.live).toBe(false)
              ref.clear()
            }
            store.check()
            expect(store.size).toBe(ref.size)
          }
        }),
        { seed: 0x9ef + index, numRuns: 70 },
      )
    })
  })
})

describe('gref stores: contract edge cases', () => {
  for (const { name, make } of stores.filter((s) => s.base === 0)) {
    it(`${name}: a run may span insertRun calls; removing a sub-range leaves both ends findable`, () => {
      const store = make()
      const a = run(10, 4)
      const b = run(14, 4)
      store.insertRun(a)
      store.insertRun(b)
      const out: Gref[] = []
      expect(store.findRun(12, 5, out)).toBe(true)
      expect(out.map((g) => g.page)).toEqual([12, 13, 14, 15, 16])
      expect(store.removeRun(13, 3, out)).toBe(true)
      expect(store.findRun(10, 3, out)).toBe(true)
      expect(store.findRun(16, 2, out)).toBe(true)
      expect(store.findRun(12, 2, out)).toBe(false)
      expect(out.length).toBe(0)
      expect(store.size).toBe(5)
      store.check()
    })

    it(`${name}: colliding records are dropped, left unlinked and not live`, () => {
      const store = make()
      store.insertRun(run(0, 4))
      const again = run(2, 4)
      expect(store.insertRun(again)).toBe(2)
      expect(again.map((g) => g.live)).toEqual([false, false, true, true])
      expect(store.findPage(2)).not.toBe(again[0])
      expect(store.size).toBe(6)
      store.check()
    })

    it(`${name}: inserting below existing records keeps page order (drain ascending)`, () => {
      const store = make()
      store.insertRun(run(100, 2))
      store.insertRun(run(50, 2))
      store.insertRun(run(75, 3))
      const out: Gref[] = []
      store.drain(out)
      expect(out.map((g) => g.page)).toEqual([50, 51, 75, 76, 77, 100, 101])
      expect(store.size).toBe(0)
      store.check()
    })
  }

  it('rbtree truncated-compare: a key 2^20 pages away collides (dropped), and find-page rejects the alias', () => {
    const store = new RbTreeGrefStore(truncatedCompare)
    const low = run(OFFSET_SPACE_PAGES - 2 ** 20 - 1, 1)
    const high = run(OFFSET_SPACE_PAGES - 1, 1)
    expect(store.insertRun(low)).toBe(0)
    expect(store.insertRun(high)).toBe(1) // FreeBSD ignores RB_INSERT's result: unreachable record
    expect(high[0]?.live).toBe(false)
    expect(store.findPage(OFFSET_SPACE_PAGES - 1)).toBeNull() // find returns the alias, page test rejects it
    const out: Gref[] = []
    expect(store.findRun(OFFSET_SPACE_PAGES - 1, 1, out)).toBe(false)
    expect(store.findPage(OFFSET_SPACE_PAGES - 2 ** 20 - 1)).toBe(low[0])
  })

  it('rangeset keeps one index node per insertRun, split by sub-range removal', () => {
    const store = new RangeSetGrefStore()
    store.insertRun(run(0, 100))
    store.insertRun(run(100, 100))
    const out: Gref[] = []
    expect(store.findRun(50, 100, out)).toBe(true)
    expect(store.removeRun(10, 5, out)).toBe(true)
    expect(store.size).toBe(195)
    expect(store.findPage(9)?.page).toBe(9)
    expect(store.findPage(15)?.page).toBe(15)
    expect(store.findPage(12)).toBeNull()
    store.check()
  })
})
