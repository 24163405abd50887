// `gntbench calibrate`: how far a verdict of `gntbench run` can be trusted on this machine. T
// trials of one cell, each measured as run measures a cell (runner/calibration-run.ts): A/A for
// the false "Difference" rate per comparison and per suite (Holm), planted differences for the
// power and for the effect really planted. Refuses to publish from a busy machine unless
// --allow-busy (the rates would describe the other job, not this machine).

import { summarize as summarizeNumbers } from '../stats/summary.js'
import type { TrialComparison } from '../stats/calibration.js'
import { summarizeCalibration } from '../stats/calibration.js'
import type { TwoStage } from '../stats/ratio.js'
import { compareRatio, DEFAULT_MARGIN_PERCENT } from '../stats/ratio.js'
import { ARM_A, ARM_A_PRIME, plantedLabel, runCalibration, trialSeed } from '../runner/calibration-run.js'
import type { CalibrationConfig } from '../runner/calibration-run.js'
import type { CalibrationComparison, CalibrationResult, CalibrationTrial } from '../results/calibration-schema.js'
import { CALIBRATION_SCHEMA_VERSION } from '../results/calibration-schema.js'
import { BenchIntegrityError } from '../runner/checks.js'
import { collectEnvironment } from '../runner/environment.js'
import { machineState, watchMachine } from '../runner/machine-state.js'
import type { GroupMeasurement, MeasuredArm } from '../runner/measure-group.js'
import { designTwoStage, isolateSeries } from '../runner/measure-group.js'
import { varianceComponents } from '../stats/nested.js'
import { DEFAULT_NATIVE_RUN, DEFAULT_RUN, DEFAULT_SEED, runPreset } from '../runner/plan.js'
import { resultPaths } from '../results/atomic-write.js'
import { formatCalibrationMarkdown, formatCalibrationText } from '../report/calibration-report.js'
import { DESIGN_OPTIONS, designUsage, designValues, integerValue, isolationValue, numberValue, parseCommandArgs, RESULT_FILE_OPTIONS, resultFileValues, STREAM_OPTIONS, streamValues, timestampedName, workloadValue } from './options.js'
import type { ResultFileFlags } from './options.js'
import { formatDuration, progressWanted } from './progress.js'
import type { CliIo } from './main.js'
import { startCommand, strategyValue } from './command-start.js'
import { claimOutputs, measureClaimed, writeClaimed } from './outputs.js'
import { nativeBuildRecord } from './native-build.js'
import { UsageError } from '../errors.js'

const COMMAND = 'gntbench calibrate'

export const DEFAULT_CALIBRATION = {
  workload: 'lookup-heavy',
  size: 512,
  strategy: 'rbtree',
  trials: 400,
  planted: [2, 5, 10],
  plantedTrials: 100,
  familySize: 10,
} as const

