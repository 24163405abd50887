// The results file of `gntbench sweep` (results/<name>.json), schema version 2. One file holds
// everything the answer rests on, so the report can be regenerated from it alone:
//
//   schemaVersion, tool, kind: 'sweep', name
//   environment   as in a run file (Node, V8, OS, CPU, memory, git commit, command line, seed)
//   config        workloads, strategies, sizes per workload, R, K, seed, confidence, mode,
//                 warmup, the per-cell time budget, memory repeats, the isolate heap limit, the
//                 engine that timed the cells (and the C engine's compiler, flags and version)
//   workloads[]   per workload:
//     cells       one per (N, strategy): 'measured' with the raw replicate ns/op values in the
//                 order measured (+ round and position), or 'skipped' with the reason (with
//                 --engine both one per (N, strategy, engine), the strategy labelled <spec>@<engine>)
//     counters    per (N, strategy): deterministic cost counters of one untimed replay of the
//                 same measured ops, totals and per op
//     memory      per (N, strategy): live counts, the LP64 model's bytes, and the measured JS
//                 heap bytes per record of each repeat
//     heapFits    per strategy: heap bytes ≈ fixed + perRecord × records over the sizes
//     analysis    series (mean, CI per N), growth fits, pairwise comparisons, crossovers
//     paragraph   the plain-words answer
//   memoryLayouts the LP64 layouts the model uses, with their sizes
//
// JSON has no NaN or Infinity: JSON.stringify writes them as null. readSweepFile validates a file
// before anything uses it.

import type { StatsMode } from '../stats/types.js'
import type { WorkloadAnalysis } from '../stats/sweep-analysis.js'
import type { ComponentKinds, LiveCounts, MemoryEstimate } from '../strategies/memory-layout.js'
import type { CostCounters } from '../structures/types.js'
import type { NativeBuildRecord, ResultEnvironment, ResultIsolate } from './shared-schema.js'
import { checkEnvironment, checkIsolates, checkValues } from './shared-schema.js'
import { checkSweepFields } from './sweep-calibration-fields.js'
import { array, checkHeader, each, nullableNumber, number, numbers, object, oneOf, readJsonFile, string, strings } from './validate.js'

export const SWEEP_SCHEMA_VERSION = 2

export interface SweepConfig {
  workloads: string[]
  strategies: string[]
  /** Live-set sizes N per workload. */
  sizes: Record<string, number[]>
  /** Rounds of fresh isolates per cell; samples per isolate, their length and the warm-up, ms. */
  isolates: number
  samples: number
  sampleMs: number
  warmupMs: number
  ops: number
  seed: number
  confidence: number
  mode: StatsMode
  /** A cell whose projected wall time exceeds this is skipped (and so are larger N). */
  cellBudgetSeconds: number
  /** Heap measurements per cell (the first one also counts the costs). */
  memoryRepeats: number
  /** Bisection steps per crossover. */
  refineSteps: number
  /** V8's heap limit of one isolate (main thread and each worker), bytes. */
  heapLimitBytes: number
  quick: boolean
  isolation: 'worker' | 'inline'
  /**
   * Which engine timed the cells: the TS model in V8 (js), the C engine (native), or both (every
   * strategy twice, its series labelled `<spec>@js` and `<spec>@native`). Counters and the
   * JS heap come from the TS model's untimed pass whatever the engine.
   */
  engine: 'js' | 'native' | 'both'
  /** The C engine's compiler, flags and version (engine native or both). */
  native?: NativeBuildRecord
}

export interface SweepMeasuredCell {
  size: number
  strategy: string
  status: 'measured'
  unit: 'ns/op'
  opsPerBatch: number
  setupOps: number
  /** Isolate means (ns/op), one per round: the unit of replication. */
  values: number[]
  rounds: number[]
  /** Every isolate: round, seed, position, states per sample, raw samples and GC. */
  isolates: ResultIsolate[]
  /** Measured between two grid sizes to narrow a crossover (only the pair's two strategies). */
  refined?: true
}

export interface SweepSkippedCell {
  size: number
  strategy: string
  status: 'skipped'
  /** 'budget' (projected time), 'memory' (projected heap), 'unsupported' (sides, setup failure). */
  cause: 'budget' | 'memory' | 'unsupported'
  reason: string
}

export type SweepCell = SweepMeasuredCell | SweepSkippedCell

export interface SweepCounters {
  size: number
  strategy: string
  /** Measured ops replayed (K, as in a timed replicate). */
  ops: number
  /** Sum over the strategy's allocator, gref store and gmap store (shared counters once). */
  total: CostCounters
  perOp: CostCounters
  /** Wall time of the untimed setup + replay that counted, ms (what the budget projects from). */
  passMs: number
}

/** A C layout the model uses, with its LP64 sizeof. */
export interface SweepLayoutRow {
  name: string
  fields: string
  bytes: number
  padding: number
  source: string
}

/** Where a strategy stopped being timed in one workload (first skipped N), for the answer's wording. */
export interface SkippedFrom {
  strategy: string
  fromSize: number
  reason: string
}

export interface SweepMemory {
  size: number
  strategy: string
  kinds: ComponentKinds
  counts: LiveCounts
  /** The LP64 model's estimate (strategies/memory-layout.ts) without its record and page counts. */
  model: Omit<MemoryEstimate, 'records' | 'livePages'>
  /** Measured V8 heap growth per live record of each repeat (heapUsed + arrayBuffers). */
  heapBytesPerRecord: number[]
  heapBytesPerRecordMean: number
  /** Heap growth of the setup (the last repeat), bytes. */
  heapBytes: number
  /** Streams + live set held at once by the first untimed pass, bytes: what the memory stop scales. */
  footprintBytes: number
}

