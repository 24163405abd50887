// Turns the raw results of a run into the results file (results/run-schema.ts): per measured cell the
// isolates, their means (the unit of replication), vitals and variance components; per
// (workload, N) block the baseline and every other strategy compared with it as a ratio
// (stats/ratio.ts); then the run's comparisons as one family: Holm-adjusted p for the
// difference tests and for the equivalence tests, and the family verdict built from both.

import { varianceComponents } from '../stats/nested.js'
import { compareRatio } from '../stats/ratio.js'
import { summarize } from '../stats/summary.js'
import type { StatsMode } from '../stats/types.js'
import { adjustFamily, finiteOrNull, jsonComparison, jsonSummary } from '../results/run-records.js'
import type { MachineState, NativeBuildRecord, ResultEnvironment } from '../results/shared-schema.js'
import type { MeasuredArm } from './measure-group.js'
import { designTwoStage, designValuesOf, isolateSeries } from './measure-group.js'
import type { RunConfig } from './plan.js'
import { baselineAmong, defaultBaseline } from './plan.js'
import type { MeasuredResultCell, ResultBlock, ResultCell, ResultConfig, ResultWorkload, RunResult } from '../results/run-schema.js'
import { RESULT_SCHEMA_VERSION, RESULT_TOOL } from '../results/run-schema.js'
import type { GroupResult } from './run-bench.js'

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
  const chosen = baselineAmong(wanted, measured)
  if (chosen === wanted) return { baseline: wanted, note: null }
  if (chosen === null) return { baseline: null, note: 'no strategy was measured' }
  // The skipped cell itself carries the reason; the note only says that a stand-in was used.
  const why = skipped.has(wanted) ? 'was skipped' : 'was not run'
  return { baseline: chosen, note: `${requested === null ? 'default' : 'requested'} baseline ${wanted} ${why}; compared against ${chosen}` }
}

/** The measured cell of one arm. */
function measuredCell(workload: string, size: number, arm: MeasuredArm, mode: StatsMode): MeasuredResultCell {
  const { values, rounds } = isolateSeries(arm)
  const components = varianceComponents(arm.isolates.map((i) => i.samples))
  const gcSamples = arm.isolates.reduce((sum, i) => sum + i.gcCounts.filter((c) => c > 0).length, 0)
  return {
    workload,
    size,
    strategy: arm.label,
    status: 'measured',
    unit: 'ns/op',
    opsPerBatch: arm.opsPerBatch,
    setupOps: arm.setupOps,
    isolates: arm.isolates.map((i) => ({ ...i, samples: [...i.samples], gcCounts: [...i.gcCounts], gcMs: [...i.gcMs] })),
    values,
    rounds,
    summary: jsonSummary(summarize(values, mode)),
    components: { withinPercent: finiteOrNull(components.withinPercent), betweenPercent: finiteOrNull(components.betweenPercent) },
    gcSamples,
    totalSamples: arm.isolates.reduce((sum, i) => sum + i.samples.length, 0),
  }
}

export interface AssembleInput {
  readonly name: string
  readonly environment: ResultEnvironment
  readonly machine: { readonly before: MachineState; readonly busy: string | null }
  readonly config: RunConfig
  readonly groups: readonly GroupResult[]
  /** The C engine's build, when it ran the bookkeeping. */
  readonly native?: NativeBuildRecord | null
  /** The engine recorded, when it is not config.engine (replay --engine both). */
  readonly engine?: ResultConfig['engine']
}

/** The cells of one (workload, N) group and its block of comparisons (null: nothing was timed). */
function groupRecords(group: GroupResult, config: RunConfig): { cells: ResultCell[]; block: ResultBlock | null } {
  const { workload, size } = group
  const key = { workload: workload.name, size }
  const cells: ResultCell[] = []
  for (const cell of group.outcomes) {
    if (cell.status === 'skipped') cells.push({ ...key, strategy: cell.strategy, status: 'skipped', reason: cell.reason })
    else cells.push({ ...key, ...cell })
  }
  const measurement = group.measurement
  if (measurement === null) return { cells, block: null }

  const measured: MeasuredArm[] = []
  const skipped = new Map<string, string>()
  for (const arm of measurement.arms) {
    if (arm.status === 'skipped') {
      skipped.set(arm.label, arm.reason)
      cells.push({ ...key, strategy: arm.label, status: 'skipped', reason: arm.reason })
      continue
    }
    measured.push(arm)
    cells.push(measuredCell(workload.name, size, arm, config.mode))
  }
  const { baseline, note } = chooseBaseline(group.baseline !== undefined ? group.baseline : config.baseline, workload.sides, measured.map((arm) => arm.label), skipped)
  const baseArm = measured.find((arm) => arm.label === baseline)
  const ordered = baseArm === undefined ? measured : [baseArm, ...measured.filter((arm) => arm !== baseArm)]
  const options = { confidence: config.confidence, marginPercent: config.marginPercent, twoStage: designTwoStage(config) }
  const block: ResultBlock = {
    workload: workload.name,
    size,
    baseline,
    baselineNote: note,
    strategies: ordered.map((arm) => arm.label),
    rounds: measurement.rounds,
    loadAverages: [...measurement.loadAverages],
    precisionReached: measurement.precisionReached,
    stoppedBy: measurement.stoppedBy,
    comparisons:
      baseArm === undefined
        ? []
        : ordered.slice(1).map((arm) => jsonComparison(arm.label, compareRatio(isolateSeries(baseArm), isolateSeries(arm), options), config.precisionPercent)),
  }
  return { cells, block }
}

/** The config as the file records it. */
function configRecord(config: RunConfig, native: AssembleInput['native'], engine: AssembleInput['engine']): ResultConfig {
  return {
    workloads: [...config.workloads],
    strategies: config.strategies === null ? null : [...config.strategies],
    baseline: config.baseline,
    sizes: config.sizes === null ? null : [...config.sizes],
    ...designValuesOf(config),
    marginPercent: config.marginPercent,
    budgetSeconds: config.budgetSeconds,
    ops: config.ops,
    seed: config.seed,
    confidence: config.confidence,
    mode: config.mode,
    wrapOffsetSpacePages: config.wrapOffsetSpacePages,
    quick: config.quick,
    isolation: config.isolation,
    engine: engine ?? config.engine ?? 'js',
    gcBeforeSample: config.gcBeforeSample,
    ...(native === null || native === undefined ? {} : { native }),
  }
}

export function assembleResult({ name, environment, machine, config, groups, native = null, engine }: AssembleInput): RunResult {
  const cells: ResultCell[] = []
  const blocks: ResultBlock[] = []
  const workloads = new Map<string, ResultWorkload>()
  for (const group of groups) {
    const { workload } = group
    workloads.set(workload.name, { name: workload.name, summary: workload.summary, sizeUnit: workload.sizeUnit, sides: workload.sides, measure: workload.measure })
    const records = groupRecords(group, config)
    cells.push(...records.cells)
    if (records.block !== null) blocks.push(records.block)
  }
  adjustFamily(
    blocks.flatMap((block) => block.comparisons),
    config.confidence,
  )
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: RESULT_TOOL,
    name,
    environment,
    machine: { before: machine.before, busy: machine.busy },
    config: configRecord(config, native, engine),
    workloads: [...workloads.values()],
    cells,
    blocks,
  }
}
