// Runs the calibration experiment: T trials, each one (workload, N) group measured exactly as
// `gntbench run` measures it (runner/timed-group.ts: R rounds, every round the datasets in a
// freshly shuffled seeded order, one tinybench-timed replicate each), on these datasets:
//
//   A, A′      the same strategy twice, under two labels, each on its own host (A/A test);
//   +0 %       the planted wrapper with no extra work (the control: what the indirection costs);
//   +p %       the same strategy with p % planted extra store lookups (planted-strategy.ts).
//
// Hosts live for `trialsPerHost` trials (a "generation"), then are replaced. That mirrors
// `gntbench run`, whose workers live for the whole run and re-prepare for each (workload, N)
// group, while still drawing many independent pairs of isolates: a verdict of `run` compares
// two isolates, so an isolate-level effect (one worker's JIT settling on slower code than the
// other's) is part of what a verdict must survive, and only several generations let the A/A
// rate see it (analysis.ts tests it: A/A differences varying more between generations than
// within). Hosts:
//   'worker'   one worker thread per dataset (the `run` default), through calibration's worker
//              entry, which registers planted strategies first;
//   'process'  a fresh child process per replicate (`--isolation process`, as run's), through
//              calibration's child entry;
//   'inline'   this thread (tests only: fast, deterministic work, meaningless timings).
// The result is raw data; analysis.ts turns it into rates and advice.

import { loadavg } from 'node:os'
import type { GroupSpec } from '../runner/cell-runner.js'
import type { Isolation } from '../runner/host-factory.js'
import { createHost } from '../runner/host-factory.js'
import type { StrategyHost } from '../runner/strategy-host.js'
import { timedBuildUrl } from '../runner/timed-build.js'
import { runTimedGroup } from '../runner/timed-group.js'
import { Prng } from '../workloads/prng.js'
import { ensurePlantedRegistered, plantedSpec } from './planted-strategy.js'

export type CalibrationHosts = Isolation

export interface CalibrationConfig {
  readonly workload: string
  readonly size: number
  readonly strategy: string
  readonly trials: number
  readonly replicates: number
  readonly ops: number
  readonly confidence: number
  /** Planted differences in percent (may be empty). */
  readonly planted: readonly number[]
  readonly hosts: CalibrationHosts
  /** The design effect verdicts are judged with (as run's --design-effect; stats/compare.ts). */
  readonly designEffect: number
  /** Trials each set of hosts serves before fresh ones are started (1: fresh every trial). */
  readonly trialsPerHost: number
  readonly seed: number
  readonly warmupIterations: number
  readonly warmupMs: number
  readonly wrapOffsetSpacePages: number
  /** Force a GC before every timed replicate (run's --gc-between-replicates; needs --expose-gc). */
  readonly gcBeforeReplicate: boolean
}

export type DatasetRole = 'A' | "A'" | 'control' | 'planted'

export interface CalibrationDataset {
  readonly label: string
  readonly role: DatasetRole
  readonly spec: string
  /** Planted extra work in percent (0 for A and A′). */
  readonly plantedPercent: number
}

export interface TrialData {
  /** Per dataset (in datasets order): ns/op of each replicate, in the order measured. */
  readonly values: number[][]
  /** Per dataset: the shuffled position of each replicate within its round. */
  readonly positions: number[][]
  /** Which set of hosts measured it (trial / trialsPerHost, rounded down). */
  readonly generation: number
  /** 1-minute load average when the trial started. */
  readonly loadAverage: number
  readonly durationMs: number
}

export interface CalibrationData {
  readonly datasets: readonly CalibrationDataset[]
  readonly trials: readonly TrialData[]
  readonly opsPerReplicate: number
  readonly setupOps: number
}

export interface CalibrationProgress {
  readonly trial: number
  readonly trials: number
  readonly elapsedMs: number
  readonly remainingMs: number | null
}

export interface CalibrationHooks {
  readonly onTrialStart?: (progress: CalibrationProgress) => void
}

