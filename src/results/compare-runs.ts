// Two results files (schema 2). By default the question is "did the relative standing change?":
// for every (workload, N, strategy) compared with the same baseline in both runs, the new ratio
// strategy ÷ baseline against the old one — a ratio of ratios, on the log scale, with the two
// runs' standard errors combined (Welch–Satterthwaite df). A change that slows every strategy
// alike (load, another Node) cancels in the ratio; absolute ns/op do not cancel it, and are
// compared only with `absolute: true`, behind a warning. Either way the comparisons are one
// family, Holm-adjusted; 'slower' is a regression.
//
// Before any number, the runs are checked for comparability: machine class (CPU model, cores),
// Node, the measurement design (K, sample length, samples, warm-up, isolation), whether either
// run was made on a busy machine, whether the host's noise differed (host-noise.ts), and whether
// the host's state moved the same cells' speed (host-drift.ts) — a move that does NOT slow every
// strategy alike, so that ratios moved too. Differences are listed as caveats; the drift is also
// returned, so that a gate (`--fail-on-regression`) can refuse runs from different host states.
// Last, in relative mode, how far the two runs' own verdicts agree, beside what the intervals'
// widths allow (stats/expected-agreement.ts), and how many estimates fall outside the other
// run's interval, beside what chance gives.

import { logAverage } from 'simple-statistics'
import type { MeasuredLogRatio } from '../stats/expected-agreement.js'
import { expectedAgreement } from '../stats/expected-agreement.js'
import { holmAdjust } from '../stats/holm.js'
import { normalCdf } from '../stats/normal.js'
import type { RatioComparison } from '../stats/ratio.js'
import { compareRatio, ratioFromLog, twoStageOf } from '../stats/ratio.js'
import type { HostDrift } from './host-drift.js'
import { hostDrift, hostDriftCaveat, withinRunCaveat } from './host-drift.js'
import { hostNoiseCaveat } from './host-noise.js'
import { jsonComparison } from './run-records.js'
import type { JsonComparison, MeasuredResultCell, OutcomeResultCell, ResultCell, RunResult } from './run-schema.js'

export interface CellChange {
  readonly workload: string
  readonly size: number
  readonly strategy: string
  /** Relative mode: the baseline both ratios are to; absolute mode: null. */
  readonly baseline: string | null
  /** Relative mode: old and new ratio to the baseline; absolute: old and new geometric mean ns/op. */
  readonly before: number
  readonly after: number
  /** after ÷ before, with its interval and the family verdict ('slower' = regression). */
  readonly comparison: JsonComparison
}

export interface OutcomeChange {
  readonly workload: string
  readonly size: number
  readonly strategy: string
  readonly before: OutcomeResultCell['outcome']
  readonly after: OutcomeResultCell['outcome']
}

export interface RunComparison {
  readonly mode: 'relative' | 'absolute'
  readonly confidence: number
  readonly cells: readonly CellChange[]
  readonly outcomes: readonly OutcomeChange[]
  /** "workload N=… strategy" of cells compared in only one file. */
  readonly onlyOld: readonly string[]
  readonly onlyNew: readonly string[]
  /** Differences in design or environment that weaken the comparison. */
  readonly caveats: readonly string[]
  /** Cells whose family verdict is 'slower'. */
  readonly regressions: number
  /** Relative mode: how far the two runs' own verdicts agree (a reproducibility check of two runs of one commit). */
  readonly agreement: Agreement | null
  /** How far the same cells' speed moved between the runs: beyond its limit, the host's state differed. */
  readonly hostDrift: HostDrift
}

