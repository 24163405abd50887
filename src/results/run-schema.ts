// The results file of `gntbench run` (results/<name>.json), schema version 2, and its validator.
// `gntbench compare` and `gntbench report` read files with it, so a change of meaning needs a new
// version (version 1, one long-lived worker per strategy, is refused with a one-line message).
//
//   schemaVersion, tool, name
//   environment   Node, V8, OS, CPU model and cores, memory, start date, duration, git commit
//                 (and whether the tree was dirty), command line, seed
//   machine       load average and CPU governor before the run; why the run counts as busy, if it does
//   config        everything that decides the numbers (workloads, strategies, sizes, isolates,
//                 samples, sample length, warm-up, precision target, margin, K, seed, confidence,
//                 statistics mode, isolation)
//   workloads     name, summary, size unit, sides, measure of each workload run
//   cells         one per (workload, N, strategy): 'measured' with every isolate (round, seed,
//                 position, states per sample, the raw samples in the order measured with their
//                 GC counts) plus the isolate means (`values`, the unit of replication), their
//                 vitals and the variance components; 'skipped' with the reason; 'outcome' (wrap)
//   blocks        one per (workload, N): the baseline, the rounds run, the load at each round,
//                 whether the precision target was reached, and every other measured strategy
//                 compared with the baseline as a ratio with its interval, p, Holm-adjusted p,
//                 equivalence test and the family verdict
//
// JSON has no NaN or Infinity: such numbers are written as null.

import type { RatioMethod, RatioVerdict } from '../stats/ratio.js'
import { RATIO_METHODS } from '../stats/ratio.js'
import type { StatsMode } from '../stats/types.js'
import type { Engine, GcMode, Isolation, MachineState, NativeBuildRecord, ResultEnvironment, ResultIsolate, ResultWork } from './shared-schema.js'
import { checkEnvironment, checkIsolates, checkMachineState, checkValues } from './shared-schema.js'
import type { Json } from './validate.js'
import { boolean, each, fail, nullableNumber, number, numbers, object, oneOf, readJsonFile, ResultFileError, string, strings } from './validate.js'
import { checkRunFields } from './result-fields.js'

export const RESULT_SCHEMA_VERSION = 2
export const RESULT_TOOL = 'gntbench'

export interface ResultMachine {
  before: MachineState
  /** Why this run counts as made on a busy machine, or null. */
  busy: string | null
}

export interface ResultConfig {
  workloads: string[]
  /** Strategies asked for; null = each workload's default set. */
  strategies: string[] | null
  /** Baseline asked for; null = each workload's default (see blocks[].baselineNote). */
  baseline: string | null
  /** Sizes asked for; null = each workload's default sizes (the cells say which ran). */
  sizes: number[] | null
  /** Rounds (fresh isolates per strategy) at least, and at most with a precision target. */
  isolates: number
  maxIsolates: number
  /** Timed samples per isolate, and their target length in ms. */
  samples: number
  sampleMs: number
  /** Warm-up per isolate, ms. */
  warmupMs: number
  /** Target ± half-width of every comparison, percent; null: fixed rounds. */
  precisionPercent: number | null
  /** Equivalence margin, percent. */
  marginPercent: number
  /** The run's time budget, seconds (null: none). */
  budgetSeconds: number | null
  ops: number
  seed: number
  confidence: number
  mode: StatsMode
  wrapOffsetSpacePages: number
  quick: boolean
  /** Where isolates ran (runner/isolate-host.ts). */
  isolation: Isolation
  /**
   * Which engine ran the bookkeeping: the TS model in V8, or the C engine (native/); 'both'
   * (`gntbench replay --engine both`): every strategy twice, its cells labelled
   * `<spec>@js` and `<spec>@native`, one block per engine.
   */
  engine: Engine | 'both'
  /** The collection before each timed sample (cell-runner.ts GcMode). */
  gcBeforeSample: GcMode
  /** The C engine's compiler, flags and version (engine 'native' or 'both'). */
  native?: NativeBuildRecord
}

export interface ResultWorkload {
  name: string
  summary: string
  sizeUnit: string
  sides: 'alloc' | 'map' | 'both'
  measure: 'timed' | 'outcome'
}

export interface JsonSummary {
  n: number
  min: number | null
  max: number | null
  median: number | null
  mean: number | null
  stddev: number | null
}

interface CellKey {
  workload: string
  size: number
  strategy: string
}

