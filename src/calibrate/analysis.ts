// What a calibration's raw trials say, computed with the harness's own statistics engine
// (compareDatasets, summarize, tQuantile) so the rates describe the verdicts `run` prints:
//
// * A/A: the share of trials where A and A′ (the same strategy) come out "Difference" at the
//   chosen confidence, for pooled Student's t, Welch's t, and 'auto' (what `run` uses: Welch
//   when the variances differ by more than 4×). Nominal: 100 − confidence %.
// * Planted: the share of trials where +p % is detected as slower (power), next to the effect
//   actually measured and the power the t-test calculation PREDICTS for it from the measured
//   noise. The measured effect is the geometric mean over trials of mean(+p)/mean(A), with a t
//   interval on the logs: the plain mean of per-trial relative differences is biased upwards
//   when the denominator is noisy (E[X/Y] > E[X]/E[Y]), by +29 % on a loaded machine where a
//   cell's CV exceeded 100 %, whereas the log ratio of two exchangeable means is symmetric.
// * Noise: the per-cell coefficient of variation (CV) and the A/A variance inflation factor
//   VIF = Var over trials of (mean(A′) − mean(A)) / mean over trials of (s²_A + s²_A′)/R, in
//   ns, with no ratio in it for the same reason. VIF ≈ 1 when replicates are independent draws
//   around one mean per strategy; VIF > 1 means replicates of one host share something (JIT
//   state, heap, co-tenant phase) that the t-test's standard error does not see, and false
//   Differences rise. A few wild cells dominate both variances, so the VIF is also computed over
//   the trials without a stability warning: on the development machine that one showed 1.3–2.1
//   where the all-trials VIF said 1.0. With several sets of hosts, a one-way ANOVA of
//   ln(median(A′)/median(A)) by set tests whether isolates stay apart (the host effect).
// * Independence: per-cell trend (Spearman) and lag-1 autocorrelation. Cells of one trial share
//   the machine's load phases, so the pooled mean ρ and mean r₁ are tested with one value per
//   trial (the trial's average), not per cell. The round and position profiles are medians of
//   value/cell median − 1, robust to the preemption spikes that dominate means under load.
// * Power calculation: the smallest difference detectable with power 0.8 at the current R, via
//   the noncentral t (stats/power.ts), times the typical (median) and the 90th-percentile cell
//   CV, and the R needed for a few differences at the typical CV. A third, empirical figure
//   uses the A/A spread instead, which includes whatever the VIF says the t-test misses. The
//   power predicted for a planted effect averages the power at each trial's own CV.
// Pure: no I/O, no clock; the same data always gives the same analysis.

import { compareDatasets } from '../stats/compare.js'
import { regularizedIncompleteBeta } from '../stats/incomplete-beta.js'
import { checkIndependence } from '../stats/independence.js'
import { normalTwoSidedTail } from '../stats/normal.js'
import { minimumDetectableEffect, replicatesNeeded, tTestPower } from '../stats/power.js'
import { clopperPearsonInterval, wilsonInterval } from '../stats/rate-interval.js'
import { stabilityWarnings } from '../stats/stability.js'
import { tQuantile, tTwoSidedTail } from '../stats/student-t.js'
import { summarize } from '../stats/summary.js'
import type { TestKind } from '../stats/types.js'

export type VerdictTest = TestKind | 'auto'
export const VERDICT_TESTS: readonly VerdictTest[] = ['student', 'welch', 'auto']

/** Power the advice is phrased for (the usual 0.8). */
export const TARGET_POWER = 0.8
/** Differences the replicate advice is given for, in percent. */
export const ADVICE_DIFFERENCES: readonly number[] = [2, 5, 10, 20, 30]

export interface RateEstimate {
  readonly k: number
  readonly n: number
  readonly rate: number
  /** 95 % Wilson score interval. */
  readonly wilson: readonly [number, number]
  /** 95 % Clopper–Pearson interval. */
  readonly exact: readonly [number, number]
}

export function rateEstimate(k: number, n: number): RateEstimate {
  const w = wilsonInterval(k, n, 95)
  const e = clopperPearsonInterval(k, n, 95)
  return { k, n, rate: w.rate, wilson: [w.lower, w.upper], exact: [e.lower, e.upper] }
}

