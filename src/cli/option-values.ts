// Values of the benchmark commands' options (run, sweep, calibrate), checked the same way
// everywhere: each mistake is a one-line UsageError naming the command and the flag.

import { DEFAULT_DESIGN_EFFECT } from '../runner/plan.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { getWorkload, UnknownWorkloadError } from '../workloads/registry.js'
import { UsageError } from './usage-error.js'

/** A decimal integer in [min, max]. */
export function integerValue(command: string, flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${command}: --${flag} must be an integer in [${min}, ${max}], got '${text}'`)
  }
  return value
}

/** A comma-separated list without empty or repeated items. */
export function listValue(command: string, flag: string, text: string): string[] {
  const items = text.split(',').map((item) => item.trim())
  if (items.some((item) => item === '')) throw new UsageError(`${command}: --${flag} takes a comma-separated list without empty items, got '${text}'`)
  const duplicate = items.find((item, i) => items.indexOf(item) !== i)
  if (duplicate !== undefined) throw new UsageError(`${command}: --${flag} names '${duplicate}' twice`)
  return items
}

/** `prefix-YYYYMMDD-HHMMSS` in UTC: a default result name that never collides with an earlier run's. */
export function timestampedName(prefix: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${prefix}-${stamp}`
}

/** "42s" or "3m07s", for progress lines. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
}

/** A built-in workload by name; an unknown name is a one-line UsageError naming the flag (if any). */
export function workloadValue(command: string, flag: string | null, name: string): BenchWorkload {
  try {
    return getWorkload(name)
  } catch (error) {
    if (error instanceof UnknownWorkloadError) throw new UsageError(`${command}: ${flag === null ? '' : `--${flag}: `}${error.message}`)
    throw error
  }
}

/** --isolation: worker (the default) or process; inline is for tests and not offered. */
export function isolationValue(command: string, text: string | undefined): 'worker' | 'process' {
  if (text === undefined || text === 'worker') return 'worker'
  if (text === 'process') return 'process'
  throw new UsageError(`${command}: --isolation must be 'worker' or 'process', got '${text}'`)
}

/** --design-effect: a number in [1, 10]; default the isolation's (plan.ts); 1 with ministat-compat. */
export function designEffectValue(command: string, text: string | undefined, isolation: 'worker' | 'process', compat: boolean): number {
  if (text === undefined) return compat ? 1 : DEFAULT_DESIGN_EFFECT[isolation]
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
  if (!(value >= 1 && value <= 10)) throw new UsageError(`${command}: --design-effect must be a number in [1, 10], got '${text}'`)
  if (compat && value !== 1) throw new UsageError(`${command}: --design-effect cannot be used with --ministat-compat (ministat(1) has none)`)
  return value
}

/** --name: a result file stem of letters, digits, '.', '_' or '-', never a path. */
export function nameValue(command: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`${command}: --name must be letters, digits, '.', '_' or '-' (no path), got '${name}'`)
  }
  return name
}