export const CALIBRATE_USAGE = `usage: gntbench calibrate [options]

How far can a verdict of \`gntbench run\` be trusted on this machine? Runs T trials of one
(workload, N) cell exactly as \`run\` measures a cell (rounds of a fresh isolate per arm — in C
one engine process per round holding every arm, samples interleaved, each its own stream — a
fresh stream seed per round, the precision target), with these arms: the strategy twice (A/A:
every "Difference" is false) and, in the first P trials, the strategy doing +p % more of exactly
the same work (every miss is a miss). Reports the false "Difference" rate per comparison and per
suite after Holm, the A/A equivalence rate, and per planted size the power and the effect really
measured; writes <out>/<name>.json (every trial) and <out>/<name>.md.

options:
  --workload W          a timed workload (default ${DEFAULT_CALIBRATION.workload})
  --size N              live-set size (default ${DEFAULT_CALIBRATION.size})
  --strategy S          the strategy calibrated (default ${DEFAULT_CALIBRATION.strategy})
  --trials T            trials (default ${DEFAULT_CALIBRATION.trials}: a 5 % rate to about ±2 points)
  --planted 2,5,10      planted differences in percent, or 'none' (default ${DEFAULT_CALIBRATION.planted.join(',')})
  --planted-trials P    trials that carry the planted arms (default ${DEFAULT_CALIBRATION.plantedTrials})
  --family F            A/A comparisons per simulated suite for the family-wise rate (default ${DEFAULT_CALIBRATION.familySize})
${designUsage(DEFAULT_RUN, DEFAULT_NATIVE_RUN)}  --ops K               measured ops per state (default ${DEFAULT_RUN.ops}, as run)
  --margin M            equivalence margin in percent (default ${DEFAULT_MARGIN_PERCENT}, as run)
  --confidence C        two-sided confidence in percent (default 95)
  --isolation MODE      as run's: worker (default) or process
  --engine E            js (default) or native (the C engine, planted arms included)
  --seed S              seed of the trials (default ${DEFAULT_SEED})
  --allow-busy          write the result even when the machine was busy (it says so)
  --out DIR             where the result goes (default results)
  --name NAME           result file name (default calibration-<UTC date>-<time>)
  --force               overwrite <out>/<name>.json/.md if they exist
  --json                print the result JSON on stdout instead of the report
  --progress            progress on stderr (every 10 trials) even when stderr is not a terminal
  -h, --help            this text

Exit status: 0 done; 1 a problem found while measuring (or a busy machine); 2 a bad option, or
an output that cannot be written, before anything is measured; 128 + n when stopped by signal n.
`

const OPTIONS = {
  workload: { type: 'string' },
  size: { type: 'string' },
  strategy: { type: 'string' },
  trials: { type: 'string' },
  planted: { type: 'string' },
  'planted-trials': { type: 'string' },
  family: { type: 'string' },
  ...DESIGN_OPTIONS,
  ...STREAM_OPTIONS,
  margin: { type: 'string' },
  isolation: { type: 'string' },
  engine: { type: 'string' },
  'allow-busy': { type: 'boolean' },
  ...RESULT_FILE_OPTIONS,
} as const

function parsePlanted(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_CALIBRATION.planted]
  if (text === 'none') return []
  const values = text.split(',').map((item) => numberValue(COMMAND, 'planted', item.trim(), 0.01, 1000))
  if (new Set(values).size !== values.length) throw new UsageError(`${COMMAND}: --planted names a size twice in '${text}'`)
  return values
}

export interface CalibrateCommand extends ResultFileFlags {
  readonly config: CalibrationConfig
  readonly confidence: number
  readonly familySize: number
  readonly allowBusy: boolean
}

/** The whole command line checked and turned into a config (exported for tests). */
export function parseCalibrateArgs(argv: string[], now: Date = new Date()): CalibrateCommand | 'help' {
  const { values } = parseCommandArgs(COMMAND, { args: argv, options: OPTIONS, allowPositionals: false, strict: true })
  if (values.help === true) return 'help'
  const workload = values.workload ?? DEFAULT_CALIBRATION.workload
  if (workloadValue(COMMAND, 'workload', workload).measure !== 'timed') {
    throw new UsageError(`${COMMAND}: --workload ${workload} is not timed (it reports an outcome); pick a timed workload`)
  }
  const strategy = strategyValue(COMMAND, 'strategy', values.strategy ?? DEFAULT_CALIBRATION.strategy)
  const { ops, seed, confidence } = streamValues(COMMAND, values, DEFAULT_RUN.ops)
  const engine = values.engine ?? 'js'
  if (engine !== 'js' && engine !== 'native') throw new UsageError(`${COMMAND}: --engine must be 'js' or 'native', got '${engine}'`)
  // The engine's own default design, as run uses it (plan.ts runPreset).
  const design = designValues(COMMAND, values, runPreset(engine))
  const trials = values.trials === undefined ? DEFAULT_CALIBRATION.trials : integerValue(COMMAND, 'trials', values.trials, 1, 1_000_000)
  const planted = parsePlanted(values.planted)
  return {
    config: {
      workload,
      size: values.size === undefined ? DEFAULT_CALIBRATION.size : integerValue(COMMAND, 'size', values.size, 1, 1 << 20),
      strategy,
      trials,
      planted,
      plantedTrials: Math.min(trials, values['planted-trials'] === undefined ? DEFAULT_CALIBRATION.plantedTrials : integerValue(COMMAND, 'planted-trials', values['planted-trials'], 0, 1_000_000)),
      ops,
      seed,
      design: { ...design, confidence, isolation: isolationValue(COMMAND, values.isolation), gcBeforeSample: 'minor' },
      marginPercent: values.margin === undefined ? DEFAULT_MARGIN_PERCENT : numberValue(COMMAND, 'margin', values.margin, 0.1, 100),
      engine,
    },
    confidence,
    familySize: values.family === undefined ? DEFAULT_CALIBRATION.familySize : integerValue(COMMAND, 'family', values.family, 1, 10_000),
    allowBusy: values['allow-busy'] === true,
    ...resultFileValues(COMMAND, values, { out: 'results', name: timestampedName('calibration', now) }),
  }
}

