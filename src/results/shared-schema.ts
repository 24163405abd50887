// The parts every results file shares (run, sweep, calibration): the environment a measurement
// ran in, the machine's load, how isolates ran, the measurement design, and one isolate's record.
// The runner fills them in and imports these types from here, so the file format is defined once,
// below everything that writes or reads it. Validators of the shared parts are here too.

import type { Json } from './validate.js'
import { array, fail, nullableNumber, nullableString, number, numbers, object, oneOf, string } from './validate.js'

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

/** What the machine was doing (runner/machine-state.ts). */
export interface MachineState {
  /** 1-, 5- and 15-minute load averages. */
  readonly loadAverage: readonly [number, number, number]
  /** cpufreq governor of CPU 0, or null when not readable (VMs often have none). */
  readonly governor: string | null
  /** Current frequency of CPU 0 in MHz, or null. */
  readonly frequencyMHz: number | null
}

/** Where isolates ran: worker threads, child processes, or (tests) this thread. */
export type Isolation = 'worker' | 'process' | 'inline'

/** The collection before each timed sample (runner/cell-runner.ts says why 'minor' is the default). */
export type GcMode = 'none' | 'minor' | 'major'

export const GC_MODES: readonly GcMode[] = ['none', 'minor', 'major']

/** The bookkeeping's language: the TS model in V8 isolates, or the C engine in native/. */
export type Engine = 'js' | 'native'

/** What a results file records of the C engine's build. */
export interface NativeBuildRecord {
  compiler: string
  cflags: string[]
  version: string
  /**
   * The most warm-up per strategy the measurement core gives the engine, ms
   * (runner/native-round.ts). Absent in files made before it was recorded, which used 20 ms.
   */
  warmupMs?: number
}

export interface MeasureDesign {
  /** Rounds (fresh isolates per arm) at least. */
  readonly isolates: number
  /** Rounds at most, when a precision target asks for more. */
  readonly maxIsolates: number
  /** Timed samples per isolate (r). */
  readonly samples: number
  /** Target length of a sample's timed part, ms. */
  readonly sampleMs: number
  /** Warm-up per isolate, ms. */
  readonly warmupMs: number
  /** Target ± half-width of every comparison with the baseline, percent; null: fixed rounds. */
  readonly precisionPercent: number | null
  readonly confidence: number
  readonly isolation: Isolation
  readonly gcBeforeSample: GcMode
}

/** The applier's counters over a stretch of operations (workloads/device-state.ts WorkCounts). */
export interface ResultWork {
  ok: number
  failed: number
  skipped: number
}

/** One isolate of one arm: its round, seed, position, raw samples and what it did. */
export interface ResultIsolate {
  round: number
  /** Position of the arm in the round's shuffled order. */
  position: number
  seed: number
  statesPerSample: number
  warmupSamples: number
  /** ns/op per sample, in the order measured. */
  samples: number[]
  gcCounts: number[]
  gcMs: number[]
  /** Mean ns/op of the samples: the arm's value for this round. */
  mean: number
  /** Counts of one batch; where each sample replayed its own stream, one batch of each, summed. */
  work: ResultWork
  /** sha-256 of the round's stream, or of its streams' hashes in sample order. */
  streamHash: string
  /** The stream seed of each sample, where each sample replayed its own stream (engine version 8). */
  streamSeeds?: number[]
}

export function checkEnvironment(value: unknown, path: string): void {
  const env = object(value, path)
  for (const key of ['node', 'v8', 'date']) string(env[key], `${path}.${key}`)
  object(env['os'], `${path}.os`)
  const cpu = object(env['cpu'], `${path}.cpu`)
  string(cpu['model'], `${path}.cpu.model`)
  number(cpu['cores'], `${path}.cpu.cores`)
  nullableString(env['gitCommit'], `${path}.gitCommit`)
  array(env['commandLine'], `${path}.commandLine`)
  number(env['seed'], `${path}.seed`)
}

export function checkMachineState(value: unknown, path: string): Json {
  const state = object(value, path)
  numbers(state['loadAverage'], `${path}.loadAverage`)
  return state
}

export function checkDesign(value: unknown, path: string): void {
  const design = object(value, path)
  for (const key of ['isolates', 'maxIsolates', 'samples', 'sampleMs', 'warmupMs', 'confidence']) number(design[key], `${path}.${key}`)
  nullableNumber(design['precisionPercent'], `${path}.precisionPercent`)
  oneOf(design['isolation'], `${path}.isolation`, ['worker', 'process', 'inline'] as const)
  oneOf(design['gcBeforeSample'], `${path}.gcBeforeSample`, GC_MODES)
}

/** The isolates of a measured cell: one per value, each with samples and its work. */
export function checkIsolates(value: unknown, path: string, count: number): void {
  const isolates = array(value, path)
  if (isolates.length !== count) fail(path, 'one isolate per value', isolates.length)
  isolates.forEach((entry, i) => {
    const isolate = object(entry, `${path}[${i}]`)
    for (const key of ['round', 'position', 'seed', 'statesPerSample', 'mean']) number(isolate[key], `${path}[${i}].${key}`)
    const samples = numbers(isolate['samples'], `${path}[${i}].samples`)
    if (samples.length === 0) fail(`${path}[${i}].samples`, 'at least one sample', 0)
    if (isolate['streamSeeds'] !== undefined && numbers(isolate['streamSeeds'], `${path}[${i}].streamSeeds`).length !== samples.length) {
      fail(`${path}[${i}].streamSeeds`, 'one stream seed per sample', isolate['streamSeeds'])
    }
    const work = object(isolate['work'], `${path}[${i}].work`)
    for (const key of ['ok', 'failed', 'skipped']) number(work[key], `${path}[${i}].work.${key}`)
  })
}

/** Isolate means of a measured cell: at least two positive ns/op values, one round each. */
export function checkValues(cell: Json, path: string): number[] {
  const values = numbers(cell['values'], `${path}.values`)
  if (values.length < 2) fail(`${path}.values`, 'at least 2 isolate means', values.length)
  for (const [i, v] of values.entries()) if (!(v > 0)) fail(`${path}.values[${i}]`, 'a positive ns/op', v)
  if (numbers(cell['rounds'], `${path}.rounds`).length !== values.length) fail(`${path}.rounds`, 'one round per value', cell['rounds'])
  return values
}
