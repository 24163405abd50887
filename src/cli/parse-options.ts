// A small option parser for the trace commands (record, replay, check): `--name value`,
// `--name=value`, boolean flags and positionals. Every mistake is a one-line UsageError that
// names the command and the option, which node:util's parseArgs does not give us.

import { UsageError } from './usage-error.js'

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

export function parseOptions(command: string, argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedOptions {
  const values = new Map<string, string[]>()
  const flags = new Set<string>()
  const positionals: string[] = []
  const hint = `(try 'gntbench ${command} --help')`
  const byShort = new Map<string, string>()
  for (const [name, spec] of Object.entries(specs)) if (spec.short !== undefined) byShort.set(spec.short, name)
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    let name: string
    let inline: string | undefined
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
      inline = eq < 0 ? undefined : arg.slice(eq + 1)
    } else if (arg.length === 2 && arg.startsWith('-') && arg !== '-') {
      const long = byShort.get(arg.slice(1))
      if (long === undefined) throw new UsageError(`gntbench ${command}: unknown option '${arg}' ${hint}`)
      name = long
    } else {
      positionals.push(arg)
      continue
    }
    const spec = specs[name]
    if (spec === undefined) throw new UsageError(`gntbench ${command}: unknown option '--${name}' ${hint}`)
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`gntbench ${command}: option '--${name}' takes no value`)
      flags.add(name)
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined) throw new UsageError(`gntbench ${command}: option '--${name}' needs a value`)
    const list = values.get(name)
    if (list !== undefined && spec.repeat !== true) throw new UsageError(`gntbench ${command}: option '--${name}' given twice`)
    if (list === undefined) values.set(name, [value])
    else list.push(value)
  }
  return { values, flags, positionals }
}

/** The value of a single-valued option, or undefined. */
export function optionValue(parsed: ParsedOptions, name: string): string | undefined {
  return parsed.values.get(name)?.[0]
}

/** A non-negative integer option (decimal), within [min, max]. */
export function integerOption(command: string, parsed: ParsedOptions, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const text = optionValue(parsed, name)
  if (text === undefined) return fallback
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`
    throw new UsageError(`gntbench ${command}: --${name} expects an integer ${range}, got '${text}'`)
  }
  return Number(text)
}
