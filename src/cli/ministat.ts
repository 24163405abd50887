// `gntbench ministat`: a drop-in for ministat(1) as Debian ships it (package ministat
// 20150715-1+b1). Same options, same input rules, and byte for byte the same stdout, stderr and
// exit status, including its quirks:
// * width: 74, or when stdout is a terminal $COLUMNS (atoi, even if that gives 0 or less) or
//   else the terminal's width − 2; -w overrides (strtol stored into an int: 4294967306 is 10);
// * options are glibc getopt's (gnu-getopt.ts) and are checked as they arrive; a bad one prints
//   its own line (or getopt's) and the usage block on stderr, exit 2 — except that an unknown
//   -c level after a known one is silently ignored (ministat never resets its choice);
// * no files: stdin, named "<stdin>"; "-" also reads stdin (empty the second time);
// * "ministat: Cannot open NAME: <strerror>" exits 1; bad data and short datasets exit 2
//   (ministat-input.ts); more than 7 files is a usage error ("Too many datasets.");
// * where ministat crashes (a NaN or ±inf in the plot, width 1, a negative $COLUMNS) it dies by
//   SIGSEGV: nothing on stdout (it was still buffered; on a terminal the legend lines were
//   already out) and exit status 139, which is what a shell shows for it. The one difference:
//   gntbench says why on stderr, in one line (crashNote), where ministat prints nothing.
//
// gntbench-only long options, which ministat itself would reject (see gnu-getopt.ts):
//   --exact  the harness's statistics (exact t quantiles at any -c level, mean-of-middles median,
//            two-pass stddev, Welch's t when variances differ, a plot without ministat's bugs);
//   --json   the same numbers as JSON instead of the report;
//   --help   this usage on stdout.

import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { comparisonJson, formatMinistat, legendLines, type MinistatFormatOptions } from '../report/ministat.js'
import { MinistatCrash } from '../report/ministat-plot.js'
import { formatG } from '../report/c-printf.js'
import { MINISTAT_LEVELS } from '../stats/ministat-table.js'
import type { Dataset } from '../stats/types.js'
import { atoi, strtod, strtol, toCInt } from './c-strtod.js'
import { gnuGetopt } from './gnu-getopt.js'
import type { CliIo } from './main.js'
import { MIN_POINTS, readMinistatData } from './ministat-input.js'

const PROGRAM = 'ministat'
const OPTSTRING = 'AC:c:d:snw:'
const LONG_OPTIONS = ['exact', 'json', 'help'] as const
const DEFAULT_WIDTH = 74
const MAX_DATASETS = 7
const DEFAULT_DELIMITERS = ' \t'
/** Exit status a shell reports for a process killed by SIGSEGV (128 + 11). */
export const SIGSEGV_EXIT = 139

/** How gntbench's note on a copied crash starts (tests strip it when comparing with ministat). */
export const CRASH_NOTE_PREFIX = 'ministat: exit status 139 like ministat 20150715, which dies here with SIGSEGV'

/** The one line on stderr for a copied crash: why ministat would die, and how to avoid it. */
export function crashNote(crash: MinistatCrash): string {
  const why =
    crash.message === 'malloc of a negative width'
      ? 'a negative plot width ($COLUMNS)'
      : crash.message === 'realloc to 0 bytes returned NULL'
        ? 'a plot 0 columns wide'
        : crash.message === 'row buffer size overflows int'
          ? 'a plot too large for its buffer'
          : 'a NaN or ±inf value, or a plot too narrow, puts a point outside the plot'
  return `${CRASH_NOTE_PREFIX} (${why}); -n (no plot) or --exact avoids it\n`
}

