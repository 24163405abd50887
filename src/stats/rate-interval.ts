// Confidence intervals for a rate k/n (a false-positive rate, a detection power): the numbers
// calibration reports must carry their own uncertainty, or "5 % false positives" from 40 trials
// reads as precise when it is anything from 0.6 % to 17 %.
//
// * Wilson's score interval: the inversion of the normal score test. Much better coverage than
//   the textbook p̂ ± z·√(p̂(1−p̂)/n) near 0 and 1 (where our rates live), and never leaves [0, 1].
// * Clopper–Pearson ("exact"): inverts the two one-sided binomial tests through the beta
//   distribution. Conservative (coverage ≥ nominal), so it is the one to quote when a rate is
//   compared with a limit such as "at most 5 %".
// The beta quantile is found by bisection on the regularized incomplete beta, the same special
// function the t distribution uses (incomplete-beta.ts).

import { regularizedIncompleteBeta } from './incomplete-beta.js'
import { normalTwoSidedQuantile } from './normal.js'

export interface RateInterval {
  /** Successes (e.g. false "Difference" verdicts). */
  readonly k: number
  /** Trials. */
  readonly n: number
  /** k / n (NaN when n = 0). */
  readonly rate: number
  readonly lower: number
  readonly upper: number
  /** Two-sided confidence of [lower, upper], in percent. */
  readonly confidence: number
  readonly method: 'wilson' | 'clopper-pearson'
}

function checkCounts(k: number, n: number, confidence: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`trials must be a non-negative integer, got ${n}`)
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`successes must be an integer in [0, ${n}], got ${k}`)
  if (!(confidence > 0 && confidence < 100)) throw new RangeError(`confidence must be a percentage in (0, 100), got ${confidence}`)
}

function empty(k: number, n: number, confidence: number, method: RateInterval['method']): RateInterval {
  return { k, n, rate: Number.NaN, lower: 0, upper: 1, confidence, method }
}

/** Wilson score interval for k successes in n trials. */
export function wilsonInterval(k: number, n: number, confidence = 95): RateInterval {
  checkCounts(k, n, confidence)
  if (n === 0) return empty(k, n, confidence, 'wilson')
  const z = normalTwoSidedQuantile(1 - confidence / 100)
  const p = k / n
  const z2n = (z * z) / n
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))
  // At k = 0 or k = n the exact bound is 0 or 1; rounding must not leave it a hair off.
  return {
    k,
    n,
    rate: p,
    lower: k === 0 ? 0 : Math.max(0, centre - half),
    upper: k === n ? 1 : Math.min(1, centre + half),
    confidence,
    method: 'wilson',
  }
}

/** The p-quantile of Beta(a, b), by bisection on I_x(a, b) (monotone in x). */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`)
  if (p === 0) return 0
  if (p === 1) return 1
  let lo = 0
  let hi = 1
  // Until the bracket is 1e-15 wide relative to its top (about 50 halvings per decade of
  // smallness), or two adjacent doubles.
  for (;;) {
    const mid = (lo + hi) / 2
    if (mid <= lo || mid >= hi || hi - lo <= 1e-15 * hi) return mid
    if (regularizedIncompleteBeta(mid, a, b) < p) lo = mid
    else hi = mid
  }
}

/** Clopper–Pearson exact interval for k successes in n trials. */
export function clopperPearsonInterval(k: number, n: number, confidence = 95): RateInterval {
  checkCounts(k, n, confidence)
  if (n === 0) return empty(k, n, confidence, 'clopper-pearson')
  const alpha = 1 - confidence / 100
  return {
    k,
    n,
    rate: k / n,
    lower: k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1),
    upper: k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k),
    confidence,
    method: 'clopper-pearson',
  }
}
