// One dataset against the baseline: ministat's "Difference at 95.0% confidence" block.
//
// 'ministat' mode is Debian ministat 20150715 exactly: pooled Student's t with df = n1 + n2 − 2,
// its rounded table (ministat-table.ts), s_p = √(((n−1)Var + (n_b−1)Var_b)/df),
// e = t·s_p·√(1/n + 1/n_b), and the 2015 percent line Δ·100/Avg_b ± e·100/Avg_b (signed: a
// negative baseline mean flips both). Welch is refused: ministat never uses it.
//
// 'exact' mode (the default) keeps the layout but not the shortcuts:
// * critical values are exact Student-t quantiles at any confidence and any df (student-t.ts);
// * test 'auto' picks Welch's unequal-variance t (Welch–Satterthwaite df, fractional) when the
//   larger sample variance exceeds WELCH_VARIANCE_RATIO times the smaller, or the larger sample
//   is at least WELCH_SIZE_RATIO times the smaller; otherwise pooled Student's t. Pooled t is
//   only trustworthy with similar variances, and unequal sizes make it fail in the bad direction
//   (too many "differences" when the smaller sample has the larger variance);
// * the relative interval accounts for the uncertainty of the baseline mean, like newer FreeBSD
//   ministat: by the delta method the ratio R = Avg/Avg_b has variance
//   (Var/n + R²·Var_b/n_b)/Avg_b² (Welch), or with pooling
//   ((n−1)Var + (n_b−1)Var_b·R²)/df·(1/n + 1/n_b)/Avg_b² (Student); its half-width is in percent
//   of |Avg_b| and is centred on the same 100·Δ/Avg_b.
// Both modes call a difference significant only when |Δ| > e (strict), and for timings a
// significant negative Δ means 'faster'.

import { ministatCriticalValue } from './ministat-table.js'
import { ministatVitals } from './ministat-vitals.js'
import { tQuantile } from './student-t.js'
import { summarize } from './summary.js'
import type { CompareOptions, Comparison, TestKind, Verdict } from './types.js'

/** 'auto' switches to Welch above this ratio of sample variances (larger / smaller). */
export const WELCH_VARIANCE_RATIO = 4
/** … or when the larger sample has at least this many times the points of the smaller. */
export const WELCH_SIZE_RATIO = 2

const DEFAULT_CONFIDENCE = 95

function verdictOf(significant: boolean, delta: number): Verdict {
  if (!significant) return 'no difference proven'
  return delta < 0 ? 'faster' : 'slower'
}

/** The test 'auto' chooses for these two samples (exact mode). */
export function chooseTest(nBase: number, varBase: number, n: number, variance: number): TestKind {
  const varianceRatio = Math.max(varBase, variance) / Math.min(varBase, variance)
  const sizeRatio = Math.max(nBase, n) / Math.min(nBase, n)
  return varianceRatio > WELCH_VARIANCE_RATIO || sizeRatio >= WELCH_SIZE_RATIO ? 'welch' : 'student'
}

function ministatComparison(baseline: readonly number[], other: readonly number[], confidence: number): Comparison {
  const rs = ministatVitals(baseline)
  const ds = ministatVitals(other)
  const df = ds.n + rs.n - 2
  const t = ministatCriticalValue(confidence, df)
  // The same operations in the same order as ministat, so every printed digit agrees.
  let spool = (ds.n - 1) * ds.variance.value + (rs.n - 1) * rs.variance.value
  spool /= ds.n + rs.n - 2
  spool = Math.sqrt(spool)
  const s = spool * Math.sqrt(1 / ds.n + 1 / rs.n)
  const delta = ds.mean.value - rs.mean.value
  const e = t * s
  const significant = Math.abs(delta) > e
  return {
    test: 'student',
    confidence,
    df,
    tCritical: t,
    delta,
    deltaHalfWidth: e,
    relativePercent: (delta * 100) / rs.mean.value,
    relativeHalfWidthPercent: (e * 100) / rs.mean.value,
    pooledStddev: spool,
    significant,
    verdict: verdictOf(significant, delta),
  }
}

function criticalValue(confidence: number, df: number): number {
  return df > 0 ? tQuantile(confidence, df) : Number.NaN
}

function exactComparison(
  baseline: readonly number[],
  other: readonly number[],
  confidence: number,
  requested: TestKind | 'auto',
): Comparison {
  const b = summarize(baseline, 'exact')
  const o = summarize(other, 'exact')
  const varB = b.stddev * b.stddev
  const varO = o.stddev * o.stddev
  const test = requested === 'auto' ? chooseTest(b.n, varB, o.n, varO) : requested
  const delta = o.mean - b.mean
  const ratio = o.mean / b.mean
  let df: number
  let standardError: number
  let ratioVariance: number // Var(Avg/Avg_b)·Avg_b², by the delta method
  let pooledStddev = Number.NaN
  if (test === 'student') {
    df = b.n + o.n - 2
    const pooledVariance = ((o.n - 1) * varO + (b.n - 1) * varB) / df
    pooledStddev = Math.sqrt(pooledVariance)
    const sizeFactor = 1 / o.n + 1 / b.n
    standardError = pooledStddev * Math.sqrt(sizeFactor)
    ratioVariance = (((o.n - 1) * varO + (b.n - 1) * varB * ratio * ratio) / df) * sizeFactor
  } else {
    const seO = varO / o.n
    const seB = varB / b.n
    standardError = Math.sqrt(seO + seB)
    // Welch–Satterthwaite. With both variances 0 it is 0/0; any df will do then, since e = 0.
    df = standardError === 0 ? b.n + o.n - 2 : (seO + seB) ** 2 / (seO ** 2 / (o.n - 1) + seB ** 2 / (b.n - 1))
    ratioVariance = seO + ratio * ratio * seB
  }
  const t = criticalValue(confidence, df)
  const e = t * standardError
  const significant = Math.abs(delta) > e
  return {
    test,
    confidence,
    df,
    tCritical: t,
    delta,
    deltaHalfWidth: e,
    relativePercent: (delta * 100) / b.mean,
    relativeHalfWidthPercent: (t * Math.sqrt(ratioVariance) * 100) / Math.abs(b.mean),
    pooledStddev,
    significant,
    verdict: verdictOf(significant, delta),
  }
}

/** Compares `other` with `baseline` (Δ = mean(other) − mean(baseline)). */
export function compareDatasets(
  baseline: readonly number[],
  other: readonly number[],
  options: CompareOptions = {},
): Comparison {
  const mode = options.mode ?? 'exact'
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE
  const test = options.test ?? 'auto'
  if (mode === 'ministat') {
    if (test === 'welch') throw new RangeError("ministat mode has only pooled Student's t; use mode 'exact' for Welch")
    return ministatComparison(baseline, other, confidence)
  }
  if (!(confidence > 0 && confidence < 100)) {
    throw new RangeError(`confidence must be a percentage in (0, 100), got ${confidence}`)
  }
  return exactComparison(baseline, other, confidence, test)
}
