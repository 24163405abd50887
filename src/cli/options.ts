// The option parsing of every command but ministat (whose getopt is ministat(1)'s own, in
// gnu-getopt.ts): node:util's parseArgs in strict mode with its errors turned into one line, the
// map-shaped options of the trace commands (record, replay, check), and the values every command
// checks the same way (integers, numbers, lists, names, workloads, confidence, the measurement
// design). Each mistake is a one-line UsageError naming the command and the flag.

import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { UsageError } from '../errors.js'
import { MINISTAT_LEVELS } from '../stats/ministat-table.js'
import type { Engine } from '../results/shared-schema.js'
import type { DesignValues } from '../runner/measure-group.js'
import { DEFAULT_SEED } from '../runner/plan.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { getWorkload, UnknownWorkloadError } from '../workloads/registry.js'

/** A decimal integer in [min, max] (no upper bound: max = Number.MAX_SAFE_INTEGER). */
export function integerValue(command: string, flag: string, text: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`
    throw new UsageError(`${command}: --${flag} must be an integer ${range}, got '${text}'`)
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

/** The flags of the commands that write results files (run, sweep, calibrate). */
export const RESULT_FILE_OPTIONS = {
  out: { type: 'string' },
  name: { type: 'string' },
  json: { type: 'boolean' },
  force: { type: 'boolean' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** What the results-writing commands take from RESULT_FILE_OPTIONS. */
export interface ResultFileFlags {
  readonly out: string
  readonly name: string
  readonly json: boolean
  readonly force: boolean
  /** --progress: report progress even when stderr is not a terminal. */
  readonly progress: boolean
}

/** The result-file flags over the command's default folder and name (checked: never a path). */
export function resultFileValues(
  command: string,
  values: { readonly out?: string | undefined; readonly name?: string | undefined; readonly json?: boolean | undefined; readonly force?: boolean | undefined; readonly progress?: boolean | undefined },
  defaults: { readonly out: string; readonly name: string },
): ResultFileFlags {
  return {
    out: values.out ?? defaults.out,
    name: nameValue(command, values.name ?? defaults.name),
    json: values.json === true,
    force: values.force === true,
    progress: values.progress === true,
  }
}

/** The stream flags of the timed commands: K ops per batch, the base seed, the confidence. */
export const STREAM_OPTIONS = {
  ops: { type: 'string' },
  seed: { type: 'string' },
  confidence: { type: 'string' },
} as const

/** The stream flags over `ops` K, DEFAULT_SEED and 95 %; `compat`: only ministat's confidence levels. */
export function streamValues(
  command: string,
  values: { readonly [K in keyof typeof STREAM_OPTIONS]?: string | undefined },
  ops: number,
  compat = false,
): { ops: number; seed: number; confidence: number } {
  return {
    ops: values.ops === undefined ? ops : integerValue(command, 'ops', values.ops, 1, 10_000_000),
    seed: values.seed === undefined ? DEFAULT_SEED : integerValue(command, 'seed', values.seed, 0, 2 ** 32 - 1),
    confidence: values.confidence === undefined ? 95 : confidenceValue(command, values.confidence, compat),
  }
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
export function designUsage(preset: DesignValues, native?: DesignValues): string {
  // Where the C engine's default differs (plan.ts DEFAULT_NATIVE_RUN), both are shown.
  const dflt = (key: 'isolates' | 'maxIsolates' | 'precisionPercent'): string => {
    const text = (value: number | null): string => (value === null ? 'off' : `${value}`)
    return native === undefined || native[key] === preset[key] ? text(preset[key]) : `${text(preset[key])}; --engine native ${text(native[key])}`
  }
  return `  --isolates I          rounds at least: each round runs every strategy in a fresh isolate on
                        a fresh stream seed (default ${dflt('isolates')}; ≥ 3)
  --max-isolates M      rounds at most while --precision is not reached
                        (default ${dflt('maxIsolates')})
  --precision P         add rounds until every comparison's interval is within ±P % (default
                        ${dflt('precisionPercent')}; 'off': exactly --isolates rounds); the interval's
                        sd is then that of the first --isolates rounds (Stein's two-stage procedure)
  --samples r           timed samples per isolate (default ${preset.samples}; C: each its own stream)
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

/** --engine of run, sweep and replay: the TS model, the C engine, or both (every strategy twice). */
export type EngineChoice = Engine | 'both'

export function engineValue(command: string, text: string | undefined): EngineChoice {
  if (text === undefined || text === 'js' || text === 'native' || text === 'both') return text ?? 'js'
  throw new UsageError(`${command}: --engine must be 'js', 'native' or 'both', got '${text}'`)
}

/** --name: a result file stem of letters, digits, '.', '_' or '-', never a path. */
function nameValue(command: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`${command}: --name must be letters, digits, '.', '_' or '-' (no path), got '${name}'`)
  }
  return name
}

/** Parses a confidence level for the given statistics mode; throws UsageError naming --confidence. */
export function confidenceValue(command: string, text: string, compat: boolean): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
  if (compat) {
    if (!MINISTAT_LEVELS.includes(value)) {
      throw new UsageError(`${command}: --confidence must be one of ${MINISTAT_LEVELS.join(', ')} with --ministat-compat, got '${text}'`)
    }
  } else if (!(value > 0 && value < 100)) {
    throw new UsageError(`${command}: --confidence must be a percentage in (0, 100), got '${text}'`)
  }
  return value
}

