// The analysis of one workload's sweep (issue 5): per strategy, the ns/op at every live-set size
// N with the confidence interval of its mean, the growth fit over those means, the growth of
// the deterministic cost counters, and for every pair of strategies the two-sample comparison
// at each N and the crossovers that follow from them. Pure: replicate values in, numbers out;
// the command gathers the values and the report layer words them.

import type { IsolateSeries, RatioComparison } from './ratio.js'
import { compareRatio } from './ratio.js'
import type { SlopeInterval } from './bootstrap-slope.js'
import { bootstrapSlope } from './bootstrap-slope.js'
import { findCrossovers } from './crossover.js'
import type { PairCrossovers } from './crossover.js'
import { fitGrowth } from './growth.js'
import type { GrowthFit } from './growth.js'
import { tQuantile } from './student-t.js'
import { summarize } from './summary.js'
import type { StatsMode, Summary } from './types.js'

/** The replicate values (ns/op, in the order measured) of one (N, strategy) cell. */
export interface SweepCellValues {
  size: number
  strategy: string
  values: readonly number[]
  /** The round of each value (pairs the strategies of one round); default: by position. */
  rounds?: readonly number[]
}

/** Deterministic work per measured op of one (N, strategy) cell. */
export interface SweepCellCounts {
  size: number
  strategy: string
  /** Work units per op: nodes visited + key comparisons (both are pointer-chasing steps). */
  workPerOp: number
}

export interface SeriesPoint {
  size: number
  summary: Summary
  /** Standard error of the mean. */
  sem: number
  /** Half-width of the confidence interval of the mean (exact t, n − 1 df); NaN when n < 2. */
  halfWidth: number
}

export interface StrategySeries {
  strategy: string
  points: SeriesPoint[]
  /** Growth of the mean ns/op with N; null with fewer than two sizes. */
  growth: GrowthFit | null
  /** Growth of the counted work per op with N; null without counts or with zero work. */
  workGrowth: GrowthFit | null
  /**
   * The exponent over the workload's common N range (every strategy's exponent over the same
   * sizes, so they compare), with an interval from isolate-level resampling; null when the
   * range has fewer than two sizes.
   */
  commonGrowth: SlopeInterval | null
}

export interface PairAnalysis {
  /** Baseline (a) and other (b): b comes after a in the strategy order. */
  a: string
  b: string
  /** b against baseline a at every size both were measured. */
  perSize: { size: number; meanA: number; meanB: number; comparison: RatioComparison }[]
  crossovers: PairCrossovers
}

export interface WorkloadAnalysis {
  workload: string
  confidence: number
  /** The sizes every strategy was timed at (see commonRange); null when they share fewer than two. */
  commonRange: [number, number] | null
  series: StrategySeries[]
  pairs: PairAnalysis[]
}

/** The sizes every strategy with at least two timed sizes was timed at: [largest first size, smallest last size]. */
export function commonRange(cells: readonly SweepCellValues[], strategies: readonly string[]): [number, number] | null {
  let lo = -Infinity
  let hi = Infinity
  for (const strategy of strategies) {
    const sizes = cells.filter((c) => c.strategy === strategy && c.values.length > 0).map((c) => c.size)
    if (new Set(sizes).size < 2) continue
    lo = Math.max(lo, Math.min(...sizes))
    hi = Math.min(hi, Math.max(...sizes))
  }
  return lo < hi ? [lo, hi] : null
}

export interface AnalysisOptions {
  confidence: number
  mode?: StatsMode
  /** Which pairs of strategies to compare (default: every pair). */
  pairs?: (a: string, b: string) => boolean
}

function growthOf(points: readonly { size: number; mean: number; sem?: number }[], confidence: number): GrowthFit | null {
  const usable = points.filter((p) => p.size > 0 && p.mean > 0 && Number.isFinite(p.mean))
  if (new Set(usable.map((p) => p.size)).size < 2) return null
  return fitGrowth(usable, confidence)
}

/**
 * Analyse one workload. `strategies` fixes the order (pairs are (earlier, later)); cells of
 * strategies not listed are ignored. A cell needs at least two replicates for an interval and
 * a comparison; cells with fewer still give a point but no comparison.
 */
export function analyseWorkload(
  workload: string,
  strategies: readonly string[],
  cells: readonly SweepCellValues[],
  counts: readonly SweepCellCounts[],
  options: AnalysisOptions,
): WorkloadAnalysis {
  const { confidence } = options
  const mode = options.mode ?? 'exact'
  const bySize = (strategy: string): Map<number, readonly number[]> =>
    new Map(cells.filter((c) => c.strategy === strategy && c.values.length > 0).map((c) => [c.size, c.values]))
  const seriesAt = (strategy: string, size: number): IsolateSeries | undefined => {
    const cell = cells.find((c) => c.strategy === strategy && c.size === size)
    return cell === undefined ? undefined : { values: cell.values, rounds: cell.rounds ?? cell.values.map((_v, i) => i) }
  }

  const range = commonRange(cells, strategies)
  const series: StrategySeries[] = strategies.map((strategy) => {
    const points: SeriesPoint[] = [...bySize(strategy)]
      .sort(([x], [y]) => x - y)
      .map(([size, values]) => {
        const summary = summarize(values, mode)
        const sem = summary.n >= 2 ? summary.stddev / Math.sqrt(summary.n) : Number.NaN
        const halfWidth = summary.n >= 2 ? tQuantile(confidence, summary.n - 1) * sem : Number.NaN
        return { size, summary, sem, halfWidth }
      })
    const growth = growthOf(
      points.map((p) => ({ size: p.size, mean: p.summary.mean, ...(Number.isFinite(p.sem) ? { sem: p.sem } : {}) })),
      confidence,
    )
    const work = counts.filter((c) => c.strategy === strategy).map((c) => ({ size: c.size, mean: c.workPerOp }))
    const inRange = range === null ? [] : cells.filter((c) => c.strategy === strategy && c.size >= range[0] && c.size <= range[1] && c.values.length > 0)
    const commonGrowth = new Set(inRange.map((c) => c.size)).size < 2 ? null : bootstrapSlope(inRange, confidence)
    return { strategy, points, growth, workGrowth: growthOf(work, confidence), commonGrowth }
  })

  const pairs: PairAnalysis[] = []
  for (let i = 0; i < strategies.length; i++) {
    for (let j = i + 1; j < strategies.length; j++) {
      const a = strategies[i] as string
      const b = strategies[j] as string
      if (options.pairs !== undefined && !options.pairs(a, b)) continue
      const valuesA = bySize(a)
      const valuesB = bySize(b)
      const perSize: PairAnalysis['perSize'] = []
      for (const [size, va] of [...valuesA].sort(([x], [y]) => x - y)) {
        const vb = valuesB.get(size)
        if (vb === undefined || va.length < 2 || vb.length < 2) continue
        const comparison = compareRatio(seriesAt(a, size) as IsolateSeries, seriesAt(b, size) as IsolateSeries, { confidence })
        perSize.push({ size, meanA: summarize(va, mode).mean, meanB: summarize(vb, mode).mean, comparison })
      }
      pairs.push({ a, b, perSize, crossovers: findCrossovers(a, b, perSize) })
    }
  }
  return { workload, confidence, commonRange: range, series, pairs }
}
