import { describe, expect, it } from 'vitest'
import { betaQuantile, clopperPearsonInterval, wilsonInterval } from '../../src/stats/rate-interval.js'

describe('wilsonInterval', () => {
  it('matches the textbook value for 10/200 at 95 %', () => {
    // p̂ = 0.05, z = 1.959964, z²/n = 0.0192073: centre (0.05 + 0.0096037)/1.0192073 = 0.058480,
    // half-width 1.959964/1.0192073·√(0.0002375 + 0.0000240) = 0.031098 (by hand)
    const w = wilsonInterval(10, 200)
    expect(w.rate).toBe(0.05)
    expect(w.lower).toBeCloseTo(0.027383, 5)
    expect(w.upper).toBeCloseTo(0.089578, 5)
  })

  it('stays inside [0, 1] and pins the ends at k = 0 and k = n', () => {
    expect(wilsonInterval(0, 20)).toMatchObject({ lower: 0 })
    expect(wilsonInterval(0, 20).upper).toBeCloseTo(0.16113, 4)
    expect(wilsonInterval(20, 20)).toMatchObject({ upper: 1 })
  })

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError)
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError)
  })
})

describe('clopperPearsonInterval', () => {
  it('matches the beta quantiles of scipy for 10/200: Beta(0.025; 10, 191), Beta(0.975; 11, 190)', () => {
    const e = clopperPearsonInterval(10, 200)
    expect(e.lower).toBeCloseTo(0.0242341655, 9)
    expect(e.upper).toBeCloseTo(0.0900275377, 9)
  })

  it('has the closed form 1 − (α/2)^(1/n) at k = 0 (the "rule of three" region)', () => {
    const e = clopperPearsonInterval(0, 40)
    expect(e.lower).toBe(0)
    expect(e.upper).toBeCloseTo(1 - 0.025 ** (1 / 40), 10)
  })

  it('is wider than Wilson (it is conservative)', () => {
    const e = clopperPearsonInterval(7, 50)
    const w = wilsonInterval(7, 50)
    expect(e.lower).toBeLessThan(w.lower)
    expect(e.upper).toBeGreaterThan(w.upper)
  })
})

describe('betaQuantile', () => {
  it('inverts Beta(1, 1) (uniform) and Beta(2, 1) (x²)', () => {
    expect(betaQuantile(0.3, 1, 1)).toBeCloseTo(0.3, 12)
    expect(betaQuantile(0.25, 2, 1)).toBeCloseTo(0.5, 12)
  })
})
