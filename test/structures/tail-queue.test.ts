import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TailQueue } from '../../src/structures/tail-queue.js'
import { InvariantError } from '../../src/structures/types.js'
import { ListItem } from './helpers.js'

function ids(q: TailQueue<ListItem>): number[] {
  const out: number[] = []
  for (let x = q.first(); x !== null; x = q.next(x)) {
    out.push(x.id)
    if (out.length > q.length) throw new Error('walk longer than length')
  }
  return out
}

function reverseIds(q: TailQueue<ListItem>): number[] {
  const out: number[] = []
  for (let x = q.last(); x !== null; x = q.prev(x)) {
    out.push(x.id)
    if (out.length > q.length) throw new Error('walk longer than length')
  }
  return out
}

function items(n: number): ListItem[] {
  return Array.from({ length: n }, (_, i) => new ListItem(i))
}

function expectUnlinked(x: ListItem): void {
  expect(x.tqNext).toBeNull()
  expect(x.tqPrev).toBeNull()
}

describe('TailQueue insertion positions', () => {
  it('starts empty', () => {
    const q = new TailQueue<ListItem>()
    q.check()
    expect(q.length).toBe(0)
    expect(q.first()).toBeNull()
    expect(q.last()).toBeNull()
  })

  it('insertHead prepends and insertTail appends', () => {
    const [a, b, c, d] = items(4) as [ListItem, ListItem, ListItem, ListItem]
    const q = new TailQueue<ListItem>()
    q.insertHead(b)
    q.check()
    q.insertHead(a)
    q.insertTail(c)
    q.insertTail(d)
    q.check()
    expect(ids(q)).toEqual([0, 1, 2, 3])
    expect(reverseIds(q)).toEqual([3, 2, 1, 0])
    expect(q.first()).toBe(a)
    expect(q.last()).toBe(d)
    expect(q.length).toBe(4)
  })

  it('insertTail into an empty queue sets head and tail', () => {
    const [a] = items(1) as [ListItem]
    const q = new TailQueue<ListItem>()
    q.insertTail(a)
    q.check()
    expect(q.first()).toBe(a)
    expect(q.last()).toBe(a)
    expectUnlinked(a)
  })

  it('insertAfter in the middle and after the tail', () => {
    const [a, b, c, d] = items(4) as [ListItem, ListItem, ListItem, ListItem]
    const q = new TailQueue<ListItem>()
    q.insertHead(a)
    q.insertAfter(a, c) // after the only element = new tail
    expect(q.last()).toBe(c)
    q.insertAfter(a, b) // middle
    q.insertAfter(c, d) // after the tail
    q.check()
    expect(ids(q)).toEqual([0, 1, 2, 3])
    expect(q.last()).toBe(d)
  })

  it('insertBefore in the middle and before the head', () => {
    const [a, b, c, d] = items(4) as [ListItem, ListItem, ListItem, ListItem]
    const q = new TailQueue<ListItem>()
    q.insertTail(d)
    q.insertBefore(d, b) // before the only element = new head
    expect(q.first()).toBe(b)
    q.insertBefore(d, c) // middle
    q.insertBefore(b, a) // before the head
    q.check()
    expect(ids(q)).toEqual([0, 1, 2, 3])
    expect(q.first()).toBe(a)
  })

  it('refuses to insert an element that is already linked', () => {
    const [a, b, c] = items(3) as [ListItem, ListItem, ListItem]
    const q = new TailQueue<ListItem>()
    q.insertTail(a)
    expect(() => q.insertTail(a)).toThrow(InvariantError) // sole element: links null, but it is the head
    q.insertTail(b)
    expect(() => q.insertHead(b)).toThrow(InvariantError)
    expect(() => q.insertAfter(a, a)).toThrow(InvariantError)
    q.check()
    expect(ids(q)).toEqual([0, 1])
    expectUnlinked(c)
  })
})

describe('TailQueue removal', () => {
  function abc(): [TailQueue<ListItem>, ListItem, ListItem, ListItem] {
    const [a, b, c] = items(3) as [ListItem, ListItem, ListItem]
    const q = new TailQueue<ListItem>()
    q.insertTail(a)
    q.insertTail(b)
    q.insertTail(c)
    return [q, a, b, c]
  }

  it('removes the head', () => {
    const [q, a, b] = abc()
    q.remove(a)
    q.check()
    expect(ids(q)).toEqual([1, 2])
    expect(q.first()).toBe(b)
    expect(b.tqPrev).toBeNull()
    expectUnlinked(a)
  })

  it('removes the tail', () => {
    const [q, , b, c] = abc()
    q.remove(c)
    q.check()
    expect(ids(q)).toEqual([0, 1])
    expect(q.last()).toBe(b)
    expect(b.tqNext).toBeNull()
    expectUnlinked(c)
  })

  it('removes a middle element', () => {
    const [q, a, b, c] = abc()
    q.remove(b)
    q.check()
    expect(ids(q)).toEqual([0, 2])
    expect(a.tqNext).toBe(c)
    expect(c.tqPrev).toBe(a)
    expectUnlinked(b)
  })

  it('removes the only element', () => {
    const [a] = items(1) as [ListItem]
    const q = new TailQueue<ListItem>()
    q.insertHead(a)
    q.remove(a)
    q.check()
    expect(q.length).toBe(0)
    expect(q.first()).toBeNull()
    expect(q.last()).toBeNull()
    expectUnlinked(a)
    q.insertTail(a) // re-insertable
    q.check()
    expect(ids(q)).toEqual([0])
  })

  it('refuses to remove an element that is not in the queue', () => {
    const [q] = abc()
    const stranger = new ListItem(9)
    expect(() => q.remove(stranger)).toThrow(InvariantError)
    q.check()
    expect(ids(q)).toEqual([0, 1, 2])
  })

  it('clear unlinks everything and nulls links', () => {
    const [q, a, b, c] = abc()
    q.clear()
    q.check()
    expect(q.length).toBe(0)
    for (const x of [a, b, c]) expectUnlinked(x)
    q.insertTail(c)
    q.insertTail(a)
    q.check()
    expect(ids(q)).toEqual([2, 0])
  })
})

