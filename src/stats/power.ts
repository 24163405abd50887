// Power of the two-sample t-test, and what follows from it: the smallest difference a given
// number of replicates resolves, and the replicates a given difference needs. This is how
// calibration turns the noise it measured into advice ("at R = 10 this cell resolves 12 %").
//
// Model: two groups of n replicates each, equal variance σ², true difference Δ; effect size
// d = Δ/σ. The pooled t statistic then follows a NONCENTRAL t with df = 2n − 2 and
// noncentrality δ = d·√(n/2), so the two-sided power at confidence C is
//     P(|T'| > t*) = 1 − F(t*; df, δ) + F(−t*; df, δ),   t* = tQuantile(C, df),
// exactly what R's power.t.test(strict = TRUE) computes. With equal n and equal variances
// Welch's df is 2n − 2 as well, so the same numbers serve for Welch.
//
// The noncentral t CDF is Lenth's algorithm AS 243 (Appl. Statist. 38, 1989): Φ(−δ) plus a
// Poisson-weighted series of incomplete beta values, summed until its error bound is below
// 1e-12, with the incomplete beta of incomplete-beta.ts for the first terms and the standard
// recurrences I_x(a+1, b) = I_x(a, b) − x^a(1−x)^b/(a·B(a, b)) after that.

import { gammaln } from 'simple-statistics'
import { regularizedIncompleteBeta } from './incomplete-beta.js'
import { normalCdf } from './normal.js'
import { tCdf, tQuantile } from './student-t.js'

const SERIES_ERROR = 1e-12
const SERIES_MAX_TERMS = 5000
/** Beyond this |δ| the Poisson weights underflow; the distribution is then the normal N(δ, 1) to 1e-300. */
const NONCENTRALITY_LIMIT = 37

/** P(T' ≤ t) for T' noncentral t with `df` degrees of freedom and noncentrality `delta`. */
export function noncentralTCdf(t: number, df: number, delta: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`)
  if (Number.isNaN(t) || Number.isNaN(delta)) return Number.NaN
  if (delta === 0) return tCdf(t, df)
  if (t < 0) return 1 - noncentralTCdf(-t, df, -delta)
  if (t === Infinity) return 1
  if (Math.abs(delta) > NONCENTRALITY_LIMIT) {
    // All the mass sits far from 0; with t ≥ 0 the answer is ~0 (δ ≫ t is not reachable here
    // for any power we ask about) or ~1 (δ ≪ 0). Fall back on the normal shape, good to 1e-3.
    return normalCdf((t * (1 - 1 / (4 * df)) - delta) / Math.sqrt(1 + (t * t) / (2 * df)))
  }
  const x = (t * t) / (t * t + df)
  let total = 0
  if (x > 0) {
    const lambda = delta * delta
    let p = 0.5 * Math.exp(-0.5 * lambda)
    let q = Math.sqrt(2 / Math.PI) * p * delta
    let s = 0.5 - p
    let a = 0.5
    const b = 0.5 * df
    const oneMinusX = df / (t * t + df)
    const rxb = Math.pow(oneMinusX, b)
    const logBetaHalf = gammaln(0.5) + gammaln(b) - gammaln(0.5 + b)
    let xOdd = regularizedIncompleteBeta(x, a, b, oneMinusX)
    let gOdd = 2 * rxb * Math.exp(a * Math.log(x) - logBetaHalf)
    let xEven = 1 - rxb
    let gEven = b * x * rxb
    total = p * xOdd + q * xEven
    for (let j = 1; j <= SERIES_MAX_TERMS; j++) {
      a += 1
      xOdd -= gOdd
      xEven -= gEven
      gOdd *= (x * (a + b - 1)) / a
      gEven *= (x * (a + b - 0.5)) / (a + 0.5)
      p *= lambda / (2 * j)
      q *= lambda / (2 * j + 1)
      s -= p
      total += p * xOdd + q * xEven
      if (2 * s * (xOdd - gOdd) < SERIES_ERROR) break
    }
  }
  total += normalCdf(-delta)
  return Math.min(1, Math.max(0, total))
}

export interface PowerQuery {
  /** Effect size d = true difference / σ (σ the per-replicate standard deviation). */
  readonly effect: number
  /** Replicates per group (both groups the same size). */
  readonly n: number
  /** Two-sided confidence in percent (default 95). */
  readonly confidence?: number
}

/** Two-sided power of the pooled two-sample t-test (= Welch's with equal n and variances). */
export function tTestPower({ effect, n, confidence = 95 }: PowerQuery): number {
  if (!(n >= 2)) throw new RangeError(`replicates per group must be ≥ 2, got ${n}`)
  const df = 2 * n - 2
  const critical = tQuantile(confidence, df)
  const delta = Math.abs(effect) * Math.sqrt(n / 2)
  return 1 - noncentralTCdf(critical, df, delta) + noncentralTCdf(-critical, df, delta)
}

/**
 * The smallest effect size d (in units of σ) detected with probability ≥ `power` by n replicates
 * per group at the given confidence: bisection on the power, which grows with d.
 */
export function minimumDetectableEffect(n: number, power = 0.8, confidence = 95): number {
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`)
  let lo = 0
  let hi = 1
  while (tTestPower({ effect: hi, n, confidence }) < power) {
    lo = hi
    hi *= 2
  }
  for (let i = 0; i < 60 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2
    if (tTestPower({ effect: mid, n, confidence }) < power) lo = mid
    else hi = mid
  }
  return hi
}

/**
 * The fewest replicates per group (≥ 3, ministat's minimum) that detect effect size d with
 * probability ≥ `power`; null when more than `max` would be needed (or d = 0).
 */
export function replicatesNeeded(effect: number, power = 0.8, confidence = 95, max = 1_000_000): number | null {
  if (!(Math.abs(effect) > 0)) return null
  const enough = (n: number): boolean => tTestPower({ effect, n, confidence }) >= power
  let lo = 2
  let hi = 3
  while (!enough(hi)) {
    if (hi >= max) return null
    lo = hi
    hi = Math.min(max, hi * 2)
  }
  // Power grows with n: the answer is in (lo, hi].
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (enough(mid)) hi = mid
    else lo = mid
  }
  return hi
}
