// The timed pass of `gntbench replay`: the trace's measured part timed exactly as `gntbench run`
// times a built-in workload — the same measurement core (runner/measure-group.ts: rounds of
// fresh isolates, samples of fresh device states with the trace's setup replayed untimed) and the
// same report. A trace is one fixed stream, so every round replays it (no stream variability to
// sample). The trace reaches each isolate as a GroupSpec.trace file name; outside strategy
// modules are loaded inside each isolate.
//
// --engine: js times the TS model; native hands the C engine (native/) the trace's bound op
// stream in its encoding (src/native/stream-encoding.ts), one fresh engine process per round with the strategies interleaved,
// whose ok/failed/skipped work must equal the TS probe's; both times every strategy twice in the
// same rounds, as `<spec>@js` and `<spec>@native`, and reports one block per engine (each with
// its own baseline: the first strategy on that engine). A strategy the C engine does not model
// (an outside module) is a skipped cell with the reason.

import { resolve } from 'node:path'
import { assembleResult } from '../runner/assemble.js'
import { collectEnvironment } from '../runner/environment.js'
import { watchMachine } from '../runner/machine-state.js'
import type { Engine, NativeBuildRecord } from '../results/shared-schema.js'
import type { Arm } from '../runner/measure-group.js'
import { measureGroup } from '../runner/measure-group.js'
import { DEFAULT_RUN, DEFAULT_WRAP_SPACE } from '../runner/plan.js'
import type { RunConfig } from '../runner/plan.js'
import type { RunResult } from '../results/run-schema.js'
import { designOf } from '../runner/run-bench.js'
import type { GroupResult } from '../runner/run-bench.js'
import { formatRunText } from '../report/run-report.js'
import { DEFAULT_MARGIN_PERCENT } from '../stats/ratio.js'
import type { ResolvedStrategy } from '../strategies/load-module.js'
import type { TraceScan } from '../workloads/trace-scan.js'
import { loadTraceWorkload } from '../workloads/trace-workload.js'
import { Prng } from '../workloads/prng.js'

export interface TimedReplayOptions {
  readonly file: string
  readonly scan: TraceScan
  readonly strategies: readonly ResolvedStrategy[]
  readonly isolates: number
  readonly seed: number
  /** Which engine times the strategies (default 'js'). */
  readonly engine?: Engine | 'both'
  /** The C engine's build, recorded when it times (engine native or both). */
  readonly native?: NativeBuildRecord | null
  /** Progress after every isolate. */
  readonly onIsolate?: (round: number, arm: string) => void
  /** Tests: a shorter design, isolates run inline. */
  readonly overrides?: Partial<Pick<RunConfig, 'samples' | 'sampleMs' | 'warmupMs' | 'precisionPercent' | 'isolation'>>
  readonly isTty: boolean
  /** Terminal width when stdout is a terminal. */
  readonly columns?: number
  readonly commandLine: readonly string[]
}

export interface TimedReplayResult {
  /** Lines for the text report. */
  readonly text: string
  /** The same for --json: a result document of `gntbench run`'s schema. */
  readonly json: RunResult
}

/** The arms of a replay: one per strategy, or with both engines two, labelled by engine. */
function replayArms(specs: readonly string[], engine: Engine | 'both'): Arm[] {
  if (engine !== 'both') return specs.map((spec) => ({ label: spec, spec, plantedPercent: 0, engine }))
  return (['js', 'native'] as const).flatMap((e) => specs.map((spec) => ({ label: `${spec}@${e}`, spec, plantedPercent: 0, engine: e })))
}

export async function timeTrace(options: TimedReplayOptions): Promise<TimedReplayResult> {
  const file = resolve(options.file)
  const workload = loadTraceWorkload(file)
  const specs = options.strategies.map((strategy) => strategy.spec)
  const engine = options.engine ?? 'js'
  const arms = replayArms(specs, engine)
  const size = options.scan.setupOps + options.scan.measuredOps
  const config: RunConfig = {
    workloads: [workload.name],
    strategies: specs,
    // The first strategy named is the baseline, as the first dataset is in ministat.
    baseline: specs[0] ?? null,
    sizes: [size],
    ...DEFAULT_RUN,
    isolates: options.isolates,
    maxIsolates: Math.max(options.isolates, DEFAULT_RUN.maxIsolates),
    marginPercent: DEFAULT_MARGIN_PERCENT,
    ops: options.scan.measuredOps,
    seed: options.seed,
    confidence: 95,
    mode: 'exact',
    wrapOffsetSpacePages: DEFAULT_WRAP_SPACE,
    quick: false,
    isolation: 'worker',
    gcBeforeSample: 'minor',
    ...(engine === 'both' ? {} : { engine }),
    ...options.overrides,
  }
  const startedAt = new Date()
  const started = performance.now()
  const watch = watchMachine()
  const measurement = await measureGroup(
    { workload: workload.name, size, ops: options.scan.measuredOps, wrapOffsetSpacePages: DEFAULT_WRAP_SPACE, trace: file },
    options.seed,
    arms,
    designOf(config),
    {
      baseline: engine === 'both' ? (arms[0]?.label ?? null) : config.baseline,
      shuffle: new Prng(options.seed),
      hooks: { onIsolate: ({ round, arm }) => options.onIsolate?.(round, arm) },
    },
  )
  // With both engines: one block per engine, each against the first strategy on that engine.
  const groups: GroupResult[] =
    engine === 'both'
      ? (['js', 'native'] as const).map((e) => {
          const mine = arms.filter((arm) => arm.engine === e)
          const labels = mine.map((arm) => arm.label)
          return {
            workload,
            size,
            strategies: labels,
            baseline: labels[0] ?? null,
            measurement: { ...measurement, arms: measurement.arms.filter((arm) => labels.includes(arm.label)) },
            outcomes: [],
          }
        })
      : [{ workload, size, strategies: specs, measurement, outcomes: [] }]
  const environment = collectEnvironment({
    startedAt,
    durationMs: performance.now() - started,
    commandLine: options.commandLine,
    seed: options.seed,
  })
  const result = assembleResult({
    name: `replay-${workload.name}`,
    environment,
    machine: { before: watch.before, busy: watch.busy(measurement.loadAverages) },
    config,
    groups,
    native: engine === 'js' ? null : (options.native ?? null),
    engine,
  })
  const width = options.isTty && options.columns !== undefined ? options.columns - 2 : 74
  return { text: formatRunText(result, { width }), json: result }
}
