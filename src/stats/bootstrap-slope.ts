// The growth exponent over one N range with an interval from isolate-level resampling: each
// bootstrap replicate draws, at every size, the isolate means with replacement, takes their
// geometric mean, and fits ln(ns/op) = a + b·ln N by least squares; the interval is the 2.5 / 97.5
// (at 95 %) percentiles of b. Resampling isolates, not samples, keeps the variance at the level
// where it is (stats/nested.ts), so a curve of noisy isolates gets a wide exponent. Deterministic:
// the resampling is seeded.

import { seededUniform } from './seeded-uniform.js'

export interface SlopeInterval {
  readonly exponent: number
  readonly lower: number
  readonly upper: number
  readonly resamples: number
}

function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length
  let sx = 0
  let sy = 0
  for (const [x, y] of points) {
    sx += x
    sy += y
  }
  const mx = sx / n
  const my = sy / n
  let sxy = 0
  let sxx = 0
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my)
    sxx += (x - mx) ** 2
  }
  return sxy / sxx
}

function logMean(values: readonly number[]): number {
  let sum = 0
  for (const v of values) sum += Math.log(v)
  return sum / values.length
}

/** `cells`: per size, the isolate means (> 0). Needs ≥ 2 sizes. */
export function bootstrapSlope(cells: readonly { readonly size: number; readonly values: readonly number[] }[], confidence = 95, resamples = 1000, seed = 1): SlopeInterval {
  const usable = cells.filter((c) => c.values.length > 0)
  const point = slope(usable.map((c) => [Math.log(c.size), logMean(c.values)] as const))
  const next = seededUniform(seed)
  const slopes: number[] = []
  const draw: number[] = []
  for (let r = 0; r < resamples; r++) {
    const points = usable.map((c) => {
      draw.length = 0
      for (let i = 0; i < c.values.length; i++) draw.push(c.values[Math.floor(next() * c.values.length)] as number)
      return [Math.log(c.size), logMean(draw)] as const
    })
    slopes.push(slope(points))
  }
  slopes.sort((a, b) => a - b)
  const tail = (1 - confidence / 100) / 2
  const at = (q: number): number => slopes[Math.min(slopes.length - 1, Math.max(0, Math.round(q * (slopes.length - 1))))] as number
  return { exponent: point, lower: at(tail), upper: at(1 - tail), resamples }
}