export interface MeanEstimate {
  readonly mean: number
  /** Half-width of the 95 % t interval over trials. */
  readonly halfWidth: number
  readonly n: number
}

function meanEstimate(values: readonly number[]): MeanEstimate {
  const s = summarize(values)
  const halfWidth = s.n >= 2 ? (tQuantile(95, s.n - 1) * s.stddev) / Math.sqrt(s.n) : Number.NaN
  return { mean: s.mean, halfWidth, n: s.n }
}

export interface DetectionStats {
  /** Trials where the pair came out "Difference" (with the design effect `run` applies). */
  readonly differences: Readonly<Record<VerdictTest, RateEstimate>>
  /** The design effect of `differences` (1: the plain t-test). */
  readonly designEffect: number
  /** The auto test's rate with no design effect, for comparison. */
  readonly plainAuto: RateEstimate
  /**
   * The smallest design effect (in steps of 0.05 up to 4) at which these trials give at most the
   * nominal rate with the auto test; null if none does. A point estimate from the same trials,
   * so it inherits their uncertainty: read it as "about", and re-calibrate before relying on it.
   */
  readonly designEffectNeeded: number | null
}

function designEffectNeeded(ratePercentAt: (designEffect: number) => number, nominalPercent: number): number | null {
  for (let step = 0; step <= 60; step++) {
    const designEffect = 1 + step * 0.05
    if (ratePercentAt(designEffect) <= nominalPercent) return Math.round(designEffect * 100) / 100
  }
  return null
}

export interface PlantedResult {
  readonly label: string
  readonly plantedPercent: number
  /** Detected as slower (the right direction), per test. */
  readonly power: Readonly<Record<VerdictTest, RateEstimate>>
  /** Declared faster: a significant difference in the wrong direction. */
  readonly wrongDirection: number
  /** Measured effect: 100·(geometric mean over trials of mean(+p)/mean(A) − 1), with a 95 % CI. */
  readonly measuredPercent: MeanEstimate
  /** The same against the 0 % wrapper (the planted work alone, without the indirection); null without a control. */
  readonly measuredVsControlPercent: MeanEstimate | null
  /**
   * What the noncentral-t power calculation predicts for the measured effect: the mean over
   * trials of the power at that trial's own CV (√((CV_A² + CV_+p²)/2)), since cells differ.
   */
  readonly predictedPower: number
}

/** The 0 % wrapper against A: what the planted wrapper's indirection alone costs. */
export interface ControlResult {
  readonly label: string
  readonly measuredPercent: MeanEstimate
  /** Trials where the control came out "Difference" against A ('auto'). */
  readonly differences: RateEstimate
}

export interface Quantiles {
  readonly median: number
  readonly p90: number
  readonly p95: number
  readonly max: number
}

function quantiles(values: readonly number[]): Quantiles {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  const at = (p: number): number => {
    if (sorted.length === 0) return Number.NaN
    const h = (sorted.length - 1) * p
    const lo = Math.floor(h)
    const a = sorted[lo] as number
    const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number
    return a + (h - lo) * (b - a)
  }
  return { median: at(0.5), p90: at(0.9), p95: at(0.95), max: at(1) }
}

export interface NoiseStats {
  /** CV (%) of every cell of every trial. */
  readonly cvPercent: Quantiles
  /** √(mean CV²) over the A and A′ cells (dominated by the noisiest cells). */
  readonly pooledCvPercent: number
  /** Median CV of the A and A′ cells: the typical cell, which the power calculation uses. */
  readonly typicalCvPercent: number
  /** 90th percentile CV of the A and A′ cells: a bad but not rare cell. */
  readonly p90CvPercent: number
  /** Observed standard deviation over trials of mean(A′) − mean(A), in % of the grand mean of A. */
  readonly aaDifferenceSdPercent: number
  /** What independent replicates would give for it: √(mean over trials of (s²_A + s²_A′)/R), same unit. */
  readonly aaDifferenceSdExpectedPercent: number
  /** (observed / expected)²: 1 for independent replicates. */
  readonly varianceInflation: number
  /** Two-sided p-value of VIF = 1 (χ² test of the observed variance over trials). */
  readonly varianceInflationP: number
  /** A′ against A over all trials, as the planted effects are measured (a label or order bias would show). */
  readonly aaMeanDifferencePercent: MeanEstimate
  /**
   * VIF over the trials where neither A nor A′ draws a stability warning. A few wild cells (a
   * preempted batch) dominate both variances and hide a small isolate effect; the quiet trials
   * are where it shows, and where a "Difference" is believed.
   */
  readonly varianceInflationStable: number
  readonly varianceInflationStableP: number
  readonly stableTrials: number
  /** Do A/A differences vary more between sets of hosts than within one? null with < 2 sets of ≥ 2 trials. */
  readonly hostEffect: HostEffect | null
}