export interface Agreement {
  /** Comparisons (strategy vs baseline) present in both runs. */
  readonly comparisons: number
  /** Of them, with the same family verdict in both runs. */
  readonly sameVerdict: number
  /** What the intervals' widths allow for that count, if both runs measured the same ratios (stats/expected-agreement.ts). */
  readonly expectedSameVerdict: number
  /**
   * Of them, the same in significance alone: faster, slower, or neither ("equivalent" and "not
   * proven" taken as one) — how issue reports and ministat(1) count a verdict, without the
   * equivalence test's second boundary near which a verdict can also move.
   */
  readonly sameSignificance: number
  /** What the widths allow for that count (the same simulation with no equivalence margin). */
  readonly expectedSameSignificance: number
  /** Point estimates of one run outside the other run's interval (counted both ways, so out of 2 × comparisons). */
  readonly outsideOther: number
  /** What chance alone gives for that count when both runs measure the same ratios: Σ 2·(1 − Φ(h / √(se₁² + se₂²))) over both directions. */
  readonly expectedOutside: number
}

function keyOf(cell: Pick<ResultCell, 'workload' | 'size' | 'strategy'>): string {
  return `${cell.workload} N=${cell.size} ${cell.strategy}`
}

/** How a run's paired intervals were made (stats/ratio.ts; Welch, the fallback where rounds do not pair, left out): Stein's alone or guarded differ in width by design. */
function intervalMethods(run: RunResult): string[] {
  return [...new Set(run.blocks.flatMap((b) => b.comparisons.map((c) => c.method)).filter((m) => m !== 'welch-isolates'))].sort()
}

function caveatsOf(oldRun: RunResult, newRun: RunResult, drift: HostDrift): string[] {
  const caveats: string[] = []
  const differs = (label: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) caveats.push(`${label} differs: ${JSON.stringify(a)} → ${JSON.stringify(b)}`)
  }
  differs('CPU', oldRun.environment.cpu.model, newRun.environment.cpu.model)
  differs('cores', oldRun.environment.cpu.cores, newRun.environment.cpu.cores)
  differs('Node', oldRun.environment.node, newRun.environment.node)
  differs('ops per state (K)', oldRun.config.ops, newRun.config.ops)
  differs('sample length (ms)', oldRun.config.sampleMs, newRun.config.sampleMs)
  differs('samples per isolate', oldRun.config.samples, newRun.config.samples)
  differs('warm-up (ms)', oldRun.config.warmupMs, newRun.config.warmupMs)
  differs('isolation', oldRun.config.isolation, newRun.config.isolation)
  differs('engine', oldRun.config.engine, newRun.config.engine)
  differs('seed (the streams)', oldRun.config.seed, newRun.config.seed)
  differs('interval (stats/ratio.ts)', intervalMethods(oldRun), intervalMethods(newRun))
  if (oldRun.machine.busy !== null) caveats.push(`the old run was made on a busy machine: ${oldRun.machine.busy}`)
  if (newRun.machine.busy !== null) caveats.push(`the new run was made on a busy machine: ${newRun.machine.busy}`)
  const noise = hostNoiseCaveat(oldRun, newRun)
  if (noise !== null) caveats.push(noise)
  for (const [which, run] of [['old', oldRun], ['new', newRun]] as const) {
    const changed = withinRunCaveat(which, run)
    if (changed !== null) caveats.push(changed)
  }
  const moved = hostDriftCaveat(drift)
  if (moved !== null) caveats.push(moved)
  return caveats
}

function measuredCells(run: RunResult): Map<string, MeasuredResultCell> {
  const cells = new Map<string, MeasuredResultCell>()
  for (const cell of run.cells) if (cell.status === 'measured') cells.set(keyOf(cell), cell)
  return cells
}

type RunRatios = Map<string, { baseline: string; c: RatioComparison }>

/** Every (block, strategy) of a run as a ratio comparison, keyed by "workload N=… strategy". */
function ratiosOf(run: RunResult, confidence: number): RunRatios {
  const cells = measuredCells(run)
  const out: RunRatios = new Map()
  for (const block of run.blocks) {
    if (block.baseline === null) continue
    const base = cells.get(keyOf({ workload: block.workload, size: block.size, strategy: block.baseline }))
    if (base === undefined) continue
    for (const comparison of block.comparisons) {
      const cell = cells.get(keyOf({ workload: block.workload, size: block.size, strategy: comparison.strategy }))
      if (cell === undefined) continue
      out.set(keyOf(cell), { baseline: block.baseline, c: compareRatio(base, cell, { confidence, marginPercent: run.config.marginPercent, twoStage: twoStageOf(comparison) }) })
    }
  }
  return out
}

