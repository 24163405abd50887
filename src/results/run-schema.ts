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
import type { StatsMode } from '../stats/types.js'
import type { Isolation } from '../runner/isolate-host.js'
import type { GcMode } from '../runner/cell-runner.js'
import type { MachineState } from '../runner/machine-state.js'
import type { Engine } from '../runner/measure-group.js'
import type { WorkCounts } from '../workloads/device-state.js'
import type { OutcomeReport } from '../runner/outcome-cell.js'

export const RESULT_SCHEMA_VERSION = 2
export const RESULT_TOOL = 'gntbench'

export interface ResultEnvironment {
  node: string
  v8: string
  os: { platform: string; release: string; arch: string }
  cpu: { model: string; cores: number; speedMHz: number | null }
  memoryBytes: number
  /** Start of the run, ISO 8601 (UTC). */
  date: string
  durationMs: number
  gitCommit: string | null
  /** True when the work tree had uncommitted changes (null: unknown). */
  gitDirty: boolean | null
  commandLine: string[]
  seed: number
  /** Whether samples started from a collected heap (node --expose-gc). */
  gcBetweenReplicates: boolean
}

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
  /** Which engine ran the bookkeeping: the TS model in V8, or the C engine (native/). */
  engine: Engine
  /** The collection before each timed sample (cell-runner.ts GcMode). */
  gcBeforeSample: GcMode
  /** The C engine's compiler, flags and version (engine 'native' only). */
  native?: { compiler: string; cflags: string[]; version: string }
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

export interface ResultIsolate {
  round: number
  position: number
  seed: number
  statesPerSample: number
  warmupSamples: number
  /** ns/op per sample, in the order measured. */
  samples: number[]
  gcCounts: number[]
  gcMs: number[]
  mean: number
  work: WorkCounts
  streamHash: string
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

/** A results file that is not what this version of gntbench writes. One-line message. */
export class ResultFileError extends Error {
  override name = 'ResultFileError'
}

type Json = Record<string, unknown>

function fail(path: string, expected: string, value: unknown): never {
  const shown = value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 40) ?? String(value)
  throw new ResultFileError(`${path}: expected ${expected}, got ${shown}`)
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value)
  return value as Json
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value)
  return value
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string', value)
  return value
}

function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value)
  return value
}

function nullableNumber(value: unknown, path: string): number | null {
  return value === null ? null : number(value, path)
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(path, allowed.map((a) => `'${a}'`).join(' | '), value)
  return value as T
}

function numbers(value: unknown, path: string): number[] {
  return array(value, path).map((v, i) => number(v, `${path}[${i}]`))
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
    oneOf(cell['unit'], `${path}.unit`, ['ns/op'] as const)
    number(cell['opsPerBatch'], `${path}.opsPerBatch`)
    const values = numbers(cell['values'], `${path}.values`)
    if (values.length < 2) fail(`${path}.values`, 'at least 2 isolate means', values.length)
    for (const [i, v] of values.entries()) if (!(v > 0)) fail(`${path}.values[${i}]`, 'a positive ns/op', v)
    if (numbers(cell['rounds'], `${path}.rounds`).length !== values.length) fail(`${path}.rounds`, 'one round per value', cell['rounds'])
    const isolates = array(cell['isolates'], `${path}.isolates`)
    if (isolates.length !== values.length) fail(`${path}.isolates`, 'one isolate per value', isolates.length)
    isolates.forEach((entry, i) => {
      const isolate = object(entry, `${path}.isolates[${i}]`)
      for (const key of ['round', 'position', 'seed', 'statesPerSample', 'mean']) number(isolate[key], `${path}.isolates[${i}].${key}`)
      const samples = numbers(isolate['samples'], `${path}.isolates[${i}].samples`)
      if (samples.length === 0) fail(`${path}.isolates[${i}].samples`, 'at least one sample', 0)
      const work = object(isolate['work'], `${path}.isolates[${i}].work`)
      for (const key of ['ok', 'failed', 'skipped']) number(work[key], `${path}.isolates[${i}].work.${key}`)
    })
    const summary = object(cell['summary'], `${path}.summary`)
    number(summary['n'], `${path}.summary.n`)
    for (const key of ['min', 'max', 'median', 'mean', 'stddev']) nullableNumber(summary[key], `${path}.summary.${key}`)
  }
}

