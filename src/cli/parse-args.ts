// node:util parseArgs in strict mode, with its errors turned into one-line UsageErrors that name
// the offending flag (its own messages run to several clauses and hints).

import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { UsageError } from '../errors.js'

/** `config` must say `strict: true` (the only mode gntbench uses). */
export function parseCommandArgs<T extends ParseArgsConfig & { strict: true }>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const message = (error as Error).message
    const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? ''
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${command}: unknown option '${flag}' (see '${command} --help')`)
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(`${command}: ${flag} ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}`)
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const positional = /'([^']*)'/.exec(message)?.[1] ?? ''
      throw new UsageError(`${command}: unexpected argument '${positional}' (see '${command} --help')`)
    }
    throw new UsageError(`${command}: ${message.split('\n')[0] ?? message}`)
  }
}