/** new ratio ÷ old ratio: the change of the relative standing. */
function ratioOfRatios(before: RatioComparison, after: RatioComparison, confidence: number, marginPercent: number): RatioComparison {
  const v1 = before.logStandardError ** 2
  const v2 = after.logStandardError ** 2
  const se = Math.sqrt(v1 + v2)
  const df = se === 0 ? before.df + after.df : (v1 + v2) ** 2 / (v1 ** 2 / before.df + v2 ** 2 / after.df)
  return ratioFromLog({ method: 'welch-isolates', n: Math.min(before.n, after.n), df, estimate: Math.log(after.ratio) - Math.log(before.ratio), se, confidence, marginPercent })
}

/** A family verdict in significance alone: equivalent and not proven are both "neither". */
const significanceOf = (verdict: string | undefined): string => (verdict === 'faster' || verdict === 'slower' ? verdict : 'neither')

const measuredLogRatio = (c: RatioComparison): MeasuredLogRatio => ({ logRatio: Math.log(c.ratio), logStandardError: c.logStandardError, df: c.df, marginPercent: c.marginPercent })

/** The comparisons of both runs made against the same baseline: key, old, new. */
function inBoth(before: RunRatios, after: RunRatios): [string, RatioComparison, RatioComparison][] {
  const out: [string, RatioComparison, RatioComparison][] = []
  for (const [key, a] of before) {
    const b = after.get(key)
    if (b !== undefined && b.baseline === a.baseline) out.push([key, a.c, b.c])
  }
  return out
}

/** Both runs' comparisons against the same baseline as (old, new) log ratios with their standard errors: what the agreement below simulates (scripts/agreement-by-width.ts asks it again with narrower ones). */
export function commonLogRatios(oldRun: RunResult, newRun: RunResult, confidence: number): [MeasuredLogRatio, MeasuredLogRatio][] {
  return inBoth(ratiosOf(oldRun, confidence), ratiosOf(newRun, confidence)).map(([, a, b]) => [measuredLogRatio(a), measuredLogRatio(b)])
}

/** The two runs' own verdicts and intervals (`before`, `after`: their ratiosOf), comparison by comparison. */
function agreementOf(oldRun: RunResult, newRun: RunResult, before: RunRatios, after: RunRatios): Agreement {
  const verdicts = (run: RunResult): Map<string, string> =>
    new Map(run.blocks.flatMap((b) => b.comparisons.map((c) => [`${b.workload} N=${b.size} ${c.strategy}`, c.familyVerdict] as const)))
  const oldVerdicts = verdicts(oldRun)
  const newVerdicts = verdicts(newRun)
  const common = inBoth(before, after)
  let sameVerdict = 0
  let sameSignificance = 0
  let outsideOther = 0
  let expectedOutside = 0
  for (const [key, a, b] of common) {
    if (oldVerdicts.get(key) === newVerdicts.get(key)) sameVerdict++
    if (significanceOf(oldVerdicts.get(key)) === significanceOf(newVerdicts.get(key))) sameSignificance++
    const se = Math.sqrt(a.logStandardError ** 2 + b.logStandardError ** 2)
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      if (y.ratio < x.lower || y.ratio > x.upper) outsideOther++
      const half = Math.log(x.upper / x.ratio)
      expectedOutside += se === 0 ? 0 : 2 * (1 - normalCdf(half / se))
    }
  }
  const alpha = [1 - oldRun.config.confidence / 100, 1 - newRun.config.confidence / 100] as const
  const pairs = common.map(([, a, b]): [MeasuredLogRatio, MeasuredLogRatio] => [measuredLogRatio(a), measuredLogRatio(b)])
  return {
    comparisons: common.length,
    sameVerdict,
    expectedSameVerdict: expectedAgreement(pairs, { alpha }),
    sameSignificance,
    expectedSameSignificance: expectedAgreement(pairs, { alpha, equivalence: false }),
    outsideOther,
    expectedOutside,
  }
}