// ---------------------------------------------------------------------------------------------
// Parsing

// A value that starts with a dash: parseArgs takes `--seed -1` for a flag `--seed` with no value
// followed by an option `-1`, and refuses it as ambiguous. A negative or signed number after an
// option that takes a value is that option's value (`--seed=-1`), so the value's own check can
// say what is wrong with it ("--seed must be an integer in [0, …], got '-1'"); any other dashed
// word there is refused with the `--flag=-value` spelling to use.

/** A word that reads as a (signed) number, not an option: -1, -0.5, -.5, -inf, -nan, +3. */
const SIGNED_NUMBER = /^[-+](?:\d|\.\d|inf|nan)/i

/** `argv` with the value of a value-taking option glued on when it looks like a signed number. */
export function joinSignedValues(argv: readonly string[], options: ParseArgsConfig['options']): string[] {
  const takesValue = new Set<string>()
  for (const [name, option] of Object.entries(options ?? {})) {
    if (option.type !== 'string') continue
    takesValue.add(`--${name}`)
    if (option.short !== undefined) takesValue.add(`-${option.short}`)
  }
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      out.push(...argv.slice(i))
      break
    }
    const next = argv[i + 1]
    if (takesValue.has(arg) && next !== undefined && SIGNED_NUMBER.test(next)) {
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`)
      i++
      continue
    }
    out.push(arg)
  }
  return out
}

/** `config` must say `strict: true` (the only mode gntbench uses). */
export function parseCommandArgs<T extends ParseArgsConfig & { strict: true }>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  const args = config.args === undefined ? undefined : joinSignedValues(config.args, config.options)
  try {
    return parseArgs(args === undefined ? config : { ...config, args })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const message = (error as Error).message
    const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? ''
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${command}: unknown option '${flag}' (see '${command} --help')`)
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (/argument is ambiguous/.test(message)) {
        const index = args?.indexOf(flag) ?? -1
        const value = index >= 0 ? args?.[index + 1] : undefined
        throw new UsageError(`${command}: ${flag} needs a value; to give one that starts with a dash, write ${flag}=${value ?? '-…'}`)
      }
      throw new UsageError(`${command}: ${flag} ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}`)
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const positional = /'([^']*)'/.exec(message)?.[1] ?? ''
      throw new UsageError(`${command}: unexpected argument '${positional}' (see '${command} --help')`)
    }
    throw new UsageError(`${command}: ${message.split('\n')[0] ?? message}`)
  }
}

export interface OptionSpec {
  /** Takes a value (`--ops 100`); otherwise a boolean flag. */
  readonly value: boolean
  /** May be given more than once (values are collected in order). */
  readonly repeat?: boolean
  /** A one-letter alias without the dash, e.g. 'o'. */
  readonly short?: string
}

export interface ParsedOptions {
  readonly values: ReadonlyMap<string, readonly string[]>
  readonly flags: ReadonlySet<string>
  readonly positionals: readonly string[]
}

type ArgOptions = NonNullable<ParseArgsConfig['options']>

/** The options of `specs` as maps (`command` is the full name, e.g. 'gntbench record'). */
export function parseOptions(command: string, argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedOptions {
  const options: ArgOptions = {}
  for (const [name, spec] of Object.entries(specs)) {
    // Every option is collected as a list so that a repeated single-valued one can be refused.
    options[name] = spec.short === undefined ? { type: spec.value ? 'string' : 'boolean', multiple: true } : { type: spec.value ? 'string' : 'boolean', multiple: true, short: spec.short }
  }
  const parsed = parseCommandArgs(command, { args: [...argv], options, allowPositionals: true, strict: true })
  const values = new Map<string, string[]>()
  const flags = new Set<string>()
  for (const [name, given] of Object.entries(parsed.values)) {
    const spec = specs[name]
    if (spec === undefined || !Array.isArray(given)) continue
    if (given.length > 1 && spec.repeat !== true) throw new UsageError(`${command}: option '--${name}' given twice`)
    if (spec.value) values.set(name, given.filter((v): v is string => typeof v === 'string'))
    else if (given.length > 0) flags.add(name)
  }
  return { values, flags, positionals: parsed.positionals }
}

/** The one positional argument (`what`: MODULE, TRACE); none, or a second one, is a UsageError. */
export function onlyPositional(command: string, parsed: ParsedOptions, what: string): string {
  const [value, extra] = parsed.positionals
  if (value === undefined) throw new UsageError(`${command}: missing ${what} (try '${command} --help')`)
  if (extra !== undefined) throw new UsageError(`${command}: unexpected argument '${extra}'`)
  return value
}

/** The value of a single-valued option, or undefined. */
export function optionValue(parsed: ParsedOptions, name: string): string | undefined {
  return parsed.values.get(name)?.[0]
}

/** An integer option (decimal) in [min, max], or `fallback` when not given. */
export function integerOption(command: string, parsed: ParsedOptions, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const text = optionValue(parsed, name)
  return text === undefined ? fallback : integerValue(command, name, text, min, max)
}
