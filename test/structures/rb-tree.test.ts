import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RbTree } from '../../src/structures/rb-tree.js'
import type { KeyCompare } from '../../src/structures/types.js'
import { InvariantError, RB_BLACK, RB_RED } from '../../src/structures/types.js'
import {
  inOrderItems,
  inOrderKeys,
  lowerBound,
  mulberry32,
  reverseOrderItems,
  TreeItem,
  truncatingCompare,
} from './helpers.js'

function treeOf(keys: readonly number[], compare?: KeyCompare): RbTree<TreeItem> {
  const t = new RbTree<TreeItem>(compare)
  for (const k of keys) expect(t.insert(new TreeItem(k))).toBeNull()
  return t
}

describe('RbTree insert', () => {
  it('returns the existing element on a key collision and leaves the new one untouched', () => {
    const t = treeOf([10, 20, 30])
    const existing = t.find(20)
    const dup = new TreeItem(20)
    expect(t.insert(dup)).toBe(existing)
    expect(dup.rbParent).toBeNull()
    expect(dup.rbLeft).toBeNull()
    expect(dup.rbRight).toBeNull()
    expect(t.size).toBe(3)
    t.check()
  })

  it('returns null on success and keeps a black root', () => {
    const t = new RbTree<TreeItem>()
    const a = new TreeItem(5)
    expect(t.insert(a)).toBeNull()
    expect(t.root).toBe(a)
    expect(a.rbColor).toBe(RB_BLACK)
    expect(t.size).toBe(1)
    t.check()
  })

  it('uses the comparator it was given', () => {
    const t = treeOf([1, 2, 3, 4], (a, b) => b - a)
    expect(inOrderKeys(t)).toEqual([4, 3, 2, 1])
    expect(t.compare(1, 2)).toBeGreaterThan(0)
    t.check()
  })
})

describe('RbTree lookups', () => {
  const keys = [10, 20, 30, 40, 50]
  const t = treeOf(keys)

  it('find hits only exact keys', () => {
    for (const k of keys) expect(t.find(k)?.rbKey).toBe(k)
    for (const k of [9, 15, 55, -1]) expect(t.find(k)).toBeNull()
    expect(new RbTree<TreeItem>().find(1)).toBeNull()
  })

  it('nfind (ceiling) at, between, below and above keys', () => {
    expect(t.nfind(30)?.rbKey).toBe(30) // at
    expect(t.nfind(31)?.rbKey).toBe(40) // between
    expect(t.nfind(29)?.rbKey).toBe(30)
    expect(t.nfind(-5)?.rbKey).toBe(10) // below all
    expect(t.nfind(10)?.rbKey).toBe(10)
    expect(t.nfind(50)?.rbKey).toBe(50)
    expect(t.nfind(51)).toBeNull() // above all
    expect(new RbTree<TreeItem>().nfind(0)).toBeNull()
  })

  it('pfind (floor) at, between, below and above keys', () => {
    expect(t.pfind(30)?.rbKey).toBe(30) // at
    expect(t.pfind(31)?.rbKey).toBe(30) // between
    expect(t.pfind(39)?.rbKey).toBe(30)
    expect(t.pfind(9)).toBeNull() // below all
    expect(t.pfind(10)?.rbKey).toBe(10)
    expect(t.pfind(50)?.rbKey).toBe(50)
    expect(t.pfind(1e9)?.rbKey).toBe(50) // above all
    expect(new RbTree<TreeItem>().pfind(0)).toBeNull()
  })

  it('min and max', () => {
    expect(t.min()?.rbKey).toBe(10)
    expect(t.max()?.rbKey).toBe(50)
    const empty = new RbTree<TreeItem>()
    expect(empty.min()).toBeNull()
    expect(empty.max()).toBeNull()
  })

  it('a next/prev walk equals sorted order', () => {
    const rng = mulberry32(3)
    const ks = Array.from({ length: 500 }, () => Math.floor(rng() * 1e6))
    const u = new RbTree<TreeItem>()
    for (const k of ks) u.insert(new TreeItem(k))
    const sorted = [...new Set(ks)].sort((a, b) => a - b)
    expect(inOrderKeys(u)).toEqual(sorted)
    expect(reverseOrderItems(u).map((x) => x.rbKey)).toEqual([...sorted].reverse())
    expect(u.next(u.max() as TreeItem)).toBeNull()
    expect(u.prev(u.min() as TreeItem)).toBeNull()
  })
})

