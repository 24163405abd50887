// Whether two runs were made in the same state of the host, from the runs themselves: the same
// cells' speed. Between two runs of one commit nothing timed changed, so every cell's ns/op
// should stay put; on this 2-core guest it did within about ±2 % (median over the suite's cells)
// when both runs fell in one host state, and moved by 4–21 % when they did not. A move of the
// whole host is not uniform — strategies far faster than their baseline (trees, radix trees)
// slowed by 20–50 % where the lists slowed by 5–10 % — so it does not cancel in a ratio to the
// baseline: two runs 17–21 % apart called 13–18 of 162 cells of identical code "slower"
// (README, "Comparing two runs"). The median over many cells is the thermometer because a code
// change moves the few cells of the strategy changed, not most of them; code every strategy
// shares (the device model, the engine) moves them all, and then the drift is not the host's.

import { logAverage, mean, quantileSorted } from 'simple-statistics'
import type { MeasuredResultCell, RunResult } from './run-schema.js'
import { seededUniform } from '../stats/seeded-uniform.js'

/** |median drift| beyond this, in percent, and the runs were made in different host states. */
export const HOST_DRIFT_LIMIT_PERCENT = 3

/** Fewer timed cells in common than this, and the median is the change under test, not the host. */
export const HOST_DRIFT_MIN_CELLS = 8

export interface HostDrift {
  /** Timed cells measured in both runs. */
  readonly cells: number
  /** Median over those cells of new ÷ old geometric-mean ns/op, as a percent change; null when `unknownBecause` says why. */
  readonly medianPercent: number | null
  /** The middle half of the cells' changes, percent (null as the median is). */
  readonly lowerQuartilePercent: number | null
  readonly upperQuartilePercent: number | null
  /** |median| > HOST_DRIFT_LIMIT_PERCENT: the runs were made in different host states. */
  readonly beyondLimit: boolean
  /** Why the same cells' speed cannot tell the host's drift here (too few cells, another engine or K), or null. */
  readonly unknownBecause: string | null
}

const percent = (logChange: number): number => (Math.exp(logChange) - 1) * 100

/** Why the runs' speeds would differ whatever the host did, or null. */
function differentWork(oldRun: RunResult, newRun: RunResult): string | null {
  const a = oldRun.config
  const b = newRun.config
  if (a.engine !== b.engine) return `the engines differ (${a.engine} → ${b.engine}), so the same cells' speed compares the engines, not the host`
  if (a.ops !== b.ops) return `the ops per state differ (${a.ops} → ${b.ops}), so the same cells do different work`
  return null
}

/** How far the same cells' speed moved from `oldRun` to `newRun`. */
export function hostDrift(oldRun: RunResult, newRun: RunResult): HostDrift {
  const before = new Map<string, MeasuredResultCell>()
  for (const cell of oldRun.cells) if (cell.status === 'measured') before.set(`${cell.workload} ${cell.size} ${cell.strategy}`, cell)
  const changes: number[] = []
  for (const cell of newRun.cells) {
    if (cell.status !== 'measured') continue
    const old = before.get(`${cell.workload} ${cell.size} ${cell.strategy}`)
    if (old !== undefined) changes.push(Math.log(logAverage(cell.values) / logAverage(old.values)))
  }
  const unknownBecause =
    differentWork(oldRun, newRun) ??
    (changes.length < HOST_DRIFT_MIN_CELLS
      ? `only ${changes.length} timed cell(s) in common: too few to tell a change of the host (the same cells' speed) from the change under test`
      : null)
  if (unknownBecause !== null) {
    return { cells: changes.length, medianPercent: null, lowerQuartilePercent: null, upperQuartilePercent: null, beyondLimit: false, unknownBecause }
  }
  changes.sort((a, b) => a - b)
  const median = percent(quantileSorted(changes, 0.5))
  return {
    cells: changes.length,
    medianPercent: median,
    lowerQuartilePercent: percent(quantileSorted(changes, 0.25)),
    upperQuartilePercent: percent(quantileSorted(changes, 0.75)),
    beyondLimit: Math.abs(median) > HOST_DRIFT_LIMIT_PERCENT,
    unknownBecause: null,
  }
}

/** Rounds a cell needs before its halves can be set against each other. */
const WITHIN_RUN_MIN_ROUNDS = 4

/** Random splits of the round numbers that give the drift's chance range, and their seed. */
const WITHIN_RUN_SPLITS = 199
const WITHIN_RUN_SEED = 0x5eed

export interface WithinRunDrift {
  /** Each cell's later half of rounds against its earlier half (geometric means), median over cells, percent. */
  readonly percent: number
  /** What random splits of the round numbers give, percent: the 95th percentile of their |median|. */
  readonly chancePercent: number
  /** The permutation p-value: the share of random splits (the split by time counted among them) at least as far from 0. */
  readonly p: number
  /** p ≤ 0.05: the host changed state during the run. */
  readonly changed: boolean
}

interface RoundSeries {
  readonly logs: readonly number[]
  readonly rounds: readonly number[]
}

