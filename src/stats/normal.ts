// The standard normal distribution to full double precision: the limit of Student's t as
// df → ∞ (ministat's "inf" row, and our t quantiles beyond the range where the incomplete beta
// is practical). simple-statistics' `errorFunction`/`probit` are polynomial approximations good
// to about 1e-7, too coarse to pin a quantile to 1e-9, so the two-sided tail is computed as
// erfc(z/√2) = Q(1/2, z²/2), the regularized upper incomplete gamma function (DLMF 7.11.2),
// by its power series (DLMF 8.11.4) or its continued fraction (DLMF 8.9.2) as appropriate.

import { gammaln } from 'simple-statistics'

const EPSILON = 1e-16
const TINY = 1e-300
const MAX_TERMS = 10_000

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a), for a > 0, x ≥ 0. */
function upperIncompleteGammaQ(a: number, x: number): number {
  if (x <= 0) return 1
  const logPrefactor = a * Math.log(x) - x - gammaln(a)
  if (x < a + 1) {
    // P(a, x) = x^a e^-x / Γ(a+1) · Σ x^k / ((a+1)…(a+k)); fine here because P < 1 − ε.
    let term = 1 / a
    let sum = term
    for (let k = 1; k <= MAX_TERMS; k++) {
      term *= x / (a + k)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * EPSILON) return 1 - Math.exp(logPrefactor) * sum
    }
    throw new RangeError(`incomplete gamma series did not converge (a=${a}, x=${x})`)
  }
  // Q(a, x) = x^a e^-x / Γ(a) · 1/(x+1−a − 1(1−a)/(x+3−a − 2(2−a)/(x+5−a − …))), by Lentz.
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let f = d
  for (let k = 1; k <= MAX_TERMS; k++) {
    const an = -k * (k - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    f *= delta
    if (Math.abs(delta - 1) < EPSILON) return Math.exp(logPrefactor) * f
  }
  throw new RangeError(`incomplete gamma fraction did not converge (a=${a}, x=${x})`)
}

/** P(|Z| > z) for z ≥ 0. */
export function normalTwoSidedTail(z: number): number {
  return upperIncompleteGammaQ(0.5, (z * z) / 2)
}

/** Φ(z), the standard normal CDF. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN
  const tail = normalTwoSidedTail(Math.abs(z)) / 2
  return z < 0 ? tail : 1 - tail
}

/** The z with P(|Z| > z) = alpha, 0 < alpha < 1, by bisection on the exact tail. */
export function normalTwoSidedQuantile(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`two-sided tail must be in (0, 1), got ${alpha}`)
  let lo = 0
  let hi = 1
  while (normalTwoSidedTail(hi) > alpha) hi *= 2
  // Halve until the bracket is one ulp wide: at most ~60 steps past the doubling.
  for (;;) {
    const mid = (lo + hi) / 2
    if (mid <= lo || mid >= hi) return mid
    if (normalTwoSidedTail(mid) > alpha) lo = mid
    else hi = mid
  }
}
