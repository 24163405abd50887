import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EINVAL, ENOMEM, ENOSPC } from '../../src/errno.js'
import { RangeNode, RangeSet } from '../../src/structures/rangeset.js'
import type { RangeSetOptions } from '../../src/structures/rangeset.js'
import { InvariantError } from '../../src/structures/types.js'

type Ranges = Array<[number, number]>

function setOf(ranges: Ranges, options?: RangeSetOptions): RangeSet {
  const s = new RangeSet(options)
  for (const [a, b] of ranges) expect(s.add(a, b)).toBe(0)
  s.check()
  return s
}

function reported(s: RangeSet, start: number, end: number): Ranges {
  const out: Ranges = []
  s.report(start, end, (a, b) => {
    out.push([a, b])
  })
  return out
}

describe('RangeSet add (union)', () => {
  it('merges adjacent ranges: [0,1] + [2,3] = [0,3]', () => {
    const s = setOf([[0, 1]])
    expect(s.add(2, 3)).toBe(0)
    s.check()
    expect(s.toArray()).toEqual([[0, 3]])
  })

  it('merges adjacency on the left, and bridges two ranges', () => {
    const s = setOf([[2, 3]])
    s.add(0, 1)
    expect(s.toArray()).toEqual([[0, 3]])
    const t = setOf([
      [0, 1],
      [5, 6],
      [9, 9],
    ])
    t.add(2, 4)
    t.check()
    expect(t.toArray()).toEqual([
      [0, 6],
      [9, 9],
    ])
  })

  it('swallows every range it covers, whether x touches start or not', () => {
    const base: Ranges = [
      [2, 3],
      [6, 7],
      [10, 11],
      [14, 15],
    ]
    const s = setOf(base)
    s.add(5, 12) // x = [2,3] does not touch 5: the survivor is [6,7]
    s.check()
    expect(s.toArray()).toEqual([
      [2, 3],
      [5, 12],
      [14, 15],
    ])
    const t = setOf(base)
    t.add(0, 20) // x = null: the survivor is the first range
    t.check()
    expect(t.toArray()).toEqual([[0, 20]])
    const u = setOf(base)
    u.add(4, 13) // x = [2,3] touches 4; the end merges with [14,15]
    u.check()
    expect(u.toArray()).toEqual([[2, 15]])
  })

  it('rejects bad ranges with -EINVAL and changes nothing', () => {
    const s = setOf([[5, 6]], { maxValue: 100 })
    expect(s.add(3, 2)).toBe(-EINVAL)
    expect(s.add(-1, 2)).toBe(-EINVAL)
    expect(s.add(50, 101)).toBe(-EINVAL)
    expect(s.add(1.5, 2)).toBe(-EINVAL)
    expect(s.add(Number.NaN, 2)).toBe(-EINVAL)
    expect(s.remove(9, 8)).toBe(-EINVAL)
    expect(s.remove(0, 101)).toBe(-EINVAL)
    expect(s.add(100, 100)).toBe(0) // maxValue itself is fine
    s.check()
    expect(s.toArray()).toEqual([
      [5, 6],
      [100, 100],
    ])
  })
})

describe('RangeSet remove (difference)', () => {
  it('{[0,1],[4,5]} - [3,4] = {[0,1],[5,5]} (the 2025 fix: x is trimmed only if it reaches start)', () => {
    const s = setOf([
      [0, 1],
      [4, 5],
    ])
    expect(s.remove(3, 4)).toBe(0)
    s.check()
    expect(s.toArray()).toEqual([
      [0, 1],
      [5, 5],
    ])
  })

  it('splits a range that strictly contains the hole', () => {
    const s = setOf([[0, 9]])
    s.remove(3, 5)
    s.check()
    expect(s.toArray()).toEqual([
      [0, 2],
      [6, 9],
    ])
  })

  it('trims the start, trims the end, deletes whole ranges', () => {
    const s = setOf([
      [0, 9],
      [20, 29],
      [40, 49],
    ])
    s.remove(0, 3) // starts at start: trim start
    s.remove(27, 45) // x trimmed at the end, y trimmed at the start
    s.check()
    expect(s.toArray()).toEqual([
      [4, 9],
      [20, 26],
      [46, 49],
    ])
    s.remove(20, 30) // starts exactly at start and ends inside: deleted
    s.remove(5, 5)
    s.remove(46, 49)
    s.check()
    expect(s.toArray()).toEqual([
      [4, 4],
      [6, 9],
    ])
    s.remove(0, 100)
    expect(s.toArray()).toEqual([])
    expect(s.remove(0, 100)).toBe(0)
  })

  it('x starting exactly at start is deleted with the ranges between (x !== y)', () => {
    const s = setOf([
      [3, 4],
      [7, 8],
      [11, 15],
    ])
    s.remove(3, 12)
    s.check()
    expect(s.toArray()).toEqual([[13, 15]])
  })
})

