// Turns the raw results of a run into the results file (result-schema.ts): vitals per measured
// cell, and per (workload, N) block the baseline and every other strategy compared with it by
// the statistics layer, with the same options the printed ministat block uses.

import { compareDatasets } from '../stats/compare.js'
import { summarize } from '../stats/summary.js'
import type { Comparison, StatsMode, Summary } from '../stats/types.js'
import type { RunConfig } from './plan.js'
import { defaultBaseline } from './plan.js'
import type {
  JsonComparison,
  JsonSummary,
  ResultBlock,
  ResultCell,
  ResultEnvironment,
  ResultWorkload,
  RunResult,
} from './result-schema.js'
import { RESULT_SCHEMA_VERSION, RESULT_TOOL } from './result-schema.js'
import type { GroupResult } from './run-bench.js'
import type { MeasuredCell } from './timed-group.js'

function finiteOrNull(value: number): number | null {
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

export function jsonComparison(strategy: string, c: Comparison): JsonComparison {
  return {
    strategy,
    test: c.test,
    confidence: c.confidence,
    df: finiteOrNull(c.df),
    tCritical: finiteOrNull(c.tCritical),
    delta: finiteOrNull(c.delta),
    deltaHalfWidth: finiteOrNull(c.deltaHalfWidth),
    relativePercent: finiteOrNull(c.relativePercent),
    relativeHalfWidthPercent: finiteOrNull(c.relativeHalfWidthPercent),
    pooledStddev: finiteOrNull(c.pooledStddev),
    designEffect: c.designEffect,
    significant: c.significant,
    verdict: c.verdict,
  }
}

/**
 * The baseline of one block: the one asked for, else the default for the workload's sides; when
 * that one was not measured here (not asked for, or skipped), the first measured strategy, and a
 * note says why.
 */
export function chooseBaseline(
  requested: string | null,
  sides: ResultWorkload['sides'],
  measured: readonly string[],
  skipped: ReadonlyMap<string, string>,
): { baseline: string | null; note: string | null } {
  const wanted = requested ?? defaultBaseline(sides)
  if (measured.includes(wanted)) return { baseline: wanted, note: null }
  const fallback = measured[0] ?? null
  if (fallback === null) return { baseline: null, note: 'no strategy was measured' }
  // The skipped cell itself carries the reason; the note only says that a stand-in was used.
  const why = skipped.has(wanted) ? 'was skipped' : 'was not run'
  return { baseline: fallback, note: `${requested === null ? 'default' : 'requested'} baseline ${wanted} ${why}; compared against ${fallback}` }
}

export function statsOptions(config: Pick<RunConfig, 'confidence' | 'mode'> & { readonly designEffect?: number }): {
  confidence: number
  mode: StatsMode
  designEffect: number
} {
  return { confidence: config.confidence, mode: config.mode, designEffect: config.designEffect ?? 1 }
}

export interface AssembleInput {
  readonly name: string
  readonly environment: ResultEnvironment
  readonly config: RunConfig
  readonly groups: readonly GroupResult[]
}

export function assembleResult({ name, environment, config, groups }: AssembleInput): RunResult {
  const cells: ResultCell[] = []
  const blocks: ResultBlock[] = []
  const workloads = new Map<string, ResultWorkload>()
  const options = statsOptions(config)

  for (const group of groups) {
    const { workload, size } = group
    workloads.set(workload.name, {
      name: workload.name,
      summary: workload.summary,
      sizeUnit: workload.sizeUnit,
      sides: workload.sides,
      measure: workload.measure,
    })
    const key = { workload: workload.name, size }
    for (const cell of group.outcomes) {
      if (cell.status === 'skipped') cells.push({ ...key, strategy: cell.strategy, status: 'skipped', reason: cell.reason })
      else cells.push({ ...key, ...cell })
    }
    if (workload.measure !== 'timed') continue

    const measured: MeasuredCell[] = []
    const skipped = new Map<string, string>()
    for (const cell of group.timed) {
      if (cell.status === 'skipped') {
        skipped.set(cell.strategy, cell.reason)
        cells.push({ ...key, strategy: cell.strategy, status: 'skipped', reason: cell.reason })
        continue
      }
      measured.push(cell)
      cells.push({
        ...key,
        strategy: cell.strategy,
        status: 'measured',
        unit: 'ns/op',
        opsPerReplicate: cell.opsPerReplicate,
        setupOps: cell.setupOps,
        streamHash: cell.streamHash,
        values: [...cell.values],
        rounds: [...cell.rounds],
        positions: [...cell.positions],
        work: cell.work,
        summary: jsonSummary(summarize(cell.values, options.mode)),
      })
    }
    const names = measured.map((cell) => cell.strategy)
    const { baseline, note } = chooseBaseline(config.baseline, workload.sides, names, skipped)
    const baseCell = measured.find((cell) => cell.strategy === baseline)
    const ordered = baseCell === undefined ? measured : [baseCell, ...measured.filter((cell) => cell !== baseCell)]
    blocks.push({
      workload: workload.name,
      size,
      baseline,
      baselineNote: note,
      strategies: ordered.map((cell) => cell.strategy),
      comparisons:
        baseCell === undefined
          ? []
          : ordered.slice(1).map((cell) => jsonComparison(cell.strategy, compareDatasets(baseCell.values, cell.values, options))),
    })
  }

  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: RESULT_TOOL,
    name,
    environment,
    config: {
      workloads: [...config.workloads],
      strategies: config.strategies === null ? null : [...config.strategies],
      baseline: config.baseline,
      sizes: config.sizes === null ? null : [...config.sizes],
      replicates: config.replicates,
      ops: config.ops,
      seed: config.seed,
      confidence: config.confidence,
      mode: config.mode,
      warmupIterations: config.warmupIterations,
      warmupMs: config.warmupMs,
      wrapOffsetSpacePages: config.wrapOffsetSpacePages,
      quick: config.quick,
      isolation: config.isolation,
      designEffect: config.designEffect,
    },
    workloads: [...workloads.values()],
    cells,
    blocks,
  }
}