describe('RbTree remove', () => {
  it('removes leaves, inner nodes with two children, and the root, leaving null black links', () => {
    const keys = Array.from({ length: 64 }, (_, i) => i * 3)
    const t = treeOf(keys)
    const remaining = new Set(keys)
    // The root always has two children here until the tree is tiny: the hardest case.
    while (t.size > 0) {
      const root = t.root as TreeItem
      t.remove(root)
      remaining.delete(root.rbKey)
      expect(root.rbLeft).toBeNull()
      expect(root.rbRight).toBeNull()
      expect(root.rbParent).toBeNull()
      expect(root.rbColor).toBe(RB_BLACK)
      t.check()
      expect(inOrderKeys(t)).toEqual([...remaining].sort((a, b) => a - b))
    }
    expect(t.root).toBeNull()
  })

  it('removes the only node', () => {
    const a = new TreeItem(1)
    const t = new RbTree<TreeItem>()
    t.insert(a)
    t.remove(a)
    t.check()
    expect(t.size).toBe(0)
    expect(t.root).toBeNull()
    expect(t.insert(a)).toBeNull() // re-insertable
    t.check()
  })

  it('refuses to remove an element that is not in the tree', () => {
    const t = treeOf([1, 2, 3])
    expect(() => t.remove(new TreeItem(2))).toThrow(InvariantError)
    t.check()
    expect(t.size).toBe(3)
  })
})

describe('RbTree height bound', () => {
  it('height <= 2·log2(n + 1) at every n = 1..10,000 of ascending inserts, and while removing', () => {
    const t = new RbTree<TreeItem>()
    const nodes: TreeItem[] = []
    for (let n = 1; n <= 10_000; n++) {
      const x = new TreeItem(n)
      nodes.push(x)
      t.insert(x)
      const h = t.height()
      if (h > 2 * Math.log2(n + 1)) expect.fail(`height ${h} at n = ${n}`)
      if (n % 1000 === 0) t.check()
    }
    expect(t.height()).toBeGreaterThanOrEqual(Math.ceil(Math.log2(10_001)))
    for (const x of nodes) {
      t.remove(x)
      if (t.height() > 2 * Math.log2(t.size + 1)) expect.fail(`height ${t.height()} at size ${t.size}`)
      if (t.size % 1000 === 0) t.check()
    }
    expect(t.height()).toBe(0)
  })
})

describe('RbTree.check names the broken rule', () => {
  function sample(): RbTree<TreeItem> {
    return treeOf(Array.from({ length: 31 }, (_, i) => i))
  }
  function someRed(t: RbTree<TreeItem>): TreeItem {
    const red = inOrderItems(t).find((x) => x.rbColor === RB_RED)
    if (red === undefined) throw new Error('fixture has no red node')
    return red
  }

  it('root colour', () => {
    const t = sample()
    ;(t.root as TreeItem).rbColor = RB_RED
    expect(() => t.check()).toThrow(/root colour/)
  })

  it('red rule', () => {
    // 2(black) -> right 5(red) -> right 9(red): black heights all equal, only the red rule broken.
    const t = new RbTree<TreeItem>()
    const mid = new TreeItem(2)
    t.insert(mid)
    const r = new TreeItem(5)
    const kid = new TreeItem(9)
    r.rbColor = RB_RED
    kid.rbColor = RB_RED
    mid.rbRight = r
    r.rbParent = mid
    r.rbRight = kid
    kid.rbParent = r
    ;(t as unknown as { count: number }).count = 3
    expect(() => t.checkStructure()).toThrow(/red rule/)
  })

  it('black height', () => {
    const t = sample()
    someRed(t).rbColor = RB_BLACK
    expect(() => t.check()).toThrow(/black height/)
  })

  it('parent links', () => {
    const t = sample()
    const x = (t.root as TreeItem).rbLeft as TreeItem
    x.rbParent = x
    expect(() => t.check()).toThrow(/parent links/)
  })

  it('size', () => {
    const t = sample()
    ;(t as unknown as { count: number }).count = 30
    expect(() => t.check()).toThrow(/size/)
  })

  it('order', () => {
    const t = sample()
    const min = t.min() as TreeItem
    min.rbKey = 100
    expect(() => t.check()).toThrow(/order/)
    expect(() => t.checkStructure()).not.toThrow()
  })
})