/**
 * One-way ANOVA of the per-trial ln(median(A′)/median(A)), grouped by the set of hosts
 * (generation) that measured it. Within a generation A and A′ keep their isolates, so a
 * persistent isolate-level difference shifts every trial of that generation alike. Medians and
 * logs keep single preempted replicates from deciding it.
 */
export interface HostEffect {
  readonly generations: number
  readonly f: number
  readonly df1: number
  readonly df2: number
  readonly p: number
  /** Standard deviation of the per-generation shift, √((MS_between − MS_within)/n̄) clamped at 0, in % (log scale ≈ relative). */
  readonly betweenSdPercent: number
}

export interface IndependenceStats {
  readonly cells: number
  /** Cells whose Spearman trend test rejects at 5 %. Nominal 5 %. */
  readonly drifting: RateEstimate
  /** Cells whose lag-1 autocorrelation is significantly positive at 5 %. Nominal ≈ 2.5 %. */
  readonly autocorrelated: RateEstimate
  /** Mean Spearman ρ over cells (0 when no trend) and the p-value of mean ρ = 0 (one value per trial). */
  readonly meanRho: number
  readonly meanRhoP: number
  /** Mean lag-1 autocorrelation over cells, its null expectation −1/R, and the p-value (one value per trial). */
  readonly meanLag1: number
  readonly lag1Null: number
  readonly meanLag1P: number
  /** Per round (0-based): median over cells of 100·(value/cell median − 1). Falling = warmup too short. */
  readonly roundProfilePercent: readonly number[]
  /** Per position in a round's shuffled order, the same. */
  readonly positionProfilePercent: readonly number[]
}

export interface StabilityStats {
  /** Cells for which the `run` warning (stats/stability.ts) fires. */
  readonly warnedCells: RateEstimate
  /** A/A false-Difference rate ('auto') among trials where neither cell is warned about… */
  readonly falsePositiveUnwarned: RateEstimate
  /** …and among trials where at least one is. */
  readonly falsePositiveWarned: RateEstimate
}

export interface PowerStats {
  readonly replicates: number
  readonly confidence: number
  readonly targetPower: number
  /** Smallest effect (in σ) detected with power ≥ 0.8 at this R: noncentral t, df = 2R − 2. */
  readonly mdeEffectSize: number
  /** …times the typical (median) cell CV: the smallest relative difference, in percent. */
  readonly mdePercent: number
  /** …times the 90th-percentile cell CV. */
  readonly mdeP90Percent: number
  /** The same from the A/A spread (includes between-host noise): e + z₀.₈·sd(Δ) in percent. */
  readonly mdeEmpiricalPercent: number
  /** Replicates per strategy needed for each difference (%) at the typical CV, by the t-test power calculation; null: > 10⁶. */
  readonly replicatesFor: readonly { readonly differencePercent: number; readonly replicates: number | null }[]
}

export interface CalibrationAnalysis {
  readonly trials: number
  readonly replicates: number
  readonly confidence: number
  /** 100 − confidence, in percent: what an honest A/A false-Difference rate is. */
  readonly nominalFalsePositivePercent: number
  readonly aa: DetectionStats
  readonly control: ControlResult | null
  readonly planted: readonly PlantedResult[]
  readonly noise: NoiseStats
  readonly independence: IndependenceStats
  readonly stability: StabilityStats
  readonly power: PowerStats
  readonly advice: readonly string[]
}

export interface AnalysisInput {
  readonly confidence: number
  readonly replicates: number
  /** Labels and planted percent per dataset; datasets 0 and 1 are A and A′; role 'control' marks the 0 % wrapper. */
  readonly datasets: readonly { readonly label: string; readonly plantedPercent: number; readonly role?: string }[]
  /** Per trial, per dataset: the replicate values in the order measured. */
  readonly trials: readonly (readonly (readonly number[])[])[]
  /** Per trial, per dataset: position of each replicate in its round (optional). */
  readonly positions?: readonly (readonly (readonly number[])[])[]
  /** Per trial: which set of hosts measured it (optional; enables the host-effect test). */
  readonly generations?: readonly number[]
  /** The design effect `run` applies to these replicates (stats/compare.ts); default 1. */
  readonly designEffect?: number
}