function adjust(cells: CellChange[], confidence: number): void {
  const alpha = 1 - confidence / 100
  const holm = holmAdjust(cells.map((cell) => cell.comparison.p))
  cells.forEach((cell, i) => {
    const c = cell.comparison
    c.holmP = holm[i] as number
    c.familyVerdict = c.holmP < alpha ? (c.ratio < 1 ? 'faster' : 'slower') : 'no difference proven'
  })
}

export function compareRuns(oldRun: RunResult, newRun: RunResult, options: { confidence: number; absolute?: boolean; marginPercent?: number }): RunComparison {
  const { confidence } = options
  const marginPercent = options.marginPercent ?? newRun.config.marginPercent
  const absolute = options.absolute === true
  const cells: CellChange[] = []
  const onlyOld: string[] = []
  const onlyNew: string[] = []
  let agreement: Agreement | null = null
  if (absolute) {
    const before = measuredCells(oldRun)
    const after = measuredCells(newRun)
    for (const [key, a] of before) {
      const b = after.get(key)
      if (b === undefined) {
        onlyOld.push(key)
        continue
      }
      // Two runs' rounds are unrelated: never paired.
      const c = compareRatio(a, b, { confidence, marginPercent, paired: false })
      cells.push({ workload: a.workload, size: a.size, strategy: a.strategy, baseline: null, before: logAverage(a.values), after: logAverage(b.values), comparison: jsonComparison(a.strategy, c, null) })
    }
    for (const key of after.keys()) if (!before.has(key)) onlyNew.push(key)
  } else {
    const before = ratiosOf(oldRun, confidence)
    const after = ratiosOf(newRun, confidence)
    for (const [key, a] of before) {
      const b = after.get(key)
      if (b === undefined || b.baseline !== a.baseline) {
        onlyOld.push(b === undefined ? key : `${key} (baseline ${a.baseline} → ${b.baseline})`)
        continue
      }
      const [workload = '', sizeText = '', strategy = ''] = key.split(' ')
      const c = ratioOfRatios(a.c, b.c, confidence, marginPercent)
      cells.push({ workload, size: Number(sizeText.slice(2)), strategy, baseline: a.baseline, before: a.c.ratio, after: b.c.ratio, comparison: jsonComparison(strategy, c, null) })
    }
    for (const key of after.keys()) if (!before.has(key)) onlyNew.push(key)
    agreement = agreementOf(oldRun, newRun, before, after)
  }
  adjust(cells, confidence)

  const outcomes: OutcomeChange[] = []
  const newCells = new Map(newRun.cells.map((cell) => [keyOf(cell), cell]))
  for (const before of oldRun.cells) {
    const after = newCells.get(keyOf(before))
    if (before.status === 'outcome' && after?.status === 'outcome') {
      outcomes.push({ workload: before.workload, size: before.size, strategy: before.strategy, before: before.outcome, after: after.outcome })
    }
  }
  const drift = hostDrift(oldRun, newRun)
  const caveats = caveatsOf(oldRun, newRun, drift)
  if (absolute) caveats.unshift('absolute ns/op: any change of the machine between the runs (load, frequency, other jobs, Node) shows up as a change of every cell; the default relative comparison cancels it')
  return {
    mode: absolute ? 'absolute' : 'relative',
    confidence,
    cells,
    outcomes,
    onlyOld,
    onlyNew,
    caveats,
    regressions: cells.filter((cell) => cell.comparison.familyVerdict === 'slower').length,
    agreement,
    hostDrift: drift,
  }
}
