// Every offset allocator under random alloc/free against a reference interval set: check() after
// every operation, live runs never overlap, each alloc returns exactly the offset its kernel's
// rule picks (so freed space is reused exactly where the allocator reuses it), frees of whole
// runs, of sub-ranges and of ranges spanning two allocations. Fixed seeds; 9 cases × 50 runs ×
// ~300 ops ≈ 135,000 ops (bump and the fused Linux list have their own files), plus 7 cases for
// the issue-15 allocators (augmented tree, maple-like B-tree) ≈ 105,000 ops more: both must
// place every run exactly where Linux's low-end first fit (ListAllocator's rule) puts it.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OFFSET_SPACE_PAGES } from '../../src/abi.js'
import { EINVAL, ENOSPC } from '../../src/errno.js'
import { AugTreeAllocator } from '../../src/strategies/augtree-allocator.js'
import { ListAllocator } from '../../src/strategies/list-allocator.js'
import { MapleStore } from '../../src/strategies/maple-store.js'
import { RangeSetAllocator } from '../../src/strategies/rangeset-allocator.js'
import { RbTreeAllocator } from '../../src/strategies/rbtree-allocator.js'
import type { OffsetAllocator } from '../../src/strategies/types.js'
import { IntervalSet, WindowedRegionsRef } from './reference.js'

const RUNS = 50
const op = fc.record({
  op: fc.integer({ min: 0, max: 99 }),
  pages: fc.integer({ min: 1, max: 24 }),
  a: fc.nat(),
  b: fc.nat(),
})
const ops = fc.array(op, { minLength: 250, maxLength: 350 })

/** Where a fresh run must land, given the live pages (−1: no room). */
type Rule = (live: IntervalSet, pages: number, space: number) => number

/** A stateful oracle instead of a rule: told about every alloc and free. */
interface Oracle {
  alloc(pages: number): number
  free(first: number, pages: number): void
}

interface Case {
  name: string
  make: () => OffsetAllocator
  space: number
  rule: Rule
  oracle?: (space: number) => Oracle
}

const low: Rule = (live, pages, space) => live.firstFitLow(pages, space)
const cases: Case[] = [
  { name: 'list', make: () => new ListAllocator(), space: OFFSET_SPACE_PAGES, rule: low },
  {
    name: 'list strict-gap',
    make: () => new ListAllocator({ quirks: { strictGap: true } }),
    space: OFFSET_SPACE_PAGES,
    rule: (live, pages, space) => live.firstFitLow(pages, space, true),
  },
  // A small space so the tail test and ENOSPC are exercised too.
  { name: 'list (600-page space)', make: () => new ListAllocator({ offsetSpacePages: 600 }), space: 600, rule: low },
  {
    name: 'rbtree exact',
    make: () => new RbTreeAllocator(),
    space: OFFSET_SPACE_PAGES,
    rule: (live, pages, space) => live.firstFitHigh(pages, space),
  },
  {
    name: 'rbtree (600-page space)',
    make: () => new RbTreeAllocator({ offsetSpacePages: 600 }),
    space: 600,
    rule: (live, pages, space) => live.firstFitHigh(pages, space),
  },
  {
    // Keys stay within a few thousand pages of the top, where the truncated comparator is a
    // consistent (circular) order; the oracle restates FreeBSD's algorithm over a sorted array.
    name: 'rbtree truncated-compare',
    make: () => new RbTreeAllocator({ quirks: { truncatedCompare: true } }),
    space: OFFSET_SPACE_PAGES,
    rule: () => -1,
    oracle: (space) => new WindowedRegionsRef(space),
  },
  { name: 'rangeset', make: () => new RangeSetAllocator(), space: OFFSET_SPACE_PAGES, rule: low },
  {
    name: 'rangeset claim-no-merge (600-page space)',
    make: () => new RangeSetAllocator({ offsetSpacePages: 600, quirks: { claimNoMerge: true } }),
    space: 600,
    rule: low,
  },
  // Issue 15: the O(log n) allocators follow the list's rule exactly, strict gap included.
  { name: 'augtree', make: () => new AugTreeAllocator(), space: OFFSET_SPACE_PAGES, rule: low },
  {
    name: 'augtree strict-gap',
    make: () => new AugTreeAllocator({ quirks: { strictGap: true } }),
    space: OFFSET_SPACE_PAGES,
    rule: (live, pages, space) => live.firstFitLow(pages, space, true),
  },
  {
    name: 'augtree strict-gap (600-page space)',
    make: () => new AugTreeAllocator({ offsetSpacePages: 600, quirks: { strictGap: true } }),
    space: 600,
    rule: (live, pages, space) => live.firstFitLow(pages, space, true),
  },
  { name: 'augtree (600-page space)', make: () => new AugTreeAllocator({ offsetSpacePages: 600 }), space: 600, rule: low },
  { name: 'maple', make: () => new MapleStore(), space: OFFSET_SPACE_PAGES, rule: low },
  {
    name: 'maple strict-gap (600-page space)',
    make: () => new MapleStore({ offsetSpacePages: 600, quirks: { strictGap: true } }),
    space: 600,
    rule: (live, pages, space) => live.firstFitLow(pages, space, true),
  },
  { name: 'maple (600-page space)', make: () => new MapleStore({ offsetSpacePages: 600 }), space: 600, rule: low },
]