function cv(values: readonly number[]): number {
  const s = summarize(values)
  return (s.stddev / s.mean) * 100
}

/** ln(mean(other)/mean(base)): symmetric around 0 for exchangeable datasets. */
function logRatio(base: readonly number[], other: readonly number[]): number {
  return Math.log(summarize(other).mean / summarize(base).mean)
}

/** 100·(e^mean − 1) with the CI mapped the same way (half-width: the larger side, conservative). */
function geometricEffect(logs: readonly number[]): MeanEstimate {
  const m = meanEstimate(logs)
  const centre = (Math.exp(m.mean) - 1) * 100
  const upper = (Math.exp(m.mean + m.halfWidth) - 1) * 100
  const lower = (Math.exp(m.mean - m.halfWidth) - 1) * 100
  return { mean: centre, halfWidth: Math.max(upper - centre, centre - lower), n: m.n }
}

function significant(
  base: readonly number[],
  other: readonly number[],
  confidence: number,
  test: VerdictTest,
  designEffect: number,
): { significant: boolean; delta: number; halfWidthPercent: number } {
  const c = compareDatasets(base, other, { confidence, test, designEffect })
  return { significant: c.significant, delta: c.delta, halfWidthPercent: c.relativeHalfWidthPercent }
}

function datasetOf(trial: readonly (readonly number[])[], index: number): readonly number[] {
  const values = trial[index]
  if (values === undefined) throw new RangeError(`trial has no dataset ${index}`)
  return values
}

function perTest(f: (test: VerdictTest) => RateEstimate): Record<VerdictTest, RateEstimate> {
  return { student: f('student'), welch: f('welch'), auto: f('auto') }
}

/** Upper-tail χ² probability for `df` degrees of freedom (Wilson–Hilferty; fine for df ≥ 10). */
function chiSquareTwoSidedP(statistic: number, df: number): number {
  const z = (Math.cbrt(statistic / df) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df))
  return normalTwoSidedTail(Math.abs(z))
}

function profile(trials: AnalysisInput['trials'], keyOf: (trial: number, dataset: number, replicate: number) => number, slots: number): number[] {
  const deviations: number[][] = Array.from({ length: slots }, () => [])
  trials.forEach((trial, t) =>
    trial.forEach((values, d) => {
      const median = summarize(values).median
      values.forEach((value, r) => deviations[keyOf(t, d, r)]?.push((value / median - 1) * 100))
    }),
  )
  return deviations.map((list) => summarize(list).median)
}

/** Mean of `perTrial` values and the two-sided p-value of mean = `nullMean`, trials as the units. */
function trialMeanTest(perTrial: readonly number[], nullMean: number): { mean: number; p: number } {
  const s = summarize(perTrial.filter((v) => Number.isFinite(v)))
  const se = s.stddev / Math.sqrt(s.n)
  return { mean: s.mean, p: s.n >= 3 && se > 0 ? tTwoSidedTail((s.mean - nullMean) / se, s.n - 1) : Number.NaN }
}

/** P(F > f) for F ~ F(d1, d2), through the incomplete beta. */
function fUpperTail(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1
  return regularizedIncompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, (d1 * f) / (d2 + d1 * f))
}