describe('TailQueue.check detects corruption', () => {
  function four(): [TailQueue<ListItem>, ListItem[]] {
    const xs = items(4)
    const q = new TailQueue<ListItem>()
    for (const x of xs) q.insertTail(x)
    return [q, xs]
  }

  it('a broken back link', () => {
    const [q, xs] = four()
    ;(xs[2] as ListItem).tqPrev = xs[0] as ListItem
    expect(() => q.check()).toThrow(/tqPrev/)
  })

  it('a cycle', () => {
    const [q, xs] = four()
    ;(xs[3] as ListItem).tqNext = xs[1] as ListItem
    expect(() => q.check()).toThrow(InvariantError)
  })

  it('a wrong length', () => {
    const [q] = four()
    ;(q as unknown as { count: number }).count = 3
    expect(() => q.check()).toThrow(/length/)
  })

  it('a head with a back link', () => {
    const [q, xs] = four()
    ;(xs[0] as ListItem).tqPrev = xs[3] as ListItem
    expect(() => q.check()).toThrow(/head/)
  })
})

// Random operation sequences against an array oracle, check() and full comparison after every op.
const POOL = 48
const OPS_PER_RUN = 1000
const RUNS = 110

describe('TailQueue property: random operations match an array', () => {
  it(`survives ${RUNS} x ${OPS_PER_RUN} operations`, () => {
    let total = 0
    const opArb = fc.tuple(fc.nat(15), fc.nat(1_000_000))
    fc.assert(
      fc.property(fc.array(opArb, { minLength: OPS_PER_RUN, maxLength: OPS_PER_RUN }), (ops) => {
        const pool = items(POOL)
        const linked = new Array<boolean>(POOL).fill(false)
        const ref: ListItem[] = []
        const q = new TailQueue<ListItem>()
        const pickFree = (r: number): ListItem | null => {
          for (let k = 0; k < POOL; k++) {
            const i = (r + k) % POOL
            if (!linked[i]) return pool[i] as ListItem
          }
          return null
        }
        for (const [op, r] of ops) {
          total++
          const member = ref.length > 0 ? (ref[r % ref.length] as ListItem) : null
          const at = ref.length > 0 ? r % ref.length : -1
          if (op <= 7) {
            // Inserts (half of all ops) keep the queue around half full.
            const x = pickFree(r >>> 3)
            if (x !== null) {
              const kind = op & 3
              if (kind === 0) {
                q.insertHead(x)
                ref.unshift(x)
              } else if (kind === 1 || member === null) {
                q.insertTail(x)
                ref.push(x)
              } else if (kind === 2) {
                q.insertAfter(member, x)
                ref.splice(at + 1, 0, x)
              } else {
                q.insertBefore(member, x)
                ref.splice(at, 0, x)
              }
              linked[x.id] = true
            }
          } else if (op <= 13) {
            if (member !== null) {
              q.remove(member)
              ref.splice(at, 1)
              linked[member.id] = false
              if (member.tqNext !== null || member.tqPrev !== null) expect.fail('remove left links behind')
            }
          } else if (op === 14) {
            if (member !== null) {
              if (q.next(member) !== (ref[at + 1] ?? null)) expect.fail(`next of element ${at}`)
              if (q.prev(member) !== (at > 0 ? ref[at - 1] : null)) expect.fail(`prev of element ${at}`)
            }
          } else if (r % 40 === 0) {
            q.clear()
            for (const x of ref) linked[x.id] = false
            ref.length = 0
          }
          q.check()
          if (q.length !== ref.length) expect.fail(`length ${q.length} != ${ref.length}`)
          if (q.first() !== (ref[0] ?? null) || q.last() !== (ref[ref.length - 1] ?? null)) expect.fail('first/last')
          // Plain comparison first: one expect per element would dominate the run time.
          let x = q.first()
          let same = true
          for (const want of ref) {
            if (x !== want) {
              same = false
              break
            }
            x = want.tqNext
          }
          if (!same || x !== null) expect(ids(q)).toEqual(ref.map((e) => e.id))
        }
      }),
      { seed: 0x7a11, numRuns: RUNS },
    )
    expect(total).toBeGreaterThanOrEqual(100_000)
  })
})

describe('TailQueue cost counters', () => {
  it('insert, remove, next and prev count nothing; clear counts each element once', () => {
    const q = new TailQueue<ListItem>()
    const xs = items(10)
    for (const x of xs) q.insertTail(x)
    q.insertAfter(xs[0] as ListItem, new ListItem(10))
    for (let x = q.first(); x !== null; x = q.next(x)) q.prev(x)
    q.remove(xs[3] as ListItem)
    q.remove(xs[0] as ListItem)
    expect(q.cost).toEqual({ nodesVisited: 0, keyCompares: 0, nodesAllocated: 0, nodesFreed: 0, rotations: 0 })
    q.clear()
    expect(q.cost.nodesVisited).toBe(9)
  })

  it('is deterministic: the same operations give the same counts', () => {
    const run = (): TailQueue<ListItem> => {
      const q = new TailQueue<ListItem>()
      for (let round = 0; round < 5; round++) {
        for (const x of items(20)) q.insertTail(x)
        q.clear()
      }
      return q
    }
    const a = run().cost
    const b = run().cost
    expect(a).toEqual(b)
    expect(a.nodesVisited).toBe(100)
  })
})
