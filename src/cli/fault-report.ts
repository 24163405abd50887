// The one line (exit 1) for a problem found while measuring: a broken invariant on the untimed
// verification pass, work that differs between isolates, an outside module's method that
// threw or answered NaN (strategies/strategy-fault.ts), or a C engine that failed or was killed
// (native/engine-process.ts). With --debug the stack behind it follows.

import { NativeEngineError } from '../native/engine-process.js'
import { BenchIntegrityError } from '../runner/checks.js'
import { StrategyFault } from '../strategies/strategy-fault.js'
import { debugDetail } from './debug.js'
import { escapeUnprintable } from '../errors.js'

/** What `command` prints for `error`, or null when it is neither kind (a bug: rethrow it). */
export function measuringFailure(command: string, error: unknown): string | null {
  if (error instanceof BenchIntegrityError || error instanceof StrategyFault) {
    return `${command}: ${escapeUnprintable(error.message)}\n${debugDetail(error.detail)}`
  }
  if (error instanceof NativeEngineError) return `${command}: ${escapeUnprintable(error.message)}\n${debugDetail(error.stack ?? null)}`
  return null
}
