// The file `gntbench calibrate` writes (results/<name>.json), schema version 2: the environment,
// the machine's load, the configuration (the cell, the arms, the measurement design), the
// summary (stats/calibration.ts) and every trial's arms (isolate means by round, variance
// components) and comparisons with A. Version 1 (the old design with replicates in one worker)
// is not read.

import type { CalibrationSummary } from '../stats/calibration.js'
import type { RatioVerdict } from '../stats/ratio.js'
import type { MachineState } from '../runner/machine-state.js'
import type { MeasureDesign } from '../runner/measure-group.js'
import type { ResultEnvironment } from './run-schema.js'

export const CALIBRATION_SCHEMA_VERSION = 2

export interface CalibrationFileConfig {
  workload: string
  size: number
  strategy: string
  trials: number
  planted: number[]
  plantedTrials: number
  ops: number
  seed: number
  design: MeasureDesign
  confidence: number
  marginPercent: number
  familySize: number
  /** Which engine ran the arms. */
  engine: 'js' | 'native'
  /** True when the design is `gntbench run`'s default: then the rates describe run's verdicts. */
  runDefaults: boolean
}

export interface CalibrationArm {
  label: string
  plantedPercent: number
  /** Isolate means (ns/op) and their rounds. */
  values: number[]
  rounds: number[]
  withinPercent: number | null
  betweenPercent: number | null
}

export interface CalibrationComparison {
  label: string
  ratio: number
  lower: number
  upper: number
  p: number
  significant: boolean
  verdict: RatioVerdict
  equivalenceP: number
  precisionPercent: number
}

export interface CalibrationTrial {
  trial: number
  seed: number
  rounds: number
  loadAverages: number[]
  arms: CalibrationArm[]
  comparisons: CalibrationComparison[]
}

export interface CalibrationResult {
  schemaVersion: typeof CALIBRATION_SCHEMA_VERSION
  tool: 'gntbench'
  kind: 'calibration'
  name: string
  environment: ResultEnvironment
  machine: { before: MachineState; busy: string | null; roundLoad: { min: number; median: number; max: number } }
  config: CalibrationFileConfig
  summary: CalibrationSummary
  trials: CalibrationTrial[]
}
