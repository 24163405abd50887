// `gntbench calibrate`: measures how far this machine lets the harness's verdicts be trusted.
// A/A trials (one strategy as two datasets, interleaved as `run` interleaves strategies) give
// the false "Difference" rate; planted differences (+p % extra store lookups) give the power;
// the noise they show gives the smallest resolvable difference and the replicates a given
// difference needs. Every option is checked before anything runs (a bad flag is one line and
// exit 2); the result files are written atomically and never over old ones without --force.
//
// Default trials: 200. The A/A rate is a binomial proportion; near the nominal 5 % its 95 %
// interval is ±1.96·√(0.05·0.95/200) = ±3.0 percentage points (Wilson: 2.7 %–9.0 % for
// 10/200), which is what telling "about 5 %" from "clearly more" needs. Measured on the 2-core
// development machine with `run`'s R, K and warmup: 1.5 s per trial at a load average of 4
// (200 trials in 5 minutes), 6 s per trial at a load average of 13 (20 minutes). With
// --isolation process a replicate costs a node start (1–2 s), so the default drops to 40 trials
// (±6.8 points at 5 %).

import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { analyzeCalibration } from '../calibrate/analysis.js'
import { CalibrationSkipError, runCalibration } from '../calibrate/calibration-run.js'
import type { CalibrationConfig, CalibrationHosts, CalibrationProgress } from '../calibrate/calibration-run.js'
import type { CalibrationFileConfig, CalibrationResult } from '../calibrate/calibration-schema.js'
import { CALIBRATION_SCHEMA_VERSION } from '../calibrate/calibration-schema.js'
import { percentToBasisPoints } from '../calibrate/planted-strategy.js'
import { formatCalibrationMarkdown, formatCalibrationText } from '../report/calibration-report.js'
import { BenchIntegrityError } from '../runner/checks.js'
import { collectEnvironment } from '../runner/environment.js'
import { DEFAULT_DESIGN_EFFECT, DEFAULT_RUN, DEFAULT_SEED, DEFAULT_WRAP_SPACE } from '../runner/plan.js'
import { checkWritable, ResultExistsError, resultPaths, writeAtomically } from '../runner/result-file.js'
import { summarize } from '../stats/summary.js'
import { createStrategy, UnknownStrategyError } from '../strategies/registry.js'
import type { CliIo } from './main.js'
import { parseCommandArgs } from './parse-args.js'
import { designEffectValue, formatDuration, integerValue, isolationValue, nameValue, workloadValue } from './option-values.js'
import { parseConfidence } from './run.js'
import { UsageError } from './usage-error.js'

const COMMAND = 'gntbench calibrate'

export const DEFAULT_CALIBRATION = {
  workload: 'lookup-heavy',
  size: 512,
  strategy: 'rbtree',
  trials: 200,
  processTrials: 40,
  planted: [2, 5, 10],
  trialsPerHost: 10,
  name: 'calibration',
} as const

export const CALIBRATE_USAGE = `usage: gntbench calibrate [options]

How far can a verdict of \`gntbench run\` be trusted on this machine? Runs T trials of one
(workload, N) cell the way \`run\` does (R interleaved replicates per dataset, shuffled order,
the group re-prepared every trial, fresh worker threads every H trials) with these datasets:
the strategy twice (A/A: every "Difference" is false), the planted-work wrapper doing no extra
work (the control), and the strategy with +p% planted extra store lookups (every "No
difference" is a miss).
Reports the false "Difference" rate and the power with 95% intervals, the noise, whether the
replicates are independent, and how many replicates a given difference needs; writes
<out>/<name>.json (raw values, environment, load average) and <out>/<name>.md.

options:
  --workload W          a timed workload (default ${DEFAULT_CALIBRATION.workload})
  --size N              live-set size (default ${DEFAULT_CALIBRATION.size})
  --strategy S          the strategy calibrated (default ${DEFAULT_CALIBRATION.strategy})
  --trials T            trials (default ${DEFAULT_CALIBRATION.trials}: ±3 points on a 5% rate; ${DEFAULT_CALIBRATION.processTrials} with --isolation process)
  --replicates R        replicates per dataset per trial, ≥ 3 (default ${DEFAULT_RUN.replicates}, as run)
  --ops K               measured ops per replicate (default ${DEFAULT_RUN.ops}, as run)
  --warmup-iterations I untimed warmup replicates, at least (default ${DEFAULT_RUN.warmupIterations}, as run)
  --warmup-ms M         …and at least this long (default ${DEFAULT_RUN.warmupMs}, as run)
  --confidence C        two-sided confidence in percent (default 95; with --from, re-judges the
                        saved trials at C)
  --gc-between-replicates
                        force a GC before every timed replicate, as run's flag of that name
  --planted 2,5,10      planted differences in percent, or 'none' (default ${DEFAULT_CALIBRATION.planted.join(',')})
  --isolation MODE      as run's: worker (worker threads, the default) or process (a fresh
                        child process per replicate)
  --design-effect D     judge verdicts as run does with this design effect (default run's for the
                        isolation: ${DEFAULT_DESIGN_EFFECT.worker} worker, ${DEFAULT_DESIGN_EFFECT.process} process; with --from, the saved one); the
                        report also gives the plain t-test's rate and the D these trials need
  --trials-per-host H   trials a set of worker threads serves before fresh ones start, as run's
                        workers serve many groups (default ${DEFAULT_CALIBRATION.trialsPerHost}; 1 = fresh every trial)
  --seed S              seed of the stream and of the interleaving (default ${DEFAULT_SEED})
  --out DIR             where the result goes (default results)
  --name NAME           result file name (default ${DEFAULT_CALIBRATION.name})
  --force               overwrite <out>/<name>.json/.md if they exist
  --json                print the result JSON on stdout instead of the report
  --from FILE           measure nothing: re-analyse the raw trials of a saved calibration
                        (environment and config kept; written to <out>/<name> as usual)
  -h, --help            this text
`