/** One cell's later half of rounds against its earlier half (difference of mean logs), the rounds ordered by `rank[round]`. */
function splitChange({ logs, rounds }: RoundSeries, rank: readonly number[]): number {
  const ordered = logs.map((log, i) => ({ log, at: rank[rounds[i] ?? i] ?? 0 })).sort((a, b) => a.at - b.at)
  const half = Math.floor(ordered.length / 2)
  return mean(ordered.slice(half).map((o) => o.log)) - mean(ordered.slice(0, half).map((o) => o.log))
}

/** Median over cells of splitChange. */
function medianSplit(series: readonly RoundSeries[], rank: readonly number[]): number {
  return quantileSorted(series.map((cell) => splitChange(cell, rank)).sort((a, b) => a - b), 0.5)
}

/**
 * How far the host's state moved during one run: each timed cell's later half of rounds against
 * its earlier half, median over the cells (null with fewer than HOST_DRIFT_MIN_CELLS cells of 4
 * rounds or more). `run` takes its rounds in passes over all cells — round k of every cell in
 * pass k — so a round number is the run's clock, and nothing timed changes within a run. But the
 * passes also share the host's spells, so even a host with no trend moves this median: splitting
 * the round numbers at random instead of by time moved it by up to ±0.9–1.9 % on a quiet host
 * and ±3.6–7.9 % on a noisy one (95 % of the splits, committed C suites). So the drift is set
 * against 199 such random splits (seeded, so a report renders the same every time) as a
 * permutation test, p =
 * (1 + splits at least as far from 0) / (1 + 199) (B. Phipson and G. K. Smyth, "Permutation
 * p-values should never be zero", Stat. Appl. Genet. Mol. Biol. 9, 2010), and the host changed
 * state during the run where p ≤ 0.05: w, +12.7 % where random splits give up to ±6.9 %.
 */
export function withinRunDrift(run: RunResult): WithinRunDrift | null {
  const series: RoundSeries[] = []
  let rounds = 0
  for (const cell of run.cells) {
    if (cell.status !== 'measured' || cell.values.length < WITHIN_RUN_MIN_ROUNDS) continue
    const cellRounds = cell.values.map((_, i) => cell.rounds[i] ?? i)
    series.push({ logs: cell.values.map(Math.log), rounds: cellRounds })
    rounds = Math.max(rounds, ...cellRounds.map((r) => r + 1))
  }
  if (series.length < HOST_DRIFT_MIN_CELLS) return null
  const byTime = Array.from({ length: rounds }, (_, r) => r)
  const observed = medianSplit(series, byTime)
  const uniform = seededUniform(WITHIN_RUN_SEED)
  const chance: number[] = []
  for (let split = 0; split < WITHIN_RUN_SPLITS; split++) {
    const rank = [...byTime]
    for (let i = rank.length - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1))
      ;[rank[i], rank[j]] = [rank[j] ?? 0, rank[i] ?? 0]
    }
    chance.push(Math.abs(medianSplit(series, rank)))
  }
  chance.sort((a, b) => a - b)
  // At least as far: a split that ties the one by time counts against it (rounding aside).
  const asFar = chance.filter((c) => c >= Math.abs(observed) - 1e-12).length
  const p = (1 + asFar) / (1 + WITHIN_RUN_SPLITS)
  return { percent: percent(observed), chancePercent: percent(quantileSorted(chance, 0.95)), p, changed: p <= 0.05 }
}

/** A percent change with its sign, one decimal: +18.5%. */
export const formatDrift = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`

/** "+6.6% (later vs earlier rounds; p = 0.005 against random splits …, 95 % of which give up to ±3.6%)": the report's words and compare's. */
export function describeWithinRunDrift(drift: WithinRunDrift): string {
  return (
    `${formatDrift(drift.percent)} (later vs earlier rounds; p = ${drift.p.toFixed(3)} against random splits of the rounds, ` +
    `95 % of which give up to ±${drift.chancePercent.toFixed(1)}%)`
  )
}

/** The caveat for a run whose host changed state during it (`which`: "old" or "new"), or null. */
export function withinRunCaveat(which: string, run: RunResult): string | null {
  const drift = withinRunDrift(run)
  if (drift === null || !drift.changed) return null
  return `the ${which} run's host changed state during it: drift within the run ${describeWithinRunDrift(drift)}, so its ratios average two host states`
}

/** The caveat for a drift beyond the limit, or for too few cells to tell; null otherwise. */
export function hostDriftCaveat(drift: HostDrift): string | null {
  if (drift.unknownBecause !== null) return `the host's drift is not known: ${drift.unknownBecause}`
  if (drift.medianPercent === null || drift.lowerQuartilePercent === null || drift.upperQuartilePercent === null) return null
  if (!drift.beyondLimit) return null
  return (
    `the host's state differs: the same cells ran a median ${formatDrift(drift.medianPercent)} in ns/op ` +
    `(middle half ${formatDrift(drift.lowerQuartilePercent)} to ${formatDrift(drift.upperQuartilePercent)}; within ±${HOST_DRIFT_LIMIT_PERCENT}% in one host state) — ` +
    'such a move is not uniform: strategies far faster than their baseline lose ground against it, so a "slower" here may be the host ' +
    '(or code every strategy shares); rerun both in one state'
  )
}