describe('RangeSet queries', () => {
  const s = setOf([
    [2, 4],
    [8, 8],
    [10, 20],
  ])

  it('find is the highest range starting at or below the value', () => {
    expect(s.find(1)).toBeNull()
    expect(s.find(2)?.start).toBe(2)
    expect(s.find(6)?.start).toBe(2) // in a gap: the range before it
    expect(s.find(8)?.start).toBe(8)
    expect(s.find(99)?.start).toBe(10)
  })

  it('contains needs the whole interval inside one range', () => {
    expect(s.contains(2, 4)).toBe(true)
    expect(s.contains(3, 3)).toBe(true)
    expect(s.contains(4, 5)).toBe(false)
    expect(s.contains(12, 20)).toBe(true)
    expect(s.contains(12, 21)).toBe(false)
    expect(s.contains(0, 1)).toBe(false)
    expect(s.contains(5, 4)).toBe(false) // invalid
  })

  it('overlaps', () => {
    expect(s.overlaps(0, 1)).toBe(false)
    expect(s.overlaps(0, 2)).toBe(true)
    expect(s.overlaps(5, 7)).toBe(false)
    expect(s.overlaps(5, 8)).toBe(true)
    expect(s.overlaps(20, 30)).toBe(true)
    expect(s.overlaps(21, 30)).toBe(false)
  })

  it('report clips to the window, in order', () => {
    expect(reported(s, 3, 12)).toEqual([
      [3, 4],
      [8, 8],
      [10, 12],
    ])
    expect(reported(s, 5, 7)).toEqual([])
    expect(reported(s, 0, 100)).toEqual(s.toArray())
  })

  it('first/next walk the ranges', () => {
    const out: Ranges = []
    for (let x = s.first(); x !== null; x = s.next(x)) out.push([x.start, x.end])
    expect(out).toEqual(s.toArray())
    expect(s.rangeCount).toBe(3)
  })
})

