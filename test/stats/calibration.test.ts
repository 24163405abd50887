import { describe, expect, it } from 'vitest'
import { effectOf, familyWiseRate, summarizeCalibration } from '../../src/stats/calibration.js'

const aa = (p: number, significant = p < 0.05) => ({ ratio: 1, p, significant, equivalent: !significant, precisionPercent: 3 })

describe('calibration statistics', () => {
  it('counts families of A/A comparisons with any Holm rejection', () => {
    // Two families of 2: the first has p = 0.01 (< 0.05/2: rejected), the second 0.04 (not).
    const r = familyWiseRate([0.01, 0.5, 0.04, 0.9, 0.3], 2, 95)
    expect([r.k, r.n]).toEqual([1, 2])
  })

  it('estimates the planted effect from the ratios, as a percent with an interval', () => {
    const e = effectOf([1.1, 1.1, 1.1, 1.1], 95)
    expect(e.percent).toBeCloseTo(10, 9)
    expect(e.lowerPercent).toBeCloseTo(10, 9)
    const spread = effectOf([1.08, 1.12, 1.09, 1.11], 95)
    expect(spread.lowerPercent).toBeLessThan(spread.percent)
    expect(spread.upperPercent).toBeGreaterThan(spread.percent)
  })

  it('reports the false Difference rate and the power per planted size', () => {
    const s = summarizeCalibration([aa(0.5), aa(0.01), aa(0.7), aa(0.2)], new Map([[10, [{ ratio: 1.1, p: 0.001, significant: true, equivalent: false, precisionPercent: 3 }]]]), { confidence: 95, familySize: 2 })
    expect([s.falseDifference.k, s.falseDifference.n]).toEqual([1, 4])
    expect(s.planted[0]?.power.k).toBe(1)
    expect(s.planted[0]?.plantedPercent).toBe(10)
  })
})
