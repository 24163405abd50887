// The file `gntbench calibrate` writes (results/<name>.json), schema version 2: the environment,
// the machine's load, the configuration (the cell, the arms, the measurement design), the
// summary (stats/calibration.ts) and every trial's arms (isolate means by round, variance
// components) and comparisons with A. Version 1 (the old design with replicates in one worker)
// is not read. Read back through readCalibrationFile, which validates it.

import type { CalibrationSummary } from '../stats/calibration.js'
import type { RatioVerdict } from '../stats/ratio.js'
import type { MachineState, MeasureDesign, NativeBuildRecord, ResultEnvironment } from './shared-schema.js'
import { checkDesign, checkEnvironment, checkMachineState } from './shared-schema.js'
import { checkCalibrationFields } from './sweep-calibration-fields.js'
import type { Json } from './validate.js'
import { boolean, checkHeader, each, nullableNumber, number, numbers, object, oneOf, readJsonFile, string } from './validate.js'

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
  /** The C engine's compiler, flags and version (engine 'native'). */
  native?: NativeBuildRecord
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

/** A rate with its interval (stats/rate-interval.ts): k of n, the rate and its bounds. */
function checkRate(value: unknown, path: string): void {
  const rate = object(value, path)
  for (const key of ['k', 'n', 'rate', 'lower', 'upper']) number(rate[key], `${path}.${key}`)
}

function checkSummary(summary: Json): void {
  for (const key of ['falseDifference', 'familyWise', 'equivalentAA']) checkRate(summary[key], `summary.${key}`)
  number(summary['familySize'], 'summary.familySize')
  object(summary['aaEffect'], 'summary.aaEffect')
  each(summary['planted'], 'summary.planted', (item, at) => {
    const planted = object(item, at)
    number(planted['plantedPercent'], `${at}.plantedPercent`)
    checkRate(planted['power'], `${at}.power`)
  })
}

function checkTrial(value: unknown, path: string): void {
  const trial = object(value, path)
  for (const key of ['trial', 'seed', 'rounds']) number(trial[key], `${path}.${key}`)
  each(trial['arms'], `${path}.arms`, (item, at) => {
    const arm = object(item, at)
    string(arm['label'], `${at}.label`)
    number(arm['plantedPercent'], `${at}.plantedPercent`)
    numbers(arm['values'], `${at}.values`)
  })
  each(trial['comparisons'], `${path}.comparisons`, (item, at) => {
    const comparison = object(item, at)
    string(comparison['label'], `${at}.label`)
    for (const key of ['ratio', 'lower', 'upper', 'p']) nullableNumber(comparison[key], `${at}.${key}`)
    boolean(comparison['significant'], `${at}.significant`)
  })
}

/** Checks the fields gntbench relies on; throws ResultFileError naming the first bad one. */
export function validateCalibrationResult(data: unknown): CalibrationResult {
  const root = object(data, 'result')
  checkHeader(root, CALIBRATION_SCHEMA_VERSION, 'calibration')
  checkEnvironment(root['environment'], 'environment')
  checkMachineState(object(root['machine'], 'machine')['before'], 'machine.before')
  const config = object(root['config'], 'config')
  for (const key of ['workload', 'strategy']) string(config[key], `config.${key}`)
  for (const key of ['size', 'trials', 'plantedTrials', 'ops', 'seed', 'confidence', 'marginPercent', 'familySize']) number(config[key], `config.${key}`)
  numbers(config['planted'], 'config.planted')
  checkDesign(config['design'], 'config.design')
  oneOf(config['engine'], 'config.engine', ['js', 'native'] as const)
  checkSummary(object(root['summary'], 'summary'))
  each(root['trials'], 'trials', checkTrial)
  // Every other field (types, finiteness, ranges): sweep-calibration-fields.ts.
  return checkCalibrationFields(data)
}

/** A results file of `gntbench calibrate`, read and validated (ResultFileError naming the file otherwise). */
export function readCalibrationFile(path: string): CalibrationResult {
  return readJsonFile(path, validateCalibrationResult)
}