interface Op {
  op: number
  pages: number
  a: number
  b: number
}

interface Alloc {
  first: number
  pages: number
}

/** Apply one random op to allocator and reference; returns nothing, asserts everything. */
function step(c: Case, allocator: OffsetAllocator, live: IntervalSet, intact: Alloc[], oracle: Oracle | null, o: Op): void {
  if (o.op < 55 || live.runs.length === 0) {
    const expected = oracle === null ? c.rule(live, o.pages, c.space) : oracle.alloc(o.pages)
    const first = allocator.alloc(o.pages)
    if (first < 0) {
      expect(first).toBe(-ENOSPC)
      expect(expected).toBe(-1)
      return
    }
    expect(first).toBe(expected)
    expect(first + o.pages).toBeLessThanOrEqual(c.space)
    live.add(first, first + o.pages) // throws on overlap with a live run
    intact.push({ first, pages: o.pages })
    return
  }
  let start: number
  let end: number
  if (o.op < 75 && intact.length > 0) {
    // A whole allocation.
    const run = intact[o.a % intact.length] as Alloc
    start = run.first
    end = run.first + run.pages
  } else if (o.op < 90 || intact.length < 2) {
    // A sub-range of a merged live interval (may span several allocations).
    const [s, e] = live.runs[o.a % live.runs.length] as [number, number]
    start = s + (o.a % (e - s))
    end = start + 1 + (o.b % (e - start))
  } else {
    // From inside one allocation to inside the adjacent next one, if there is such a pair.
    const run = intact[o.a % intact.length] as Alloc
    const next = intact.find((r) => r.first === run.first + run.pages)
    if (next === undefined) return
    start = run.first + (o.b % run.pages)
    end = next.first + 1 + (o.a % next.pages)
  }
  allocator.free(start, end - start)
  oracle?.free(start, end - start)
  live.remove(start, end)
  for (let i = intact.length - 1; i >= 0; i--) {
    const r = intact[i] as Alloc
    if (r.first < end && start < r.first + r.pages) intact.splice(i, 1)
  }
}

describe('offset allocators against a reference (property)', () => {
  cases.forEach((c, index) => {
    it(`${c.name}: exact placement, no overlap, check() after every op`, () => {
      fc.assert(
        fc.property(ops, (list) => {
          const allocator = c.make()
          const live = new IntervalSet()
          const intact: Alloc[] = []
          const oracle = c.oracle?.(c.space) ?? null
          for (const o of list) {
            step(c, allocator, live, intact, oracle, o)
            allocator.check()
            const stats = allocator.stats()
            expect(stats.livePages).toBe(live.pages)
            expect(stats.leakedPages).toBe(0)
            const lo = live.runs[0]
            const hi = live.runs[live.runs.length - 1]
            expect(stats.spanPages).toBe(lo === undefined || hi === undefined ? 0 : hi[1] - lo[0])
          }
        }),
        { seed: 0x5eed + index, numRuns: RUNS },
      )
    })
  })

  it('every allocator rejects runs of 0, fractional or more pages than the space with EINVAL', () => {
    for (const c of cases) {
      const allocator = c.make()
      expect(allocator.alloc(0)).toBe(-EINVAL)
      expect(allocator.alloc(1.5)).toBe(-EINVAL)
      expect(allocator.alloc(c.space + 1)).toBe(-EINVAL)
      expect(allocator.stats().livePages).toBe(0)
    }
  })
})
