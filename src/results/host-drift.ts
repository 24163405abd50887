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

import { logAverage, quantileSorted } from 'simple-statistics'
import type { MeasuredResultCell, RunResult } from './run-schema.js'

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

/** A percent change with its sign, one decimal: +18.5%. */
export const formatDrift = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`

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
