// The augmented red-black tree: the subtree maximum stays right through inserts, removes,
// rotations and owner updates (check() after every operation), and firstFit / lowestStab answer
// what a brute-force scan answers. Fixed seeds; 100 runs × ~1,000 ops ≈ 100,000 ops.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AugRbTree } from '../../src/structures/aug-rb-tree.js'
import type { AugRbLinks, RbColor } from '../../src/structures/types.js'
import { InvariantError, RB_BLACK } from '../../src/structures/types.js'

class Item implements AugRbLinks<Item> {
  rbLeft: Item | null = null
  rbRight: Item | null = null
  rbParent: Item | null = null
  rbColor: RbColor = RB_BLACK
  rbKey: number
  augValue: number
  augMax: number

  constructor(key: number, value: number) {
    this.rbKey = key
    this.augValue = value
    this.augMax = value
  }
}

function bruteFirstFit(items: Iterable<Item>, t: number): number | null {
  let best: number | null = null
  for (const x of items) if (x.augValue >= t && (best === null || x.rbKey < best)) best = x.rbKey
  return best
}

function bruteStab(items: Iterable<Item>, p: number): number | null {
  let best: number | null = null
  for (const x of items) if (x.rbKey <= p && p < x.augValue && (best === null || x.rbKey < best)) best = x.rbKey
  return best
}

describe('AugRbTree basics', () => {
  it('keeps augMax at the root equal to the largest value and finds the lowest fitting key', () => {
    const t = new AugRbTree<Item>()
    const values = [5, 1, 9, 3, 9, 2, 7]
    values.forEach((v, i) => expect(t.insert(new Item(i * 10, v))).toBeNull())
    t.check()
    expect(t.root?.augMax).toBe(9)
    expect(t.firstFit(9)?.rbKey).toBe(20)
    expect(t.firstFit(6)?.rbKey).toBe(20)
    expect(t.firstFit(4)?.rbKey).toBe(0)
    expect(t.firstFit(10)).toBeNull()
  })

  it('returns the colliding node on an equal key and leaves the new one unlinked', () => {
    const t = new AugRbTree<Item>()
    const a = new Item(4, 1)
    t.insert(a)
    const b = new Item(4, 100)
    expect(t.insert(b)).toBe(a)
    expect(t.root?.augMax).toBe(1)
    t.check()
  })

  it('updateAugment repairs the path after the owner changes a value', () => {
    const t = new AugRbTree<Item>()
    const items = Array.from({ length: 50 }, (_, i) => new Item(i, 1))
    for (const x of items) t.insert(x)
    const x = items[37] as Item
    x.augValue = 80
    t.updateAugment(x)
    t.check()
    expect(t.firstFit(50)).toBe(x)
    x.augValue = 0
    t.updateAugment(x)
    t.check()
    expect(t.firstFit(2)).toBeNull()
  })

  it('lowestStab answers half-open containment with augValue as the end', () => {
    const t = new AugRbTree<Item>()
    for (const [s, e] of [[0, 10], [5, 7], [12, 30], [20, 21]] as const) t.insert(new Item(s, e))
    expect(t.lowestStab(6)?.rbKey).toBe(0)
    expect(t.lowestStab(10)).toBeNull()
    expect(t.lowestStab(20)?.rbKey).toBe(12)
    expect(t.lowestStab(30)).toBeNull()
    expect(t.lowestStab(-1)).toBeNull()
  })

  it('check() catches a stale augmented value', () => {
    const t = new AugRbTree<Item>()
    for (let i = 0; i < 10; i++) t.insert(new Item(i, i))
    ;(t.root as Item).augMax = 3
    expect(() => t.check()).toThrow(InvariantError)
  })

  it('counted work of firstFit grows with log n, not n (1,000 vs 64,000 nodes)', () => {
    const cost = (n: number): number => {
      const t = new AugRbTree<Item>()
      for (let i = 0; i < n; i++) t.insert(new Item(i, 1))
      ;(t.max() as Item).augValue = 2
      t.updateAugment(t.max() as Item)
      t.cost.nodesVisited = 0
      expect(t.firstFit(2)?.rbKey).toBe(n - 1)
      return t.cost.nodesVisited
    }
    const small = cost(1000)
    const large = cost(64_000)
    // 64× the nodes: a linear search would visit 64× more; a root-to-leaf path about 1.6× more.
    expect(large).toBeLessThan(2 * small + 4)
    expect(large).toBeLessThanOrEqual(2 * Math.log2(64_001))
  })
})

const op = fc.record({ op: fc.integer({ min: 0, max: 99 }), key: fc.integer({ min: 0, max: 599 }), value: fc.integer({ min: 0, max: 700 }) })

describe('AugRbTree against brute force (property)', () => {
  it('insert / remove / update / firstFit / lowestStab agree; check() after every op', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 900, maxLength: 1100 }), (ops) => {
        const t = new AugRbTree<Item>()
        const live = new Map<number, Item>()
        for (const o of ops) {
          if (o.op < 45) {
            const x = new Item(o.key, o.value)
            const existing = live.get(o.key) ?? null
            expect(t.insert(x)).toBe(existing)
            if (existing === null) live.set(o.key, x)
          } else if (o.op < 70) {
            const keys = [...live.keys()]
            if (keys.length > 0) {
              const k = keys[o.key % keys.length] as number
              t.remove(live.get(k) as Item)
              live.delete(k)
            }
          } else if (o.op < 80) {
            const keys = [...live.keys()]
            if (keys.length > 0) {
              const x = live.get(keys[o.key % keys.length] as number) as Item
              x.augValue = o.value
              t.updateAugment(x)
            }
          } else if (o.op < 90) {
            expect(t.firstFit(o.value)?.rbKey ?? null).toBe(bruteFirstFit(live.values(), o.value))
          } else {
            expect(t.lowestStab(o.key)?.rbKey ?? null).toBe(bruteStab(live.values(), o.key))
          }
          t.check()
          expect(t.size).toBe(live.size)
        }
      }),
      { seed: 0xa06, numRuns: 100 },
    )
  })
})
