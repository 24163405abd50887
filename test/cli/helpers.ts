// Shared by the CLI tests: an in-memory CliIo that records what a command prints, and the
// UsageError a bad command line must produce.

import type { CliIo } from '../../src/cli/main.js'
import { runCli } from '../../src/cli/main.js'
import { UsageError } from '../../src/errors.js'

export function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTty: false,
    stdout: (text: string) => {
      io.out += text
    },
    stderr: (text: string) => {
      io.err += text
    },
  }
  return io
}

/** The UsageError a command line produces (it must produce one). */
export async function usageErrorOf(argv: string[]): Promise<UsageError> {
  try {
    await runCli(argv, captureIo())
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`)
}