describe('RangeSet claim (Xen claim_range)', () => {
  it('claim on an empty set returns 0', () => {
    const s = new RangeSet()
    expect(s.claim(4)).toBe(0)
    s.check()
    expect(s.toArray()).toEqual([[0, 3]])
  })

  it('fills the first gap wide enough, extending the previous range', () => {
    const s = setOf([
      [0, 1],
      [4, 5],
      [12, 20],
    ])
    expect(s.claim(3)).toBe(6) // gap [2,3] is too small, gap [6,11] fits
    s.check()
    expect(s.toArray()).toEqual([
      [0, 1],
      [4, 8],
      [12, 20],
    ])
    expect(s.claim(2)).toBe(2) // now [2,3] fits exactly; merged both ways by default
    s.check()
    expect(s.toArray()).toEqual([
      [0, 8],
      [12, 20],
    ])
  })

  it('a gap before the first range gets a new first node', () => {
    const s = setOf([[5, 9]])
    expect(s.claim(3)).toBe(0)
    s.check()
    expect(s.toArray()).toEqual([
      [0, 2],
      [5, 9],
    ])
  })

  it('claims the tail gap up to maxValue, then -ENOSPC when full', () => {
    const s = setOf([[0, 4]], { maxValue: 9 })
    expect(s.claim(6)).toBe(-ENOSPC) // only 5 values left
    expect(s.claim(5)).toBe(5)
    s.check()
    expect(s.toArray()).toEqual([[0, 9]])
    expect(s.claim(1)).toBe(-ENOSPC) // a range ends at maxValue
    const t = setOf(
      [
        [0, 2],
        [5, 9],
      ],
      { maxValue: 9 },
    )
    expect(t.claim(3)).toBe(-ENOSPC)
    expect(t.claim(2)).toBe(3)
    expect(t.toArray()).toEqual([[0, 9]])
    const u = new RangeSet({ maxValue: 0 })
    expect(u.claim(2)).toBe(-ENOSPC)
    expect(u.claim(1)).toBe(0)
    expect(u.claim(1)).toBe(-ENOSPC)
  })

  it('works at the default maxValue (2^52 - 1)', () => {
    const top = 2 ** 52 - 1
    const s = setOf([[0, top - 10]])
    expect(s.claim(11)).toBe(-ENOSPC) // the tail gap [top-9, top] has 10 values
    expect(s.claim(10)).toBe(top - 9)
    s.check()
    expect(s.toArray()).toEqual([[0, top]])
    expect(s.claim(1)).toBe(-ENOSPC)
  })

  it('rejects sizes that are not positive integers', () => {
    const s = new RangeSet()
    expect(s.claim(0)).toBe(-EINVAL)
    expect(s.claim(-3)).toBe(-EINVAL)
    expect(s.claim(1.5)).toBe(-EINVAL)
    expect(s.toArray()).toEqual([])
  })

  it('claimNoMerge leaves touching ranges, which check() accepts', () => {
    const s = setOf(
      [
        [0, 1],
        [4, 9],
      ],
      { claimNoMerge: true },
    )
    expect(s.claim(2)).toBe(2) // extends [0,1] to [0,3], which now touches [4,9]
    s.check()
    expect(s.toArray()).toEqual([
      [0, 3],
      [4, 9],
    ])
    // Xen's contains_range looks at one range, so the union [0,9] is not "contained".
    expect(s.contains(2, 5)).toBe(false)
    expect(s.overlaps(2, 5)).toBe(true)
    const t = setOf([[2, 9]], { claimNoMerge: true })
    expect(t.claim(2)).toBe(0) // new first node, not merged
    t.check()
    expect(t.toArray()).toEqual([
      [0, 1],
      [2, 9],
    ])
    // The same state without the quirk fails check().
    const merged = setOf([[2, 9]])
    merged.claim(2)
    expect(merged.toArray()).toEqual([[0, 9]])
    const touching = setOf([
      [0, 1],
      [5, 9],
    ])
    ;(touching.next(touching.first() as RangeNode) as RangeNode).start = 2
    expect(() => touching.check()).toThrow(/touch/)
  })
})

describe('RangeSet maxRanges cap (-ENOMEM, set unchanged)', () => {
  it('add needing a node at the cap fails', () => {
    const s = setOf(
      [
        [0, 1],
        [5, 6],
      ],
      { maxRanges: 2 },
    )
    const before = s.toArray()
    expect(s.add(10, 11)).toBe(-ENOMEM)
    // Xen allocates before merging: [3,4] would merge into [5,6] (no net node), yet fails at the cap.
    expect(s.add(3, 4)).toBe(-ENOMEM)
    s.check()
    expect(s.toArray()).toEqual(before)
    expect(s.add(2, 3)).toBe(0) // touches [0,1]: extends, no node needed
    expect(s.add(7, 8)).toBe(0)
    s.check()
    expect(s.toArray()).toEqual([
      [0, 3],
      [5, 8],
    ])
  })

  it('a split at the cap fails; trims do not', () => {
    const s = setOf(
      [
        [0, 10],
        [20, 30],
      ],
      { maxRanges: 2 },
    )
    const before = s.toArray()
    expect(s.remove(25, 26)).toBe(-ENOMEM)
    s.check()
    expect(s.toArray()).toEqual(before)
    expect(s.remove(20, 22)).toBe(0)
    expect(s.remove(8, 24)).toBe(0)
    expect(s.toArray()).toEqual([
      [0, 7],
      [25, 30],
    ])
  })

  it('a claim needing a new first node at the cap fails; extending does not', () => {
    const s = setOf(
      [
        [5, 9],
        [20, 30],
      ],
      { maxRanges: 2 },
    )
    const before = s.toArray()
    expect(s.claim(2)).toBe(-ENOMEM)
    expect(s.toArray()).toEqual(before)
    const t = setOf([[0, 9]], { maxRanges: 1 })
    expect(t.claim(5)).toBe(10)
    expect(t.toArray()).toEqual([[0, 14]])
  })

  it('maxRanges 0 refuses every node', () => {
    const s = new RangeSet({ maxRanges: 0 })
    expect(s.add(0, 0)).toBe(-ENOMEM)
    expect(s.claim(1)).toBe(-ENOMEM)
    s.check()
    expect(s.rangeCount).toBe(0)
  })
})

