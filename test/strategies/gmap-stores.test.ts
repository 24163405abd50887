// The gmap stores against a reference Map (first page → gmap) under random insert / findExact /
// findContaining / remove / drain, check() after every op. Gmaps are kept disjoint, as the
// allocators guarantee; an insert at a live first page must return the live gmap. Fixed seeds;
// 7 configurations × 50 runs × ~300 ops ≈ 105,000 ops, and 4 more for issue 15's stores ≈ 60,000.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OFFSET_SPACE_PAGES } from '../../src/abi.js'
import { exactCompare } from '../../src/structures/types.js'
import { AugTreeGmapStore } from '../../src/strategies/augtree-gmap-store.js'
import { LinuxGmapList } from '../../src/strategies/linux-gmap-list.js'
import { MapleStore } from '../../src/strategies/maple-store.js'
import { ListGmapStore } from '../../src/strategies/list-gmap-store.js'
import { truncatedCompare } from '../../src/strategies/quirks.js'
import { RangeSetGmapStore } from '../../src/strategies/rangeset-gmap-store.js'
import { RbTreeGmapStore } from '../../src/strategies/rbtree-gmap-store.js'
import { Gmap } from '../../src/strategies/types.js'
import type { GmapStore } from '../../src/strategies/types.js'

function gmapOf(first: number, pages: number): Gmap {
  return new Gmap(first, 1, Array.from({ length: pages }, (_, i) => 500 + i))
}

const stores: Array<{ name: string; make: () => GmapStore; base: number }> = [
  { name: 'list', make: () => new ListGmapStore(), base: 0 },
  { name: 'rbtree', make: () => new RbTreeGmapStore(), base: 0 },
  { name: 'rbtree linearContainment (FreeBSD)', make: () => new RbTreeGmapStore({ linearContainment: true }), base: 0 },
  {
    name: 'rbtree truncated-compare (keys near 2^52)',
    make: () => new RbTreeGmapStore({ compare: truncatedCompare, linearContainment: true }),
    base: OFFSET_SPACE_PAGES - 400,
  },
  { name: 'rangeset', make: () => new RangeSetGmapStore(), base: 0 },
  { name: 'rangeset (keys near 2^52)', make: () => new RangeSetGmapStore(), base: OFFSET_SPACE_PAGES - 400 },
  { name: 'linux-gmap-list (inserts without alloc)', make: () => new LinuxGmapList(), base: 0 },
  // Issue 15.
  { name: 'augtree', make: () => new AugTreeGmapStore(), base: 0 },
  { name: 'augtree (keys near 2^52)', make: () => new AugTreeGmapStore(), base: OFFSET_SPACE_PAGES - 400 },
  { name: 'maple (inserts without alloc)', make: () => new MapleStore(), base: 0 },
  { name: 'maple (keys near 2^52)', make: () => new MapleStore(), base: OFFSET_SPACE_PAGES - 400 },
]

const op = fc.record({
  op: fc.integer({ min: 0, max: 199 }),
  page: fc.integer({ min: 0, max: 299 }),
  pages: fc.integer({ min: 1, max: 10 }),
  count: fc.integer({ min: 0, max: 10 }),
})
const ops = fc.array(op, { minLength: 250, maxLength: 350 })

describe('gmap stores against a reference Map (property)', () => {
  stores.forEach(({ name, make, base }, index) => {
    it(`${name}: every answer matches the reference; check() after every op`, () => {
      fc.assert(
        fc.property(ops, (list) => {
          const store = make()
          const ref = new Map<number, Gmap>()
          const containing = (page: number): Gmap | null => {
            for (const g of ref.values()) if (g.firstPage <= page && page < g.firstPage + g.pages) return g
            return null
          }
          const out: Gmap[] = [gmapOf(-5, 1)]
          for (const o of list) {
            const first = base + o.page
            if (o.op < 80) {
              const gmap = gmapOf(first, o.pages)
              const existing = ref.get(first)
              if (existing !== undefined) {
                expect(store.insert(gmap)).toBe(existing)
                expect(gmap.live).toBe(false)
              } else {
                let overlaps = false
                for (let p = first; p < first + o.pages; p++) if (containing(p) !== null) overlaps = true
                if (!overlaps) {
                  expect(store.insert(gmap)).toBeNull()
                  expect(gmap.live).toBe(true)
                  ref.set(first, gmap)
                }
              }
            } else if (o.op < 120) {
              const want = ref.get(first)
              const match = want !== undefined && (o.count === 0 || want.pages === o.count) ? want : null
              expect(store.findExact(first, o.count)).toBe(match)
            } else if (o.op < 160) {
              expect(store.findContaining(first)).toBe(containing(first))
            } else if (o.op < 198) {
              const live = [...ref.values()]
              const victim = live[o.page % Math.max(1, live.length)]
              if (victim !== undefined) {
                store.remove(victim)
                expect(victim.live).toBe(false)
                ref.delete(victim.firstPage)
              }
            } else {
              store.drain(out)
              const want = [...ref.values()].sort((a, b) => a.firstPage - b.firstPage)
              expect(out.length).toBe(want.length)
              for (let i = 0; i < want.length; i++) expect(out[i]).toBe(want[i])
              for (const g of want) expect(g.live).toBe(false)
              ref.clear()
            }
            store.check()
            expect(store.size).toBe(ref.size)
          }
        }),
        { seed: 0x6a9 + index, numRuns: 50 },
      )
    })
  })
})

describe('gmap stores: contract edge cases', () => {
  for (const { name, make } of stores.filter((s) => s.base === 0)) {
    it(`${name}: count 0 matches any count; containment is half-open`, () => {
      const store = make()
      const a = gmapOf(10, 4)
      const b = gmapOf(14, 2)
      expect(store.insert(b)).toBeNull()
      expect(store.insert(a)).toBeNull()
      expect(store.findExact(10, 0)).toBe(a)
      expect(store.findExact(10, 4)).toBe(a)
      expect(store.findExact(10, 3)).toBeNull()
      expect(store.findExact(11, 0)).toBeNull()
      expect(store.findContaining(13)).toBe(a)
      expect(store.findContaining(14)).toBe(b)
      expect(store.findContaining(16)).toBeNull()
      expect(store.findContaining(9)).toBeNull()
      store.remove(a)
      expect(store.findContaining(12)).toBeNull()
      expect(store.size).toBe(1)
      store.check()
    })
  }

  it('rbtree truncated-compare: find-exact trusts the comparator and returns an alias 2^20 pages away (FreeBSD gntdev_find_gmap)', () => {
    const store = new RbTreeGmapStore({ compare: truncatedCompare })
    const live = gmapOf(OFFSET_SPACE_PAGES - 2 ** 20 - 4, 4)
    expect(store.insert(live)).toBeNull()
    const clash = gmapOf(OFFSET_SPACE_PAGES - 4, 4)
    expect(store.insert(clash)).toBe(live) // the colliding insert is refused
    expect(store.findExact(OFFSET_SPACE_PAGES - 4, 4)).toBe(live)
    const exact = new RbTreeGmapStore({ compare: exactCompare })
    exact.insert(live)
    expect(exact.insert(clash)).toBeNull()
    expect(exact.findExact(OFFSET_SPACE_PAGES - 4, 4)).toBe(clash)
  })
})
