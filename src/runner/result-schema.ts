// The results file of `gntbench run` (results/<name>.json), schema version 1, and its validator.
// `gntbench compare` reads old files with it, so a change of meaning needs a new version.
//
//   schemaVersion, tool, name
//   environment   Node, V8, OS, CPU model and cores, memory, start date, duration, git commit
//                 (and whether the tree was dirty), command line, seed
//   config        everything that decides the numbers (workloads, strategies, sizes, R, K,
//                 seed, confidence, statistics mode, warmup, isolation)
//   workloads     name, summary, size unit, sides, measure of each workload run
//   cells         one per (workload, N, strategy): 'measured' with the raw replicate values in
//                 the order measured (ns/op) plus round and position of each and the vitals;
//                 'skipped' with the reason; 'outcome' with what the allocator did (wrap)
//   blocks        one per (workload, N): the baseline, why it was chosen, and every other
//                 measured strategy compared with it (ministat's Difference block as data)
//
// JSON has no NaN or Infinity: such numbers are written as null.

import type { StatsMode, TestKind, Verdict } from '../stats/types.js'
import type { WorkCounts } from './device-state.js'
import type { OutcomeReport } from './outcome-cell.js'

export const RESULT_SCHEMA_VERSION = 1
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
  /** Whether replicates started from a collected heap (node --expose-gc). */
  gcBetweenReplicates: boolean
}

export interface ResultConfig {
  workloads: string[]
  /** Strategies asked for; null = each workload's default set. */
  strategies: string[] | null
  /** Baseline asked for; null = each workload's default (see blocks[].baselineNote). */
  baseline: string | null
  /** Sizes asked for; null = each workload's default sizes (the cells say which ran). */
  sizes: number[] | null
  replicates: number
  ops: number
  seed: number
  confidence: number
  mode: StatsMode
  warmupIterations: number
  warmupMs: number
  wrapOffsetSpacePages: number
  quick: boolean
  /** Where replicates ran (runner/host-factory.ts). */
  isolation: 'worker' | 'process' | 'inline'
  /** Variance multiplier of every comparison (stats/compare.ts; absent in older files: 1). */
  designEffect?: number
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
  opsPerReplicate: number
  setupOps: number
  /** sha-256 of the op stream: cells of two runs with different hashes did different work (always written by run). */
  streamHash?: string
  /** ns/op per replicate, in the order measured. */
  values: number[]
  rounds: number[]
  positions: number[]
  work: WorkCounts
  summary: JsonSummary
}

export interface SkippedResultCell extends CellKey {
  status: 'skipped'
  reason: string
}

export type OutcomeResultCell = CellKey & { status: 'outcome' } & OutcomeReport

export type ResultCell = MeasuredResultCell | SkippedResultCell | OutcomeResultCell

export interface JsonComparison {
  strategy: string
  test: TestKind
  confidence: number
  df: number | null
  tCritical: number | null
  delta: number | null
  deltaHalfWidth: number | null
  relativePercent: number | null
  relativeHalfWidthPercent: number | null
  pooledStddev: number | null
  /** The design effect included in the half-widths (absent in older files: 1). */
  designEffect?: number
  significant: boolean
  verdict: Verdict
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
  comparisons: JsonComparison[]
}

export interface RunResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION
  tool: typeof RESULT_TOOL
  name: string
  environment: ResultEnvironment
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
    number(cell['opsPerReplicate'], `${path}.opsPerReplicate`)
    const values = numbers(cell['values'], `${path}.values`)
    if (values.length < 3) fail(`${path}.values`, 'at least 3 replicate values', values.length)
    if (numbers(cell['rounds'], `${path}.rounds`).length !== values.length) fail(`${path}.rounds`, 'one round per value', cell['rounds'])
    if (numbers(cell['positions'], `${path}.positions`).length !== values.length) fail(`${path}.positions`, 'one position per value', cell['positions'])
    const work = object(cell['work'], `${path}.work`)
    for (const key of ['ok', 'failed', 'skipped']) number(work[key], `${path}.work.${key}`)
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
    oneOf(comparison['verdict'], `${path}.comparisons[${i}].verdict`, ['faster', 'slower', 'no difference proven'] as const)
    if (typeof comparison['significant'] !== 'boolean') fail(`${path}.comparisons[${i}].significant`, 'a boolean', comparison['significant'])
  })
}

/** Checks the fields gntbench relies on; throws ResultFileError naming the first bad one. */
export function validateRunResult(data: unknown): RunResult {
  const root = object(data, 'result')
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
  for (const key of ['replicates', 'ops', 'seed', 'confidence']) number(config[key], `config.${key}`)
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