describe('RangeSet options and check()', () => {
  it('rejects invalid options', () => {
    expect(() => new RangeSet({ maxValue: -1 })).toThrow(RangeError)
    expect(() => new RangeSet({ maxValue: 2 ** 53 })).toThrow(RangeError)
    expect(() => new RangeSet({ maxRanges: 1.5 })).toThrow(RangeError)
    expect(() => new RangeSet({ maxRanges: -1 })).toThrow(RangeError)
    expect(new RangeSet().maxValue).toBe(2 ** 52 - 1)
    expect(new RangeSet().maxRanges).toBe(Infinity)
  })

  it('clear drops everything and counts frees', () => {
    const s = setOf([
      [0, 1],
      [3, 4],
      [6, 7],
    ])
    const freed = s.cost.nodesFreed
    s.clear()
    s.check()
    expect(s.rangeCount).toBe(0)
    expect(s.first()).toBeNull()
    expect(s.cost.nodesFreed - freed).toBe(3)
  })

  it('detects overlap, disorder, start > end, out of range and broken links', () => {
    const mk = (): [RangeSet, RangeNode, RangeNode] => {
      const s = setOf(
        [
          [0, 1],
          [5, 6],
        ],
        { maxValue: 50 },
      )
      const a = s.first() as RangeNode
      return [s, a, s.next(a) as RangeNode]
    }
    let [s, a, b] = mk()
    a.end = 5
    expect(() => s.check()).toThrow(/overlap/)
    ;[s, a, b] = mk()
    b.start = 7
    b.end = 6
    expect(() => s.check()).toThrow(/start > end/)
    ;[s, a, b] = mk()
    b.end = 51
    expect(() => s.check()).toThrow(/outside/)
    ;[s, a, b] = mk()
    b.tqPrev = null
    expect(() => s.check()).toThrow(InvariantError)
    ;[s, a] = mk()
    a.start = 0.5
    expect(() => s.check()).toThrow(/integral/)
  })
})

// --- Property tests against a value-level oracle ------------------------------------------------

/**
 * Oracle: one flag per value of the window [base, base + width - 1]; every value below base is
 * in the set (the runs near maxValue pre-fill [0, base - 1]). maxValue is the window's top.
 */
class Oracle {
  readonly base: number
  readonly width: number
  readonly bits: Uint8Array

  constructor(base: number, width: number) {
    this.base = base
    this.width = width
    this.bits = new Uint8Array(width)
  }

  setRange(s: number, e: number, v: 0 | 1): void {
    this.bits.fill(v, s - this.base, e - this.base + 1)
  }

  all(s: number, e: number): boolean {
    for (let v = s; v <= e; v++) if (this.bits[v - this.base] === 0) return false
    return true
  }

  any(s: number, e: number): boolean {
    for (let v = s; v <= e; v++) if (this.bits[v - this.base] === 1) return true
    return false
  }

  /** Maximal runs, absolute values; the pre-filled prefix [0, base-1] included. */
  intervals(): Ranges {
    const out: Ranges = []
    let runStart = this.base > 0 ? 0 : -1
    for (let i = 0; i < this.width; i++) {
      if (this.bits[i] === 1) {
        if (runStart < 0) runStart = this.base + i
      } else if (runStart >= 0) {
        out.push([runStart, this.base + i - 1])
        runStart = -1
      }
    }
    if (runStart >= 0) out.push([runStart, this.base + this.width - 1])
    return out
  }

