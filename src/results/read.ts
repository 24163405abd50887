// Reading a results file of any kind: the `kind` field says which schema it follows (a run file
// has none; sweep and calibration files say so), and the file is validated against that schema
// before it is used. One ResultFileError line, naming the file, for anything unusable.

import type { CalibrationResult } from './calibration-schema.js'
import { validateCalibrationResult } from './calibration-schema.js'
import type { RunResult } from './run-schema.js'
import { validateRunResult } from './run-schema.js'
import type { SweepResult } from './sweep-schema.js'
import { validateSweepResult } from './sweep-schema.js'
import { readJsonFile } from './validate.js'

export type AnyResult = { readonly kind: 'run'; readonly result: RunResult } | { readonly kind: 'sweep'; readonly result: SweepResult } | { readonly kind: 'calibration'; readonly result: CalibrationResult }

function validateAny(data: unknown): AnyResult {
  const kind = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)['kind'] : undefined
  if (kind === 'sweep') return { kind, result: validateSweepResult(data) }
  if (kind === 'calibration') return { kind, result: validateCalibrationResult(data) }
  return { kind: 'run', result: validateRunResult(data) }
}

/** A results file of run, sweep or calibrate, read and validated against the schema of its kind. */
export function readResultsFile(path: string): AnyResult {
  return readJsonFile(path, validateAny)
}
