// One comparison, everywhere: strategy ÷ baseline as a ratio of geometric means over isolates,
// with an asymmetric interval computed on the log scale (Kalibera & Jones, "Rigorous Benchmarking
// in Reasonable Time", ISMM 2013, §5: effect sizes as ratios with confidence intervals; the log
// transform keeps the interval inside (0, ∞), so a percent change never reaches −100 %).
//
// The unit of replication is the isolate: each value is one fresh isolate's mean ns/op, and its
// round says which stream seed and which slot of the interleaving it had. Rounds are blocks of a
// randomized complete block design (every strategy of a round replays the same stream, in a
// shuffled order), so the analysis is, by design and decided before looking at the data:
//   paired-rounds   d_k = ln(x_k) − ln(b_k) over the rounds both sides completed; mean d̄, sd s_d,
//                   n pairs, df = n − 1, interval exp(d̄ ± t·s_d/√n). Pairing removes what a round
//                   shares — the stream's difficulty and the machine's drift at that time.
//   paired-two-stage  the same pairs when the number of rounds was chosen from the data (a precision
//                   target: add rounds until the interval is narrow enough): Stein's two-stage
//                   procedure (C. Stein, "A two-sample test for a linear hypothesis whose power is
//                   independent of the variance", Ann. Math. Statist. 16, 1945). The sd comes from
//                   the first n₀ rounds only (the minimum every cell runs), df = n₀ − 1, and the
//                   mean from all n: exp(d̄ ± t(n₀−1)·s₀/√n). Why: stopping when the interval is
//                   narrow stops exactly when the sd happens to be small, and an sd computed over
//                   all rounds then understates the spread. Measured on this machine (lookup-heavy
//                   N = 512, 1,000 A/A trials at 8–30 rounds, results/calibration-native-8to30-1000):
//                   5.6 % false "Difference" at a nominal 5 %, 8.0 % in the trials that stopped at
//                   the minimum, 4.0 % had every trial stopped at 8. Its confidence holds whatever
//                   n the precision rule chose (the argument is under the next entry).
//   paired-two-stage-guarded  Stein's comparison with the larger of s₀ and the sd of all n rounds:
//                   exp(d̄ ± t(n₀−1)·max(s₀, s)/√n) — what runs of commits 82dad85–c1125ed report
//                   and stop on; withdrawn as conservative (runner/measure-group.ts designTwoStage),
//                   kept so that their files render. Why it keeps Stein's confidence: for normal
//                   round differences the mean of the first m rounds is independent of every
//                   contrast among them (d_i − d̄_j, i ≤ j ≤ m), so of s₀, of the all-rounds sd
//                   and of any decision to stop made from them; (d̄ − μ)·√n/σ is then standard
//                   normal whatever n the rule chose, Stein's pivot with s₀ is t(n₀−1), and a
//                   larger sd only widens the interval. Why the guard: the rounds of a cell are
//                   spread over the whole run, and when the host turns noisier after the first
//                   n₀ (a run whose host changed state, results/host-drift.ts), s₀ understates
//                   the later rounds' spread and Stein's interval is too narrow.
//   welch-isolates  only when fewer than 3 rounds pair up (a side skipped or failed rounds): Welch's
//                   t on the logs of the two sides, Welch–Satterthwaite df.
// The unpaired (Welch) half-width is reported beside a paired result, so a reader sees what pairing
// bought. The verdict is 'faster'/'slower' exactly when the interval excludes 1.
//
// Equivalence (Schuirmann's TOST): with a margin m (percent), the two one-sided tests of
// ratio ≤ 1/(1+m) and ratio ≥ 1+m; p_TOST = the larger p. p_TOST < α is the same as the
// (1 − 2α) interval lying inside [1/(1+m), 1+m]: "equivalent within ±m %". Not proving a
// difference never implies equivalence.

import { tCdf, tQuantile, tTwoSidedTail } from './student-t.js'

export const DEFAULT_MARGIN_PERCENT = 5

/** Every way a comparison can be made (see the top of this file); result files are checked against this list. */
export const RATIO_METHODS = ['paired-rounds', 'paired-two-stage', 'paired-two-stage-guarded', 'welch-isolates'] as const

export type RatioMethod = (typeof RATIO_METHODS)[number]