  /** First-fit: the low end of the first maximal free run with >= size values, else -ENOSPC. */
  claim(size: number): number {
    let free = 0
    for (let i = 0; i < this.width; i++) {
      if (this.bits[i] === 0) {
        if (++free === size) return this.base + i - size + 1
      } else {
        free = 0
      }
    }
    return -ENOSPC
  }
}

function valuesOf(ranges: Ranges, base: number, width: number): Uint8Array {
  const bits = new Uint8Array(width)
  for (const [a, b] of ranges) {
    const lo = Math.max(a, base)
    if (b >= lo) bits.fill(1, lo - base, b - base + 1)
  }
  return bits
}

function sameRanges(a: Ranges, b: Ranges): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as [number, number]
    const y = b[i] as [number, number]
    if (x[0] !== y[0] || x[1] !== y[1]) return false
  }
  return true
}

function highestStartAtOrBelow(ranges: Ranges, v: number): [number, number] | null {
  let best: [number, number] | null = null
  for (const r of ranges) if (r[0] <= v) best = r
  return best
}

function clip(ranges: Ranges, s: number, e: number): Ranges {
  const out: Ranges = []
  for (const [a, b] of ranges) if (b >= s && a <= e) out.push([Math.max(a, s), Math.min(b, e)])
  return out
}

interface RunConfig {
  base: number
  width: number
  claimNoMerge: boolean
  maxRanges: number
}

interface RunStats {
  ops: number
  enomem: number
  touching: number
  maxRanges: number
}

type Op = readonly [op: number, offset: number, len: number, r: number]