export interface MeasuredResultCell extends CellKey {
  status: 'measured'
  unit: 'ns/op'
  /** K: ops of one batch; a sample replays statesPerSample batches on fresh states. */
  opsPerBatch: number
  setupOps: number
  isolates: ResultIsolate[]
  /** The isolate means (ns/op), one per isolate: the unit of replication. */
  values: number[]
  /** The round of each value. */
  rounds: number[]
  summary: JsonSummary
  /** Variance components on the log scale, percent (stats/nested.ts). */
  components: { withinPercent: number | null; betweenPercent: number | null }
  /** Samples with at least one collection inside the timed part, of all samples. */
  gcSamples: number
  totalSamples: number
}

export interface SkippedResultCell extends CellKey {
  status: 'skipped'
  reason: string
}

/**
 * What an outcome workload (wrap) found the offset allocator doing (runner/outcome-cell.ts):
 * 'overlapped': a live page was handed out again (or a record was dropped on a duplicate key);
 * 'failed cleanly': some ALLOC/MAP failed (ENOSPC, EOVERFLOW) but nothing overlapped;
 * 'wrapped': the allocator wrapped around the space without overlapping (yet);
 * 'no wrap': every call succeeded, freed space was reused.
 */
export type AllocatorOutcome = 'overlapped' | 'failed cleanly' | 'wrapped' | 'no wrap'

export interface OutcomeReport {
  outcome: AllocatorOutcome
  allocatorKind: string
  /** ALLOC/MAP calls issued and how many failed, by errno name. */
  allocCalls: number
  allocFailures: Record<string, number>
  /** Index (in the measured part) of the first failed ALLOC/MAP, or null. */
  firstFailureAt: number | null
  /** Pages successfully allocated before the first failure (or in total), setup included. */
  pagesAllocatedBeforeFailure: number
  wrapped: boolean
  /** Allocations that returned a page still live in the shadow map. */
  overlaps: number
  /** Store inserts the device dropped on a colliding key. */
  collisions: number
  /** Pages the allocator lost on a colliding free-region insert. */
  leakedPages: number
  /** Largest span of live offsets seen by the allocator, in pages (at the end). */
  spanPages: number
  setupFailures: number
  work: ResultWork
}

export type OutcomeResultCell = CellKey & { status: 'outcome' } & OutcomeReport

export type ResultCell = MeasuredResultCell | SkippedResultCell | OutcomeResultCell

export type FamilyVerdict = 'faster' | 'slower' | 'equivalent' | 'no difference proven'

export interface JsonComparison {
  strategy: string
  method: RatioMethod
  n: number
  df: number
  confidence: number
  /** strategy ÷ baseline, ratio of geometric means of the isolate means. */
  ratio: number
  lower: number
  upper: number
  p: number
  /** Holm-adjusted over every comparison of the run. */
  holmP: number
  significant: boolean
  /** From the interval alone: 'faster'/'slower' exactly when it excludes 1. */
  verdict: RatioVerdict
  /** After Holm (and TOST for equivalence, Holm-adjusted too): the headline verdict. */
  familyVerdict: FamilyVerdict
  precisionPercent: number
  unpairedPrecisionPercent: number | null
  marginPercent: number
  equivalenceP: number
  equivalenceHolmP: number
  /** Rounds this comparison would need for ±precisionPercent of the config, from its own variance (null: > 1000 or no target). */
  isolatesForTarget: number | null
}

export interface ResultBlock {
  workload: string
  size: number
  /** null when no strategy was measured in this block. */
  baseline: string | null
  /** Why this baseline (fallbacks are explained here), or null for the requested/default one. */
  baselineNote: string | null
  /** Measured strategies, baseline first: the datasets of the ministat block. */
  strategies: string[]
  rounds: number
  /** 1-minute load average at the start of each round. */
  loadAverages: number[]
  precisionReached: boolean | null
  /** Why the rounds stopped (measure-group.ts). */
  stoppedBy: 'minimum' | 'precision' | 'max-isolates' | 'budget'
  comparisons: JsonComparison[]
}

export interface RunResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION
  tool: typeof RESULT_TOOL
  name: string
  environment: ResultEnvironment
  machine: ResultMachine
  config: ResultConfig
  workloads: ResultWorkload[]
  cells: ResultCell[]
  blocks: ResultBlock[]
}

function checkMeasuredCell(cell: Json, path: string): void {
  oneOf(cell['unit'], `${path}.unit`, ['ns/op'] as const)
  number(cell['opsPerBatch'], `${path}.opsPerBatch`)
  const values = checkValues(cell, path)
  checkIsolates(cell['isolates'], `${path}.isolates`, values.length)
  const summary = object(cell['summary'], `${path}.summary`)
  number(summary['n'], `${path}.summary.n`)
  for (const key of ['min', 'max', 'median', 'mean', 'stddev']) nullableNumber(summary[key], `${path}.summary.${key}`)
}

