// Linux gntdev's fused allocator + map list (docs/kernel-model.md §3.2, §8.3.3): first fit in the
// sorted map list, exact-size holes skipped under strict-gap, indices recycled at UNMAP, the
// alloc → insert fast path and the sorted-walk fallback, count 0 as a wildcard in find-exact.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OFFSET_SPACE_PAGES } from '../../src/abi.js'
import { ENOSPC } from '../../src/errno.js'
import { LinuxGmapList } from '../../src/strategies/linux-gmap-list.js'
import { Gmap } from '../../src/strategies/types.js'
import { IntervalSet } from './reference.js'

function gmapOf(first: number, pages: number): Gmap {
  return new Gmap(first, 1, Array.from({ length: pages }, (_, i) => 100 + i))
}

/** MAP: alloc, then insert at the returned page, as the device does. */
function map(maps: LinuxGmapList, pages: number): Gmap {
  const first = maps.alloc(pages)
  expect(first).toBeGreaterThanOrEqual(0)
  const gmap = gmapOf(first, pages)
  expect(maps.insert(gmap)).toBeNull()
  return gmap
}

describe('LinuxGmapList', () => {
  it('§8.3.3 maps {0,+2},{2,+3},{5,+1}; unmap the 3-page map; under strict-gap map 3 → 6, then map 2 → 2', () => {
    const maps = new LinuxGmapList({ quirks: { strictGap: true } })
    expect([map(maps, 2), map(maps, 3), map(maps, 1)].map((g) => g.firstPage)).toEqual([0, 2, 5])
    const middle = maps.findExact(2, 3) as Gmap
    maps.remove(middle)
    maps.free(2, 3)
    expect(map(maps, 3).firstPage).toBe(6) // the exact-size hole at 2 is skipped
    expect(map(maps, 2).firstPage).toBe(2) // a 3-page hole holds 2 + 1
    maps.check()
  })

  it('without strict-gap the exact-size hole is reused at once', () => {
    const maps = new LinuxGmapList()
    map(maps, 2)
    const middle = map(maps, 3)
    map(maps, 1)
    maps.remove(middle)
    expect(map(maps, 3).firstPage).toBe(2)
    expect(map(maps, 2).firstPage).toBe(6)
    maps.check()
  })

  it('recycles an index at UNMAP even while the map would still be mmapped (free is a no-op)', () => {
    const maps = new LinuxGmapList()
    const a = map(maps, 4)
    maps.remove(a)
    expect(a.live).toBe(false)
    expect(maps.stats().livePages).toBe(0)
    expect(map(maps, 4).firstPage).toBe(0)
    maps.free(0, 4) // the device's allocator.free after gmapStore.remove changes nothing
    expect(maps.stats().livePages).toBe(4)
  })

  it('falls back to a sorted walk when insert does not follow its alloc, and reports collisions', () => {
    const maps = new LinuxGmapList()
    expect(maps.insert(gmapOf(10, 2))).toBeNull()
    expect(maps.insert(gmapOf(3, 2))).toBeNull()
    const first = maps.alloc(1) // chooses page 0 …
    expect(first).toBe(0)
    expect(maps.insert(gmapOf(6, 1))).toBeNull() // … but a different page is inserted
    const clash = gmapOf(3, 5)
    expect(maps.insert(clash)?.firstPage).toBe(3)
    expect(clash.live).toBe(false)
    const out: Gmap[] = []
    maps.drain(out)
    expect(out.map((g) => g.firstPage)).toEqual([3, 6, 10])
    expect(maps.size).toBe(0)
    maps.check()
  })

  it('find-exact treats count 0 as any count; find-containing tests the range', () => {
    const maps = new LinuxGmapList()
    map(maps, 2)
    const b = map(maps, 3)
    expect(maps.findExact(2, 0)).toBe(b)
    expect(maps.findExact(2, 3)).toBe(b)
    expect(maps.findExact(2, 2)).toBeNull()
    expect(maps.findContaining(4)).toBe(b)
    expect(maps.findContaining(5)).toBeNull()
  })

  it('fails with ENOSPC when the tail would pass the end of a small space', () => {
    const maps = new LinuxGmapList({ offsetSpacePages: 8 })
    map(maps, 6)
    expect(maps.alloc(3)).toBe(-ENOSPC)
    expect(maps.alloc(2)).toBe(6)
  })
})

const op = fc.record({ op: fc.integer({ min: 0, max: 99 }), pages: fc.integer({ min: 1, max: 24 }), a: fc.nat() })
const ops = fc.array(op, { minLength: 250, maxLength: 350 })

describe('LinuxGmapList (property: ~30,000 ops per mode)', () => {
  for (const strictGap of [false, true]) {
    it(`${strictGap ? 'strict-gap' : 'default'}: alloc → insert places maps by first fit; lookups match the reference`, () => {
      fc.assert(
        fc.property(ops, (list) => {
          const maps = new LinuxGmapList({ quirks: { strictGap } })
          const live = new IntervalSet()
          const gmaps: Gmap[] = []
          for (const o of list) {
            if (o.op < 50 || gmaps.length === 0) {
              const expected = live.firstFitLow(o.pages, OFFSET_SPACE_PAGES, strictGap)
              const gmap = map(maps, o.pages)
              expect(gmap.firstPage).toBe(expected)
              live.add(gmap.firstPage, gmap.firstPage + o.pages)
              gmaps.push(gmap)
            } else if (o.op < 80) {
              const [gmap] = gmaps.splice(o.a % gmaps.length, 1) as [Gmap]
              maps.remove(gmap)
              maps.free(gmap.firstPage, gmap.pages)
              live.remove(gmap.firstPage, gmap.firstPage + gmap.pages)
            } else {
              const page = o.a % (live.pages + 50)
              const want = gmaps.find((g) => g.firstPage <= page && page < g.firstPage + g.pages) ?? null
              expect(maps.findContaining(page)).toBe(want)
              const exact = gmaps.find((g) => g.firstPage === page) ?? null
              expect(maps.findExact(page, 0)).toBe(exact)
            }
            maps.check()
            expect(maps.stats().livePages).toBe(live.pages)
            expect(maps.size).toBe(gmaps.length)
          }
        }),
        { seed: 0x11ee + (strictGap ? 1 : 0), numRuns: 100 },
      )
    })
  }
})
