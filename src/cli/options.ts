// Values of the benchmark commands' options (run, sweep, calibrate, replay), checked the same way
// everywhere: each mistake is a one-line UsageError naming the command and the flag.

import type { DesignValues } from '../runner/measure-group.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { getWorkload, UnknownWorkloadError } from '../workloads/registry.js'
import { UsageError } from '../errors.js'

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

/** A decimal number in [min, max] for --flag. */
export function numberValue(command: string, flag: string, text: string, min: number, max: number): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
  if (!(value >= min && value <= max)) throw new UsageError(`${command}: --${flag} must be a number in [${min}, ${max}], got '${text}'`)
  return value
}

/** The measurement-design flags every timed command shares (parseArgs option table). */
export const DESIGN_OPTIONS = {
  isolates: { type: 'string' },
  'max-isolates': { type: 'string' },
  samples: { type: 'string' },
  'sample-ms': { type: 'string' },
  'warmup-ms': { type: 'string' },
  precision: { type: 'string' },
} as const

/** The design flags' usage lines, with the defaults of `preset`. */
export function designUsage(preset: DesignValues): string {
  return `  --isolates I          rounds at least: each round runs every strategy in a fresh isolate on
                        a fresh stream seed (default ${preset.isolates}; ≥ 3)
  --max-isolates M      rounds at most while --precision is not reached (default ${preset.maxIsolates})
  --precision P         add rounds until every comparison's interval is within ±P % (default
                        ${preset.precisionPercent === null ? 'off' : preset.precisionPercent}; 'off': exactly --isolates rounds)
  --samples r           timed samples per isolate (default ${preset.samples})
  --sample-ms T         a sample's timed part lasts at least T ms: k fresh states replayed in a row
                        (default ${preset.sampleMs})
  --warmup-ms W         untimed warm-up samples per isolate for W ms (default ${preset.warmupMs})
`
}

/** Parse the design flags over `preset`; every bad value is one line naming its flag. */
export function designValues(
  command: string,
  values: { readonly [K in keyof typeof DESIGN_OPTIONS]?: string | undefined },
  preset: DesignValues,
): DesignValues {
  const isolates = values.isolates === undefined ? preset.isolates : integerValue(command, 'isolates', values.isolates, 3, 1000)
  const maxIsolates = values['max-isolates'] === undefined ? Math.max(isolates, preset.maxIsolates) : integerValue(command, 'max-isolates', values['max-isolates'], 3, 1000)
  if (maxIsolates < isolates) throw new UsageError(`${command}: --max-isolates (${maxIsolates}) must be at least --isolates (${isolates})`)
  const precision = values.precision
  return {
    isolates,
    maxIsolates,
    samples: values.samples === undefined ? preset.samples : integerValue(command, 'samples', values.samples, 1, 1000),
    sampleMs: values['sample-ms'] === undefined ? preset.sampleMs : numberValue(command, 'sample-ms', values['sample-ms'], 0.01, 60_000),
    warmupMs: values['warmup-ms'] === undefined ? preset.warmupMs : numberValue(command, 'warmup-ms', values['warmup-ms'], 0, 600_000),
    precisionPercent: precision === undefined ? preset.precisionPercent : precision === 'off' ? null : numberValue(command, 'precision', precision, 0.1, 100),
  }
}

/** --name: a result file stem of letters, digits, '.', '_' or '-', never a path. */
export function nameValue(command: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`${command}: --name must be letters, digits, '.', '_' or '-' (no path), got '${name}'`)
  }
  return name
}
