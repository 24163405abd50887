// The timed pass of `gntbench replay`: the trace's measured part timed exactly as `gntbench run`
// times a built-in workload — the same runner (src/runner: one worker thread per strategy,
// tinybench, a fresh device state per replicate with the trace's setup replayed untimed,
// interleaved seeded rounds) and the same ministat-style report. The trace reaches each worker
// as a GroupSpec.trace file name; outside strategy modules are loaded inside each worker.

import { resolve } from 'node:path'
import { assembleResult } from '../runner/assemble.js'
import type { GroupSpec } from '../runner/cell-runner.js'
import { collectEnvironment } from '../runner/environment.js'
import { DEFAULT_DESIGN_EFFECT, DEFAULT_RUN, DEFAULT_WRAP_SPACE } from '../runner/plan.js'
import type { RunConfig } from '../runner/plan.js'
import type { RunResult } from '../runner/result-schema.js'
import { createHost } from '../runner/host-factory.js'
import type { StrategyHost } from '../runner/strategy-host.js'
import { runTimedGroup } from '../runner/timed-group.js'
import { formatRunText } from '../report/run-report.js'
import type { ResolvedStrategy } from '../strategies/load-module.js'
import type { TraceScan } from '../workloads/trace-differential.js'
import { loadTraceWorkload } from '../workloads/trace-workload.js'
import { Prng } from '../workloads/prng.js'

export interface TimedReplayOptions {
  readonly file: string
  readonly scan: TraceScan
  readonly strategies: readonly ResolvedStrategy[]
  readonly replicates: number
  readonly seed: number
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
    replicates: options.replicates,
    ops: options.scan.measuredOps,
    seed: options.seed,
    confidence: 95,
    mode: 'exact',
    warmupIterations: DEFAULT_RUN.warmupIterations,
    warmupMs: DEFAULT_RUN.warmupMs,
    wrapOffsetSpacePages: DEFAULT_WRAP_SPACE,
    quick: false,
    isolation: 'worker',
    designEffect: DEFAULT_DESIGN_EFFECT.worker,
  }
  const group: GroupSpec = {
    workload: workload.name,
    size,
    seed: options.seed,
    ops: options.scan.measuredOps,
    wrapOffsetSpacePages: DEFAULT_WRAP_SPACE,
    warmupIterations: DEFAULT_RUN.warmupIterations,
    warmupMs: DEFAULT_RUN.warmupMs,
    trace: file,
  }
  const startedAt = new Date()
  const started = performance.now()
  const hosts: StrategyHost[] = specs.map((spec) => createHost(spec, { isolation: 'worker' }))
  let timed
  try {
    timed = await runTimedGroup(group, hosts, { replicates: options.replicates, shuffle: new Prng(options.seed) })
  } finally {
    await Promise.all(hosts.map((host) => host.close()))
  }
  const environment = collectEnvironment({
    startedAt,
    durationMs: performance.now() - started,
    commandLine: options.commandLine,
    seed: options.seed,
  })
  const result = assembleResult({
    name: `replay-${workload.name}`,
    environment,
    config,
    groups: [{ workload, size, strategies: specs, timed, outcomes: [] }],
  })
  const width = options.isTty && options.columns !== undefined ? options.columns - 2 : 74
  return { text: formatRunText(result, { width }), json: result }
}
