// What calibration trials say about the verdicts of this machine (pure: trial comparisons in,
// rates out):
// * false "Difference" rate per comparison: of the A/A comparisons, the share called different,
//   with its Wilson interval (the criterion: ≤ 5 % with the interval's upper end ≤ 6.5 %);
// * per suite: the trials are cut into consecutive families of `familySize` A/A comparisons and
//   each family is Holm-adjusted as a run's comparisons are; the share of families with any
//   rejection is the family-wise error rate a suite of that size would see;
// * equivalence of A/A within the margin (how often TOST proves what is true);
// * per planted size: the power (share called 'slower'), and the effect actually planted — the
//   geometric mean of the ratios over trials with its t interval — so a planted +10 % is checked
//   to be +10 %.

import { holmAdjust } from './holm.js'
import type { RateInterval } from './rate-interval.js'
import { wilsonInterval } from './rate-interval.js'
import { tQuantile } from './student-t.js'

/** One trial's comparison of an arm with A, as far as calibration needs it. */
export interface TrialComparison {
  readonly ratio: number
  readonly p: number
  readonly significant: boolean
  readonly equivalent: boolean
  readonly precisionPercent: number
}

export interface EffectEstimate {
  /** Geometric mean ratio over trials, as a percent change, with its interval. */
  readonly percent: number
  readonly lowerPercent: number
  readonly upperPercent: number
}

export interface PlantedSummary {
  readonly plantedPercent: number
  readonly trials: number
  readonly power: RateInterval
  readonly measured: EffectEstimate
  readonly medianPrecisionPercent: number
}

export interface CalibrationSummary {
  readonly falseDifference: RateInterval
  readonly familySize: number
  readonly familyWise: RateInterval
  readonly equivalentAA: RateInterval
  /** The A/A effect over trials (should be 0: a bias of the arm labels or positions shows here). */
  readonly aaEffect: EffectEstimate
  readonly medianPrecisionPercent: number
  readonly planted: PlantedSummary[]
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function effectOf(ratios: readonly number[], confidence: number): EffectEstimate {
  const logs = ratios.map(Math.log)
  const n = logs.length
  const mean = logs.reduce((a, b) => a + b, 0) / n
  const sd = n > 1 ? Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : Number.NaN
  const half = n > 1 ? tQuantile(confidence, n - 1) * (sd / Math.sqrt(n)) : Number.NaN
  const pct = (x: number): number => (Math.exp(x) - 1) * 100
  return { percent: pct(mean), lowerPercent: pct(mean - half), upperPercent: pct(mean + half) }
}

/** Families of A/A comparisons with at least one Holm-adjusted rejection, of all complete families. */
export function familyWiseRate(pValues: readonly number[], familySize: number, confidence: number): RateInterval {
  const alpha = 1 - confidence / 100
  let families = 0
  let rejected = 0
  for (let start = 0; start + familySize <= pValues.length; start += familySize) {
    families++
    if (holmAdjust(pValues.slice(start, start + familySize)).some((p) => p < alpha)) rejected++
  }
  return wilsonInterval(rejected, families, confidence)
}

export function summarizeCalibration(
  aa: readonly TrialComparison[],
  planted: ReadonlyMap<number, readonly TrialComparison[]>,
  options: { readonly confidence: number; readonly familySize: number },
): CalibrationSummary {
  const { confidence, familySize } = options
  return {
    falseDifference: wilsonInterval(aa.filter((c) => c.significant).length, aa.length, confidence),
    familySize,
    familyWise: familyWiseRate(
      aa.map((c) => c.p),
      familySize,
      confidence,
    ),
    equivalentAA: wilsonInterval(aa.filter((c) => c.equivalent).length, aa.length, confidence),
    aaEffect: effectOf(
      aa.map((c) => c.ratio),
      confidence,
    ),
    medianPrecisionPercent: median(aa.map((c) => c.precisionPercent)),
    planted: [...planted].map(([plantedPercent, comparisons]) => ({
      plantedPercent,
      trials: comparisons.length,
      power: wilsonInterval(comparisons.filter((c) => c.significant && c.ratio > 1).length, comparisons.length, confidence),
      measured: effectOf(
        comparisons.map((c) => c.ratio),
        confidence,
      ),
      medianPrecisionPercent: median(comparisons.map((c) => c.precisionPercent)),
    })),
  }
}
