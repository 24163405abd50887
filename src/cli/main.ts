// gntbench command-line entry: dispatches a subcommand. Each subcommand lives in its own file
// and exports `main(argv, io)` returning an exit code. A UsageError becomes one line on stderr
// (its non-printable characters escaped) and exit 2; any other error is a bug and keeps its stack.

import { packageVersion } from '../install-paths.js'
import { installSignalHandlers } from '../exit-hooks.js'
import { importsInFlight } from '../strategies/pending-imports.js'
import { debugDetail, setDebug, takeDebugFlag } from './debug.js'
import { escapeUnprintable } from '../errors.js'
import { UsageError } from '../errors.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** True when stdout is a terminal (ministat picks its width from it). */
  isTty: boolean
  /** All of standard input, for commands that read data from it (ministat with no files, or "-"). */
  readStdin?: () => Promise<Uint8Array>
  /** The terminal's width in columns when stdout is a terminal (ministat uses it minus 2). */
  columns?: number
  /** Environment variables (default: process.env); ministat reads COLUMNS and POSIXLY_CORRECT. */
  env?: Readonly<Record<string, string | undefined>>
  /** Directory that relative file arguments are resolved against (default: process.cwd()). */
  cwd?: string
  /** True when stderr is a terminal: progress lines are printed only then (or with --progress). */
  stderrIsTty?: boolean
}

type Command = (argv: string[], io: CliIo) => Promise<number>

interface CommandEntry {
  summary: string
  load: () => Promise<Command>
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  list: { summary: 'list strategies, allocators and presets', load: async () => (await import('./list.js')).main },
  run: { summary: 'benchmark workloads × sizes × strategies; ministat blocks and results/<name>.json', load: async () => (await import('./run.js')).main },
  compare: { summary: 'did the relative standing change between two results files? (CI: --fail-on-regression)', load: async () => (await import('./compare.js')).main },
  report: { summary: 'render a results file again (text, Markdown, or the README answer table)', load: async () => (await import('./report.js')).main },
  ministat: { summary: 'drop-in ministat(1): compare datasets', load: async () => (await import('./ministat.js')).main },
  record: { summary: 'write a built-in workload as a trace file', load: async () => (await import('./record.js')).main },
  replay: { summary: 'replay a trace on strategies: differential pass, then timed', load: async () => (await import('./replay.js')).main },
  check: { summary: 'conformance suite for an outside strategy module', load: async () => (await import('./check.js')).main },
  calibrate: { summary: 'how far verdicts can be trusted here: A/A false-Difference rate, power, planted effects', load: async () => (await import('./calibrate.js')).main },
  sweep: { summary: 'sweep live-set size N: growth, crossovers, counted work, memory per record, SVG/HTML', load: async () => (await import('./sweep.js')).main },
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
    "Run 'gntbench <command> --help' for a command's options; 'gntbench --version' for the version.",
    'Exit status: 0 done; 1 a problem found while measuring or checking; 2 a usage or input error,',
    'found before anything is measured; 128 + n stopped by signal n (ministat keeps its own).',
    '',
  ].join('\n')
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // --debug anywhere (but ministat's options are ministat(1)'s own).
  const leading = argv[0] === '--debug' ? 1 : 0
  const taken = argv[leading] === 'ministat' ? { argv: argv.slice(leading), debug: false } : takeDebugFlag(argv.slice(leading))
  setDebug(leading === 1 || taken.debug)
  const [name, ...rest] = taken.argv
  if (name === undefined) {
    // A mistake, not a request: the usage goes where errors go.
    io.stderr(usage())
    return 2
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage())
    return 0
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`gntbench ${packageVersion()}\n`)
    return 0
  }
  const entry = COMMANDS[name]
  if (entry === undefined) throw new UsageError(`gntbench: unknown command '${name}' (try 'gntbench --help')`)
  const command = await entry.load()
  return command(rest, io)
}

/** The one line (and, with --debug, the stack) a UsageError prints. */
function usageErrorText(error: UsageError): string {
  const detail = 'detail' in error && (typeof error.detail === 'string' || error.detail === null) ? error.detail : null
  return `${escapeUnprintable(error.message)}\n${debugDetail(detail)}`
}

/** runCli as the entry point runs it: a UsageError is printed and becomes its exit status. */
export async function runCliCaught(argv: string[], io: CliIo): Promise<number> {
  try {
    return await runCli(argv, io)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr(usageErrorText(error))
    return error.exitCode
  }
}

/** Run the command line of this process: its output, exit status and signal handling. */
export function runMain(): void {
  // `gntbench record … | head`: a reader that goes away is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    // Node's types say boolean and number; both are undefined when stdout is not a terminal.
    isTty: (process.stdout.isTTY as boolean | undefined) === true,
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
      return Buffer.concat(chunks)
    },
    env: process.env,
  }
  const columns = process.stdout.columns as number | undefined
  if (columns !== undefined) io.columns = columns
  io.stderrIsTty = (process.stderr.isTTY as boolean | undefined) === true
  installSignalHandlers()
  void runCliCaught(process.argv.slice(2), io).then((code) => {
    process.exitCode = code
    // An outside module whose import never settled may hold the event loop open: nothing of ours
    // is pending (stdout and stderr writes to files, pipes and terminals are synchronous here).
    if (importsInFlight() > 0) process.exit(code)
  })
}

// From the sources `node src/cli/main.ts …` runs it; the build's launcher (bin/gntbench.js) calls runMain().
const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isEntryPoint) runMain()