/** glibc's strerror() texts for the errors opening a file for reading can give. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  ENXIO: 'No such device or address',
  ENODEV: 'No such device',
  EIO: 'Input/output error',
  ENOMEM: 'Cannot allocate memory',
  EOVERFLOW: 'Value too large for defined data type',
  ETXTBSY: 'Text file busy',
  EAGAIN: 'Resource temporarily unavailable',
}

function usageBlock(): string {
  const levels = MINISTAT_LEVELS.map((level) => `${formatG(level)}%`).join(', ')
  return [
    'Usage: ministat [-C column] [-c confidence] [-d delimiter(s)] [-Ans] [-w width] [file [file ...]]',
    `\tconfidence = {${levels}}`,
    '\t-A : print statistics only. suppress the graph.',
    '\t-C : column number to extract (starts and defaults to 1)',
    '\t-d : delimiter(s) string, default to " \\t"',
    '\t-n : print summary statistics only, no graph/test',
    '\t-s : print avg/median/stddev bars on separate lines',
    '\t-w : width of graph/test output (default 74 or terminal width)',
    '',
  ].join('\n')
}

const GNTBENCH_EXTRAS = [
  'gntbench additions (ministat itself rejects these):',
  "\t--exact : exact statistics: any -c level, exact t quantiles, Welch's t when variances differ",
  '\t--json  : print the numbers as JSON instead of the report',
  '\t--help  : print this help',
  '',
].join('\n')

interface Settings {
  width: number
  column: number
  confidence: number
  delimiters: string
  suppressPlot: boolean
  summaryOnly: boolean
  separateBars: boolean
}

type Outcome = { ok: true; dataset: Dataset } | { ok: false; exitCode: number }

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error
}

/** The file's bytes as fopen+fgets would see them; a directory reads as empty (fgets fails). */
async function readInput(name: string, io: CliIo, stdin: { consumed: boolean }): Promise<Uint8Array> {
  if (name === '-') {
    if (stdin.consumed || io.readStdin === undefined) return new Uint8Array(0)
    stdin.consumed = true
    return io.readStdin()
  }
  if (name === '') throw Object.assign(new Error('empty path'), { code: 'ENOENT' })
  try {
    return await readFile(resolve(io.cwd ?? process.cwd(), name))
  } catch (error) {
    if (isErrnoException(error) && error.code === 'EISDIR') return new Uint8Array(0)
    throw error
  }
}

async function loadDataset(name: string, settings: Settings, io: CliIo, stdin: { consumed: boolean }): Promise<Outcome> {
  const displayName = name === '-' ? '<stdin>' : name
  let bytes: Uint8Array
  try {
    bytes = await readInput(name, io, stdin)
  } catch (error) {
    if (!isErrnoException(error) || error.code === undefined) throw error
    const reason = STRERROR[error.code] ?? error.message
    io.stderr(`${PROGRAM}: Cannot open ${displayName}: ${reason}\n`)
    return { ok: false, exitCode: 1 }
  }
  const result = readMinistatData(bytes, settings.column, settings.delimiters)
  if (result.ok) return { ok: true, dataset: { name: displayName, values: result.values, negativeNaN: result.negativeNaN } }
  if (result.error === 'invalid') {
    io.stderr(`${PROGRAM}: Invalid data on line ${result.line} in ${displayName}\n`)
  } else {
    io.stderr(`Dataset ${displayName} must contain at least ${MIN_POINTS} data points\n`)
  }
  return { ok: false, exitCode: 2 }
}

/** The width ministat starts from, before -w. */
function initialWidth(io: CliIo, env: Readonly<Record<string, string | undefined>>): number {
  if (!io.isTty) return DEFAULT_WIDTH
  const columns = env.COLUMNS
  if (columns !== undefined && columns !== '') return atoi(columns)
  if (io.columns !== undefined && io.columns > 0) return io.columns - 2
  return DEFAULT_WIDTH
}

/** A whole-string strtol, or undefined where ministat's `*p != '\0'` check fails. */
function parseLong(text: string): bigint | undefined {
  const { value, end } = strtol(text)
  return end === text.length ? value : undefined
}

interface ParsedArgs {
  readonly settings: Settings
  readonly operands: string[]
  /** --exact: gntbench's exact statistics instead of ministat's table. */
  readonly exact: boolean
  readonly json: boolean
}

