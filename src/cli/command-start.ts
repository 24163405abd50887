// How the commands that measure and write a results file (run, sweep, calibrate) start once their
// command line is parsed: --help prints the usage and ends the command; otherwise the tests'
// overrides are applied to the config (isolates inline instead of in worker threads). Also the
// check these commands make of a --strategy name, before anything runs.

import { UsageError } from '../errors.js'
import { createStrategy, UnknownStrategyError } from '../strategies/registry.js'
import type { CliIo } from './main.js'

/** Overrides for tests: where the isolates run (inline instead of in worker threads). */
export type TestHooks<C> = Partial<Pick<C, 'isolation' & keyof C>>

/** The parsed command with the hooks applied, or null once --help has printed `usage`. */
export function startCommand<P extends { readonly config: object }>(parsed: P | 'help', io: CliIo, usage: string, hooks: TestHooks<P['config']> = {}): P | null {
  if (parsed === 'help') {
    io.stdout(usage)
    return null
  }
  const { isolation } = hooks as { readonly isolation?: unknown }
  return isolation === undefined ? parsed : { ...parsed, config: { ...parsed.config, isolation } }
}

/** A registered strategy (name[:quirks]) for --flag; an unknown one is a one-line UsageError. */
export function strategyValue(command: string, flag: string, spec: string): string {
  try {
    createStrategy(spec)
  } catch (error) {
    if (error instanceof UnknownStrategyError) throw new UsageError(`${command}: --${flag}: ${error.message}`)
    throw error
  }
  return spec
}
