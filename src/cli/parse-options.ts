// Options of the trace commands (record, replay, check) as maps: `--name value`, `--name=value`,
// boolean flags, one-letter aliases and positionals. Parsing is node:util's parseArgs through
// parseCommandArgs (parse-args.ts), so every command reports a bad flag the same way; this file
// only adds "given twice" for single-valued options and the map-shaped result.

import type { ParseArgsConfig } from 'node:util'
import { parseCommandArgs } from './parse-args.js'
import { UsageError } from '../errors.js'

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

export function parseOptions(command: string, argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedOptions {
  const options: ArgOptions = {}
  for (const [name, spec] of Object.entries(specs)) {
    // Every option is collected as a list so that a repeated single-valued one can be refused.
    options[name] = spec.short === undefined ? { type: spec.value ? 'string' : 'boolean', multiple: true } : { type: spec.value ? 'string' : 'boolean', multiple: true, short: spec.short }
  }
  const parsed = parseCommandArgs(`gntbench ${command}`, { args: [...argv], options, allowPositionals: true, strict: true })
  const values = new Map<string, string[]>()
  const flags = new Set<string>()
  for (const [name, given] of Object.entries(parsed.values)) {
    const spec = specs[name]
    if (spec === undefined || !Array.isArray(given)) continue
    if (given.length > 1 && spec.repeat !== true) throw new UsageError(`gntbench ${command}: option '--${name}' given twice`)
    if (spec.value) values.set(name, given.filter((v): v is string => typeof v === 'string'))
    else if (given.length > 0) flags.add(name)
  }
  return { values, flags, positionals: parsed.positionals }
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