export interface SweepHeapFit {
  strategy: string
  /** Slope of heap bytes against live records over the sizes: the marginal cost of a record. */
  bytesPerRecord: number
  fixedBytes: number
  rSquared: number
  sizes: number[]
}

export interface SweepWorkloadResult {
  name: string
  summary: string
  sizeUnit: string
  sides: 'alloc' | 'map' | 'both'
  sizes: number[]
  cells: SweepCell[]
  counters: SweepCounters[]
  memory: SweepMemory[]
  heapFits: SweepHeapFit[]
  analysis: WorkloadAnalysis
  paragraph: string
}

export interface SweepResult {
  schemaVersion: typeof SWEEP_SCHEMA_VERSION
  tool: 'gntbench'
  kind: 'sweep'
  name: string
  environment: ResultEnvironment
  config: SweepConfig
  workloads: SweepWorkloadResult[]
  memoryLayouts: SweepLayoutRow[]
}

function checkCell(value: unknown, path: string): void {
  const cell = object(value, path)
  number(cell['size'], `${path}.size`)
  string(cell['strategy'], `${path}.strategy`)
  if (oneOf(cell['status'], `${path}.status`, ['measured', 'skipped'] as const) === 'skipped') {
    oneOf(cell['cause'], `${path}.cause`, ['budget', 'memory', 'unsupported'] as const)
    string(cell['reason'], `${path}.reason`)
    return
  }
  number(cell['opsPerBatch'], `${path}.opsPerBatch`)
  checkIsolates(cell['isolates'], `${path}.isolates`, checkValues(cell, path).length)
}

/** A row of a (size, strategy) table: its key, and the objects and numbers the report reads. */
function checkRow(value: unknown, path: string, objects: readonly string[]): void {
  const row = object(value, path)
  number(row['size'], `${path}.size`)
  string(row['strategy'], `${path}.strategy`)
  for (const key of objects) object(row[key], `${path}.${key}`)
}

function checkAnalysis(value: unknown, path: string): void {
  const analysis = object(value, path)
  each(analysis['series'], `${path}.series`, (item, at) => {
    const series = object(item, at)
    string(series['strategy'], `${at}.strategy`)
    each(series['points'], `${at}.points`, (point, where) => number(object(point, where)['size'], `${where}.size`))
  })
  each(analysis['pairs'], `${path}.pairs`, (item, at) => {
    const pair = object(item, at)
    string(pair['a'], `${at}.a`)
    string(pair['b'], `${at}.b`)
    array(pair['perSize'], `${at}.perSize`)
  })
}

function checkWorkload(value: unknown, path: string): void {
  const workload = object(value, path)
  for (const key of ['name', 'summary', 'sizeUnit', 'paragraph']) string(workload[key], `${path}.${key}`)
  oneOf(workload['sides'], `${path}.sides`, ['alloc', 'map', 'both'] as const)
  numbers(workload['sizes'], `${path}.sizes`)
  each(workload['cells'], `${path}.cells`, checkCell)
  each(workload['counters'], `${path}.counters`, (row, at) => checkRow(row, at, ['total', 'perOp']))
  each(workload['memory'], `${path}.memory`, (row, at) => checkRow(row, at, ['kinds', 'counts', 'model']))
  each(workload['heapFits'], `${path}.heapFits`, (item, at) => {
    const fit = object(item, at)
    string(fit['strategy'], `${at}.strategy`)
    for (const key of ['bytesPerRecord', 'fixedBytes', 'rSquared']) nullableNumber(fit[key], `${at}.${key}`)
  })
  checkAnalysis(workload['analysis'], `${path}.analysis`)
}

/** Checks the fields gntbench relies on; throws ResultFileError naming the first bad one. */
export function validateSweepResult(data: unknown): SweepResult {
  const root = object(data, 'result')
  checkHeader(root, SWEEP_SCHEMA_VERSION, 'sweep')
  checkEnvironment(root['environment'], 'environment')
  const config = object(root['config'], 'config')
  strings(config['workloads'], 'config.workloads')
  strings(config['strategies'], 'config.strategies')
  const sizes = object(config['sizes'], 'config.sizes')
  for (const [workload, list] of Object.entries(sizes)) numbers(list, `config.sizes.${workload}`)
  for (const key of ['isolates', 'samples', 'sampleMs', 'warmupMs', 'ops', 'seed', 'confidence', 'cellBudgetSeconds']) number(config[key], `config.${key}`)
  oneOf(config['mode'], 'config.mode', ['exact', 'ministat'] as const)
  each(root['workloads'], 'workloads', checkWorkload)
  each(root['memoryLayouts'], 'memoryLayouts', (item, at) => {
    const row = object(item, at)
    string(row['name'], `${at}.name`)
    number(row['bytes'], `${at}.bytes`)
  })
  // Every other field (types, finiteness, ranges): sweep-calibration-fields.ts.
  return checkSweepFields(data)
}

/** A results file of `gntbench sweep`, read and validated (ResultFileError naming the file otherwise). */
export function readSweepFile(path: string): SweepResult {
  return readJsonFile(path, validateSweepResult)
}