function hostEffectOf(differences: readonly number[], generations: readonly number[] | undefined): HostEffect | null {
  if (generations === undefined) return null
  const groups = new Map<number, number[]>()
  differences.forEach((d, i) => {
    const g = generations[i] ?? 0
    const list = groups.get(g) ?? []
    list.push(d)
    groups.set(g, list)
  })
  const usable = [...groups.values()].filter((list) => list.length >= 2)
  const n = usable.reduce((sum, list) => sum + list.length, 0)
  const k = usable.length
  if (k < 2 || n - k < 1) return null
  const overall = usable.flat().reduce((sum, d) => sum + d, 0) / n
  let ssBetween = 0
  let ssWithin = 0
  for (const list of usable) {
    const m = list.reduce((sum, d) => sum + d, 0) / list.length
    ssBetween += list.length * (m - overall) ** 2
    for (const d of list) ssWithin += (d - m) ** 2
  }
  const df1 = k - 1
  const df2 = n - k
  const msBetween = ssBetween / df1
  const msWithin = ssWithin / df2
  const f = msWithin > 0 ? msBetween / msWithin : Number.NaN
  return {
    generations: k,
    f,
    df1,
    df2,
    p: Number.isFinite(f) ? fUpperTail(f, df1, df2) : Number.NaN,
    betweenSdPercent: Math.sqrt(Math.max(0, (msBetween - msWithin) / (n / k))) * 100,
  }
}

function independenceStats(input: AnalysisInput): IndependenceStats {
  const trialRho: number[] = []
  const trialLag: number[] = []
  let drifting = 0
  let autocorrelated = 0
  let cells = 0
  for (const trial of input.trials) {
    const rhos: number[] = []
    const lags: number[] = []
    for (const values of trial) {
      const check = checkIndependence(values, 0.05)
      cells++
      if (check.drifting) drifting++
      if (check.autocorrelated) autocorrelated++
      if (Number.isFinite(check.trend.rho)) rhos.push(check.trend.rho)
      if (Number.isFinite(check.autocorrelation.r1)) lags.push(check.autocorrelation.r1)
    }
    if (rhos.length > 0) trialRho.push(summarize(rhos).mean)
    if (lags.length > 0) trialLag.push(summarize(lags).mean)
  }
  const lag1Null = -1 / input.replicates
  const rho = trialMeanTest(trialRho, 0)
  const lag = trialMeanTest(trialLag, lag1Null)
  const positions = input.positions
  const maxPosition = positions === undefined ? 0 : Math.max(0, ...positions.flatMap((trial) => trial.flatMap((p) => p))) + 1
  return {
    cells,
    drifting: rateEstimate(drifting, cells),
    autocorrelated: rateEstimate(autocorrelated, cells),
    meanRho: rho.mean,
    meanRhoP: rho.p,
    meanLag1: lag.mean,
    lag1Null,
    meanLag1P: lag.p,
    roundProfilePercent: profile(input.trials, (_t, _d, r) => r, input.replicates),
    positionProfilePercent:
      positions === undefined ? [] : profile(input.trials, (t, d, r) => positions[t]?.[d]?.[r] ?? -1, maxPosition),
  }
}

function formatPercent(value: number, digits = 1): string {
  return `${value.toFixed(digits)}%`
}

function formatRate(r: RateEstimate): string {
  return `${formatPercent(r.rate * 100)} (${r.k}/${r.n}; 95% CI ${formatPercent(r.wilson[0] * 100)}–${formatPercent(r.wilson[1] * 100)})`
}

