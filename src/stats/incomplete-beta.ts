// The regularized incomplete beta function I_x(a, b): the one special function behind the
// Student-t distribution, P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2). simple-statistics ships `gammaln`
// but no beta function, so it is built here from the continued fraction of DLMF 8.17.22,
// evaluated with the modified Lentz method. The fraction converges quickly only for
// x < (a+1)/(a+b+2); beyond that the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) is used instead.
//
// Callers that know 1 − x more accurately than `1 - x` (the t distribution does: t²/(ν+t²))
// pass it in, so tail probabilities keep their relative precision when x is close to 1.

import { gammaln } from 'simple-statistics'

/** Relative change at which the continued fraction counts as converged. */
const EPSILON = 1e-16
/** Lentz's guard against division by zero. */
const TINY = 1e-300
/** The fraction needs O(√max(a, b)) terms; this bounds df at about 1e10. */
const MAX_TERMS = 200_000

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
function logBeta(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b)
}

/**
 * The continued-fraction side: valid for any x in (0, 1), fast when x < (a+1)/(a+b+2).
 * I_x(a,b) = x^a (1−x)^b / (a·B(a,b)) · 1/(1 + d1/(1 + d2/(1 + …))) with
 * d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)) and d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)).
 */
function continuedFraction(x: number, oneMinusX: number, a: number, b: number): number {
  const logPrefactor = a * Math.log(x) + b * Math.log(oneMinusX) - logBeta(a, b) - Math.log(a)
  // Lentz on 1 + d1/(1 + d2/(1 + …)): f is the running value, c and d the two recurrences.
  let f = 1
  let c = 1
  let d = 0
  for (let j = 1; j <= MAX_TERMS; j++) {
    const m = Math.floor(j / 2)
    const term =
      j % 2 === 0
        ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m))
        : (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
    d = 1 + term * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + term / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < EPSILON) return Math.exp(logPrefactor) / f
  }
  throw new RangeError(`incomplete beta did not converge (x=${x}, a=${a}, b=${b})`)
}

/**
 * I_x(a, b) for a, b > 0 and x in [0, 1].
 * @param oneMinusX 1 − x, when the caller can compute it without cancellation.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number, oneMinusX: number = 1 - x): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0 (a=${a}, b=${b})`)
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1 (x=${x})`)
  if (x === 0) return 0
  if (oneMinusX === 0) return 1
  if (x < (a + 1) / (a + b + 2)) return continuedFraction(x, oneMinusX, a, b)
  return 1 - continuedFraction(oneMinusX, x, b, a)
}

/** 1 − I_x(a, b), computed without cancellation when it is small. */
export function complementedIncompleteBeta(x: number, a: number, b: number, oneMinusX: number = 1 - x): number {
  return regularizedIncompleteBeta(oneMinusX, b, a, x)
}
