// Student's t distribution at any df > 0, integer or fractional (Welch's test needs the latter):
// the CDF from the regularized incomplete beta, P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2), and the
// two-sided critical value t* with P(|T| ≤ t*) = confidence, found by bisection on that tail.
// These are the exact values the harness uses by default; ministat's rounded (and partly
// mislabelled) table lives in ministat-table.ts.
//
// For large df two things go wrong with the beta: its continued fraction needs O(√ν) terms, and
// ln B(ν/2, 1/2) is a difference of two large gammaln values, which costs about 1e-10 of
// accuracy at ν = 1e5 (checked against mpmath at 40 digits). So quantiles above
// QUANTILE_ASYMPTOTIC_DF come from the normal quantile through the Cornish–Fisher expansion
// (Abramowitz & Stegun 26.7.5, four terms, error O(ν⁻⁵): below 1e-15 at ν = 1000 for the usual
// levels), and the CDF above CDF_ASYMPTOTIC_DF from the normal tail plus the first-order
// Edgeworth term (error O(ν⁻²) < 1e-12 there). df = Infinity is the normal distribution itself.

import { regularizedIncompleteBeta } from './incomplete-beta.js'
import { normalTwoSidedQuantile, normalTwoSidedTail } from './normal.js'

/** Above these df the asymptotic forms are more accurate than the incomplete beta. */
const QUANTILE_ASYMPTOTIC_DF = 1000
const CDF_ASYMPTOTIC_DF = 1e6

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`)
}

/** P(|T| > |t|) for T ~ t(df). */
export function tTwoSidedTail(t: number, df: number): number {
  checkDf(df)
  if (Number.isNaN(t)) return Number.NaN
  const a = Math.abs(t)
  if (a === Infinity) return 0
  if (df === Infinity) return normalTwoSidedTail(a)
  if (df > CDF_ASYMPTOTIC_DF) {
    // 1 − F(t) ≈ 1 − Φ(t) + φ(t)·(t³ + t)/(4ν)  (Edgeworth, first order).
    const density = Math.exp((-a * a) / 2) / Math.sqrt(2 * Math.PI)
    return normalTwoSidedTail(a) + (2 * density * (a * a * a + a)) / (4 * df)
  }
  const t2 = a * a
  const denominator = df + t2
  return regularizedIncompleteBeta(df / denominator, df / 2, 0.5, t2 / denominator)
}

/** The CDF P(T ≤ t) for T ~ t(df). */
export function tCdf(t: number, df: number): number {
  const half = tTwoSidedTail(t, df) / 2
  return t < 0 ? half : 1 - half
}

/** Cornish–Fisher: the t quantile from the normal one, in powers of 1/ν (A&S 26.7.5). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z
  const g1 = (z * (z2 + 1)) / 4
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}

/**
 * Two-sided critical value: the t* with P(|T| ≤ t*) = confidencePercent/100 for T ~ t(df).
 * E.g. tQuantile(95, 10) = 2.228138851986…; df may be fractional or Infinity (normal).
 */
export function tQuantile(confidencePercent: number, df: number): number {
  checkDf(df)
  if (!(confidencePercent > 0 && confidencePercent < 100)) {
    throw new RangeError(`confidence must be a percentage in (0, 100), got ${confidencePercent}`)
  }
  const alpha = 1 - confidencePercent / 100
  if (df === Infinity) return normalTwoSidedQuantile(alpha)
  if (df > QUANTILE_ASYMPTOTIC_DF) return cornishFisher(normalTwoSidedQuantile(alpha), df)
  // Bracket, then halve until the bracket is two adjacent doubles.
  let lo = 0
  let hi = 1
  while (tTwoSidedTail(hi, df) > alpha) {
    lo = hi
    hi *= 2
  }
  for (;;) {
    const mid = (lo + hi) / 2
    if (mid <= lo || mid >= hi) return mid
    if (tTwoSidedTail(mid, df) > alpha) lo = mid
    else hi = mid
  }
}