function adviceOf(a: Omit<CalibrationAnalysis, 'advice'>): string[] {
  const advice: string[] = []
  const nominal = a.nominalFalsePositivePercent / 100
  const auto = a.aa.differences.auto
  if (auto.wilson[0] > nominal) {
    advice.push(
      `Too many false "Difference" verdicts: A/A gave ${formatRate(auto)} against a nominal ${formatPercent(a.nominalFalsePositivePercent)}. ` +
        `At this setting a "Difference" from \`run\` is weaker evidence than it claims.`,
    )
  } else if (auto.rate > 1.5 * nominal) {
    advice.push(
      `False "Difference" verdicts are more frequent than the nominal ${formatPercent(a.nominalFalsePositivePercent)}: A/A gave ${formatRate(auto)}. ` +
        `Not conclusive from these trials alone; the checks below say whether replicates are independent.`,
    )
  } else if (auto.wilson[1] < nominal) {
    advice.push(`The A/A false "Difference" rate is ${formatRate(auto)}, below the nominal ${formatPercent(a.nominalFalsePositivePercent)}: verdicts are, if anything, conservative.`)
  } else {
    advice.push(`The A/A false "Difference" rate is ${formatRate(auto)}, consistent with the nominal ${formatPercent(a.nominalFalsePositivePercent)}.`)
  }
  const needed = a.aa.designEffectNeeded
  if (needed === null || needed > a.aa.designEffect) {
    advice.push(
      `With design effect ${a.aa.designEffect} these trials exceed the nominal rate; ` +
        (needed === null
          ? 'no design effect up to 4 brings them within it: use `--isolation process` (independent replicates).'
          : `they need about ${needed} (\`run --design-effect ${needed}\`), or \`--isolation process\` (independent replicates).`),
    )
  }
  const host = a.noise.hostEffect
  if (host !== null && host.p < 0.01) {
    advice.push(
      `Sets of hosts differ persistently (A/A differences vary between host sets: F = ${host.f.toFixed(2)}, p = ${host.p.toPrecision(2)}; ` +
        `shift sd ≈ ${formatPercent(host.betweenSdPercent)}): one worker's JIT can settle on slower code than another's. ` +
        `A verdict smaller than that is about the isolates, not the strategies; \`run\`'s design effect must cover it, or use \`--isolation process\`.`,
    )
  }
  const vif = a.noise.stableTrials >= 20 ? a.noise.varianceInflationStable : a.noise.varianceInflation
  const vifP = a.noise.stableTrials >= 20 ? a.noise.varianceInflationStableP : a.noise.varianceInflationP
  if (vif > 1.3 && vifP < 0.01) {
    advice.push(
      `Replicates of one host are not independent draws: the A/A means differ ${vif.toFixed(1)}× more (in variance) than the within-cell noise predicts` +
        (a.noise.stableTrials >= 20 ? ` (over the ${a.noise.stableTrials} trials without a stability warning)` : '') +
        `. More replicates in the same host do not fix that; a design effect accounts for it (\`run --design-effect\`), fresh isolates remove it (\`--isolation process\`).`,
    )
  }
  if (a.independence.meanRhoP < 0.01) {
    const ind = a.independence
    const direction = ind.meanRho < 0 ? 'get faster' : 'get slower'
    const first = ind.roundProfilePercent[0]
    advice.push(
      `Replicates ${direction} over a run (mean Spearman ρ = ${ind.meanRho.toFixed(2)}, p = ${ind.meanRhoP.toPrecision(2)}` +
        (first === undefined ? '' : `; round 1 sits ${first.toFixed(1)}% from the cell median`) +
        '): ' +
        (ind.meanRho < 0
          ? 'timing starts before the hosts have settled (JIT, the other hosts’ start-up); raise the warmup.'
          : 'something accumulates across replicates (heap, caches): collect garbage between replicates or use fresh processes.'),
    )
  }
  if (a.independence.meanLag1P < 0.01 && a.independence.meanLag1 > a.independence.lag1Null) {
    // A trend alone makes neighbours alike, so say so rather than blame the machine twice.
    const cause =
      a.independence.meanRhoP < 0.01
        ? 'at least partly the trend above (slow early rounds make neighbours alike); fix that first'
        : 'slow phases of the machine span several replicates; interleave more finely or isolate replicates in processes'
    advice.push(
      `Successive replicates are correlated (mean lag-1 r = ${a.independence.meanLag1.toFixed(2)} against ${a.independence.lag1Null.toFixed(2)} for independent ones): ${cause}.`,
    )
  }
  const p = a.power
  advice.push(
    `With R = ${p.replicates} replicates and a typical (median) cell CV of ${formatPercent(a.noise.typicalCvPercent)}, the smallest difference detected 80% of the time at ${a.confidence}% is about ` +
      `${formatPercent(p.mdePercent)} by the t-test power calculation (${formatPercent(p.mdeP90Percent)} for a cell at the 90th-percentile CV of ${formatPercent(a.noise.p90CvPercent)}` +
      (Number.isFinite(p.mdeEmpiricalPercent) ? `; ${formatPercent(p.mdeEmpiricalPercent)} from the A/A spread).` : ').'),
  )
  const needs = p.replicatesFor.map((r) => `${r.differencePercent}% → ${r.replicates === null ? '> 10⁶' : r.replicates}`).join(', ')
  advice.push(`Replicates per strategy needed for 80% power at ${a.confidence}% (t-test, typical CV): ${needs}.`)
  if (vif > 1.3 && vif > a.aa.designEffect) {
    advice.push(`Those replicate counts assume independent replicates; with VIF = ${vif.toFixed(1)} the t-test's own standard error is too small, which more replicates in one host do not cure.`)
  } else if (vif > 1.3) {
    advice.push(`Those replicate counts include the design effect ${a.aa.designEffect}, which covers the measured VIF = ${vif.toFixed(1)}.`)
  }
  return advice
}