// --- Property: random operations against a sorted-array oracle, exact comparator ------------

const KEY_MAX = 400
const EXACT_RUNS = 100
const EXACT_OPS = 1000

describe('RbTree property: random operations match a sorted array', () => {
  it(`survives ${EXACT_RUNS} x ${EXACT_OPS} operations with check() after each`, () => {
    let total = 0
    let maxSize = 0
    const opArb = fc.tuple(fc.nat(9), fc.integer({ min: -3, max: KEY_MAX + 3 }), fc.nat(1 << 20))
    fc.assert(
      fc.property(fc.array(opArb, { minLength: EXACT_OPS, maxLength: EXACT_OPS }), (ops) => {
        const t = new RbTree<TreeItem>()
        const sorted: number[] = []
        const byKey = new Map<number, TreeItem>()
        for (const [op, key, r] of ops) {
          total++
          const i = lowerBound(sorted, key)
          const present = sorted[i] === key
          switch (op) {
            case 0:
            case 1:
            case 2:
            case 3: {
              // Inserts outnumber removals 2:1, so the tree settles around half the key domain.
              const x = new TreeItem(key)
              const got = t.insert(x)
              if (present) {
                if (got !== byKey.get(key)) expect.fail(`insert ${key}: expected the existing element`)
              } else {
                if (got !== null) expect.fail(`insert ${key}: expected null`)
                sorted.splice(i, 0, key)
                byKey.set(key, x)
              }
              break
            }
            case 4:
            case 5: {
              // Remove a random member (so removals hit as often as inserts).
              if (sorted.length === 0) break
              const k = sorted[r % sorted.length] as number
              const x = byKey.get(k) as TreeItem
              t.remove(x)
              sorted.splice(r % sorted.length, 1)
              byKey.delete(k)
              if (x.rbParent !== null || x.rbLeft !== null || x.rbRight !== null || x.rbColor !== RB_BLACK) {
                expect.fail(`remove ${k}: links not reset`)
              }
              break
            }
            case 6: {
              const want = present ? byKey.get(key) : null
              if (t.find(key) !== want) expect.fail(`find ${key}`)
              break
            }
            case 7: {
              const ceil = sorted[i]
              const want = ceil === undefined ? null : byKey.get(ceil)
              if (t.nfind(key) !== want) expect.fail(`nfind ${key}`)
              break
            }
            case 8: {
              const floor = present ? key : sorted[i - 1]
              const want = floor === undefined ? null : byKey.get(floor)
              if (t.pfind(key) !== want) expect.fail(`pfind ${key}`)
              break
            }
            default: {
              if (sorted.length === 0) {
                if (t.min() !== null || t.max() !== null) expect.fail('min/max of empty tree')
                break
              }
              const j = r % sorted.length
              const x = byKey.get(sorted[j] as number) as TreeItem
              const nk = sorted[j + 1]
              const pk = sorted[j - 1]
              if (t.next(x) !== (nk === undefined ? null : byKey.get(nk))) expect.fail(`next of ${x.rbKey}`)
              if (t.prev(x) !== (pk === undefined ? null : byKey.get(pk))) expect.fail(`prev of ${x.rbKey}`)
              if (t.min() !== byKey.get(sorted[0] as number)) expect.fail('min')
              if (t.max() !== byKey.get(sorted[sorted.length - 1] as number)) expect.fail('max')
            }
          }
          t.check()
          if (t.size !== sorted.length) expect.fail(`size ${t.size} != ${sorted.length}`)
          if (t.size > maxSize) maxSize = t.size
          const keys = inOrderKeys(t)
          if (keys.length !== sorted.length || keys.some((k, n) => k !== sorted[n])) expect(keys).toEqual(sorted)
        }
      }),
      { seed: 0x4b7ee, numRuns: EXACT_RUNS },
    )
    expect(total).toBeGreaterThanOrEqual(100_000)
    expect(maxSize).toBeGreaterThan(KEY_MAX / 3) // big enough for deep rebalancing
  })
})

