// The growth fit recovers known exponents on synthetic series (N^0, log N, N^1, N^2, a fixed cost
// plus N, N^0.5) with multiplicative noise, puts the true exponent inside its interval, and
// names the class the header of growth.ts documents.

import { describe, expect, it } from 'vitest'
import { CONSTANT_BELOW, classify, fitGrowth } from '../../src/stats/growth.js'
import type { GrowthPoint } from '../../src/stats/growth.js'
import { Prng } from '../../src/workloads/prng.js'

const sizes = [16, 64, 256, 1024, 4096, 16384, 65536]

/** One point per size: mean of 10 replicates of f(N)·e^(σ·z), z ~ roughly normal (sum of uniforms). */
function series(f: (n: number) => number, seed: number, sigma = 0.03): GrowthPoint[] {
  const rng = new Prng(seed)
  return sizes.map((size) => {
    const values: number[] = []
    for (let r = 0; r < 10; r++) {
      let z = -6
      for (let i = 0; i < 12; i++) z += rng.next()
      values.push(f(size) * Math.exp(sigma * z))
    }
    const mean = values.reduce((s, v) => s + v, 0) / values.length
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
    return { size, mean, sem: sd / Math.sqrt(values.length) }
  })
}

describe('fitGrowth()', () => {
  it('calls a flat series constant, exponent ≈ 0 inside its interval', () => {
    const fit = fitGrowth(series(() => 120, 1))
    expect(fit.exponent).toBeCloseTo(0, 1)
    expect(Math.abs(fit.exponent)).toBeLessThan(fit.exponentHalfWidth)
    expect(fit.growthClass).toBe('constant')
    expect(fit.df).toBe(5)
  })

  it('calls c·ln N logarithmic although its log-log slope is small', () => {
    const fit = fitGrowth(series((n) => 40 * Math.log(n), 2, 0.01))
    expect(fit.exponent).toBeGreaterThan(0.1)
    expect(fit.exponent).toBeLessThan(0.4)
    expect(fit.growthClass).toBe('logarithmic')
  })

  it('recovers N^1 as linear and N^2 as superlinear, true exponent inside the interval', () => {
    const lin = fitGrowth(series((n) => 3 * n, 3))
    expect(lin.exponent).toBeCloseTo(1, 1)
    expect(Math.abs(lin.exponent - 1)).toBeLessThan(lin.exponentHalfWidth)
    expect(lin.growthClass).toBe('linear')
    expect(lin.rSquared).toBeGreaterThan(0.999)

    const quad = fitGrowth(series((n) => 0.01 * n * n, 4))
    expect(quad.exponent).toBeCloseTo(2, 1)
    expect(Math.abs(quad.exponent - 2)).toBeLessThan(quad.exponentHalfWidth)
    expect(quad.growthClass).toBe('superlinear')
  })

  it('calls a fixed cost plus N linear although the exponent is below 0.8, and the tail shows the asymptote', () => {
    const fit = fitGrowth(series((n) => 2000 + 2 * n, 5, 0.01))
    expect(fit.exponent).toBeLessThan(0.8)
    expect(fit.growthClass).toBe('linear')
    expect(fit.reason).toMatch(/fixed cost/)
    expect(fit.tailExponent).toBeGreaterThan(0.8)
  })

  it('does not call a flat curve that bends up only at the largest sizes linear', () => {
    // Flat, then doubling per step at the top: a fixed cost plus N fits best, but the tail
    // exponent is 0.5, not the ≈ 1 of a linear cost.
    const bend = [100, 100, 100, 100, 200, 400, 800].map((mean, i) => ({ size: sizes[i] as number, mean, sem: 1 }))
    const fit = fitGrowth(bend)
    expect(fit.linearWithFixedCost.logRss).toBeLessThan(fit.logarithmic.logRss)
    expect(fit.tailExponent).toBeCloseTo(0.5, 10)
    expect(fit.growthClass).toBe('sublinear')
  })

  it('calls N^0.5 sublinear', () => {
    const fit = fitGrowth(series((n) => 10 * Math.sqrt(n), 6, 0.01))
    expect(fit.exponent).toBeCloseTo(0.5, 1)
    expect(fit.growthClass).toBe('sublinear')
  })

  it('gives no interval with two sizes, and refuses one size or non-positive means', () => {
    const two = fitGrowth([
      { size: 16, mean: 10 },
      { size: 64, mean: 40 },
    ])
    expect(two.exponent).toBeCloseTo(1, 12)
    expect(two.exponentHalfWidth).toBeNaN()
    expect(two.halfWidthFrom).toBe('none')
    expect(two.growthClass).toBe('linear')
    expect(() => fitGrowth([{ size: 16, mean: 1 }])).toThrow(RangeError)
    expect(() => fitGrowth([{ size: 16, mean: 1 }, { size: 64, mean: 0 }])).toThrow(RangeError)
  })

  it('widens the interval to the replicates when three points happen to lie on a line', () => {
    const fit = fitGrowth([
      { size: 16, mean: 100, sem: 20 },
      { size: 64, mean: 100, sem: 20 },
      { size: 256, mean: 100, sem: 20 },
    ])
    expect(fit.halfWidthFrom).toBe('replicates')
    expect(fit.exponentHalfWidth).toBeGreaterThan(0)
    expect(fit.growthClass).toBe('constant')
  })
})

describe('classify()', () => {
  const flat = { alpha: 1, beta: 0, logRss: 1 }
  it('applies the documented thresholds on the exponent', () => {
    expect(classify({ exponent: 1.3, exponentHalfWidth: 0.1, tailExponent: 1, powerLogRss: 0, logarithmic: flat, linearWithFixedCost: flat }).growthClass).toBe('superlinear')
    expect(classify({ exponent: 0.9, exponentHalfWidth: 0.1, tailExponent: 1, powerLogRss: 0, logarithmic: flat, linearWithFixedCost: flat }).growthClass).toBe('linear')
    expect(classify({ exponent: CONSTANT_BELOW - 0.01, exponentHalfWidth: 0.5, tailExponent: 1, powerLogRss: 0, logarithmic: flat, linearWithFixedCost: flat }).growthClass).toBe('constant')
    expect(classify({ exponent: 0.4, exponentHalfWidth: 0.05, tailExponent: 1, powerLogRss: 0, logarithmic: flat, linearWithFixedCost: flat }).growthClass).toBe('sublinear')
  })
})