function checkBlock(value: unknown, path: string): void {
  const block = object(value, path)
  string(block['workload'], `${path}.workload`)
  number(block['size'], `${path}.size`)
  if (block['baseline'] !== null) string(block['baseline'], `${path}.baseline`)
  array(block['strategies'], `${path}.strategies`).forEach((s, i) => string(s, `${path}.strategies[${i}]`))
  array(block['comparisons'], `${path}.comparisons`).forEach((c, i) => {
    const comparison = object(c, `${path}.comparisons[${i}]`)
    string(comparison['strategy'], `${path}.comparisons[${i}].strategy`)
    const at = `${path}.comparisons[${i}]`
    oneOf(comparison['verdict'], `${at}.verdict`, ['faster', 'slower', 'no difference proven'] as const)
    oneOf(comparison['familyVerdict'], `${at}.familyVerdict`, ['faster', 'slower', 'equivalent', 'no difference proven'] as const)
    oneOf(comparison['method'], `${at}.method`, ['paired-rounds', 'welch-isolates'] as const)
    for (const key of ['n', 'df', 'confidence', 'ratio', 'lower', 'upper', 'p', 'holmP', 'precisionPercent', 'marginPercent', 'equivalenceP', 'equivalenceHolmP']) {
      number(comparison[key], `${at}.${key}`)
    }
    if (!((comparison['lower'] as number) > 0 && (comparison['lower'] as number) <= (comparison['upper'] as number))) fail(`${at}.lower`, 'a ratio interval inside (0, ∞)', comparison['lower'])
    if (typeof comparison['significant'] !== 'boolean') fail(`${at}.significant`, 'a boolean', comparison['significant'])
  })
}

/** Checks the fields gntbench relies on; throws ResultFileError naming the first bad one. */
export function validateRunResult(data: unknown): RunResult {
  const root = object(data, 'result')
  if (root['schemaVersion'] === 1) {
    throw new ResultFileError('schemaVersion: 1 is the old design (one worker per strategy for the whole run); rerun with this version of gntbench')
  }
  if (root['schemaVersion'] !== RESULT_SCHEMA_VERSION) fail('schemaVersion', String(RESULT_SCHEMA_VERSION), root['schemaVersion'])
  if (root['tool'] !== RESULT_TOOL) fail('tool', `'${RESULT_TOOL}'`, root['tool'])
  string(root['name'], 'name')
  const env = object(root['environment'], 'environment')
  for (const key of ['node', 'v8', 'date']) string(env[key], `environment.${key}`)
  object(env['os'], 'environment.os')
  const cpu = object(env['cpu'], 'environment.cpu')
  string(cpu['model'], 'environment.cpu.model')
  number(cpu['cores'], 'environment.cpu.cores')
  if (env['gitCommit'] !== null) string(env['gitCommit'], 'environment.gitCommit')
  array(env['commandLine'], 'environment.commandLine')
  number(env['seed'], 'environment.seed')
  const config = object(root['config'], 'config')
  for (const key of ['isolates', 'maxIsolates', 'samples', 'sampleMs', 'warmupMs', 'marginPercent', 'ops', 'seed', 'confidence']) number(config[key], `config.${key}`)
  const machine = object(root['machine'], 'machine')
  const before = object(machine['before'], 'machine.before')
  numbers(before['loadAverage'], 'machine.before.loadAverage')
  oneOf(config['mode'], 'config.mode', ['exact', 'ministat'] as const)
  if (config['sizes'] !== null) numbers(config['sizes'], 'config.sizes')
  array(root['workloads'], 'workloads').forEach((w, i) => {
    const workload = object(w, `workloads[${i}]`)
    string(workload['name'], `workloads[${i}].name`)
    oneOf(workload['sides'], `workloads[${i}].sides`, ['alloc', 'map', 'both'] as const)
    oneOf(workload['measure'], `workloads[${i}].measure`, ['timed', 'outcome'] as const)
  })
  array(root['cells'], 'cells').forEach((c, i) => checkCell(c, `cells[${i}]`))
  array(root['blocks'], 'blocks').forEach((b, i) => checkBlock(b, `blocks[${i}]`))
  return data as RunResult
}