/** How a precision target chose the rounds: n₀ of Stein's two-stage comparison, and whether the all-rounds sd guards s₀ (see the top of this file). */
export interface TwoStage {
  readonly rounds: number
  readonly guarded: boolean
}

export type RatioVerdict = 'faster' | 'slower' | 'no difference proven'

export interface RatioComparison {
  readonly method: RatioMethod
  /** Pairs (paired) or the smaller side's isolates (Welch). */
  readonly n: number
  readonly df: number
  readonly confidence: number
  readonly tCritical: number
  /** exp(mean log difference): the ratio of geometric means, strategy ÷ baseline. */
  readonly ratio: number
  readonly lower: number
  readonly upper: number
  /** Standard error of the log ratio. */
  readonly logStandardError: number
  /** Two-sided p of ratio = 1. */
  readonly p: number
  readonly significant: boolean
  readonly verdict: RatioVerdict
  /** Percent half-width of the interval on the log scale: (exp(t·se) − 1)·100 (the precision). */
  readonly precisionPercent: number
  /** Paired only: the precision Welch on the same isolates would have had (what pairing bought). */
  readonly unpairedPrecisionPercent: number | null
  readonly marginPercent: number
  /** Schuirmann's TOST p for |ln ratio| < ln(1 + margin). */
  readonly equivalenceP: number
}

export interface IsolateSeries {
  /** One value per isolate (its mean ns/op), > 0. */
  readonly values: readonly number[]
  /** The round of each value. */
  readonly rounds: readonly number[]
}

export interface RatioOptions {
  readonly confidence?: number
  readonly marginPercent?: number
  /** false: never pair by round (the two sides' rounds are unrelated, e.g. two different runs). */
  readonly paired?: boolean
  /**
   * Stein's two-stage procedure (see the top of this file): the rounds were added until a
   * precision target was met, after at least n₀. null or absent: the rounds were fixed in advance.
   */
  readonly twoStage?: TwoStage | null
}

function meanOf(xs: readonly number[]): number {
  let sum = 0
  for (const x of xs) sum += x
  return sum / xs.length
}

function varianceOf(xs: readonly number[]): number {
  const m = meanOf(xs)
  let sum = 0
  for (const x of xs) sum += (x - m) ** 2
  return sum / (xs.length - 1)
}

/** Percent (ratio − 1)·100. */
export function ratioPercent(ratio: number): number {
  return (ratio - 1) * 100
}

function welchLog(base: readonly number[], other: readonly number[]): { estimate: number; se: number; df: number } {
  const vb = varianceOf(base) / base.length
  const vo = varianceOf(other) / other.length
  const se = Math.sqrt(vb + vo)
  const df = se === 0 ? base.length + other.length - 2 : (vb + vo) ** 2 / (vb ** 2 / (base.length - 1) + vo ** 2 / (other.length - 1))
  return { estimate: meanOf(other) - meanOf(base), se, df }
}

/** Compare `other` with `baseline` (ratio = other ÷ baseline). Both need ≥ 2 isolates, all values > 0. */
export function compareRatio(baseline: IsolateSeries, other: IsolateSeries, options: RatioOptions = {}): RatioComparison {
  const confidence = options.confidence ?? 95
  const marginPercent = options.marginPercent ?? DEFAULT_MARGIN_PERCENT
  for (const v of [...baseline.values, ...other.values]) {
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`a ratio needs positive finite values, got ${v}`)
  }
  const logB = baseline.values.map(Math.log)
  const logO = other.values.map(Math.log)
  const byRound = new Map<number, number>()
  baseline.rounds.forEach((round, i) => byRound.set(round, logB[i] as number))
  // In round order: stage one is the first rounds run.
  const pairs: { round: number; diff: number }[] = []
  other.rounds.forEach((round, i) => {
    const b = byRound.get(round)
    if (b !== undefined) pairs.push({ round, diff: (logO[i] as number) - b })
  })
  pairs.sort((x, y) => x.round - y.round)
  const diffs = pairs.map((pair) => pair.diff)
  const twoStage = options.twoStage ?? null
  const unpaired = logB.length >= 2 && logO.length >= 2 ? welchLog(logB, logO) : null
  let method: RatioMethod
  let estimate: number
  let se: number
  let df: number
  let n: number
  if (diffs.length >= 3 && options.paired !== false) {
    // Stein's comparison: the sd of the first n₀ differences (guarded: or of all, the larger).
    const staged = twoStage !== null && twoStage.rounds >= 3 && diffs.length >= twoStage.rounds ? twoStage : null
    method = staged === null ? 'paired-rounds' : staged.guarded ? 'paired-two-stage-guarded' : 'paired-two-stage'
    n = diffs.length
    estimate = meanOf(diffs)
    const variance = staged === null ? varianceOf(diffs) : Math.max(varianceOf(diffs.slice(0, staged.rounds)), staged.guarded ? varianceOf(diffs) : 0)
    se = Math.sqrt(variance / n)
    df = (staged?.rounds ?? n) - 1
  } else if (unpaired !== null) {
    method = 'welch-isolates'
    n = Math.min(logB.length, logO.length)
    ;({ estimate, se, df } = unpaired)
  } else {
    throw new RangeError('a comparison needs at least 2 isolates per side')
  }
  return ratioFromLog({ method, n, df, estimate, se, confidence, marginPercent, unpaired })
}

