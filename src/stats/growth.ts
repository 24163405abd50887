// Growth of a cost with the live-set size N (issue 5): the empirical exponent b of cost ≈ a·N^b
// from a least-squares line through (ln N, ln mean), its r², a confidence interval on b, and a
// plain-words class. Google Benchmark's BigO fit is the counterpart; we keep the exponent because
// a kernel developer reads "N^0.98" faster than "O(N) with RMS 4 %".
//
// Honesty rules:
// * One point per size: the replicate mean. Replicates of one size are not independent of the
//   size-level misfit (cache effects, a fixed cost), so pooling every replicate into the
//   regression would overstate the degrees of freedom.
// * The slope's standard error is the larger of (a) the residual one (includes lack of fit) and
//   (b) the one propagated from the replicates' standard errors (delta method: se(ln mean) ≈
//   sem/mean). (b) guards against a fit through 3 points that happens to be tight. The half-width
//   uses the exact Student-t quantile with k − 2 degrees of freedom (k sizes); with k < 3 there
//   is no interval (NaN), never a made-up one.
//
// Classes (thresholds on the exponent b, ranges are inclusive at the lower end):
//   b > 1.2                 'superlinear'  worse than linear
//   0.8 ≤ b ≤ 1.2           'linear'       ≈ N
//   b < 0.8                 compare three two-parameter shapes by their squared log residuals:
//                           power a·N^b, logarithmic α + β·ln N, linear with a fixed cost α + β·N.
//     logarithmic fits best, β > 0 and growth proven (b's interval excludes 0) → 'logarithmic'
//     linear-with-fixed-cost fits best, β > 0, growth proven, b ≥ 0.15 and the tail exponent
//       (largest three sizes) ≥ 0.7                                               → 'linear'
//       (the fixed cost at small N pulls the log-log slope below 1; the tail test keeps a
//       curve that is flat and then bends up at the largest sizes, e.g. a tree leaving the
//       CPU caches, from being called linear)
//     otherwise b < 0.15                                                        → 'constant'
//     otherwise                                                                  → 'sublinear'
// Why 0.15: c·ln N over 16…65,536 has a log-log slope of about 0.2, so a flat-looking curve
// below 0.15 that no growing shape explains better is constant for practical purposes.

import { linearRegression, rSquared, weightedLinearRegression } from 'simple-statistics'
import { tQuantile } from './student-t.js'

export const CONSTANT_BELOW = 0.15
export const LINEAR_FROM = 0.8
export const SUPERLINEAR_ABOVE = 1.2
/** A fixed cost plus N must also grow at least this fast over the largest three sizes. */
export const TAIL_LINEAR_FROM = 0.7

export type GrowthClass = 'constant' | 'logarithmic' | 'sublinear' | 'linear' | 'superlinear'

/** One size of a series: the replicate mean and, if known, its standard error. */
export interface GrowthPoint {
  size: number
  mean: number
  /** Standard error of the mean (sd/√n); NaN or absent when unknown. */
  sem?: number
}

/** A two-parameter shape cost = α + β·g(N), fitted with relative (1/y²) weights. */
export interface ShapeFit {
  alpha: number
  beta: number
  /** Σ (ln y − ln ŷ)²; Infinity when the shape predicts a non-positive cost somewhere. */
  logRss: number
}

export interface GrowthFit {
  /** Sizes used (k). */
  points: number
  /** b in cost ≈ e^intercept · N^b. */
  exponent: number
  intercept: number
  /** r² of the log-log line. */
  rSquared: number
  confidence: number
  /** k − 2. */
  df: number
  /** Half-width of the confidence interval of b; NaN when k < 3. */
  exponentHalfWidth: number
  /** Which standard error set the half-width. */
  halfWidthFrom: 'residuals' | 'replicates' | 'none'
  /** Log-log slope over the largest three sizes (the asymptote the range reaches). */
  tailExponent: number
  /** Σ squared log residuals of the power law, comparable with the shapes below. */
  powerLogRss: number
  logarithmic: ShapeFit
  linearWithFixedCost: ShapeFit
  growthClass: GrowthClass
  /** One sentence of why, for the report. */
  reason: string
}

function logRss(points: readonly GrowthPoint[], predict: (size: number) => number): number {
  let rss = 0
  for (const p of points) {
    const y = predict(p.size)
    if (!(y > 0)) return Infinity
    const r = Math.log(p.mean) - Math.log(y)
    rss += r * r
  }
  return rss
}

function fitShape(points: readonly GrowthPoint[], g: (size: number) => number): ShapeFit {
  // Weights 1/y² make the fit minimise relative error, close to what the log residual measures;
  // an unweighted fit would be decided by the largest sizes alone.
  const data = points.map((p) => [g(p.size), p.mean])
  const weights = points.map((p) => 1 / (p.mean * p.mean))
  const { m, b } = weightedLinearRegression(data, weights)
  return { alpha: b, beta: m, logRss: logRss(points, (size) => b + m * g(size)) }
}

function slopeOf(points: readonly GrowthPoint[]): number {
  if (points.length < 2) return NaN
  return linearRegression(points.map((p) => [Math.log(p.size), Math.log(p.mean)])).m
}

