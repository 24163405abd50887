import { describe, expect, it } from 'vitest'
import { complementedIncompleteBeta, regularizedIncompleteBeta } from '../../src/stats/incomplete-beta.js'

describe('regularizedIncompleteBeta', () => {
  it('matches the closed forms I_x(a,1) = x^a and I_x(1,b) = 1 − (1−x)^b', () => {
    for (const x of [0.01, 0.3, 0.5, 0.77, 0.999]) {
      for (const p of [0.5, 1, 2.5, 40]) {
        expect(regularizedIncompleteBeta(x, p, 1)).toBeCloseTo(x ** p, 13)
        expect(regularizedIncompleteBeta(x, 1, p)).toBeCloseTo(1 - (1 - x) ** p, 13)
      }
    }
  })

  it('is 1/2 at x = 1/2 when a = b, and symmetric', () => {
    // (at a = 500 gammaln's cancellation costs about 1e-12)
    for (const a of [0.3, 1, 7, 500]) expect(regularizedIncompleteBeta(0.5, a, a)).toBeCloseTo(0.5, 11)
    expect(regularizedIncompleteBeta(0.3, 2, 5) + regularizedIncompleteBeta(0.7, 5, 2)).toBeCloseTo(1, 14)
    expect(complementedIncompleteBeta(0.3, 2, 5)).toBeCloseTo(1 - regularizedIncompleteBeta(0.3, 2, 5), 14)
  })

  it('matches scipy.special.betainc', () => {
    expect(regularizedIncompleteBeta(0.2, 2.5, 0.5)).toBeCloseTo(0.00656627182756301, 14)
    expect(regularizedIncompleteBeta(0.9, 50, 0.5)).toBeCloseTo(0.001204149832559813, 14)
  })

  it('rejects bad arguments', () => {
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(RangeError)
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(RangeError)
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0)
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1)
  })
})