/** How a Stein two-stage comparison was made (n₀ is its df + 1), null for any other: from the stored fields. */
export function twoStageOf(c: { readonly method: RatioMethod; readonly df: number }): TwoStage | null {
  if (c.method === 'paired-two-stage') return { rounds: c.df + 1, guarded: false }
  if (c.method === 'paired-two-stage-guarded') return { rounds: c.df + 1, guarded: true }
  return null
}

/** Schuirmann's two one-sided tests of a log ratio `estimate` (standard error `se`, `df` t degrees of freedom) within ±marginPercent: the larger one-sided p. */
export function tostP(estimate: number, se: number, df: number, marginPercent: number): number {
  const margin = Math.log(1 + marginPercent / 100)
  if (se === 0) return Math.abs(estimate) < margin ? 0 : 1
  return Math.max(1 - tCdf((estimate + margin) / se, df), tCdf((estimate - margin) / se, df))
}

/** The ratio comparison of a log-scale estimate with its standard error and df. */
export function ratioFromLog(input: {
  readonly method: RatioMethod
  readonly n: number
  readonly df: number
  readonly estimate: number
  readonly se: number
  readonly confidence: number
  readonly marginPercent: number
  readonly unpaired?: { readonly se: number; readonly df: number } | null
}): RatioComparison {
  const { method, n, df, estimate, se, confidence, marginPercent } = input
  const unpaired = input.unpaired ?? null
  const t = tQuantile(confidence, df)
  const half = t * se
  const p = se === 0 ? (estimate === 0 ? 1 : 0) : tTwoSidedTail(estimate / se, df)
  const significant = se === 0 ? estimate !== 0 : Math.abs(estimate) > half
  const equivalenceP = tostP(estimate, se, df, marginPercent)
  const unpairedPrecisionPercent = method !== 'welch-isolates' && unpaired !== null ? (Math.exp(tQuantile(confidence, unpaired.df) * unpaired.se) - 1) * 100 : null
  return {
    method,
    n,
    df,
    confidence,
    tCritical: t,
    ratio: Math.exp(estimate),
    lower: Math.exp(estimate - half),
    upper: Math.exp(estimate + half),
    logStandardError: se,
    p,
    significant,
    verdict: !significant ? 'no difference proven' : estimate < 0 ? 'faster' : 'slower',
    precisionPercent: (Math.exp(half) - 1) * 100,
    unpairedPrecisionPercent,
    marginPercent,
    equivalenceP,
  }
}

/**
 * Isolates (pairs) needed for a precision of ±`targetPercent` given the sd of the paired log
 * differences: the smallest n with t(df)·sd/√n ≤ ln(1 + target), df = n − 1 — or n₀ − 1 for
 * Stein's two-stage comparison (`stageOneRounds`), whose df stays that of the first stage.
 * null beyond `max`.
 */
export function isolatesForPrecision(logDifferenceSd: number, targetPercent: number, confidence = 95, max = 1000, stageOneRounds: number | null = null): number | null {
  const target = Math.log(1 + targetPercent / 100)
  for (let n = 3; n <= max; n++) {
    const df = stageOneRounds === null ? n - 1 : stageOneRounds - 1
    if (tQuantile(confidence, df) * (logDifferenceSd / Math.sqrt(n)) <= target) return n
  }
  return null
}