/**
 * Fit cost ≈ a·N^b over the points (at least two distinct sizes, positive means) and classify.
 * `confidence` is a two-sided percentage (e.g. 95) for the exponent's interval.
 */
export function fitGrowth(input: readonly GrowthPoint[], confidence = 95): GrowthFit {
  const points = [...input].sort((p, q) => p.size - q.size)
  for (const p of points) {
    if (!(p.size > 0) || !(p.mean > 0)) throw new RangeError(`fitGrowth: size and mean must be positive (size ${p.size}, mean ${p.mean})`)
  }
  if (new Set(points.map((p) => p.size)).size < 2) throw new RangeError('fitGrowth: needs at least two distinct sizes')

  const k = points.length
  const xy = points.map((p) => [Math.log(p.size), Math.log(p.mean)])
  const { m: exponent, b: intercept } = linearRegression(xy)
  const line = (x: number): number => intercept + exponent * x
  const r2 = rSquared(xy, line)

  const meanX = xy.reduce((s, [x]) => s + (x as number), 0) / k
  let sxx = 0
  let rss = 0
  let propagated = 0
  for (let i = 0; i < k; i++) {
    const [x, y] = xy[i] as [number, number]
    const dx = x - meanX
    sxx += dx * dx
    const r = y - line(x)
    rss += r * r
    const p = points[i] as GrowthPoint
    const relSem = p.sem !== undefined && Number.isFinite(p.sem) ? p.sem / p.mean : 0
    propagated += dx * dx * relSem * relSem
  }
  const df = k - 2
  let exponentHalfWidth = NaN
  let halfWidthFrom: GrowthFit['halfWidthFrom'] = 'none'
  if (df >= 1) {
    const seResidual = Math.sqrt(rss / df / sxx)
    const seReplicates = Math.sqrt(propagated) / sxx
    halfWidthFrom = seReplicates > seResidual ? 'replicates' : 'residuals'
    exponentHalfWidth = tQuantile(confidence, df) * Math.max(seResidual, seReplicates)
  }

  const logarithmic = fitShape(points, (n) => Math.log(n))
  const linearWithFixedCost = fitShape(points, (n) => n)
  const powerLogRss = rss
  const tailExponent = slopeOf(points.slice(-3))

  const { growthClass, reason } = classify({
    exponent,
    exponentHalfWidth,
    tailExponent,
    powerLogRss,
    logarithmic,
    linearWithFixedCost,
  })
  return {
    points: k,
    exponent,
    intercept,
    rSquared: r2,
    confidence,
    df,
    exponentHalfWidth,
    halfWidthFrom,
    tailExponent,
    powerLogRss,
    logarithmic,
    linearWithFixedCost,
    growthClass,
    reason,
  }
}

interface ClassifyInput {
  exponent: number
  exponentHalfWidth: number
  tailExponent: number
  powerLogRss: number
  logarithmic: ShapeFit
  linearWithFixedCost: ShapeFit
}

/** The rules in the header comment; exported for the report's legend and for tests. */
export function classify(fit: ClassifyInput): { growthClass: GrowthClass; reason: string } {
  const b = fit.exponent
  const shown = b.toFixed(2)
  if (b > SUPERLINEAR_ABOVE) return { growthClass: 'superlinear', reason: `exponent ${shown} > ${SUPERLINEAR_ABOVE}` }
  if (b >= LINEAR_FROM) return { growthClass: 'linear', reason: `exponent ${shown} within [${LINEAR_FROM}, ${SUPERLINEAR_ABOVE}]` }
  // Growth is proven when the interval excludes 0; without an interval (two sizes) it is not.
  const growthProven = Number.isFinite(fit.exponentHalfWidth) && b - fit.exponentHalfWidth > 0
  const best = Math.min(fit.powerLogRss, fit.logarithmic.logRss, fit.linearWithFixedCost.logRss)
  if (growthProven && fit.logarithmic.beta > 0 && fit.logarithmic.logRss === best) {
    return { growthClass: 'logarithmic', reason: `α + β·ln N fits better than N^${shown} and than α + β·N` }
  }
  if (
    growthProven &&
    b >= CONSTANT_BELOW &&
    fit.tailExponent >= TAIL_LINEAR_FROM &&
    fit.linearWithFixedCost.beta > 0 &&
    fit.linearWithFixedCost.logRss === best
  ) {
    return {
      growthClass: 'linear',
      reason: `α + β·N fits best and the tail grows as N^${fit.tailExponent.toFixed(2)}: a fixed cost at small N pulls the exponent down to ${shown}`,
    }
  }
  if (b < CONSTANT_BELOW) {
    return {
      growthClass: 'constant',
      reason: growthProven ? `exponent ${shown} < ${CONSTANT_BELOW} and no growing shape fits better` : `exponent ${shown} < ${CONSTANT_BELOW}, growth not proven`,
    }
  }
  return { growthClass: 'sublinear', reason: `N^${shown} fits better than a logarithm or a fixed cost plus N` }
}
