// node:util parseArgs in strict mode, with its errors turned into one-line UsageErrors that name
// the offending flag (its own messages run to several clauses and hints).
//
// A value that starts with a dash: parseArgs takes `--seed -1` for a flag `--seed` with no value
// followed by an option `-1`, and refuses it as ambiguous. A negative or signed number after an
// option that takes a value is that option's value (`--seed=-1`), so the value's own check can
// say what is wrong with it ("--seed must be an integer in [0, …], got '-1'"); any other dashed
// word there is refused with the `--flag=-value` spelling to use.

import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { UsageError } from './usage-error.js'

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
