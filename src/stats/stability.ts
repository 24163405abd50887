// "The result may be unstable": the check that a cell's replicates are quiet enough for its
// verdict to mean something, in the spirit of pyperf's `check` (pyperf/_cli.py format_checks:
// standard deviation ≥ 10 % of the mean; minimum or maximum ≥ 50 % away from the mean).
//
// The CV threshold is calibrated by the t-test power calculation (stats/power.ts), not copied
// from pyperf: at `run`'s R = 10 replicates a two-sample t-test detects, with 80 % power at
// 95 %, a difference of 1.32 × the CV, so above MAX_CV_PERCENT = 15 a cell cannot resolve even
// a 20 % difference and its "No difference proven" says nothing (and a "Difference" rests on
// means that one disturbed replicate moves by more than typical real differences). The other
// checks catch what makes the t-test itself unreliable:
//
// * an extreme more than MAX_EXTREME_PERCENT from the mean (pyperf's 50 %): one replicate hit
//   by something else (a GC, a co-tenant preempting the batch), which the mean does not survive;
// * a monotone trend over the run (Spearman, p < TREND_ALPHA): the replicates are not
//   exchangeable; getting faster means the warmup was too short.
// `gntbench calibrate` reports how often the warning fires on this machine and the A/A false
// "Difference" rate with and without it.
// The function is pure: it reads the values in the order measured and returns the reasons.

import { spearmanTrend } from './independence.js'
import { summarize } from './summary.js'

/** Above this coefficient of variation R = 10 cannot resolve 20 % (see the file comment). */
export const MAX_CV_PERCENT = 15
/** As pyperf: an extreme this far from the mean, in percent of the mean. */
const MAX_EXTREME_PERCENT = 50
/** A trend this significant (two-sided Spearman p) is reported; 1 % keeps false alarms rare over many cells. */
const TREND_ALPHA = 0.01

export interface StabilityThresholds {
  readonly maxCvPercent: number
  readonly maxExtremePercent: number
  readonly trendAlpha: number
}

export const DEFAULT_STABILITY_THRESHOLDS: StabilityThresholds = {
  maxCvPercent: MAX_CV_PERCENT,
  maxExtremePercent: MAX_EXTREME_PERCENT,
  trendAlpha: TREND_ALPHA,
}

export type StabilityIssue = 'cv' | 'minimum' | 'maximum' | 'trend'

export interface StabilityWarning {
  readonly issue: StabilityIssue
  /** The measured quantity: CV % / distance from the mean % / Spearman ρ. */
  readonly value: number
  /** One line, e.g. "the standard deviation (41.2) is 23% of the mean (180)". */
  readonly message: string
}

function fmt(value: number): string {
  return Number(value.toPrecision(3)).toString()
}

/** Why this cell's values may be unstable; empty when none of the checks fires. */
export function stabilityWarnings(values: readonly number[], thresholds: StabilityThresholds = DEFAULT_STABILITY_THRESHOLDS): StabilityWarning[] {
  const warnings: StabilityWarning[] = []
  const s = summarize(values)
  if (s.n < 2 || !Number.isFinite(s.mean) || s.mean <= 0) return warnings
  const cv = (s.stddev / s.mean) * 100
  if (cv >= thresholds.maxCvPercent) {
    warnings.push({ issue: 'cv', value: cv, message: `the standard deviation (${fmt(s.stddev)}) is ${cv.toFixed(0)}% of the mean (${fmt(s.mean)})` })
  }
  const below = ((s.mean - s.min) / s.mean) * 100
  if (below >= thresholds.maxExtremePercent) {
    warnings.push({ issue: 'minimum', value: below, message: `the minimum (${fmt(s.min)}) is ${below.toFixed(0)}% smaller than the mean (${fmt(s.mean)})` })
  }
  const above = ((s.max - s.mean) / s.mean) * 100
  if (above >= thresholds.maxExtremePercent) {
    warnings.push({ issue: 'maximum', value: above, message: `the maximum (${fmt(s.max)}) is ${above.toFixed(0)}% greater than the mean (${fmt(s.mean)})` })
  }
  const trend = spearmanTrend(values)
  if (trend.p < thresholds.trendAlpha) {
    // Faster over the run: the JIT was still improving the code, i.e. the warmup was short.
    // Slower: something accumulated (heap, caches) or the machine got busier.
    const cause = trend.rho < 0 ? 'get faster over the run (warmup too short?)' : 'get slower over the run (something accumulating, or rising load?)'
    warnings.push({
      issue: 'trend',
      value: trend.rho,
      message: `the replicates ${cause}: Spearman ρ = ${trend.rho.toFixed(2)}, p = ${trend.p < 0.001 ? '< 0.001' : trend.p.toFixed(3)}`,
    })
  }
  return warnings
}
