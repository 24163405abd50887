// Edge cases of issue 15's allocators that the random streams reach rarely: the strict-gap tail
// rule, frees that overlap free space, and the fused maple tree's split between reservations
// (gref runs) and gmaps.

import { describe, expect, it } from 'vitest'
import { ENOSPC } from '../../src/errno.js'
import { AugTreeAllocator } from '../../src/strategies/augtree-allocator.js'
import { MapleStore } from '../../src/strategies/maple-store.js'
import { Gmap } from '../../src/strategies/types.js'
import type { OffsetAllocator } from '../../src/strategies/types.js'

function gmapAt(first: number, pages: number): Gmap {
  return new Gmap(first, 1, Array.from({ length: pages }, () => 9))
}

const makers: [string, (strict: boolean, space?: number) => OffsetAllocator][] = [
  ['augtree', (strict, space) => new AugTreeAllocator({ quirks: { strictGap: strict }, ...(space === undefined ? {} : { offsetSpacePages: space }) })],
  ['maple', (strict, space) => new MapleStore({ quirks: { strictGap: strict }, ...(space === undefined ? {} : { offsetSpacePages: space }) })],
]

describe('issue-15 allocators: edge cases', () => {
  for (const [name, make] of makers) {
    it(`${name}: strict gap skips an exact-size hole but the tail needs only the run (README example)`, () => {
      const a = make(true)
      expect([a.alloc(2), a.alloc(3), a.alloc(1)]).toEqual([0, 2, 5])
      a.free(2, 3)
      expect(a.alloc(3)).toBe(6)
      expect(a.alloc(2)).toBe(2)
      a.check()
      const tight = make(true, 4)
      expect(tight.alloc(4)).toBe(0)
      tight.free(0, 4)
      expect(tight.alloc(4)).toBe(0)
      expect(tight.alloc(1)).toBe(-ENOSPC)
      tight.check()
    })

    it(`${name}: a free that spans allocations and free pages releases only the live pages`, () => {
      const a = make(false)
      for (let i = 0; i < 5; i++) expect(a.alloc(4)).toBe(i * 4)
      a.free(4, 4)
      a.free(2, 12) // pages 2..13: 4..7 were already free
      expect(a.stats().livePages).toBe(20 - 4 - 8)
      a.check()
      expect(a.alloc(12)).toBe(2)
      a.check()
    })
  }

  it('maple fused: alloc reserves, insert turns the reservation into the gmap, remove frees at once', () => {
    const m = new MapleStore()
    const first = m.alloc(3)
    const g = gmapAt(first, 3)
    expect(m.insert(g)).toBeNull()
    expect(m.findContaining(first + 2)).toBe(g)
    const grefRun = m.alloc(2)
    expect(grefRun).toBe(3)
    expect(m.findContaining(grefRun)).toBeNull() // a reservation is not a gmap
    m.remove(g)
    m.free(first, 3) // the device's free() after UNMAP: nothing left to do
    expect(m.stats().livePages).toBe(2)
    expect(m.alloc(3)).toBe(0)
    m.free(grefRun, 2)
    m.check()
    expect(m.stats().livePages).toBe(3)
  })

  it('maple: free() leaves gmaps alone; an overlapping insert reports the gmap it hits', () => {
    const m = new MapleStore()
    const g = gmapAt(10, 5)
    expect(m.insert(g)).toBeNull()
    m.free(0, 100)
    expect(m.findExact(10, 5)).toBe(g)
    expect(m.insert(gmapAt(12, 10))).toBe(g)
    m.check()
    expect(m.size).toBe(1)
  })
})
