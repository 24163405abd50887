// gntbench command-line entry: dispatches a subcommand. Each subcommand lives in its own file
// and exports `main(argv, io)` returning an exit code. A UsageError becomes one line on stderr
// and exit 2; any other error is a bug and keeps its stack.

import { UsageError } from './usage-error.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** True when stdout is a terminal (ministat picks its width from it). */
  isTty: boolean
}

type Command = (argv: string[], io: CliIo) => Promise<number>

interface CommandEntry {
  summary: string
  load: () => Promise<Command>
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  list: { summary: 'list strategies, allocators and presets', load: async () => (await import('./list.js')).main },
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length))
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
  return [
    'usage: gntbench <command> [options]',
    '',
    'Benchmarks list, red-black-tree and rangeset bookkeeping for the Xen grant device.',
    '',
    'commands:',
    ...lines,
    '',
    "Run 'gntbench <command> --help' for a command's options.",
    '',
  ].join('\n')
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage())
    return name === undefined ? 2 : 0
  }
  const entry = COMMANDS[name]
  if (entry === undefined) throw new UsageError(`gntbench: unknown command '${name}' (try 'gntbench --help')`)
  const command = await entry.load()
  return command(rest, io)
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))

if (isEntryPoint) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
  }
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        io.stderr(`${error.message}\n`)
        process.exitCode = error.exitCode
      } else {
        throw error
      }
    },
  )
}
