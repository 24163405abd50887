// Issue 15's complexity claims, checked on the deterministic cost counters at two sizes (never on
// time): with 32× the live runs, the augmented-tree and maple-like first fits, the interval-tree
// and maple containment lookups and the XArray run lookups do at most about twice the counted
// work (a logarithm, or a constant), while the list first fit grows with n (a linear walk).
// The live set is the adversarial one for first fit: every hole one page wide, so an alloc of
// two pages must skip them all and land at the top.

import { describe, expect, it } from 'vitest'
import { resetCost } from '../../src/structures/types.js'
import type { CostCounters } from '../../src/structures/types.js'
import { AugTreeAllocator } from '../../src/strategies/augtree-allocator.js'
import { AugTreeGmapStore } from '../../src/strategies/augtree-gmap-store.js'
import { ListAllocator } from '../../src/strategies/list-allocator.js'
import { MapleStore } from '../../src/strategies/maple-store.js'
import { XArrayGrefStore } from '../../src/strategies/xarray-gref-store.js'
import { Gmap, Gref } from '../../src/strategies/types.js'
import type { GmapStore, OffsetAllocator } from '../../src/strategies/types.js'

const SMALL = 1000
const LARGE = 32_000

function work(cost: CostCounters): number {
  return cost.nodesVisited + cost.keyCompares
}

/** n two-page runs, then the first page of each freed: n one-page holes below the top. */
function fragmented(make: () => OffsetAllocator, n: number): OffsetAllocator {
  const a = make()
  for (let i = 0; i < n; i++) a.alloc(2)
  // Free one page of every run: n one-page holes, none of which holds two pages.
  for (let i = 0; i < n; i++) a.free(i * 2, 1)
  return a
}

function allocWork(make: () => OffsetAllocator, n: number): number {
  const a = fragmented(make, n)
  resetCost(a.cost)
  expect(a.alloc(2)).toBe(2 * n)
  return work(a.cost)
}

function gmapOf(first: number, pages: number): Gmap {
  return new Gmap(first, 1, Array.from({ length: pages }, () => 7))
}

function containWork(make: () => GmapStore, n: number): number {
  const s = make()
  for (let i = 0; i < n; i++) expect(s.insert(gmapOf(i * 3, 2))).toBeNull()
  resetCost(s.cost)
  let hits = 0
  for (let i = 0; i < 100; i++) if (s.findContaining(((i * 7919) % n) * 3 + 1) !== null) hits++
  expect(hits).toBe(100)
  return work(s.cost)
}

describe('counted work at two sizes (1,000 and 32,000 live runs)', () => {
  it('list first fit is linear (the control; 500 vs 8,000 runs, since building its live set is O(n²)): about 16× the work', () => {
    const ratio = allocWork(() => new ListAllocator(), 8000) / allocWork(() => new ListAllocator(), 500)
    expect(ratio).toBeGreaterThan(12)
  })

  for (const [name, make] of [
    ['augtree', () => new AugTreeAllocator()],
    ['augtree strict-gap', () => new AugTreeAllocator({ quirks: { strictGap: true } })],
    ['maple', () => new MapleStore()],
    ['maple strict-gap', () => new MapleStore({ quirks: { strictGap: true } })],
  ] as const) {
    it(`${name} first fit is logarithmic: at most about twice the work`, () => {
      const small = allocWork(make, SMALL)
      const large = allocWork(make, LARGE)
      expect(large / small).toBeLessThan(2.2)
    })
  }

  for (const [name, make] of [
    ['augtree', () => new AugTreeGmapStore()],
    ['maple', () => new MapleStore()],
  ] as const) {
    it(`${name} containment (notify) is logarithmic`, () => {
      expect(containWork(make, LARGE) / containWork(make, SMALL)).toBeLessThan(2.2)
    })
  }

  it('xarray find-run depends on the run and the height, not on the number of records', () => {
    const runWork = (n: number): number => {
      const s = new XArrayGrefStore()
      const run = Array.from({ length: n }, (_, i) => new Gref(i, i, 1, true))
      for (let i = 0; i < n; i += 16) s.insertRun(run.slice(i, i + 16))
      resetCost(s.cost)
      const out: Gref[] = []
      for (let i = 0; i < 100; i++) expect(s.findRun(((i * 7919) % (n / 16)) * 16, 16, out)).toBe(true)
      return work(s.cost)
    }
    // 1,024 records: 2 levels; 32,768: 3 levels. Only the descent grows, by one node.
    expect(runWork(32_768) / runWork(1024)).toBeLessThan(1.5)
  })
})