function runOps(cfg: RunConfig, ops: readonly Op[], stats: RunStats): void {
  const { base, width } = cfg
  const top = base + width - 1
  const options: RangeSetOptions = { maxValue: top, claimNoMerge: cfg.claimNoMerge }
  if (cfg.maxRanges !== Infinity) options.maxRanges = cfg.maxRanges
  const set = new RangeSet(options)
  if (base > 0) expect(set.add(0, base - 1)).toBe(0)
  const ref = new Oracle(base, width)
  const exact = !cfg.claimNoMerge // ranges are maximal, so the structure must equal the oracle's runs

  const fail = (what: string): never => expect.fail(`${what} (state ${JSON.stringify(set.toArray())})`)

  for (const [op, offset, len, r] of ops) {
    stats.ops++
    const s = base + offset
    const e = Math.min(top, s + len)
    const before = set.toArray()
    const countBefore = set.rangeCount
    // Mutations return a result; on -ENOMEM nothing may change and the oracle is not updated.
    let result = 0
    let mutated = false
    switch (op) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        result = set.add(s, e)
        mutated = true
        if (result === 0) ref.setRange(s, e, 1)
        break
      case 5:
      case 6:
      case 7:
        result = set.remove(s, e)
        mutated = true
        if (result === 0) ref.setRange(s, e, 0)
        break
      case 8: {
        const want = exact ? ref.all(s, e) : before.some(([a, b]) => a <= s && b >= e)
        if (set.contains(s, e) !== want) fail(`contains(${s}, ${e}) should be ${want}`)
        if (want && !ref.all(s, e)) fail(`contains(${s}, ${e}) but values are missing`)
        break
      }
      case 9:
        if (set.overlaps(s, e) !== ref.any(s, e)) fail(`overlaps(${s}, ${e})`)
        break
      case 10: {
        const v = Math.max(0, s - 2)
        const got = set.find(v)
        const want = highestStartAtOrBelow(exact ? ref.intervals() : before, v)
        if (want === null ? got !== null : got === null || got.start !== want[0] || got.end !== want[1]) fail(`find(${v})`)
        break
      }
      case 11: {
        const got: Ranges = []
        set.report(s, e, (a, b) => {
          got.push([a, b])
        })
        if (!sameRanges(got, clip(before, s, e))) fail(`report(${s}, ${e})`)
        if (exact && !sameRanges(got, clip(ref.intervals(), s, e))) fail(`report(${s}, ${e}) vs oracle`)
        break
      }
      case 12:
      case 13: {
        const size = 1 + (r % 8 === 0 ? len : len % 6)
        const want = ref.claim(size)
        result = set.claim(size)
        mutated = true
        if (result !== -ENOMEM) {
          if (result !== want) fail(`claim(${size}) = ${result}, oracle ${want}`)
          if (want >= 0) ref.setRange(want, want + size - 1, 1)
        }
        break
      }
      case 14: {
        // Invalid requests: -EINVAL / false / no callback, and no change.
        const k = r % 7
        if (k === 0 && s < e) result = set.add(e, s)
        else if (k === 1) result = set.add(s, top + 1)
        else if (k === 2) result = set.remove(-1, e)
        else if (k === 3) result = set.claim(-(r % 3))
        else if (k === 4) result = set.remove(0.5, e) // s + 0.5 would round to an integer near 2^53
        else if (k === 5) {
          if (set.contains(e + 1, s) || set.overlaps(e + 1, s)) fail('query on an empty interval')
          set.report(e + 1, s, () => fail('report on an empty interval'))
          result = -EINVAL
        } else result = set.claim(1.25)
        if (result !== -EINVAL) fail(`invalid request ${k} returned ${result}`)
        break
      }
      default:
        if (r % 25 === 0) {
          set.clear()
          if (base > 0) expect(set.add(0, base - 1)).toBe(0)
          ref.bits.fill(0)
        } else {
          // A wide remove keeps the set from filling up.
          result = set.remove(s, Math.min(top, s + 3 * len))
          mutated = true
          if (result === 0) ref.setRange(s, Math.min(top, s + 3 * len), 0)
        }
    }

    set.check()
    const after = set.toArray()
    if (result === -ENOMEM) {
      stats.enomem++
      if (countBefore !== cfg.maxRanges) fail(`-ENOMEM with ${countBefore} ranges below the cap ${cfg.maxRanges}`)
      if (!sameRanges(after, before)) fail('-ENOMEM changed the set')
    } else if (mutated && result < 0 && result !== -ENOSPC) {
      fail(`unexpected result ${result}`)
    }
    if (exact) {
      if (!sameRanges(after, ref.intervals())) {
        expect(after).toEqual(ref.intervals())
      }
    } else {
      const got = valuesOf(after, base, width)
      if (got.some((b, i) => b !== ref.bits[i])) fail('values differ from the oracle')
      if (base > 0 && (after[0]?.[0] !== 0 || after[0][1] < base - 1)) fail('prefix lost')
      for (let i = 1; i < after.length; i++) {
        if ((after[i - 1] as [number, number])[1] + 1 === (after[i] as [number, number])[0]) stats.touching++
      }
    }
    if (set.rangeCount > stats.maxRanges) stats.maxRanges = set.rangeCount
  }
}

const opArb: fc.Arbitrary<Op> = fc.tuple(
  fc.nat(15),
  fc.nat(200),
  fc.oneof({ arbitrary: fc.nat(5), weight: 5 }, { arbitrary: fc.nat(60), weight: 1 }),
  fc.nat(1 << 20),
)

function opsArb(n: number): fc.Arbitrary<Op[]> {
  return fc.array(opArb, { minLength: n, maxLength: n })
}

function newStats(): RunStats {
  return { ops: 0, enomem: 0, touching: 0, maxRanges: 0 }
}

const WIDTH = 201 // values 0..200
const OPS = 1000
let grandTotal = 0

