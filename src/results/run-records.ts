// The run file's records of statistical results (run-schema.ts): a summary with JSON's nulls for
// the numbers JSON cannot hold, a ratio comparison as a JsonComparison, and Holm's adjustment of
// a run's whole family of comparisons with the family verdict built from it. The runner writes
// them; comparing two runs (compare-runs.ts) builds them again from the files alone.

import { holmAdjust } from '../stats/holm.js'
import type { RatioComparison } from '../stats/ratio.js'
import { isolatesForPrecision, twoStageOf } from '../stats/ratio.js'
import type { Summary } from '../stats/types.js'
import type { FamilyVerdict, JsonComparison, JsonSummary } from './run-schema.js'

export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}

export function jsonSummary(summary: Summary): JsonSummary {
  return {
    n: summary.n,
    min: finiteOrNull(summary.min),
    max: finiteOrNull(summary.max),
    median: finiteOrNull(summary.median),
    mean: finiteOrNull(summary.mean),
    stddev: finiteOrNull(summary.stddev),
  }
}

/** A comparison before the family adjustment (holmP etc. filled in by adjustFamily). */
export function jsonComparison(strategy: string, c: RatioComparison, targetPercent: number | null): JsonComparison {
  // The sd of the paired log differences (for Stein's two-stage comparison: of stage one, or guarded, the larger of that and all rounds').
  const logSd = c.method === 'welch-isolates' ? Number.NaN : c.logStandardError * Math.sqrt(c.n)
  return {
    strategy,
    method: c.method,
    n: c.n,
    df: c.df,
    confidence: c.confidence,
    ratio: c.ratio,
    lower: c.lower,
    upper: c.upper,
    p: c.p,
    holmP: c.p,
    significant: c.significant,
    verdict: c.verdict,
    familyVerdict: c.verdict,
    precisionPercent: c.precisionPercent,
    unpairedPrecisionPercent: c.unpairedPrecisionPercent,
    marginPercent: c.marginPercent,
    equivalenceP: c.equivalenceP,
    equivalenceHolmP: c.equivalenceP,
    isolatesForTarget: targetPercent === null || Number.isNaN(logSd) ? null : isolatesForPrecision(logSd, targetPercent, c.confidence, 1000, twoStageOf(c)?.rounds ?? null),
  }
}

/** Holm over the whole family, in place: adjusted p for both tests and the family verdict. */
export function adjustFamily(comparisons: readonly JsonComparison[], confidence: number): void {
  const alpha = 1 - confidence / 100
  const holm = holmAdjust(comparisons.map((c) => c.p))
  const holmEquivalence = holmAdjust(comparisons.map((c) => c.equivalenceP))
  comparisons.forEach((c, i) => {
    c.holmP = holm[i] as number
    c.equivalenceHolmP = holmEquivalence[i] as number
    let verdict: FamilyVerdict = 'no difference proven'
    if (c.holmP < alpha) verdict = c.ratio < 1 ? 'faster' : 'slower'
    else if (c.equivalenceHolmP < alpha) verdict = 'equivalent'
    c.familyVerdict = verdict
  })
}
