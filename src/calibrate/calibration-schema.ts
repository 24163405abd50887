// The file `gntbench calibrate` writes (<out>/<name>.json, default results/calibration.json),
// schema version 1. Everything needed to re-read the verdicts later without re-running:
//
//   schemaVersion, tool, kind ('calibration'), name
//   environment   the run's environment (runner/environment.ts: Node, V8, OS, CPU, cores,
//                 memory, date, duration, git commit and dirtiness, command line, seed, GC)
//   load          1-minute load average at the start and end, and its min/median/max over
//                 trials: other processes on the machine are part of the noise measured
//   config        workload, size, strategy, trials T, replicates R, ops K, confidence,
//                 planted sizes, isolate, trials per set of hosts, seed, warmup; whether
//                 R/K/warmup are `run`'s defaults
//   datasets      A, A′ and one per planted size: label, role, strategy spec, planted %
//   opsPerReplicate, setupOps
//   analysis      calibrate/analysis.ts CalibrationAnalysis: A/A false-Difference rates (Student,
//                 Welch, auto) with Wilson and Clopper–Pearson 95 % intervals; planted power,
//                 measured effect and predicted power; noise (CV quantiles, pooled CV, VIF);
//                 independence (trend, lag-1, round and position profiles); the run warning's
//                 record; the power calculation (MDE, replicates needed); advice in words
//   trials        raw: per trial, per dataset, the ns/op values in the order measured and their
//                 positions in each round; the set of hosts (generation), the trial's load
//                 average and duration
//
// JSON has no NaN or Infinity: JSON.stringify writes them as null.

import type { ResultEnvironment } from '../runner/result-schema.js'
import type { CalibrationAnalysis } from './analysis.js'
import type { CalibrationDataset, TrialData } from './calibration-run.js'

export const CALIBRATION_SCHEMA_VERSION = 1

export type IsolateMode = 'none' | 'process'

export interface CalibrationFileConfig {
  workload: string
  size: number
  strategy: string
  trials: number
  replicates: number
  ops: number
  confidence: number
  planted: number[]
  /** 'none': worker threads, as `run`'s default; 'process': a child process per replicate. */
  isolate: IsolateMode
  /** The design effect verdicts were judged with (absent in older files: 1, the plain t-test). */
  designEffect?: number
  /** Trials each set of hosts served before fresh ones were started. */
  trialsPerHost: number
  seed: number
  warmupIterations: number
  warmupMs: number
  /** R, K, the warmup and the GC setting are those of `gntbench run` without --quick. */
  runDefaults: boolean
}

export interface LoadRecord {
  /** os.loadavg() (1, 5, 15 minutes) when the calibration started and ended. */
  start: number[]
  end: number[]
  /** 1-minute load average at the start of each trial: min, median, max. */
  trialMin: number
  trialMedian: number
  trialMax: number
}

export interface CalibrationResult {
  schemaVersion: typeof CALIBRATION_SCHEMA_VERSION
  tool: 'gntbench'
  kind: 'calibration'
  name: string
  environment: ResultEnvironment
  load: LoadRecord
  config: CalibrationFileConfig
  datasets: CalibrationDataset[]
  opsPerReplicate: number
  setupOps: number
  analysis: CalibrationAnalysis
  trials: TrialData[]
  /** Set when the analysis was redone from the saved trials (`--from`): by which code, how, when. */
  reanalysis?: { date: string; gitCommit: string | null; gitDirty: boolean | null; commandLine: string[] }
}