const OPTIONS = {
  workload: { type: 'string' },
  size: { type: 'string' },
  strategy: { type: 'string' },
  trials: { type: 'string' },
  replicates: { type: 'string' },
  ops: { type: 'string' },
  'warmup-iterations': { type: 'string' },
  'warmup-ms': { type: 'string' },
  confidence: { type: 'string' },
  'gc-between-replicates': { type: 'boolean' },
  planted: { type: 'string' },
  isolation: { type: 'string' },
  'design-effect': { type: 'string' },
  'trials-per-host': { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  from: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

function integer(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  return text === undefined ? fallback : integerValue(COMMAND, flag, text, min, max)
}

function parsePlanted(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_CALIBRATION.planted]
  if (text === 'none') return []
  const items = text.split(',').map((item) => item.trim())
  const values = items.map((item) => {
    const value = /^\d+(\.\d+)?$/.test(item) ? Number(item) : Number.NaN
    try {
      percentToBasisPoints(value)
    } catch {
      throw new UsageError(`${COMMAND}: --planted takes percentages in (0, 100] with at most two decimals, or 'none', got '${text}'`)
    }
    return value
  })
  if (new Set(values).size !== values.length) throw new UsageError(`${COMMAND}: --planted names a size twice in '${text}'`)
  return values
}

export interface CalibrateCommand {
  readonly config: CalibrationConfig
  /** --from: a saved calibration to re-analyse instead of measuring. */
  readonly from: string | null
  /** --confidence was given (with --from it overrides the saved confidence). */
  readonly confidenceGiven: boolean
  /** --design-effect was given (with --from it overrides the saved one). */
  readonly designEffectGiven: boolean
  readonly out: string
  readonly name: string
  readonly force: boolean
  readonly json: boolean
}

/** The whole command line checked and turned into a config (exported for tests). */
export function parseCalibrateArgs(argv: string[]): CalibrateCommand | 'help' {
  const { values } = parseCommandArgs(COMMAND, { args: argv, options: OPTIONS, allowPositionals: false, strict: true })
  if (values.help === true) return 'help'
  const workloadName = values.workload ?? DEFAULT_CALIBRATION.workload
  if (workloadValue(COMMAND, 'workload', workloadName).measure !== 'timed') {
    throw new UsageError(`${COMMAND}: --workload ${workloadName} is not timed (it reports an outcome); pick a timed workload`)
  }
  const strategy = values.strategy ?? DEFAULT_CALIBRATION.strategy
  try {
    createStrategy(strategy)
  } catch (error) {
    if (error instanceof UnknownStrategyError) throw new UsageError(`${COMMAND}: --strategy: ${error.message}`)
    throw error
  }
  const isolation = isolationValue(COMMAND, values.isolation)
  const designEffect = designEffectValue(COMMAND, values['design-effect'], isolation, false)
  const confidence = values.confidence === undefined ? 95 : parseConfidence(COMMAND, values.confidence, false)
  const name = nameValue(COMMAND, values.name ?? DEFAULT_CALIBRATION.name)
  const defaultTrials = isolation === 'process' ? DEFAULT_CALIBRATION.processTrials : DEFAULT_CALIBRATION.trials
  return {
    config: {
      workload: workloadName,
      size: integer('size', values.size, DEFAULT_CALIBRATION.size, 1, 1 << 20),
      strategy,
      trials: integer('trials', values.trials, defaultTrials, 3, 1_000_000),
      replicates: integer('replicates', values.replicates, DEFAULT_RUN.replicates, 3, 10_000),
      ops: integer('ops', values.ops, DEFAULT_RUN.ops, 1, 10_000_000),
      confidence,
      planted: parsePlanted(values.planted),
      hosts: isolation,
      designEffect,
      trialsPerHost: integer('trials-per-host', values['trials-per-host'], DEFAULT_CALIBRATION.trialsPerHost, 1, 1_000_000),
      seed: integer('seed', values.seed, DEFAULT_SEED, 0, 2 ** 32 - 1),
      warmupIterations: integer('warmup-iterations', values['warmup-iterations'], DEFAULT_RUN.warmupIterations, 0, 1_000_000),
      warmupMs: integer('warmup-ms', values['warmup-ms'], DEFAULT_RUN.warmupMs, 0, 3_600_000),
      wrapOffsetSpacePages: DEFAULT_WRAP_SPACE,
      gcBeforeReplicate: values['gc-between-replicates'] === true,
    },
    from: values.from ?? null,
    confidenceGiven: values.confidence !== undefined,
    designEffectGiven: values['design-effect'] !== undefined,
    out: values.out ?? 'results',
    name,
    force: values.force === true,
    json: values.json === true,
  }
}

function progressLine(p: CalibrationProgress): string {
  const left = p.remainingMs === null ? '' : `, ~${formatDuration(p.remainingMs)} left`
  return `${COMMAND}: trial ${p.trial}/${p.trials} (${formatDuration(p.elapsedMs)} elapsed${left}; load ${loadavg()[0]?.toFixed(2) ?? '?'})\n`
}

/** Overrides for tests: run the hosts in this thread. */
export interface CalibrateTestHooks {
  readonly hosts?: CalibrationHosts
}

/** A saved calibration, checked enough to re-analyse (older files lack generations: one set of hosts per trial). */
export function readCalibration(path: string): CalibrationResult {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new UsageError(`${COMMAND}: --from ${path}: ${(error as Error).message.split('\n')[0] ?? 'unreadable'}`)
  }
  const record = data as Partial<CalibrationResult> | null
  const isValues = (v: unknown): boolean => Array.isArray(v) && v.every((x) => Array.isArray(x) && x.every((y) => typeof y === 'number'))
  if (
    record === null ||
    typeof record !== 'object' ||
    record.kind !== 'calibration' ||
    record.schemaVersion !== CALIBRATION_SCHEMA_VERSION ||
    !Array.isArray(record.trials) ||
    !record.trials.every((t) => isValues(t.values)) ||
    !Array.isArray(record.datasets) ||
    record.config === undefined
  ) {
    throw new UsageError(`${COMMAND}: --from ${path}: not a calibration file of schema version ${CALIBRATION_SCHEMA_VERSION}`)
  }
  const result = record as CalibrationResult
  return {
    ...result,
    config: { ...result.config, trialsPerHost: result.config.trialsPerHost ?? 1 },
    trials: result.trials.map((trial, index) => ({ ...trial, generation: trial.generation ?? index })),
  }
}