/**
 * True when the design is run's default on the engine calibrated (plan.ts runPreset), so the
 * rates describe run's verdicts there.
 */
function isRunDefault(config: CalibrationConfig): boolean {
  const d = config.design
  const preset = runPreset(config.engine ?? 'js')
  return (
    config.ops === preset.ops &&
    d.isolates === preset.isolates &&
    d.maxIsolates === preset.maxIsolates &&
    d.samples === preset.samples &&
    d.sampleMs === preset.sampleMs &&
    d.warmupMs === preset.warmupMs &&
    d.precisionPercent === preset.precisionPercent &&
    d.isolation === 'worker' &&
    d.confidence === 95
  )
}

/** One trial as stored: the arms' isolate means and every arm compared with A. */
export function trialRecord(trial: number, seed: number, m: GroupMeasurement, confidence: number, marginPercent: number, twoStage: TwoStage | null): CalibrationTrial {
  const measured = m.arms.filter((arm): arm is MeasuredArm => arm.status === 'measured')
  const skipped = m.arms.find((arm) => arm.status === 'skipped')
  if (skipped !== undefined) throw new BenchIntegrityError(`trial ${trial + 1}: ${skipped.label} was skipped: ${skipped.reason}`)
  const a = measured.find((arm) => arm.label === ARM_A) as MeasuredArm
  const comparisons: CalibrationComparison[] = measured
    .filter((arm) => arm !== a)
    .map((arm) => {
      const c = compareRatio(isolateSeries(a), isolateSeries(arm), { confidence, marginPercent, twoStage })
      return { label: arm.label, ratio: c.ratio, lower: c.lower, upper: c.upper, p: c.p, significant: c.significant, verdict: c.verdict, equivalenceP: c.equivalenceP, precisionPercent: c.precisionPercent }
    })
  return {
    trial,
    seed,
    rounds: m.rounds,
    loadAverages: [...m.loadAverages],
    arms: measured.map((arm) => {
      const v = varianceComponents(arm.isolates.map((i) => i.samples))
      return {
        label: arm.label,
        plantedPercent: arm.plantedPercent,
        ...isolateSeries(arm),
        withinPercent: Number.isFinite(v.withinPercent) ? v.withinPercent : null,
        betweenPercent: Number.isFinite(v.betweenPercent) ? v.betweenPercent : null,
      }
    }),
    comparisons,
  }
}