describe('RangeSet property: random operations match a value oracle', () => {
  it('small domain 0..200, merging (50 x 1000 ops)', () => {
    const stats = newStats()
    const cfg: RunConfig = { base: 0, width: WIDTH, claimNoMerge: false, maxRanges: Infinity }
    fc.assert(
      fc.property(opsArb(OPS), (ops) => runOps(cfg, ops, stats)),
      { seed: 0x5e7, numRuns: 50 },
    )
    grandTotal += stats.ops
    expect(stats.ops).toBe(50 * OPS)
    expect(stats.maxRanges).toBeGreaterThanOrEqual(15) // the set really fragments
  })

  it('the 201 values just below the default maxValue 2^52 - 1 (15 x 1000 ops)', () => {
    const stats = newStats()
    const cfg: RunConfig = { base: 2 ** 52 - WIDTH, width: WIDTH, claimNoMerge: false, maxRanges: Infinity }
    fc.assert(
      fc.property(opsArb(OPS), (ops) => runOps(cfg, ops, stats)),
      { seed: 0xa11ce, numRuns: 15 },
    )
    grandTotal += stats.ops
  })

  it('the 201 values just below Number.MAX_SAFE_INTEGER (10 x 1000 ops)', () => {
    const stats = newStats()
    const cfg: RunConfig = {
      base: Number.MAX_SAFE_INTEGER - WIDTH + 1,
      width: WIDTH,
      claimNoMerge: false,
      maxRanges: Infinity,
    }
    fc.assert(
      fc.property(opsArb(OPS), (ops) => runOps(cfg, ops, stats)),
      { seed: 0xb0b, numRuns: 10 },
    )
    grandTotal += stats.ops
  })

  it('claimNoMerge: same values, touching ranges allowed (20 x 1000 ops)', () => {
    const stats = newStats()
    const cfg: RunConfig = { base: 0, width: WIDTH, claimNoMerge: true, maxRanges: Infinity }
    fc.assert(
      fc.property(opsArb(OPS), (ops) => runOps(cfg, ops, stats)),
      { seed: 0xc1a1, numRuns: 20 },
    )
    grandTotal += stats.ops
    expect(stats.touching).toBeGreaterThan(0) // the quirk was exercised
  })

  it('maxRanges cap 1..8: -ENOMEM only at the cap and never a change (20 x 1000 ops)', () => {
    const stats = newStats()
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), opsArb(OPS), (cap, ops) =>
        runOps({ base: 0, width: WIDTH, claimNoMerge: false, maxRanges: cap }, ops, stats),
      ),
      { seed: 0xcab, numRuns: 20 },
    )
    grandTotal += stats.ops
    expect(stats.enomem).toBeGreaterThan(100)
  })

  it('ran at least 100,000 operations in total', () => {
    expect(grandTotal).toBeGreaterThanOrEqual(100_000)
  })
})

describe('RangeSet cost counters', () => {
  function workload(s: RangeSet): void {
    for (let i = 0; i < 50; i++) s.add(i * 10, i * 10 + 3)
    for (let i = 0; i < 50; i += 3) s.remove(i * 10 + 1, i * 10 + 1)
    for (let i = 0; i < 20; i++) s.claim(1 + (i % 4))
    s.contains(100, 102)
    s.overlaps(5, 500)
    s.report(0, 1000, () => undefined)
    s.clear()
  }

  it('the same operations give the same counts', () => {
    const a = new RangeSet()
    const b = new RangeSet()
    workload(a)
    workload(b)
    expect(a.cost).toEqual(b.cost)
    expect(a.cost.nodesAllocated).toBe(a.cost.nodesFreed) // everything freed by clear()
    expect(a.cost.nodesAllocated).toBeGreaterThan(50)
    expect(a.cost.rotations).toBe(0)
  })

  it('find walks from the head: one visit and one compare per node examined', () => {
    const s = setOf([
      [0, 1],
      [5, 6],
      [10, 11],
    ])
    const c0 = { ...s.cost }
    s.find(7) // examines [0,1], [5,6], stops at [10,11]
    expect(s.cost.nodesVisited - c0.nodesVisited).toBe(3)
    expect(s.cost.keyCompares - c0.keyCompares).toBe(3)
    const c1 = { ...s.cost }
    s.next(s.first() as RangeNode)
    s.toArray()
    s.check()
    expect(s.cost).toEqual(c1) // next, toArray and check count nothing
  })

  it('allocations and frees match the nodes created and dropped', () => {
    const s = new RangeSet()
    s.add(0, 9)
    expect(s.cost.nodesAllocated).toBe(1)
    s.remove(3, 4) // split
    expect(s.cost.nodesAllocated).toBe(2)
    s.add(3, 4) // merges both sides: frees the right part
    expect(s.cost.nodesFreed).toBe(1)
    expect(s.rangeCount).toBe(1)
  })
})