function analysisOf(result: Pick<CalibrationResult, 'config' | 'datasets' | 'trials'>): CalibrationResult['analysis'] {
  return analyzeCalibration({
    confidence: result.config.confidence,
    replicates: result.config.replicates,
    datasets: result.datasets,
    trials: result.trials.map((trial) => trial.values),
    positions: result.trials.map((trial) => trial.positions),
    generations: result.trials.map((trial) => trial.generation),
    designEffect: result.config.designEffect ?? 1,
  })
}

function writeResult(io: CliIo, parsed: CalibrateCommand, result: CalibrationResult, paths: ReturnType<typeof resultPaths>): void {
  const json = `${JSON.stringify(result, null, 2)}\n`
  io.stdout(parsed.json ? json : formatCalibrationText(result))
  try {
    checkWritable(paths, parsed.force)
    writeAtomically(paths.json, json, parsed.force)
    writeAtomically(paths.markdown, formatCalibrationMarkdown(result), parsed.force)
  } catch (error) {
    if (error instanceof ResultExistsError) throw new UsageError(`${COMMAND}: ${error.message}`)
    throw error
  }
}

export async function main(argv: string[], io: CliIo, hooks: CalibrateTestHooks = {}): Promise<number> {
  const parsed = parseCalibrateArgs(argv)
  if (parsed === 'help') {
    io.stdout(CALIBRATE_USAGE)
    return 0
  }
  if (parsed.from !== null) {
    const read = readCalibration(parsed.from)
    const saved = {
      ...read,
      config: {
        ...read.config,
        ...(parsed.confidenceGiven ? { confidence: parsed.config.confidence } : {}),
        ...(parsed.designEffectGiven ? { designEffect: parsed.config.designEffect } : {}),
      },
    }
    const paths = resultPaths(parsed.out, parsed.name)
    try {
      checkWritable(paths, parsed.force)
    } catch (error) {
      if (error instanceof ResultExistsError) throw new UsageError(`${COMMAND}: ${error.message}`)
      throw error
    }
    const now = collectEnvironment({ startedAt: new Date(), durationMs: 0, commandLine: ['gntbench', 'calibrate', ...argv], seed: saved.environment.seed })
    const reanalysis = { date: now.date, gitCommit: now.gitCommit, gitDirty: now.gitDirty, commandLine: now.commandLine }
    writeResult(io, parsed, { ...saved, name: parsed.name, analysis: analysisOf(saved), reanalysis }, paths)
    io.stderr(`${COMMAND}: re-analysed ${parsed.from}; wrote ${paths.json} and ${paths.markdown}\n`)
    return 0
  }
  const config: CalibrationConfig = hooks.hosts === undefined ? parsed.config : { ...parsed.config, hosts: hooks.hosts }
  const paths = resultPaths(parsed.out, parsed.name)
  try {
    checkWritable(paths, parsed.force)
  } catch (error) {
    if (error instanceof ResultExistsError) throw new UsageError(`${COMMAND}: ${error.message}`)
    throw error
  }

  const startedAt = new Date()
  const loadStart = loadavg()
  const started = performance.now()
  let data
  try {
    // Progress every trial for long runs; every tenth would hide a stall.
    data = await runCalibration(config, { onTrialStart: (p) => io.stderr(progressLine(p)) })
  } catch (error) {
    if (error instanceof CalibrationSkipError || error instanceof BenchIntegrityError) {
      io.stderr(`${COMMAND}: ${error.message}\n`)
      return 1
    }
    throw error
  }
  const durationMs = performance.now() - started
  const loadEnd = loadavg()
  const environment = collectEnvironment({
    startedAt,
    durationMs,
    commandLine: ['gntbench', 'calibrate', ...argv],
    seed: config.seed,
    gcBetweenReplicates: config.gcBeforeReplicate,
  })
  const trialLoad = summarize(data.trials.map((trial) => trial.loadAverage))
  const fileConfig: CalibrationFileConfig = {
    workload: config.workload,
    size: config.size,
    strategy: config.strategy,
    trials: config.trials,
    replicates: config.replicates,
    ops: config.ops,
    confidence: config.confidence,
    planted: [...config.planted],
    isolate: config.hosts === 'process' ? 'process' : 'none',
    designEffect: config.designEffect,
    trialsPerHost: config.trialsPerHost,
    seed: config.seed,
    warmupIterations: config.warmupIterations,
    warmupMs: config.warmupMs,
    runDefaults:
      config.replicates === DEFAULT_RUN.replicates &&
      config.ops === DEFAULT_RUN.ops &&
      config.warmupIterations === DEFAULT_RUN.warmupIterations &&
      config.warmupMs === DEFAULT_RUN.warmupMs &&
      config.hosts === 'worker' &&
      config.designEffect === DEFAULT_DESIGN_EFFECT.worker &&
      !config.gcBeforeReplicate,
  }
  const result: CalibrationResult = {
    schemaVersion: CALIBRATION_SCHEMA_VERSION,
    tool: 'gntbench',
    kind: 'calibration',
    name: parsed.name,
    environment,
    load: { start: loadStart, end: loadEnd, trialMin: trialLoad.min, trialMedian: trialLoad.median, trialMax: trialLoad.max },
    config: fileConfig,
    datasets: [...data.datasets],
    opsPerReplicate: data.opsPerReplicate,
    setupOps: data.setupOps,
    analysis: analysisOf({ config: fileConfig, datasets: [...data.datasets], trials: [...data.trials] }),
    trials: [...data.trials],
  }
  writeResult(io, parsed, result, paths)
  io.stderr(`${COMMAND}: wrote ${paths.json} and ${paths.markdown} (${formatDuration(durationMs)})\n`)
  return 0
}