/** A/A labels first; with planted sizes, the 0 % wrapper (control) and one dataset per size. */
export function calibrationDatasets(strategy: string, planted: readonly number[]): CalibrationDataset[] {
  const datasets: CalibrationDataset[] = [
    { label: 'A', role: 'A', spec: strategy, plantedPercent: 0 },
    { label: "A'", role: "A'", spec: strategy, plantedPercent: 0 },
  ]
  if (planted.length === 0) return datasets
  return [
    ...datasets,
    { label: '+0% (wrapper)', role: 'control', spec: plantedSpec(strategy, 0), plantedPercent: 0 },
    ...planted.map((percent) => ({ label: `+${percent}%`, role: 'planted' as const, spec: plantedSpec(strategy, percent), plantedPercent: percent })),
  ]
}

/** Hosts as `run` makes them, but with entries that register the planted strategies first. */
function makeHost(config: CalibrationConfig, spec: string): StrategyHost {
  ensurePlantedRegistered(spec) // the inline host and the process host's probe run here
  return createHost(spec, {
    isolation: config.hosts,
    workerEntry: timedBuildUrl('calibrate/planted-worker.ts'),
    childEntry: timedBuildUrl('calibrate/planted-child.ts'),
  })
}

/** A stable 32-bit seed per trial, so any one trial can be re-run alone. */
export function trialSeed(seed: number, trial: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(trial + 1, 0xc2b2ae35)) >>> 0
}

export async function runCalibration(config: CalibrationConfig, hooks: CalibrationHooks = {}): Promise<CalibrationData> {
  const datasets = calibrationDatasets(config.strategy, config.planted)
  const group: GroupSpec = {
    workload: config.workload,
    size: config.size,
    seed: config.seed,
    ops: config.ops,
    wrapOffsetSpacePages: config.wrapOffsetSpacePages,
    warmupIterations: config.warmupIterations,
    warmupMs: config.warmupMs,
    ...(config.gcBeforeReplicate ? { gcBeforeReplicate: true } : {}),
  }
  const trials: TrialData[] = []
  let opsPerReplicate = 0
  let setupOps = 0
  let hosts: StrategyHost[] = []
  const closeHosts = async (): Promise<void> => {
    const closing = hosts
    hosts = []
    await Promise.all(closing.map((host) => host.close()))
  }
  const started = performance.now()
  try {
    for (let trial = 0; trial < config.trials; trial++) {
      const elapsedMs = performance.now() - started
      hooks.onTrialStart?.({
        trial: trial + 1,
        trials: config.trials,
        elapsedMs,
        remainingMs: trial === 0 ? null : (elapsedMs / trial) * (config.trials - trial),
      })
      const trialStart = performance.now()
      const loadAverage = loadavg()[0] ?? Number.NaN
      const generation = Math.floor(trial / config.trialsPerHost)
      if (trial % config.trialsPerHost === 0) {
        await closeHosts()
        for (const dataset of datasets) hosts.push(makeHost(config, dataset.spec))
      }
      // The group is re-prepared (probe + warmup) every trial, as `run` does for every group.
      const cells = await runTimedGroup(group, hosts, { replicates: config.replicates, shuffle: new Prng(trialSeed(config.seed, trial)) })
      const values: number[][] = []
      const positions: number[][] = []
      for (const [index, cell] of cells.entries()) {
        if (cell.status === 'skipped') {
          throw new CalibrationSkipError(`${datasets[index]?.label ?? cell.strategy} (${cell.strategy}) cannot run ${config.workload}: ${cell.reason}`)
        }
        values.push(cell.values)
        positions.push(cell.positions)
        opsPerReplicate = cell.opsPerReplicate
        setupOps = cell.setupOps
      }
      trials.push({ values, positions, generation, loadAverage, durationMs: performance.now() - trialStart })
    }
  } finally {
    await closeHosts()
  }
  return { datasets, trials, opsPerReplicate, setupOps }
}

/** The calibrated strategy cannot run the workload (a one-sided preset, a setup beyond a limit). */
export class CalibrationSkipError extends Error {
  override name = 'CalibrationSkipError'
}