// --- Property: inconsistent comparators never break the structure ------------------------------

interface Membership {
  tree: RbTree<TreeItem>
  members: Set<TreeItem>
  list: TreeItem[]
}

function newMembership(compare: KeyCompare): Membership {
  return { tree: new RbTree<TreeItem>(compare), members: new Set(), list: [] }
}

// One operation on a tree whose comparator may be inconsistent; then the structural invariants
// and the membership the operations imply (whatever insert accepted and remove did not take).
function chaoticStep(m: Membership, op: number, key: number, r: number): void {
  const { tree, members, list } = m
  if (op < 5) {
    const x = new TreeItem(key)
    const got = tree.insert(x)
    if (got === null) {
      members.add(x)
      list.push(x)
    } else if (!members.has(got)) {
      expect.fail('insert returned an element that is not in the tree')
    }
  } else if (op < 9) {
    if (list.length > 0) {
      const j = r % list.length
      const x = list[j] as TreeItem
      list[j] = list[list.length - 1] as TreeItem
      list.pop()
      members.delete(x)
      tree.remove(x)
    }
  } else {
    for (const got of [tree.find(key), tree.nfind(key), tree.pfind(key), tree.min(), tree.max()]) {
      if (got !== null && !members.has(got)) expect.fail('lookup returned an element that is not in the tree')
    }
  }
  tree.checkStructure()
  if (tree.size !== members.size) expect.fail(`size ${tree.size} != ${members.size}`)
  const fwd = inOrderItems(tree)
  if (fwd.length !== members.size || fwd.some((x) => !members.has(x))) expect.fail('forward walk != members')
  const back = reverseOrderItems(tree)
  if (back.length !== fwd.length || back.some((x, n) => x !== fwd[fwd.length - 1 - n])) {
    expect.fail('reverse walk is not the forward walk reversed')
  }
}

const TRUNC_RUNS = 60
const TRUNC_OPS = 800

