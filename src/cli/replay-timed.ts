// The timed pass of `gntbench replay`: the trace's measured part timed exactly as `gntbench run`
// times a built-in workload — the same measurement core (runner/measure-group.ts: rounds of
// fresh isolates, samples of fresh device states with the trace's setup replayed untimed) and the
// same report. A trace is one fixed stream, so every round replays it (no stream variability to
// sample). The trace reaches each isolate as a GroupSpec.trace file name; outside strategy
// modules are loaded inside each isolate.

import { resolve } from 'node:path'
import { assembleResult } from '../runner/assemble.js'
import { collectEnvironment } from '../runner/environment.js'
import { busyReason, machineState } from '../runner/machine-state.js'
import { measureGroup } from '../runner/measure-group.js'
import { DEFAULT_RUN, DEFAULT_WRAP_SPACE } from '../runner/plan.js'
import type { RunConfig } from '../runner/plan.js'
import type { RunResult } from '../results/run-schema.js'
import { designOf } from '../runner/run-bench.js'
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
  /** Progress after every isolate. */
  readonly onIsolate?: (round: number, arm: string) => void
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

export async function timeTrace(options: TimedReplayOptions): Promise<TimedReplayResult> {
  const file = resolve(options.file)
  const workload = loadTraceWorkload(file)
  const specs = options.strategies.map((strategy) => strategy.spec)
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
  }
  const startedAt = new Date()
  const started = performance.now()
  const before = machineState()
  const measurement = await measureGroup(
    { workload: workload.name, size, ops: options.scan.measuredOps, wrapOffsetSpacePages: DEFAULT_WRAP_SPACE, trace: file },
    options.seed,
    specs.map((spec) => ({ label: spec, spec, plantedPercent: 0 })),
    designOf(config),
    { baseline: config.baseline, shuffle: new Prng(options.seed), hooks: { onIsolate: ({ round, arm }) => options.onIsolate?.(round, arm) } },
  )
  const environment = collectEnvironment({
    startedAt,
    durationMs: performance.now() - started,
    commandLine: options.commandLine,
    seed: options.seed,
  })
  const result = assembleResult({
    name: `replay-${workload.name}`,
    environment,
    machine: { before, busy: busyReason(before.loadAverage[0], measurement.loadAverages) },
    config,
    groups: [{ workload, size, strategies: specs, measurement, outcomes: [] }],
  })
  const width = options.isTty && options.columns !== undefined ? options.columns - 2 : 74
  return { text: formatRunText(result, { width }), json: result }
}