/** The analysis of a calibration's raw trials (see the file comment). */
export function analyzeCalibration(input: AnalysisInput): CalibrationAnalysis {
  const { confidence, replicates, trials, datasets } = input
  const D = input.designEffect ?? 1
  const n = trials.length
  const aaRateAt = (designEffect: number, test: VerdictTest): RateEstimate =>
    rateEstimate(trials.filter((t) => significant(datasetOf(t, 0), datasetOf(t, 1), confidence, test, designEffect).significant).length, n)
  const aa: DetectionStats = {
    differences: perTest((test) => aaRateAt(D, test)),
    designEffect: D,
    plainAuto: aaRateAt(1, 'auto'),
    designEffectNeeded: designEffectNeeded((designEffect) => aaRateAt(designEffect, 'auto').rate * 100, 100 - confidence),
  }

  // Noise.
  const allCv = trials.flatMap((t) => t.map(cv))
  const aaCv = trials.flatMap((t) => [cv(datasetOf(t, 0)), cv(datasetOf(t, 1))])
  const pooledCvPercent = Math.sqrt(aaCv.reduce((sum, c) => sum + c * c, 0) / aaCv.length)
  const aaCvQuantiles = quantiles(aaCv)
  const typicalCvPercent = aaCvQuantiles.median
  // In ns, no ratios: E[(m_A′ − m_A)²] = (σ²_A + σ²_A′)/R for independent replicates, and s² is unbiased for σ².
  const meanOf = (values: readonly number[]): number => summarize(values).mean
  const varianceOf = (values: readonly number[]): number => summarize(values).stddev ** 2
  const aaDiffSummary = summarize(trials.map((t) => meanOf(datasetOf(t, 1)) - meanOf(datasetOf(t, 0))))
  const grandMeanA = summarize(trials.map((t) => meanOf(datasetOf(t, 0)))).mean
  const expectedVariance = trials.reduce((sum, t) => sum + (varianceOf(datasetOf(t, 0)) + varianceOf(datasetOf(t, 1))) / replicates, 0) / n
  const varianceInflation = aaDiffSummary.stddev ** 2 / expectedVariance
  const aaDifferenceSdPercent = (aaDiffSummary.stddev / grandMeanA) * 100
  const stable = trials.filter((t) => stabilityWarnings(datasetOf(t, 0)).length === 0 && stabilityWarnings(datasetOf(t, 1)).length === 0)
  const stableDiff = summarize(stable.map((t) => meanOf(datasetOf(t, 1)) - meanOf(datasetOf(t, 0))))
  const stableExpected = stable.reduce((sum, t) => sum + (varianceOf(datasetOf(t, 0)) + varianceOf(datasetOf(t, 1))) / replicates, 0) / stable.length
  const varianceInflationStable = stable.length >= 3 ? stableDiff.stddev ** 2 / stableExpected : Number.NaN
  const medianLogRatios = trials.map((t) => Math.log(summarize(datasetOf(t, 1)).median / summarize(datasetOf(t, 0)).median))
  const noise: NoiseStats = {
    cvPercent: quantiles(allCv),
    pooledCvPercent,
    typicalCvPercent,
    p90CvPercent: aaCvQuantiles.p90,
    aaDifferenceSdPercent,
    aaDifferenceSdExpectedPercent: (Math.sqrt(expectedVariance) / grandMeanA) * 100,
    varianceInflation,
    varianceInflationP: n >= 3 ? chiSquareTwoSidedP((n - 1) * varianceInflation, n - 1) : Number.NaN,
    aaMeanDifferencePercent: geometricEffect(trials.map((t) => logRatio(datasetOf(t, 0), datasetOf(t, 1)))),
    varianceInflationStable,
    varianceInflationStableP: stable.length >= 3 ? chiSquareTwoSidedP((stable.length - 1) * varianceInflationStable, stable.length - 1) : Number.NaN,
    stableTrials: stable.length,
    hostEffect: hostEffectOf(medianLogRatios, input.generations),
  }

  // Power: the noncentral-t calculation from the pooled CV, and an empirical counterpart.
  // With a design effect the interval is √D wider: the effect to detect is √D larger in σ.
  const mdeEffectSize = minimumDetectableEffect(replicates, TARGET_POWER, confidence) * Math.sqrt(D)
  const halfWidths = trials.map((t) => significant(datasetOf(t, 0), datasetOf(t, 1), confidence, 'auto', D).halfWidthPercent)
  const zPower = 0.8416212335729143 // Φ⁻¹(0.8)
  const power: PowerStats = {
    replicates,
    confidence,
    targetPower: TARGET_POWER,
    mdeEffectSize,
    mdePercent: mdeEffectSize * typicalCvPercent,
    mdeP90Percent: mdeEffectSize * aaCvQuantiles.p90,
    mdeEmpiricalPercent: n >= 3 ? summarize(halfWidths).median + zPower * aaDifferenceSdPercent : Number.NaN,
    replicatesFor: ADVICE_DIFFERENCES.map((d) => ({ differencePercent: d, replicates: replicatesNeeded(d / (typicalCvPercent * Math.sqrt(D)), TARGET_POWER, confidence) })),
  }

  const controlIndex = datasets.findIndex((d, i) => i >= 2 && (d.role === 'control' || (d.role === undefined && d.plantedPercent === 0)))
  const effectAgainst = (base: number, index: number): MeanEstimate =>
    geometricEffect(trials.map((t) => logRatio(datasetOf(t, base), datasetOf(t, index))))
  const control: ControlResult | null =
    controlIndex < 0
      ? null
      : {
          label: datasets[controlIndex]?.label ?? 'control',
          measuredPercent: effectAgainst(0, controlIndex),
          differences: rateEstimate(trials.filter((t) => significant(datasetOf(t, 0), datasetOf(t, controlIndex), confidence, 'auto', D).significant).length, n),
        }
  const planted: PlantedResult[] = []
  datasets.forEach((dataset, index) => {
    if (index < 2 || index === controlIndex) return
    const measured = effectAgainst(0, index)
    let wrongDirection = 0
    const powerPerTest = perTest((test) => {
      let k = 0
      for (const t of trials) {
        const verdict = significant(datasetOf(t, 0), datasetOf(t, index), confidence, test, D)
        if (verdict.significant && verdict.delta > 0) k++
        else if (verdict.significant && test === 'auto') wrongDirection++
      }
      return rateEstimate(k, n)
    })
    const predicted = summarize(
      trials.map((t) => {
        const trialCv = Math.sqrt((cv(datasetOf(t, 0)) ** 2 + cv(datasetOf(t, index)) ** 2) / 2)
        return tTestPower({ effect: measured.mean / (trialCv * Math.sqrt(D)), n: replicates, confidence })
      }),
    ).mean
    planted.push({
      label: dataset.label,
      plantedPercent: dataset.plantedPercent,
      power: powerPerTest,
      wrongDirection,
      measuredPercent: measured,
      measuredVsControlPercent: controlIndex < 0 ? null : effectAgainst(controlIndex, index),
      predictedPower: predicted,
    })
  })

  // The run warning, judged by what it predicts.
  let warnedCells = 0
  let cellCount = 0
  let fpUnwarned = 0
  let unwarned = 0
  let fpWarned = 0
  let warned = 0
  for (const t of trials) {
    for (const values of t) {
      cellCount++
      if (stabilityWarnings(values).length > 0) warnedCells++
    }
    const anyWarned = stabilityWarnings(datasetOf(t, 0)).length > 0 || stabilityWarnings(datasetOf(t, 1)).length > 0
    const fp = significant(datasetOf(t, 0), datasetOf(t, 1), confidence, 'auto', D).significant
    if (anyWarned) {
      warned++
      if (fp) fpWarned++
    } else {
      unwarned++
      if (fp) fpUnwarned++
    }
  }
  const stability: StabilityStats = {
    warnedCells: rateEstimate(warnedCells, cellCount),
    falsePositiveUnwarned: rateEstimate(fpUnwarned, unwarned),
    falsePositiveWarned: rateEstimate(fpWarned, warned),
  }

  const partial = {
    trials: n,
    replicates,
    confidence,
    nominalFalsePositivePercent: 100 - confidence,
    aa,
    control,
    planted,
    noise,
    independence: independenceStats(input),
    stability,
    power,
  }
  return { ...partial, advice: adviceOf(partial) }
}
