// Two results files, cell by cell: for every (workload, N, strategy) measured in both, the new
// replicates against the old ones with the statistics layer (Δ = new − old, so 'slower' is a
// regression). Outcome cells (wrap) are compared by outcome. Differences in what was run (K,
// seed, replicates) or where (Node, CPU) are listed, since they can explain a difference.

import { compareDatasets } from '../stats/compare.js'
import type { StatsMode } from '../stats/types.js'
import { jsonComparison } from './assemble.js'
import type { JsonComparison, MeasuredResultCell, OutcomeResultCell, ResultCell, RunResult } from './result-schema.js'

export interface CellChange {
  readonly workload: string
  readonly size: number
  readonly strategy: string
  readonly oldMean: number | null
  readonly newMean: number | null
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
  readonly confidence: number
  readonly mode: StatsMode
  /** Of every comparison: the larger of the two runs' (1 in ministat mode). */
  readonly designEffect: number
  readonly cells: readonly CellChange[]
  readonly outcomes: readonly OutcomeChange[]
  /** "workload N=… strategy" of cells measured in only one file. */
  readonly onlyOld: readonly string[]
  readonly onlyNew: readonly string[]
  /** Differences in config or environment worth knowing before reading the numbers. */
  readonly caveats: readonly string[]
  /** Cells that got slower with significance. */
  readonly regressions: number
}

function keyOf(cell: Pick<ResultCell, 'workload' | 'size' | 'strategy'>): string {
  return `${cell.workload} N=${cell.size} ${cell.strategy}`
}

function caveatsOf(oldRun: RunResult, newRun: RunResult): string[] {
  const caveats: string[] = []
  const differs = (label: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) caveats.push(`${label} differs: ${JSON.stringify(a)} → ${JSON.stringify(b)}`)
  }
  differs('ops per replicate (K)', oldRun.config.ops, newRun.config.ops)
  differs('seed (the streams)', oldRun.config.seed, newRun.config.seed)
  differs('replicates', oldRun.config.replicates, newRun.config.replicates)
  differs('Node', oldRun.environment.node, newRun.environment.node)
  differs('CPU', oldRun.environment.cpu.model, newRun.environment.cpu.model)
  differs('isolation', oldRun.config.isolation, newRun.config.isolation)
  return caveats
}

/** Groups whose op stream changed (generator, K or seed): their cells measured different work. */
function changedStreams(pairs: readonly (readonly [MeasuredResultCell, MeasuredResultCell])[]): string[] {
  const changed = new Set<string>()
  for (const [a, b] of pairs) {
    // Files without hashes (none are written that way today) cannot be checked.
    if (typeof a.streamHash === 'string' && typeof b.streamHash === 'string' && a.streamHash !== b.streamHash) changed.add(`${a.workload} N=${a.size}`)
  }
  return [...changed]
}

export function compareRuns(oldRun: RunResult, newRun: RunResult, options: { confidence: number; mode: StatsMode }): RunComparison {
  // Each cell's replicates are as clustered as in the run that measured them: judge with the larger
  // of the two runs' design effects (none in ministat mode, which reproduces ministat(1)).
  const designEffect = options.mode === 'exact' ? Math.max(oldRun.config.designEffect ?? 1, newRun.config.designEffect ?? 1) : 1
  const compareOptions = { ...options, designEffect }
  const oldCells = new Map(oldRun.cells.map((cell) => [keyOf(cell), cell]))
  const newCells = new Map(newRun.cells.map((cell) => [keyOf(cell), cell]))
  const cells: CellChange[] = []
  const outcomes: OutcomeChange[] = []
  const onlyOld: string[] = []
  const onlyNew: string[] = []
  const pairs: (readonly [MeasuredResultCell, MeasuredResultCell])[] = []

  for (const [key, before] of oldCells) {
    const after = newCells.get(key)
    if (before.status === 'measured') {
      if (after?.status !== 'measured') {
        onlyOld.push(key)
        continue
      }
      const a: MeasuredResultCell = before
      const b: MeasuredResultCell = after
      pairs.push([a, b])
      cells.push({
        workload: a.workload,
        size: a.size,
        strategy: a.strategy,
        oldMean: a.summary.mean,
        newMean: b.summary.mean,
        comparison: jsonComparison(a.strategy, compareDatasets(a.values, b.values, compareOptions)),
      })
    } else if (before.status === 'outcome' && after?.status === 'outcome') {
      outcomes.push({ workload: before.workload, size: before.size, strategy: before.strategy, before: before.outcome, after: after.outcome })
    }
  }
  for (const [key, after] of newCells) {
    if (after.status === 'measured' && oldCells.get(key)?.status !== 'measured') onlyNew.push(key)
  }
  return {
    confidence: options.confidence,
    mode: options.mode,
    designEffect,
    cells,
    outcomes,
    onlyOld,
    onlyNew,
    caveats: [
      ...caveatsOf(oldRun, newRun),
      ...changedStreams(pairs).map((group) => `the op stream of ${group} changed (workload generator, K or seed): its cells did different work`),
    ],
    regressions: cells.filter((cell) => cell.comparison.verdict === 'slower').length,
  }
}
