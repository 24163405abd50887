import { describe, expect, it } from 'vitest'
import { gammaln } from 'simple-statistics'
import { minimumDetectableEffect, noncentralTCdf, replicatesNeeded, tTestPower } from '../../src/stats/power.js'
import { normalCdf } from '../../src/stats/normal.js'
import { tCdf, tQuantile } from '../../src/stats/student-t.js'

/**
 * The noncentral t CDF by direct numerical integration over the chi variable, an independent
 * route: P(T' ≤ t) = ∫ Φ(t·√(v/ν) − δ) f_{χ²_ν}(v) dv (Simpson, fine grid).
 */
function noncentralByIntegration(t: number, df: number, delta: number): number {
  const density = (v: number): number => (v <= 0 ? 0 : Math.exp((df / 2 - 1) * Math.log(v) - v / 2 - (df / 2) * Math.LN2 - gammaln(df / 2)))
  const upper = df + 40 * Math.sqrt(2 * df) + 60
  const steps = 20000
  const h = upper / steps
  let sum = 0
  for (let i = 0; i <= steps; i++) {
    const v = i * h
    const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2
    sum += w * normalCdf(t * Math.sqrt(v / df) - delta) * density(v)
  }
  return (sum * h) / 3
}

describe('noncentralTCdf', () => {
  it('is the central t CDF at δ = 0', () => {
    expect(noncentralTCdf(1.3, 7, 0)).toBeCloseTo(tCdf(1.3, 7), 12)
  })

  it.each([
    [2.024, 38, 3.1623],
    [1.0, 5, 1.5],
    [-0.5, 12, 0.8],
    [2.5, 18, -1.2],
  ])('agrees with numerical integration at t = %d, df = %d, δ = %d', (t, df, delta) => {
    expect(noncentralTCdf(t, df, delta)).toBeCloseTo(noncentralByIntegration(t, df, delta), 7)
  })
})

describe('tTestPower', () => {
  it("matches R's power.t.test(n = 20, delta = 1): power = 0.8689528", () => {
    // R's default (strict = FALSE) counts the upper tail only; the lower tail adds ~1e-7 here.
    expect(tTestPower({ effect: 1, n: 20 })).toBeCloseTo(0.8689528, 5)
  })

  it('hand check: n = 10, d = 1 — df 18, t* = 2.100922, δ = √5; the normal shortcut Φ(δ − t*) is close', () => {
    const p = tTestPower({ effect: 1, n: 10 })
    expect(tQuantile(95, 18)).toBeCloseTo(2.100922, 6)
    // R's power.t.test(n = 10, delta = 1) prints 0.5619846 (upper tail only); with the lower
    // tail (scipy.stats.nct) it is 0.5620066.
    expect(p).toBeCloseTo(0.5620066, 6)
    expect(Math.abs(p - normalCdf(Math.sqrt(5) - 2.100922))).toBeLessThan(0.01)
  })

  it('is the significance level at effect 0', () => {
    expect(tTestPower({ effect: 0, n: 10 })).toBeCloseTo(0.05, 12)
    expect(tTestPower({ effect: 0, n: 10, confidence: 99 })).toBeCloseTo(0.01, 12)
  })
})

describe('minimumDetectableEffect and replicatesNeeded', () => {
  it('invert the power calculation', () => {
    const d = minimumDetectableEffect(10)
    expect(tTestPower({ effect: d, n: 10 })).toBeCloseTo(0.8, 6)
    expect(d).toBeCloseTo(1.3249474, 5) // scipy: brentq on nct power = 0.8
  })

  it("give R's classic n = 22.02 → 23 replicates for d = 1 at power 0.9", () => {
    expect(replicatesNeeded(1, 0.9)).toBe(23)
    expect(replicatesNeeded(1, 0.8)).toBe(17) // power 0.7814 at 16, 0.8070 at 17 (scipy)
  })

  it('returns null for no effect', () => {
    expect(replicatesNeeded(0)).toBeNull()
  })
})

describe('noncentralTCdf against scipy.stats.nct.cdf', () => {
  it.each([
    [2.024, 38, 3.1623, 0.13095911137822097],
    [1.0, 5, 1.5, 0.29967516104596026],
    [-0.5, 12, 0.8, 0.09971025237817055],
    [2.5, 18, -1.2, 0.9996681719661757],
  ])('t = %d, df = %d, δ = %d → %d', (t, df, delta, expected) => {
    expect(noncentralTCdf(t, df, delta)).toBeCloseTo(expected, 9)
  })
})