/** The summary of stored trials. */
export function summaryOf(trials: readonly CalibrationTrial[], planted: readonly number[], confidence: number, familySize: number): CalibrationResult['summary'] {
  const alpha = 1 - confidence / 100
  const of = (label: string): TrialComparison[] =>
    trials.flatMap((t) => t.comparisons.filter((c) => c.label === label)).map((c) => ({ ratio: c.ratio, p: c.p, significant: c.significant, equivalent: c.equivalenceP < alpha, precisionPercent: c.precisionPercent }))
  return summarizeCalibration(of(ARM_A_PRIME), new Map(planted.map((p) => [p, of(plantedLabel(p))])), { confidence, familySize })
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const parsed = startCommand(parseCalibrateArgs(argv), io, CALIBRATE_USAGE)
  if (parsed === null) return 0
  const { config } = parsed
  // The C engine is built before anything runs: without cc or libbsd, one line and exit 2.
  const native = nativeBuildRecord(COMMAND, config.engine ?? 'js')
  const paths = resultPaths(parsed.out, parsed.name)
  const claim = claimOutputs(COMMAND, parsed.out, parsed.name, [paths.json, paths.markdown], parsed.force)
  const startedAt = new Date()
  const watch = watchMachine()
  const started = performance.now()
  const showProgress = progressWanted(io, parsed.progress)
  const measurements = await measureClaimed(COMMAND, [claim], io, () =>
    runCalibration(config, (p) => {
      if (showProgress && (p.trial === 1 || p.trial % 10 === 0)) {
        const left = p.remainingMs === null ? '' : `, ~${formatDuration(p.remainingMs)} left`
        io.stderr(`${COMMAND}: trial ${p.trial}/${p.trials} (${formatDuration(p.elapsedMs)} elapsed${left}; load ${machineState().loadAverage[0].toFixed(2)})\n`)
      }
    }),
  )
  if (measurements === null) return 1
  const durationMs = performance.now() - started
  const environment = collectEnvironment({ startedAt, durationMs, commandLine: ['gntbench', 'calibrate', ...argv], seed: config.seed })
  const trials = measurements.map((m, i) => trialRecord(i, trialSeed(config.seed, i), m, parsed.confidence, config.marginPercent, designTwoStage(config.design)))
  const roundLoads = measurements.flatMap((m) => m.loadAverages)
  const loads = summarizeNumbers(roundLoads.length > 0 ? roundLoads : [Number.NaN], 'exact')
  const busy = watch.busy(roundLoads)
  const result: CalibrationResult = {
    schemaVersion: CALIBRATION_SCHEMA_VERSION,
    tool: 'gntbench',
    kind: 'calibration',
    name: parsed.name,
    environment,
    machine: { before: watch.before, busy, roundLoad: { min: loads.min, median: loads.median, max: loads.max } },
    config: {
      workload: config.workload,
      size: config.size,
      strategy: config.strategy,
      trials: config.trials,
      planted: [...config.planted],
      plantedTrials: config.plantedTrials,
      ops: config.ops,
      seed: config.seed,
      design: config.design,
      confidence: parsed.confidence,
      marginPercent: config.marginPercent,
      familySize: parsed.familySize,
      engine: config.engine ?? 'js',
      ...(native === null ? {} : { native }),
      runDefaults: isRunDefault(config),
    },
    summary: summaryOf(trials, config.planted, parsed.confidence, parsed.familySize),
    trials,
  }
  const json = `${JSON.stringify(result, null, 2)}\n`
  io.stdout(parsed.json ? json : formatCalibrationText(result))
  if (busy !== null && !parsed.allowBusy) {
    claim.release()
    io.stderr(`${COMMAND}: not written: busy machine (${busy}); rerun on a quiet machine, or --allow-busy to write it anyway\n`)
    return 1
  }
  const failed = writeClaimed(COMMAND, claim, [[paths.json, json], [paths.markdown, formatCalibrationMarkdown(result)]], parsed.force, parsed.name)
  if (failed !== null) {
    io.stderr(`${failed}\n`)
    return 1
  }
  io.stderr(`${COMMAND}: wrote ${paths.json} and ${paths.markdown} (${formatDuration(durationMs)})\n`)
  return 0
}