function checkCell(value: unknown, path: string): void {
  const cell = object(value, path)
  string(cell['workload'], `${path}.workload`)
  number(cell['size'], `${path}.size`)
  string(cell['strategy'], `${path}.strategy`)
  const status = oneOf(cell['status'], `${path}.status`, ['measured', 'skipped', 'outcome'] as const)
  if (status === 'skipped') {
    string(cell['reason'], `${path}.reason`)
  } else if (status === 'outcome') {
    oneOf(cell['outcome'], `${path}.outcome`, ['overlapped', 'failed cleanly', 'wrapped', 'no wrap'] as const)
    number(cell['allocCalls'], `${path}.allocCalls`)
    object(cell['allocFailures'], `${path}.allocFailures`)
  } else {
    checkMeasuredCell(cell, path)
  }
}

const COMPARISON_NUMBERS = ['n', 'df', 'confidence', 'ratio', 'lower', 'upper', 'p', 'holmP', 'precisionPercent', 'marginPercent', 'equivalenceP', 'equivalenceHolmP']

function checkComparison(value: unknown, at: string): void {
  const comparison = object(value, at)
  string(comparison['strategy'], `${at}.strategy`)
  oneOf(comparison['verdict'], `${at}.verdict`, ['faster', 'slower', 'no difference proven'] as const)
  oneOf(comparison['familyVerdict'], `${at}.familyVerdict`, ['faster', 'slower', 'equivalent', 'no difference proven'] as const)
  oneOf(comparison['method'], `${at}.method`, RATIO_METHODS)
  for (const key of COMPARISON_NUMBERS) number(comparison[key], `${at}.${key}`)
  if (!((comparison['lower'] as number) > 0 && (comparison['lower'] as number) <= (comparison['upper'] as number))) fail(`${at}.lower`, 'a ratio interval inside (0, ∞)', comparison['lower'])
  boolean(comparison['significant'], `${at}.significant`)
}

function checkBlock(value: unknown, path: string): void {
  const block = object(value, path)
  string(block['workload'], `${path}.workload`)
  number(block['size'], `${path}.size`)
  if (block['baseline'] !== null) string(block['baseline'], `${path}.baseline`)
  strings(block['strategies'], `${path}.strategies`)
  each(block['comparisons'], `${path}.comparisons`, checkComparison)
}

function checkWorkload(value: unknown, path: string): void {
  const workload = object(value, path)
  string(workload['name'], `${path}.name`)
  oneOf(workload['sides'], `${path}.sides`, ['alloc', 'map', 'both'] as const)
  oneOf(workload['measure'], `${path}.measure`, ['timed', 'outcome'] as const)
}

/** Checks the fields gntbench relies on; throws ResultFileError naming the first bad one. */
export function validateRunResult(data: unknown): RunResult {
  const root = object(data, 'result')
  const kind = root['kind']
  if (kind === 'sweep' || kind === 'calibration') {
    throw new ResultFileError(`a ${kind} file (kind '${kind}'), not the results of gntbench run; compare and report read run results (${kind === 'sweep' ? 'the sweep has its own .md and .html' : 'the calibration has its own .md'})`)
  }
  if (root['schemaVersion'] === 1) {
    throw new ResultFileError('schemaVersion: 1 is the old design (one worker per strategy for the whole run); rerun with this version of gntbench')
  }
  if (root['schemaVersion'] !== RESULT_SCHEMA_VERSION) fail('schemaVersion', String(RESULT_SCHEMA_VERSION), root['schemaVersion'])
  if (root['tool'] !== RESULT_TOOL) fail('tool', `'${RESULT_TOOL}'`, root['tool'])
  string(root['name'], 'name')
  checkEnvironment(root['environment'], 'environment')
  const config = object(root['config'], 'config')
  for (const key of ['isolates', 'maxIsolates', 'samples', 'sampleMs', 'warmupMs', 'marginPercent', 'ops', 'seed', 'confidence']) number(config[key], `config.${key}`)
  const machine = object(root['machine'], 'machine')
  checkMachineState(machine['before'], 'machine.before')
  oneOf(config['mode'], 'config.mode', ['exact', 'ministat'] as const)
  if (config['sizes'] !== null) numbers(config['sizes'], 'config.sizes')
  each(root['workloads'], 'workloads', checkWorkload)
  each(root['cells'], 'cells', checkCell)
  each(root['blocks'], 'blocks', checkBlock)
  // Every other field, and the stored means against the values (result-fields.ts).
  checkRunFields(root)
  return data as RunResult
}

/** A results file of `gntbench run`, read and validated (ResultFileError naming the file otherwise). */
export function readRunFile(path: string): RunResult {
  return readJsonFile(path, validateRunResult)
}
