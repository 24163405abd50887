// The XArray-style radix tree against a Map: insert (refused on an occupied index), erase, load,
// ascending walks, with check() — levels, parent links, slot counts, no empty node, minimal root,
// every entry at its own index — after every operation. Indices come from three bands (low,
// around 2^30, just below 2^52) so the tree grows and shrinks between 2 and 9 levels.
// Fixed seeds; 100 runs × ~1,000 ops ≈ 100,000 ops.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { XArray } from '../../src/structures/xarray.js'
import { InvariantError } from '../../src/structures/types.js'

class Entry {
  readonly index: number
  constructor(index: number) {
    this.index = index
  }
}

const keyOf = (e: Entry): number => e.index

describe('XArray basics', () => {
  it('is as tall as its largest index needs, and shrinks back after erase', () => {
    const xa = new XArray<Entry>()
    expect(xa.height()).toBe(0)
    xa.insert(5, new Entry(5))
    expect(xa.height()).toBe(1)
    xa.insert(64, new Entry(64))
    expect(xa.height()).toBe(2)
    xa.insert(2 ** 52 - 1, new Entry(2 ** 52 - 1))
    expect(xa.height()).toBe(9)
    xa.check(keyOf)
    expect(xa.erase(2 ** 52 - 1)?.index).toBe(2 ** 52 - 1)
    expect(xa.height()).toBe(2)
    expect(xa.erase(64)?.index).toBe(64)
    expect(xa.height()).toBe(1)
    xa.check(keyOf)
    expect(xa.erase(5)?.index).toBe(5)
    expect(xa.height()).toBe(0)
    expect(xa.size).toBe(0)
    expect(xa.cost.nodesAllocated).toBe(xa.cost.nodesFreed)
  })

  it('refuses an occupied index and returns what is there', () => {
    const xa = new XArray<Entry>()
    const a = new Entry(7)
    expect(xa.insert(7, a)).toBeNull()
    expect(xa.insert(7, new Entry(7))).toBe(a)
    expect(xa.size).toBe(1)
    expect(xa.load(7)).toBe(a)
    expect(xa.load(8)).toBeNull()
    expect(xa.load(2 ** 40)).toBeNull()
  })

  it('check() catches an entry stored at the wrong index', () => {
    const xa = new XArray<Entry>()
    xa.insert(3, new Entry(4))
    expect(() => xa.check(keyOf)).toThrow(InvariantError)
  })

  it('counted lookup work depends on the largest index, not on how many entries there are', () => {
    const cost = (n: number): number => {
      const xa = new XArray<Entry>()
      for (let i = 0; i < n; i++) xa.insert(i, new Entry(i))
      xa.cost.nodesVisited = 0
      for (let i = 0; i < 100; i++) xa.load((i * 7919) % n)
      return xa.cost.nodesVisited
    }
    // 4,096 entries need 2 levels, 262,144 need 3: 50% more work for 64× the entries.
    expect(cost(4096)).toBe(200)
    expect(cost(262_144)).toBe(300)
  })
})

const band = [0, 2 ** 30 - 100, 2 ** 52 - 300]
const op = fc.record({ op: fc.integer({ min: 0, max: 99 }), band: fc.integer({ min: 0, max: 2 }), off: fc.integer({ min: 0, max: 299 }), pick: fc.nat() })

describe('XArray against a Map (property)', () => {
  it('every answer matches; check() after every op', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 900, maxLength: 1100 }), (ops) => {
        const xa = new XArray<Entry>()
        const ref = new Map<number, Entry>()
        for (const o of ops) {
          // Mostly the low band, so most runs stay shallow and only some climb to 9 levels.
          const index = (o.band === 2 && o.pick % 4 !== 0 ? 0 : (band[o.band] as number)) + o.off
          if (o.op < 50) {
            const e = new Entry(index)
            const existing = ref.get(index) ?? null
            expect(xa.insert(index, e)).toBe(existing)
            if (existing === null) ref.set(index, e)
          } else if (o.op < 80) {
            const keys = [...ref.keys()]
            const k = keys.length > 0 && o.pick % 5 !== 0 ? (keys[o.pick % keys.length] as number) : index
            expect(xa.erase(k)).toBe(ref.get(k) ?? null)
            ref.delete(k)
          } else if (o.op < 95) {
            expect(xa.load(index)).toBe(ref.get(index) ?? null)
          } else {
            const seen: number[] = []
            xa.forEach((i, e) => {
              expect(e.index).toBe(i)
              seen.push(i)
            })
            expect(seen).toEqual([...ref.keys()].sort((a, b) => a - b))
          }
          xa.check(keyOf)
          expect(xa.size).toBe(ref.size)
        }
      }),
      { seed: 0x7a77, numRuns: 100 },
    )
  })
})