describe('RbTree property: inconsistent comparators keep the structure intact', () => {
  it(`truncating comparator over keys spread across 2^22 (${TRUNC_RUNS} x ${TRUNC_OPS} ops)`, () => {
    let total = 0
    // Keys: clusters at multiples of 2^20 (collide mod 2^20), offsets across the 2^19 sign
    // flip (non-transitive), and uniform keys over 2^22.
    const keyArb = fc.oneof(
      fc.tuple(fc.nat(7), fc.nat(127), fc.nat(3)).map(([hi, lo, j]) => hi * 2 ** 20 + lo * 8192 + j),
      fc.nat(2 ** 22),
    )
    const opArb = fc.tuple(fc.nat(9), keyArb, fc.nat(1 << 20))
    let accepted = 0
    let rejected = 0
    fc.assert(
      fc.property(fc.array(opArb, { minLength: TRUNC_OPS, maxLength: TRUNC_OPS }), (ops) => {
        const m = newMembership(truncatingCompare)
        for (const [op, key, r] of ops) {
          total++
          const before = m.members.size
          chaoticStep(m, op, key, r)
          if (op < 5) {
            if (m.members.size > before) accepted++
            else rejected++
          }
        }
      }),
      { seed: 0x7e0c, numRuns: TRUNC_RUNS },
    )
    expect(total).toBe(TRUNC_RUNS * TRUNC_OPS)
    // The comparator really did collide and really did accept: both paths were exercised.
    expect(accepted).toBeGreaterThan(1000)
    expect(rejected).toBeGreaterThan(100)
  })

  it('the truncating comparator really is inconsistent on these keys', () => {
    // Non-transitive: 0 < 2^18 < 2^19 + 2^18, yet 2^19 + 2^18 < 0 (circular order).
    const a = 0
    const b = 2 ** 18
    const c = 2 ** 19 + 2 ** 18
    expect(truncatingCompare(a, b)).toBeLessThan(0)
    expect(truncatingCompare(b, c)).toBeLessThan(0)
    expect(truncatingCompare(c, a)).toBeLessThan(0)
    expect(truncatingCompare(5, 5 + 3 * 2 ** 20)).toBe(0)
  })

  it('a random-sign comparator and a NaN comparator (20,000 ops each)', () => {
    const rng = mulberry32(11)
    const coin: KeyCompare = () => (rng() < 0.5 ? -1 : 1)
    for (const compare of [coin, (): number => NaN]) {
      const m = newMembership(compare)
      for (let n = 0; n < 20_000; n++) {
        chaoticStep(m, Math.floor(rng() * 10), Math.floor(rng() * 1000), Math.floor(rng() * 1e6))
        // Bounded walks: keep the tree small enough that checking after every op stays cheap.
        if (m.members.size > 300) chaoticStep(m, 5, 0, n)
      }
    }
  })
})

describe('RbTree cost counters', () => {
  function workload(t: RbTree<TreeItem>): void {
    const rng = mulberry32(99)
    const items: TreeItem[] = []
    for (let n = 0; n < 2000; n++) {
      const x = new TreeItem(Math.floor(rng() * 5000))
      if (t.insert(x) === null) items.push(x)
    }
    for (let n = 0; n < 500; n++) {
      t.find(n)
      t.nfind(n * 7)
      t.pfind(n * 11)
    }
    for (let x = t.min(); x !== null; x = t.next(x)) {
      /* walk */
    }
    for (const x of items.slice(0, 1000)) t.remove(x)
  }

  it('the same operations give the same counts', () => {
    const a = new RbTree<TreeItem>()
    const b = new RbTree<TreeItem>()
    workload(a)
    workload(b)
    expect(a.cost).toEqual(b.cost)
    expect(a.cost.keyCompares).toBeGreaterThan(0)
    expect(a.cost.nodesVisited).toBeGreaterThan(0)
    expect(a.cost.rotations).toBeGreaterThan(0)
    expect(a.cost.nodesAllocated).toBe(0)
    expect(a.cost.nodesFreed).toBe(0)
  })

  it('counts one compare and one visit per level descended', () => {
    const t = treeOf([2, 1, 3]) // perfectly balanced, no rotation
    expect(t.cost.rotations).toBe(0)
    expect(t.cost.keyCompares).toBe(2)
    const before = { ...t.cost }
    t.find(3) // root, then right child
    expect(t.cost.keyCompares - before.keyCompares).toBe(2)
    expect(t.cost.nodesVisited - before.nodesVisited).toBe(2)
    treeOf([1, 2, 3]) // ascending: one rotation
    const u = treeOf([1, 2, 3])
    expect(u.cost.rotations).toBe(1)
  })

  it('check, checkStructure and height count nothing', () => {
    const t = treeOf([5, 3, 8, 1, 4])
    const before = { ...t.cost }
    t.check()
    t.checkStructure()
    t.height()
    expect(t.cost).toEqual(before)
  })
})
