import { describe, expect, it } from 'vitest'
import { glibcMergeSort, ministatVitals } from '../../src/stats/ministat-vitals.js'
import { summarize } from '../../src/stats/summary.js'
import { signed } from '../../src/stats/x86-nan.js'

describe('summarize', () => {
  const c1 = [1.0, 1.2, 0.9, 1.1, 1.05, 0.95] // dataset R4 of the ministat fixtures

  it('exact mode: mean of the two middle values for even n', () => {
    expect(summarize(c1)).toEqual({ n: 6, min: 0.9, max: 1.2, median: 1.025, mean: expect.closeTo(1.0333333333, 9) as number, stddev: expect.closeTo(0.10801234, 8) as number })
  })

  it('ministat mode: the upper-middle element, as Debian ministat prints (1.05)', () => {
    expect(summarize(c1, 'ministat').median).toBe(1.05)
    expect(summarize([5, 1, 3], 'ministat').median).toBe(3)
  })

  it('ministat mode: running-sums variance, which cancels where two-pass does not', () => {
    expect(summarize([0.1, 0.1, 0.1], 'exact').stddev).toBeLessThan(1e-16)
    expect(summarize([0.1, 0.1, 0.1], 'ministat').stddev).toBeNaN() // ministat prints -nan
    const ones = Array.from({ length: 7 }, () => 1.1)
    expect(summarize(ones, 'exact').stddev).toBeLessThan(1e-15)
    expect(summarize(ones, 'ministat').stddev).toBeCloseTo(1.7206379e-8, 14) // ministat prints 1.7206379e-08
  })

  it('agrees between modes on ordinary data', () => {
    const values = [36060, 36138, 36107, 36100, 36121]
    const exact = summarize(values)
    const compat = summarize(values, 'ministat')
    expect(compat.mean).toBe(exact.mean)
    expect(compat.stddev).toBeCloseTo(exact.stddev, 6)
    expect(compat.median).toBe(exact.median)
  })

  it('handles tiny inputs without throwing', () => {
    expect(summarize([7])).toEqual({ n: 1, min: 7, max: 7, median: 7, mean: 7, stddev: Number.NaN })
    expect(summarize([]).n).toBe(0)
    expect(summarize([]).mean).toBeNaN()
    expect(summarize([1, Number.NaN, 3]).median).toBeNaN()
  })
})

describe("ministat's NaN signs", () => {
  const vitals = (text: string[]) => {
    const negative = text.map((t) => t === '-nan')
    return ministatVitals(
      text.map((t) => (t.endsWith('nan') ? Number.NaN : Number(t))),
      negative,
    )
  }

  it('reproduces what Debian ministat printed for these inputs (recorded runs)', () => {
    // nan, -nan, 1  →  Min nan, Max 1, Median -nan, Avg nan, Stddev -nan
    const a = vitals(['nan', '-nan', '1'])
    expect([a.min, a.median, a.mean, a.stddev].map((v) => v.negativeNaN)).toEqual([false, true, false, true])
    expect(a.max.value).toBe(1)
    // 1, inf, -inf  →  Avg -nan (∞ − ∞ is the negative default NaN), Stddev -nan
    const b = vitals(['1', 'Infinity', '-Infinity'])
    expect(b.mean.negativeNaN).toBe(true)
    expect(b.stddev.negativeNaN).toBe(true)
    // 0.1 ×3  →  Stddev -nan (√ of a tiny negative)
    expect(vitals(['0.1', '0.1', '0.1']).stddev).toEqual({ value: Number.NaN, negativeNaN: true })
  })

  it('sorts like glibc qsort: stable, NaN compares equal to everything', () => {
    const sorted = glibcMergeSort([signed(Number.NaN), signed(Number.NaN, true), signed(1)])
    expect(sorted.map((v) => (Number.isNaN(v.value) ? (v.negativeNaN ? '-nan' : 'nan') : v.value))).toEqual(['nan', '-nan', 1])
    const zeros = glibcMergeSort([signed(0), signed(-0), signed(5)])
    expect(Object.is(zeros[1]?.value, -0)).toBe(true) // the median of 0, -0, 5 prints "-0"
  })
})
