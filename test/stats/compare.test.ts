import { describe, expect, it } from 'vitest'
import { WELCH_SIZE_RATIO, WELCH_VARIANCE_RATIO, chooseTest, compareDatasets } from '../../src/stats/compare.js'
import { tQuantile } from '../../src/stats/student-t.js'

const a = [1, 2, 3, 4, 5]
const b = [10, 11, 12, 13, 14]
// FreeBSD ministat README, second example: the points behind its plot and vitals
const readmeX = [0.133, 0.135, 0.136, 0.136, 0.137]
const readmePlus = [0.139, 0.139, 0.139, 0.14, 0.14]

describe('compareDatasets, ministat mode', () => {
  it("reproduces ministat's README example: 0.004 +/- 0.00166288, pooled s = 0.00114018", () => {
    const c = compareDatasets(readmeX, readmePlus, { mode: 'ministat' })
    expect(c.delta).toBeCloseTo(0.004, 15)
    expect(c.deltaHalfWidth).toBeCloseTo(0.00166288, 8)
    expect(c.pooledStddev).toBeCloseTo(0.00114018, 8)
    expect(c.relativePercent).toBeCloseTo(2.95421, 5)
    expect(c.relativeHalfWidthPercent).toBeCloseTo(1.22812, 5)
    expect(c).toMatchObject({ test: 'student', df: 8, tCritical: 2.306, significant: true, verdict: 'slower' })
  })

  it('reproduces R2: 9 +/- 2.306, 300% +/- 76.8667%', () => {
    const c = compareDatasets(a, b, { mode: 'ministat' })
    // s_p = √2.5, and √2.5·√(2/5) = 1, so e is the table's t
    expect(c.deltaHalfWidth).toBeCloseTo(2.306, 12)
    expect(c.relativePercent).toBeCloseTo(300, 12)
    expect(c.relativeHalfWidthPercent).toBeCloseTo(76.8667, 4)
  })

  it("uses the table's mislabelled 99.5 % column, typos included", () => {
    // df 8: the column holds 99.8 % values (t = 4.501), and this row's is misprinted 4.499
    expect(compareDatasets(a, b, { mode: 'ministat', confidence: 99.5 }).tCritical).toBe(4.499)
    // df 9: 4.2968 is truncated to 4.296 there
    expect(compareDatasets([1, 2, 3, 4, 5, 6], b, { mode: 'ministat', confidence: 99.5 }).tCritical).toBe(4.296)
  })

  it('is strict: identical datasets are no difference', () => {
    const c = compareDatasets([5, 5, 5], [5, 5, 5], { mode: 'ministat' })
    expect(c.significant).toBe(false)
    expect(c.verdict).toBe('no difference proven')
  })

  it("refuses Welch and levels ministat does not know", () => {
    expect(() => compareDatasets(a, b, { mode: 'ministat', test: 'welch' })).toThrow(RangeError)
    expect(() => compareDatasets(a, b, { mode: 'ministat', confidence: 97 })).toThrow(RangeError)
  })
})

describe('compareDatasets, exact mode', () => {
  it('pooled Student: exact t(95 %, 8) and the baseline-aware relative interval', () => {
    const c = compareDatasets(a, b, { test: 'student' })
    expect(c.tCritical).toBeCloseTo(2.306004135, 9)
    expect(c.deltaHalfWidth).toBeCloseTo(2.306004135, 9)
    expect(c.pooledStddev).toBeCloseTo(Math.sqrt(2.5), 14)
    // ratio R = 4: √(((4·2.5 + 4·2.5·16)/8)·(2/5)) = √8.5; ·t·100/3 = 224.103 % (worked by hand)
    expect(c.relativeHalfWidthPercent).toBeCloseTo(224.103, 3)
    expect(c.relativePercent).toBeCloseTo(300, 12)
  })

  it("Welch: Welch–Satterthwaite df and an unpooled standard error (hand-checked)", () => {
    const wide = [80, 90, 100, 110, 120] // variance 250 against 2.5
    const c = compareDatasets(a, wide)
    // se² = 2.5/5 + 250/5 = 50.5; df = 50.5² / ((0.5)²/4 + 50²/4) = 4.0799920008
    expect(c.test).toBe('welch')
    expect(c.df).toBeCloseTo(4.0799920008, 9)
    expect(c.tCritical).toBeCloseTo(2.755108318429285, 9) // scipy stats.t.ppf(0.975, 4.0799920008)
    expect(c.deltaHalfWidth).toBeCloseTo(2.755108318429285 * Math.sqrt(50.5), 9)
    expect(c.pooledStddev).toBeNaN()
    // ratio R = 100/3: 100·t·√(250/5 + R²·2.5/5)/3
    const r = 100 / 3
    expect(c.relativeHalfWidthPercent).toBeCloseTo((100 * 2.755108318429285 * Math.sqrt(50 + r * r * 0.5)) / 3, 9)
    expect(c.verdict).toBe('slower')
  })

  it('says faster when the other mean is significantly lower', () => {
    expect(compareDatasets(b, a).verdict).toBe('faster')
    expect(compareDatasets(b, a).delta).toBe(-9)
  })

  it('takes any confidence level', () => {
    expect(compareDatasets(a, b, { confidence: 97 }).tCritical).toBeCloseTo(tQuantile(97, 8), 15)
    expect(() => compareDatasets(a, b, { confidence: 100 })).toThrow(RangeError)
  })

  it("'auto' picks Welch above the documented thresholds", () => {
    expect(WELCH_VARIANCE_RATIO).toBe(4)
    expect(WELCH_SIZE_RATIO).toBe(2)
    expect(chooseTest(5, 1, 5, 4)).toBe('student')
    expect(chooseTest(5, 1, 5, 4.01)).toBe('welch')
    expect(chooseTest(5, 1, 9, 1)).toBe('student')
    expect(chooseTest(5, 1, 10, 1)).toBe('welch')
    expect(chooseTest(5, 0, 5, 0)).toBe('student')
  })

  it('gives no verdict rather than a wrong one on degenerate data', () => {
    expect(compareDatasets([1], [2]).significant).toBe(false)
    const zero = compareDatasets([5, 5, 5], [5, 5, 5, 5, 5, 5])
    expect(zero.significant).toBe(false)
    const constantApart = compareDatasets([5, 5, 5], [6, 6, 6, 6, 6, 6])
    expect(constantApart.verdict).toBe('slower')
  })

})