/** One short option applied to `settings`; the whine where ministat refuses it, else null. */
function applyOption(option: string, argument: string, settings: Settings, confidence: { exact: boolean; chosen: boolean }): string | null {
  switch (option) {
    case 'A':
      settings.suppressPlot = true
      return null
    case 'n':
      settings.summaryOnly = true
      return null
    case 's':
      settings.separateBars = true
      return null
    case 'C': {
      const value = parseLong(argument)
      if (value === undefined) return 'Invalid column number.'
      settings.column = toCInt(value)
      return settings.column <= 0 ? 'Column number should be positive.' : null
    }
    case 'c': {
      const parsed = strtod(argument)
      if (parsed.end !== argument.length) return 'Not a floating point number'
      // ministat only complains when no -c so far named a level it knows: "-c 80 -c 97" is 80 %.
      const supported = confidence.exact ? parsed.value > 0 && parsed.value < 100 : MINISTAT_LEVELS.includes(parsed.value)
      if (supported) {
        settings.confidence = parsed.value
        confidence.chosen = true
      }
      return confidence.chosen ? null : 'No support for confidence level'
    }
    case 'd':
      if (argument === '') return "Can't use empty delimiter string"
      // strtok works on bytes; one latin1 char per byte of the argument.
      settings.delimiters = Buffer.from(argument, 'utf8').toString('latin1')
      return null
    case 'w': {
      const value = parseLong(argument)
      if (value === undefined) return 'Invalid width, not a number.'
      settings.width = toCInt(value)
      return settings.width < 0 ? 'Unable to move beyond left margin.' : null
    }
    default:
      return 'Unknown option'
  }
}

/** The command line as ministat(1) reads it, or the exit status where it stops (a usage error, --help). */
function parseMinistatArgs(argv: string[], io: CliIo, env: Readonly<Record<string, string | undefined>>): ParsedArgs | number {
  const usage = (whine: string): number => {
    io.stderr(`${whine}\n${usageBlock()}`)
    return 2
  }
  const settings: Settings = {
    width: initialWidth(io, env),
    column: 1,
    confidence: 95,
    delimiters: DEFAULT_DELIMITERS,
    suppressPlot: false,
    summaryOnly: false,
    separateBars: false,
  }
  const operands: string[] = []
  const events = [
    ...gnuGetopt(
      argv,
      { program: PROGRAM, optstring: OPTSTRING, longOptions: LONG_OPTIONS, posixlyCorrect: env.POSIXLY_CORRECT !== undefined },
      operands,
    ),
  ]
  // --exact changes what -c accepts, wherever it stands on the line.
  const confidence = { exact: events.some((e) => e.kind === 'long' && e.name === 'exact'), chosen: false }
  let json = false
  for (const event of events) {
    if (event.kind === 'error') {
      io.stderr(`${event.message}\n`)
      return usage('Unknown option')
    }
    if (event.kind === 'long') {
      if (event.name === 'json') json = true
      if (event.name === 'help') {
        io.stdout(usageBlock() + GNTBENCH_EXTRAS)
        return 0
      }
      continue
    }
    const whine = applyOption(event.option, event.argument ?? '', settings, confidence)
    if (whine !== null) return usage(whine)
  }
  if (operands.length > MAX_DATASETS) return usage('Too many datasets.')
  return { settings, operands, exact: confidence.exact, json }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseMinistatArgs(argv, io, io.env ?? process.env)
  if (typeof parsed === 'number') return parsed
  const { settings, operands, exact, json } = parsed
  const names = operands.length === 0 ? ['-'] : operands
  const stdin = { consumed: false }
  const datasets: Dataset[] = []
  for (const name of names) {
    const outcome = await loadDataset(name, settings, io, stdin)
    if (!outcome.ok) return outcome.exitCode
    datasets.push(outcome.dataset)
  }

  const options: MinistatFormatOptions = {
    width: settings.width,
    mode: exact ? 'exact' : 'ministat',
    confidence: settings.confidence,
    plot: settings.summaryOnly || settings.suppressPlot ? 'none' : settings.separateBars ? 'separate' : 'single',
    tests: !settings.summaryOnly,
  }
  if (json) {
    io.stdout(`${JSON.stringify(comparisonJson(datasets, options), null, 2)}\n`)
    return 0
  }
  if (exact && options.plot !== 'none' && options.width < 2) {
    io.stderr(`${PROGRAM}: --exact needs a plot at least 2 columns wide (-w)\n`)
    return 2
  }
  let report: string
  try {
    report = formatMinistat(datasets, options)
  } catch (error) {
    if (!(error instanceof MinistatCrash)) throw error
    // Line-buffered on a terminal: the legend was out before the crash; a pipe loses it all.
    if (io.isTty) io.stdout(`${legendLines(datasets).join('\n')}\n`)
    // The one line ministat itself never prints (the shell says "Segmentation fault", if anything).
    io.stderr(crashNote(error))
    return SIGSEGV_EXIT
  }
  io.stdout(report)
  return 0
}
