import { describe, expect, it } from 'vitest'
import { checkIndependence, lag1Autocorrelation, ranks, spearmanTrend } from '../../src/stats/independence.js'
import { Prng } from '../../src/workloads/prng.js'

function normals(rng: Prng, n: number): number[] {
  const out: number[] = []
  while (out.length < n) {
    const u = 1 - rng.next()
    const v = rng.next()
    out.push(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v))
  }
  return out
}

describe('ranks', () => {
  it('gives ties their mid-rank', () => {
    expect(ranks([10, 30, 20, 20])).toEqual([1, 4, 2.5, 2.5])
  })
})

describe('trend and autocorrelation detectors', () => {
  it('flag a drifting series (a warmup that never ended)', () => {
    const noise = normals(new Prng(7), 30)
    const drifting = noise.map((e, i) => 1000 - 15 * i + 20 * e)
    const check = checkIndependence(drifting)
    expect(check.drifting).toBe(true)
    expect(check.trend.rho).toBeLessThan(-0.8)
    expect(spearmanTrend(Array.from({ length: 12 }, (_, i) => i))).toEqual({ rho: 1, p: 0 })
  })

  it('flag a strongly autocorrelated series (slow phases spanning replicates)', () => {
    const e = normals(new Prng(11), 60)
    const ar: number[] = []
    let x = 0
    for (const shock of e) {
      x = 0.85 * x + shock
      ar.push(100 + x)
    }
    const check = checkIndependence(ar)
    expect(check.autocorrelated).toBe(true)
    expect(lag1Autocorrelation(ar).r1).toBeGreaterThan(0.5)
  })

  it('pass i.i.d. series at about the nominal rate', () => {
    const rng = new Prng(3)
    let drifting = 0
    let autocorrelated = 0
    const cells = 400
    for (let i = 0; i < cells; i++) {
      const check = checkIndependence(normals(rng, 10).map((v) => 500 + 30 * v))
      if (check.drifting) drifting++
      if (check.autocorrelated) autocorrelated++
    }
    // Nominal 5 % (trend) and about 2.5 % (one-sided autocorrelation); generous bounds.
    expect(drifting / cells).toBeLessThan(0.1)
    expect(autocorrelated / cells).toBeLessThan(0.08)
  })

  it('returns NaN rather than a verdict for constant or too short series', () => {
    expect(Number.isNaN(spearmanTrend([5, 5, 5, 5]).rho)).toBe(true)
    expect(checkIndependence([1, 2]).drifting).toBe(false)
  })
})

describe('spearmanTrend, exact for small n', () => {
  it('gives the permutation p-value: ρ = 1 with 5 values is 2 orders of 120', () => {
    expect(spearmanTrend([1, 2, 3, 4, 5])).toEqual({ rho: 1, p: 2 / 120 })
    expect(spearmanTrend([5, 4, 3, 2, 1]).p).toBeCloseTo(2 / 120, 15)
  })

  it('is large for a series with no trend', () => {
    expect(spearmanTrend([3, 1, 2, 2, 1, 3]).p).toBeGreaterThan(0.5)
  })
})
