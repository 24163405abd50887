// The bad-input corpus (issue 14): what a new user, a typo, a broken module, a hand-edited trace
// or results file, odd ministat data and a signal do to gntbench. Every case asserts
//   * the exit status (or the signal the launcher died of),
//   * exactly one line on stderr (or the documented form: ministat's usage block, progress lines
//     of run, nothing for a case that succeeds) that matches the expected message,
//   * no stack trace (no "    at " line),
//   * that nothing in the case's directory was lost, changed or left behind (no temporary or
//     lock file, no half-written output).
// Cases run in-process through runCliCaught (what the entry point runs) unless they need a real
// process: a signal, the launcher's exit status, a module import that never settles, a syntax
// error as Node and tsx report it. Fixtures are under test/fixtures/bad-input/.

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { CliIo } from '../../src/cli/main.js'
import { runCliCaught } from '../../src/cli/main.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const FIX = join(root, 'test/fixtures/bad-input')
const MODULES = join(FIX, 'modules')
const TRACES = join(FIX, 'traces')
const RESULTS = join(FIX, 'results')
const MINISTAT = join(FIX, 'ministat')
const scratch = mkdtempSync(join(tmpdir(), 'gntbench-corpus-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface Case {
  readonly name: string
  /** The command line; `dir` is the case's own empty directory (after setup). */
  readonly argv: (dir: string) => string[]
  readonly setup?: (dir: string) => void
  /** Exit status, or the signal the process died of. */
  readonly exit: number | NodeJS.Signals
  /** The one stderr line (null: stderr must be empty). */
  readonly stderr: RegExp | null
  /** More lines of a documented form (ministat's usage block): how many in all. */
  readonly lines?: number
  readonly via?: 'process'
  readonly env?: Readonly<Record<string, string>>
  /** For a signal case: when to send which signal to the launcher. */
  readonly signal?: { readonly send: NodeJS.Signals; readonly when: (dir: string, stderr: string) => boolean }
}

interface Outcome {
  readonly exit: number | NodeJS.Signals
  readonly stdout: string
  readonly stderr: string
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Exactly `text` as a whole line. */
function line(text: string): RegExp {
  return new RegExp(`^${escapeRe(text)}$`)
}

function module(name: string): string {
  return join(MODULES, name)
}

function trace(name: string): string {
  return join(TRACES, name)
}

/** A copy of the tiny results fixture with `change` applied, written to dir/r.json. */
function mutated(change: (data: Record<string, unknown> & { cells: Record<string, unknown>[]; blocks: Record<string, unknown>[] }) => void): (dir: string) => void {
  return (dir) => {
    const data = JSON.parse(readFileSync(join(RESULTS, 'tiny.json'), 'utf8')) as Record<string, unknown> & { cells: Record<string, unknown>[]; blocks: Record<string, unknown>[] }
    change(data)
    writeFileSync(join(dir, 'r.json'), JSON.stringify(data))
  }
}

function cell(data: { cells: Record<string, unknown>[] }, i: number): Record<string, unknown> {
  return data.cells[i] as Record<string, unknown>
}

function isolate(data: { cells: Record<string, unknown>[] }, c: number, i: number): Record<string, unknown> {
  return (cell(data, c)['isolates'] as Record<string, unknown>[])[i] as Record<string, unknown>
}

const QUICK_RUN = ['run', '--quick', '--sizes', '8', '--ops', '40']

const cases: Case[] = [
  // ---- flags ---------------------------------------------------------------------------------
  { name: 'bare gntbench: the usage, on stderr', argv: () => [], exit: 2, stderr: /^usage: gntbench <command> \[options\]$/, lines: 16 },
  { name: 'an unknown command', argv: () => ['frobnicate'], exit: 2, stderr: line("gntbench: unknown command 'frobnicate' (try 'gntbench --help')") },
  { name: 'run: an unknown option', argv: () => ['run', '--bogus'], exit: 2, stderr: line("gntbench run: unknown option '--bogus' (see 'gntbench run --help')") },
  { name: 'run: --seed -1', argv: () => ['run', '--seed', '-1'], exit: 2, stderr: line("gntbench run: --seed must be an integer in [0, 4294967295], got '-1'") },
  { name: 'run: --seed=-1', argv: () => ['run', '--seed=-1'], exit: 2, stderr: line("gntbench run: --seed must be an integer in [0, 4294967295], got '-1'") },
  { name: 'run: --replicates -1 (the old flag)', argv: () => ['run', '--replicates', '-1'], exit: 2, stderr: line("gntbench run: unknown option '--replicates' (see 'gntbench run --help')") },
  { name: 'run: --isolates -3', argv: () => ['run', '--isolates', '-3'], exit: 2, stderr: line("gntbench run: --isolates must be an integer in [3, 1000], got '-3'") },
  { name: 'run: --sizes -1', argv: () => ['run', '--sizes', '-1'], exit: 2, stderr: /^gntbench run: --sizes must be an integer in \[1, 1048576\], got '-1'$/ },
  { name: 'run: --sizes 64,,8', argv: () => ['run', '--sizes', '64,,8'], exit: 2, stderr: /^gntbench run: --sizes takes a comma-separated list without empty items/ },
  { name: 'run: --ops 0', argv: () => ['run', '--ops', '0'], exit: 2, stderr: /^gntbench run: --ops must be an integer in \[1, 10000000\], got '0'$/ },
  { name: 'run: --ops beyond its bound', argv: () => ['run', '--ops', '99999999999'], exit: 2, stderr: /^gntbench run: --ops must be an integer in \[1, 10000000\]/ },
  { name: 'run: --seed 2^32', argv: () => ['run', '--seed', '4294967296'], exit: 2, stderr: /^gntbench run: --seed must be an integer in \[0, 4294967295\], got '4294967296'$/ },
  { name: 'run: --seed 1e3', argv: () => ['run', '--seed', '1e3'], exit: 2, stderr: /^gntbench run: --seed must be an integer .* got '1e3'$/ },
  { name: 'run: --margin -5', argv: () => ['run', '--margin', '-5'], exit: 2, stderr: /^gntbench run: --margin must be a number in \[0\.1, 100\], got '-5'$/ },
  { name: 'run: --sample-ms -inf', argv: () => ['run', '--sample-ms', '-inf'], exit: 2, stderr: /^gntbench run: --sample-ms must be a number .* got '-inf'$/ },
  { name: 'run: --workload nope', argv: () => ['run', '--workload', 'nope'], exit: 2, stderr: /^gntbench run: --workload: unknown workload 'nope'/ },
  { name: 'run: --strategy avl', argv: () => ['run', '--strategy', 'avl'], exit: 2, stderr: /^gntbench run: --strategy: unknown strategy 'avl'/ },
  { name: 'run: --baseline avl', argv: () => ['run', '--baseline', 'avl'], exit: 2, stderr: /^gntbench run: --baseline: unknown strategy 'avl'/ },
  { name: 'run: --confidence 100', argv: () => ['run', '--confidence', '100'], exit: 2, stderr: /^gntbench run: --confidence must be a percentage in \(0, 100\)/ },
  { name: 'run: --name with a path', argv: () => ['run', '--name', '../x'], exit: 2, stderr: /^gntbench run: --name must be letters/ },
  { name: 'run: a stray argument', argv: () => ['run', 'extra'], exit: 2, stderr: line("gntbench run: unexpected argument 'extra' (see 'gntbench run --help')") },
  { name: 'run: --isolation thread', argv: () => ['run', '--isolation', 'thread'], exit: 2, stderr: /^gntbench run: --isolation must be 'worker' or 'process'/ },
  { name: 'run: --engine rust', argv: () => ['run', '--engine', 'rust'], exit: 2, stderr: line("gntbench run: --engine must be 'js', 'native' or 'both', got 'rust'") },
  { name: 'run: --out followed by a dashed word', argv: () => ['run', '--out', '-x'], exit: 2, stderr: line('gntbench run: --out needs a value; to give one that starts with a dash, write --out=-x') },
  { name: 'run: --isolates with no value', argv: () => ['run', '--isolates'], exit: 2, stderr: line('gntbench run: --isolates needs a value') },
  { name: 'run: --json=yes', argv: () => ['run', '--json=yes'], exit: 2, stderr: line('gntbench run: --json takes no value') },
  { name: 'run: --gc-before-sample huge', argv: () => ['run', '--gc-before-sample', 'huge'], exit: 2, stderr: /^gntbench run: --gc-before-sample must be one of none, minor, major/ },
  { name: 'run: --budget 0', argv: () => ['run', '--budget', '0'], exit: 2, stderr: /^gntbench run: --budget must be a number in \[1, / },
  { name: 'run: --offset-space 10', argv: () => ['run', '--offset-space', '10'], exit: 2, stderr: /^gntbench run: --offset-space must be an integer in \[64, / },
  { name: 'sweep: --sizes -1', argv: () => ['sweep', '--sizes', '-1'], exit: 2, stderr: /^gntbench sweep: --sizes .*'-1'/ },
  { name: 'sweep: an outcome workload', argv: () => ['sweep', '--workload', 'wrap'], exit: 2, stderr: /^gntbench sweep: --workload: 'wrap' is not timed/ },
  { name: 'calibrate: --trials -1', argv: () => ['calibrate', '--trials', '-1'], exit: 2, stderr: /^gntbench calibrate: --trials must be an integer in \[1, 1000000\], got '-1'$/ },
  { name: 'calibrate: --strategy avl', argv: () => ['calibrate', '--strategy', 'avl'], exit: 2, stderr: /^gntbench calibrate: --strategy: unknown strategy 'avl'/ },
  { name: 'record: --size -1', argv: () => ['record', '--workload', 'churn', '--size', '-1'], exit: 2, stderr: line("gntbench record: --size must be an integer in [1, 262144], got '-1'") },
  { name: 'record: --size beyond its bound (no V8 out-of-memory)', argv: () => ['record', '--workload', 'churn', '--size', '100000000'], exit: 2, stderr: line("gntbench record: --size must be an integer in [1, 262144], got '100000000'") },
  { name: 'record: --ops beyond its bound', argv: () => ['record', '--workload', 'churn', '--size', '4', '--ops', '2000001'], exit: 2, stderr: line("gntbench record: --ops must be an integer in [1, 2000000], got '2000001'") },
  { name: 'record: --ops 0 (nothing to time)', argv: () => ['record', '--workload', 'churn', '--size', '4', '--ops', '0'], exit: 2, stderr: line("gntbench record: --ops must be an integer in [1, 2000000], got '0'") },
  { name: 'record: --seed -5', argv: () => ['record', '--workload', 'churn', '--size', '4', '--seed', '-5'], exit: 2, stderr: line("gntbench record: --seed must be an integer in [0, 4294967295], got '-5'") },
  { name: 'record: no --workload', argv: () => ['record', '--size', '4'], exit: 2, stderr: /^gntbench record: --workload is required/ },
  { name: 'record: no --size', argv: () => ['record', '--workload', 'churn'], exit: 2, stderr: line('gntbench record: --size is required') },
  { name: 'record: an unknown workload', argv: () => ['record', '--workload', 'nosuch', '--size', '4'], exit: 2, stderr: /^gntbench record: unknown workload 'nosuch'/ },
  { name: 'record: a stray argument', argv: () => ['record', '--workload', 'churn', '--size', '4', 'extra'], exit: 2, stderr: /^gntbench record: unexpected argument 'extra'/ },
  { name: 'record: --ops given twice', argv: () => ['record', '--workload', 'churn', '--size', '4', '--ops', '5', '--ops', '6'], exit: 2, stderr: line("gntbench record: option '--ops' given twice") },
  { name: 'list: a stray argument', argv: () => ['list', 'extra'], exit: 2, stderr: line("gntbench list: unexpected argument 'extra' (list takes no arguments; see 'gntbench list --help')") },
  { name: 'list: an unknown option', argv: () => ['list', '--bogus'], exit: 2, stderr: line("gntbench list: unknown option '--bogus' (try 'gntbench list --help')") },
  { name: 'check nope: not blamed on --strategy', argv: () => ['check', 'nope'], exit: 2, stderr: /^gntbench check: MODULE 'nope' is neither a module file \(a path such as \.\/nope\.ts\) nor a registered strategy: unknown strategy 'nope'/ },
  { name: 'check: no MODULE', argv: () => ['check'], exit: 2, stderr: line("gntbench check: missing MODULE (try 'gntbench check --help')") },
  { name: 'check: a stray argument', argv: () => ['check', 'rbtree', 'extra'], exit: 2, stderr: line("gntbench check: unexpected argument 'extra'") },
  { name: 'check: --streams 0', argv: () => ['check', 'rbtree', '--streams', '0'], exit: 2, stderr: line("gntbench check: --streams must be an integer in [1, 100000], got '0'") },
  { name: 'check: --seed -1', argv: () => ['check', 'rbtree', '--seed', '-1'], exit: 2, stderr: line("gntbench check: --seed must be an integer in [0, 4294967295], got '-1'") },
  { name: 'replay: no TRACE', argv: () => ['replay'], exit: 2, stderr: line("gntbench replay: missing TRACE (try 'gntbench replay --help')") },
  { name: 'replay: two TRACEs', argv: () => ['replay', 'a', 'b'], exit: 2, stderr: line("gntbench replay: unexpected argument 'b'") },
  { name: 'replay: --isolates -1', argv: () => ['replay', trace('map-side.trace'), '--isolates', '-1'], exit: 2, stderr: line("gntbench replay: --isolates must be an integer ≥ 3, got '-1'") },
  { name: 'replay: --strategy with an empty name', argv: () => ['replay', trace('map-side.trace'), '--strategy', 'list,,rbtree'], exit: 2, stderr: line("--strategy: empty name in 'list,,rbtree'") },
  { name: 'compare: one file', argv: () => ['compare', 'a.json'], exit: 2, stderr: line('gntbench compare: needs two results files, OLD.json NEW.json (got 1)') },
  { name: 'compare: --confidence 0', argv: () => ['compare', '--confidence', '0', 'a', 'b'], exit: 2, stderr: /^gntbench compare: --confidence must be a percentage in \(0, 100\)/ },
  { name: 'report: no file', argv: () => ['report'], exit: 2, stderr: line('gntbench report: needs one results file (got 0)') },
  { name: 'report: --format pdf', argv: () => ['report', 'x.json', '--format', 'pdf'], exit: 2, stderr: line("gntbench report: --format must be 'text' or 'md', got 'pdf'") },
  { name: 'report: --table foo', argv: () => ['report', 'x.json', '--table', 'foo'], exit: 2, stderr: line("gntbench report: --table must be 'answer', got 'foo'") },
  { name: 'a flag value with an escape sequence is shown escaped', argv: () => ['run', '--workload', 'churn\u001b[2J'], exit: 2, stderr: /^gntbench run: --workload: unknown workload 'churn\\x1b\[2J'/ },

  // ---- paths ---------------------------------------------------------------------------------
  { name: 'report: a missing file', argv: (d) => ['report', join(d, 'missing.json')], exit: 2, stderr: /^gntbench report: .*missing\.json: cannot read \(ENOENT\)$/ },
  { name: 'report: a directory', argv: (d) => ['report', d], exit: 2, stderr: /^gntbench report: .*: cannot read \(EISDIR\)$/ },
  { name: 'compare: a missing OLD file', argv: (d) => ['compare', join(d, 'old.json'), join(RESULTS, 'tiny.json')], exit: 2, stderr: /^gntbench compare: .*old\.json: cannot read \(ENOENT\)$/ },
  { name: 'replay: a missing trace', argv: (d) => ['replay', join(d, 'missing.trace')], exit: 2, stderr: /missing\.trace: cannot read trace: no such file$/ },
  { name: 'replay: a directory as the trace', argv: (d) => ['replay', d], exit: 2, stderr: /: cannot read trace: is a directory$/ },
  { name: 'record -o into a missing directory', argv: (d) => ['record', '--workload', 'churn', '--size', '4', '-o', join(d, 'no', 'x.trace')], exit: 2, stderr: /x\.trace: cannot write: no such directory$/ },
  {
    name: 'record -o an existing file: kept as it was',
    setup: (d) => writeFileSync(join(d, 'keep.trace'), 'precious\n'),
    argv: (d) => ['record', '--workload', 'churn', '--size', '4', '-o', join(d, 'keep.trace')],
    exit: 2,
    stderr: /keep\.trace already exists \(use --force to overwrite it\)$/,
  },
  {
    name: 'record -o under a file (a parent that is not a directory)',
    setup: (d) => writeFileSync(join(d, 'file'), 'x'),
    argv: (d) => ['record', '--workload', 'churn', '--size', '4', '-o', join(d, 'file', 'x.trace')],
    exit: 2,
    stderr: /x\.trace: cannot write: not a directory$/,
  },
  {
    name: 'run --out a file',
    setup: (d) => writeFileSync(join(d, 'file'), 'x'),
    argv: (d) => [...QUICK_RUN, '--workload', 'churn', '--strategy', 'list', '--out', join(d, 'file')],
    exit: 2,
    stderr: /^gntbench run: .*file: cannot use as the output directory: not a directory$/,
  },
  {
    name: 'run: a name another run holds',
    setup: (d) => writeFileSync(join(d, '.held.lock'), '1\n'),
    argv: (d) => [...QUICK_RUN, '--workload', 'churn', '--strategy', 'list', '--out', d, '--name', 'held'],
    exit: 2,
    stderr: /^gntbench run: .*\.held\.lock: another run is writing 'held'/,
  },
  {
    name: 'run: an existing result without --force',
    setup: (d) => {
      writeFileSync(join(d, 'old.json'), '{}\n')
      writeFileSync(join(d, 'old.md'), '# old\n')
    },
    argv: (d) => [...QUICK_RUN, '--workload', 'churn', '--strategy', 'list', '--out', d, '--name', 'old'],
    exit: 2,
    stderr: /^gntbench run: .*old\.json already exists \(use --force/,
  },
  { name: 'run: a name too long for the file system', argv: (d) => [...QUICK_RUN, '--workload', 'churn', '--strategy', 'list', '--out', d, '--name', 'n'.repeat(250)], exit: 2, stderr: /the name is too long for this file system$/ },
  {
    name: 'sweep --out a file',
    setup: (d) => writeFileSync(join(d, 'file'), 'x'),
    argv: (d) => ['sweep', '--quick', '--workload', 'churn', '--strategy', 'list', '--sizes', '8', '--out', join(d, 'file')],
    exit: 2,
    stderr: /^gntbench sweep: .*file: cannot use as the output directory: not a directory$/,
  },
  {
    name: 'calibrate --out a file',
    setup: (d) => writeFileSync(join(d, 'file'), 'x'),
    argv: (d) => ['calibrate', '--trials', '1', '--out', join(d, 'file')],
    exit: 2,
    stderr: /^gntbench calibrate: .*file: cannot use as the output directory: not a directory$/,
  },
  {
    name: 'check -o an existing file: refused before the suite runs',
    setup: (d) => writeFileSync(join(d, 'out.trace'), 'precious\n'),
    argv: (d) => ['check', 'rbtree', '-o', join(d, 'out.trace')],
    exit: 2,
    stderr: /out\.trace already exists \(use --force to overwrite it\)$/,
  },
  { name: 'check: a missing module file', argv: () => ['check', './no/such/module.mjs'], exit: 2, stderr: line('./no/such/module.mjs: no such module file') },
  { name: 'check: a directory as the module', argv: (d) => ['check', `${d}/`], exit: 2, stderr: /: not a file$/ },
  { name: 'a file name with an escape sequence is shown escaped', setup: (d) => writeFileSync(join(d, 'x\u001b[31m.trace'), 'nonsense\n'), argv: (d) => ['replay', join(d, 'x\u001b[31m.trace')], exit: 2, stderr: /x\\x1b\[31m\.trace:1:1: expected header/ },

  // ---- modules -------------------------------------------------------------------------------
  { name: 'module: a JavaScript syntax error at FILE:LINE:COL', via: 'process', setup: (d) => copyFileSync(module('syntax-error.mjs.txt'), join(d, 'broken.mjs')), argv: (d) => ['check', join(d, 'broken.mjs')], exit: 2, stderr: /broken\.mjs:4:20: cannot load: syntax error: Unexpected "," ?|broken\.mjs:4:20: cannot load: syntax error: Expected identifier but found ","$/ },
  { name: 'module: a TypeScript syntax error at FILE:LINE:COL', via: 'process', setup: (d) => {
      writeFileSync(join(d, 'package.json'), '{ "type": "module" }\n')
      copyFileSync(module('syntax-error.ts.txt'), join(d, 'broken.ts'))
    }, argv: (d) => ['check', join(d, 'broken.ts')], exit: 2, stderr: /broken\.ts:4:1: cannot load: syntax error: Expected "\)" but found "}"$/ },
  { name: 'module: its top-level code throws', via: 'process', argv: () => ['check', module('top-level-throw.mjs')], exit: 2, stderr: /top-level-throw\.mjs:3:34: cannot load: its top-level code threw Error: not configured$/ },
  { name: 'module: an import that never settles (time limit)', via: 'process', env: { GNTBENCH_IMPORT_TIMEOUT_MS: '700' }, argv: () => ['check', module('never-settles.mjs')], exit: 2, stderr: /never-settles\.mjs: cannot load: its import did not finish within 700 ms/ },
  { name: 'module: exports neither strategy nor createStrategy', argv: () => ['check', module('no-exports.mjs')], exit: 2, stderr: /no-exports\.mjs: exports neither 'strategy' \(a StrategyEntry\) nor 'createStrategy' \(a StrategyFactory\); found 'answer'$/ },
  { name: 'module: an allocator without free()', argv: () => ['check', module('no-free.mjs')], exit: 2, stderr: /no-free\.mjs: createStrategy\(\) returned an allocator without free\(\)$/ },
  { name: 'module: the name of a built-in', argv: () => ['check', module('impostor.mjs')], exit: 2, stderr: /impostor\.mjs: strategy name 'rbtree' is already registered/ },
  { name: 'check: a method that throws', argv: () => ['check', module('throws-at-once.mjs'), '--streams', '5'], exit: 1, stderr: /^gntbench check: .*throws-at-once\.mjs: allocator\.alloc\(\) threw TypeError: this allocator is broken$/ },
  { name: 'check: NaN offsets', argv: () => ['check', module('nan-offsets.mjs'), '--streams', '5'], exit: 1, stderr: /^gntbench check: .*nan-offsets\.mjs: allocator\.alloc\(\) returned NaN \(expected an integer: a page number ≥ 0 or a negative errno\)$/ },
  { name: 'check: fractional offsets', argv: () => ['check', module('fraction-offsets.mjs'), '--streams', '5'], exit: 1, stderr: /^gntbench check: .*fraction-offsets\.mjs: allocator\.alloc\(\) returned 0\.5 \(expected an integer/ },
  { name: 'check: a factory that throws after loading', argv: () => ['check', module('factory-throws-later.mjs'), '--streams', '5'], exit: 1, stderr: /^gntbench check: .*factory-throws-later\.mjs: strategy\.create\(\) threw RangeError: no more files today$/ },
  { name: 'check: findPage() answers a string', argv: () => ['check', module('find-page-string.mjs'), '--streams', '20'], exit: 1, stderr: /^gntbench check: .*find-page-string\.mjs: grefStore\.findPage\(\) returned the string 'page\?' \(expected a record object or null\)$/ },
  { name: 'check: a method throws a non-Error', argv: () => ['check', module('gmap-remove-throws.mjs'), '--streams', '20'], exit: 1, stderr: /^gntbench check: .*gmap-remove-throws\.mjs: gmapStore\.remove\(\) threw the string 'remove is not implemented'$/ },
  { name: 'check: a throw after 300 calls is a throw', argv: () => ['check', module('throws-later.mjs'), '--streams', '40'], exit: 1, stderr: /^gntbench check: .*throws-later\.mjs: allocator\.alloc\(\) threw Error: out of luck after 300 allocations$/ },
  { name: 'replay: a method that throws, at FILE:LINE:COL', argv: () => ['replay', trace('alloc-side.trace'), '--strategy', `list,${module('throws-at-once.mjs')}`, '--differential-only'], exit: 1, stderr: /^gntbench replay: .*alloc-side\.trace:2:1: 'alloc h0 domid=1 pages=1 writable': .*throws-at-once\.mjs: allocator\.alloc\(\) threw TypeError: this allocator is broken$/ },
  { name: 'replay: NaN offsets', argv: () => ['replay', trace('map-side.trace'), '--strategy', `list,${module('nan-offsets.mjs')}`, '--differential-only'], exit: 1, stderr: /^gntbench replay: .*map-side\.trace:2:1: 'map h0 domid=1 refs=8,9': .*nan-offsets\.mjs: allocator\.alloc\(\) returned NaN/ },
  { name: 'replay: a factory that throws when a lane opens', via: 'process', argv: () => ['replay', trace('map-side.trace'), '--strategy', `list,${module('factory-throws-later.mjs')}`, '--differential-only'], exit: 1, stderr: /^gntbench replay: .*factory-throws-later\.mjs: strategy\.create\(\) threw RangeError: no more files today$/ },
  { name: 'run: a method that throws: caught untimed, not timed, nothing written', argv: (d) => [...QUICK_RUN, '--workload', 'gntshr', '--strategy', `list,${module('throws-at-once.mjs')}`, '--out', d, '--name', 'x'], exit: 1, stderr: /^gntbench run: .*throws-at-once\.mjs: gntshr N=8: setup op 1: 'alloc h0 domid=1 pages=1 writable': allocator\.alloc\(\) threw TypeError: this allocator is broken; not timed$/ },
  { name: 'run: NaN offsets are an error, never a skipped cell', argv: (d) => [...QUICK_RUN, '--workload', 'gntshr', '--strategy', `list,${module('nan-offsets.mjs')}`, '--out', d, '--name', 'x'], exit: 1, stderr: /^gntbench run: .*nan-offsets\.mjs: gntshr N=8: setup op 1: 'alloc h0 domid=1 pages=1 writable': allocator\.alloc\(\) returned NaN .*; not timed$/ },
  { name: 'run: overlapping offsets are caught by the verification pass', argv: (d) => [...QUICK_RUN, '--workload', 'lookup-heavy', '--strategy', 'list,./test/fixtures/strategies/zero-alloc.ts', '--out', d, '--name', 'x'], exit: 1, stderr: /zero-alloc\.ts: lookup-heavy N=8: setup op \d+: disjoint violated: .* overlapping live gref page 0; not timed$/ },
  { name: 'run: a throw mid-run (while timed) is named as a throw', via: 'process', argv: (d) => [...QUICK_RUN, '--workload', 'gntshr', '--strategy', `list,${module('throws-later.mjs')}`, '--out', d, '--name', 'x'], exit: 1, stderr: /^gntbench run: .*throws-later\.mjs: while timing gntshr N=8: allocator\.alloc\(\) threw Error: out of luck after 300 allocations \(found again untimed at .*\)$/ },
  { name: 'run: NaN mid-run (while timed) is named', via: 'process', argv: (d) => [...QUICK_RUN, '--workload', 'gntshr', '--strategy', `list,${module('nan-later.mjs')}`, '--out', d, '--name', 'x'], exit: 1, stderr: /^gntbench run: .*nan-later\.mjs: while timing gntshr N=8: allocator\.alloc\(\) returned NaN/ },
  { name: 'module: top-level code that never ends (time limit, from a worker)', via: 'process', env: { GNTBENCH_IMPORT_TIMEOUT_MS: '700' }, argv: () => ['check', module('loops-at-top.mjs')], exit: 2, stderr: /loops-at-top\.mjs: cannot load: its import did not finish within 700 ms \(top-level code that loops forever, or an await that never settles\?\)$/ },
  { name: 'check: a method that never returns (time limit)', via: 'process', env: { GNTBENCH_CALL_TIMEOUT_MS: '500' }, argv: () => ['check', module('alloc-never-returns.mjs'), '--streams', '5'], exit: 1, stderr: /^gntbench check: .*alloc-never-returns\.mjs: allocator\.alloc\(\) did not return within 500 ms \(a loop that never ends\?\)$/ },
  { name: 'replay: a method that never returns, at FILE:LINE:COL', via: 'process', env: { GNTBENCH_CALL_TIMEOUT_MS: '500' }, argv: () => ['replay', trace('alloc-side.trace'), '--strategy', `list,${module('alloc-never-returns.mjs')}`, '--differential-only'], exit: 1, stderr: /^gntbench replay: .*alloc-side\.trace:2:1: 'alloc h0 domid=1 pages=1 writable': .*alloc-never-returns\.mjs: allocator\.alloc\(\) did not return within 500 ms/ },
  { name: 'run: a method that never returns: caught untimed, not timed', via: 'process', env: { GNTBENCH_CALL_TIMEOUT_MS: '500' }, argv: (d) => [...QUICK_RUN, '--workload', 'gntshr', '--strategy', `list,${module('alloc-never-returns.mjs')}`, '--out', d, '--name', 'x'], exit: 1, stderr: /^gntbench run: .*alloc-never-returns\.mjs: gntshr N=8: allocator\.alloc\(\) did not return within 500 ms \(a loop that never ends\?\); not timed$/ },
  { name: 'run: a method that never returns while timed (worker isolate time limit)', via: 'process', env: { GNTBENCH_ISOLATE_TIMEOUT_MS: '4000' }, argv: (d) => [...QUICK_RUN, '--workload', 'gntshr', '--strategy', `list,${module('loops-when-timed.mjs')}`, '--out', d, '--name', 'x'], exit: 1, stderr: /^gntbench run: .*loops-when-timed\.mjs: gntshr N=8: a timed isolate did not finish within 4 s \(a method that never returns on this round's stream\?\)$/ },
  { name: 'run: a method that never returns while timed (process isolate time limit)', via: 'process', env: { GNTBENCH_ISOLATE_TIMEOUT_MS: '4000' }, argv: (d) => [...QUICK_RUN, '--isolation', 'process', '--workload', 'gntshr', '--strategy', `list,${module('loops-when-timed.mjs')}`, '--out', d, '--name', 'x'], exit: 1, stderr: /^gntbench run: .*loops-when-timed\.mjs: gntshr N=8: a timed isolate did not finish within 4 s/ },
  { name: 'run: a module that does not load', argv: (d) => [...QUICK_RUN, '--workload', 'gntshr', '--strategy', `list,${module('no-exports.mjs')}`, '--out', d], exit: 2, stderr: /no-exports\.mjs: exports neither/ },

  // ---- traces --------------------------------------------------------------------------------
  { name: 'trace: an op on a handle no line created', argv: () => ['replay', trace('undefined-handle.trace')], exit: 2, stderr: /undefined-handle\.trace:4:9: expected a handle that an alloc or map line before created, got 'h1', which no earlier line creates$/ },
  { name: 'trace: a live handle made again', argv: () => ['replay', trace('rebound-handle.trace')], exit: 2, stderr: /rebound-handle\.trace:4:5: expected a handle that is not live, got 'h0', still live from line 2 \(dealloc or unmap it first, or use another\)$/ },
  { name: 'trace: a VMA slot no mmap created', argv: () => ['replay', trace('undefined-vma.trace')], exit: 2, stderr: /undefined-vma\.trace:4:11: expected a VMA slot that an mmap line before created, got 'v1'/ },
  { name: 'trace: a live VMA slot mapped again', argv: () => ['replay', trace('rebound-vma.trace')], exit: 2, stderr: /rebound-vma\.trace:5:6: expected a VMA slot that is not live, got 'v0', still live from line 3 \(munmap it first/ },
  { name: 'trace: no op after measured', argv: () => ['replay', trace('nothing-measured.trace')], exit: 2, stderr: /nothing-measured\.trace:3:1: expected at least one op after 'measured' \(the part that is timed\), got none before the end of the file$/ },
  { name: 'trace: no op at all', argv: () => ['replay', trace('no-ops.trace')], exit: 2, stderr: /no-ops\.trace:2:1: expected at least one op after the header, got none before the end of the file$/ },
  { name: 'trace: an empty file', argv: () => ['replay', trace('empty.trace')], exit: 2, stderr: /empty\.trace:1:1: expected header 'gntbench-trace 1 handles=<n> vmas=<n>', got end of file$/ },
  { name: 'trace: alloc side on linux-gntdev (ENOTTY)', argv: () => ['replay', trace('alloc-side.trace'), '--strategy', 'linux-gntdev', '--differential-only'], exit: 2, stderr: /alloc-side\.trace:2:1: strategy 'linux-gntdev' has no alloc-side ioctls \(IOCTL_GNTALLOC_ALLOC_GREF\/DEALLOC_GREF; it would answer ENOTTY\)/ },
  { name: 'trace: map side on linux-gntalloc', argv: () => ['replay', trace('map-side.trace'), '--strategy', 'list,linux-gntalloc', '--differential-only'], exit: 2, stderr: /map-side\.trace:2:1: strategy 'linux-gntalloc' has no map-side ioctls/ },
  { name: 'trace: both sides, one missing', argv: () => ['replay', trace('both-sides.trace'), '--strategy', 'linux-gntdev'], exit: 2, stderr: /both-sides\.trace:2:1: strategy 'linux-gntdev' has no alloc-side ioctls/ },
  { name: 'trace: an unknown op', argv: () => ['replay', trace('unknown-op.trace')], exit: 2, stderr: /unknown-op\.trace:2:1: expected an op \(alloc, .*\) or measured, got 'allocate'$/ },
  { name: 'trace: a handle beyond the header', argv: () => ['replay', trace('handle-beyond-header.trace')], exit: 2, stderr: /handle-beyond-header\.trace:2:7: expected a handle below h4 \(header handles=4\), got 'h4'$/ },
  { name: 'trace: a negative number', argv: () => ['replay', trace('negative-number.trace')], exit: 2, stderr: /negative-number\.trace:2:24: expected pages=<count> \(a non-negative integer\), got '-3'$/ },
  { name: 'trace: version 2', argv: () => ['replay', trace('version-2.trace')], exit: 2, stderr: /version-2\.trace:1:16: expected version 1, got '2'$/ },
  { name: 'trace: two measured directives', argv: () => ['replay', trace('two-measured.trace')], exit: 2, stderr: /two-measured\.trace:4:1: expected at most one measured directive, got a second one$/ },
  { name: 'trace: not a trace', argv: () => ['replay', trace('not-a-trace.trace')], exit: 2, stderr: /not-a-trace\.trace:1:1: expected header .* got 'hello'$/ },
  { name: 'trace: a domid beyond 16 bits', argv: () => ['replay', trace('domid-too-big.trace')], exit: 2, stderr: /domid-too-big\.trace:2:14: expected domid=<domid> ≤ 65535, got '70000'$/ },
  { name: 'trace: a descending refs range', argv: () => ['replay', trace('descending-refs.trace')], exit: 2, stderr: /descending-refs\.trace:2:21: expected a range lo-hi with lo ≤ hi, got '9-3'$/ },
  { name: 'trace: an unknown notify action', argv: () => ['replay', trace('bad-action.trace')], exit: 2, stderr: /bad-action\.trace:5:25: expected action=clear, event, clear\|event, none or a number, got 'wake'$/ },
  { name: 'trace: escape sequences are shown escaped', setup: (d) => writeFileSync(join(d, 't.trace'), 'gntbench-trace 1 handles=1\n\u001b[31mclose\u001b[0m\n'), argv: (d) => ['replay', join(d, 't.trace')], exit: 2, stderr: /t\.trace:2:1: expected an op .* got '\\x1b\[31mclose\\x1b\[0m'$/ },
  { name: 'trace: a NUL byte is shown escaped', setup: (d) => writeFileSync(join(d, 't.trace'), 'gntbench-trace 1 handles=1\nalloc h0\u0000 domid=1 pages=1 writable\n'), argv: (d) => ['replay', join(d, 't.trace')], exit: 2, stderr: /t\.trace:2:7: expected a handle like h3, got 'h0\\0'$/ },
  { name: 'trace: binary garbage', setup: (d) => writeFileSync(join(d, 't.trace'), Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37) % 256))), argv: (d) => ['replay', join(d, 't.trace')], exit: 2, stderr: /t\.trace:1:\d+: expected header 'gntbench-trace 1 handles=<n> vmas=<n>', got '/ },
  { name: 'trace: a 1 MB word is quoted short', setup: (d) => writeFileSync(join(d, 't.trace'), `gntbench-trace 1 handles=1\n${'x'.repeat(1 << 20)}\n`), argv: (d) => ['replay', join(d, 't.trace')], exit: 2, stderr: /t\.trace:2:1: expected an op .* got 'x{40}…'$/ },
  { name: 'trace: a BOM before the header is accepted', setup: (d) => writeFileSync(join(d, 't.trace'), `\ufeff${readFileSync(trace('map-side.trace'), 'utf8')}`), argv: (d) => ['replay', join(d, 't.trace'), '--differential-only'], exit: 0, stderr: null },
  { name: 'trace: a BOM, then an error on line 2', setup: (d) => writeFileSync(join(d, 't.trace'), '\ufeffgntbench-trace 1 handles=1\nclsoe\n'), argv: (d) => ['replay', join(d, 't.trace')], exit: 2, stderr: /t\.trace:2:1: expected an op .* got 'clsoe'$/ },
  { name: 'trace: a BOM in the middle is shown escaped', setup: (d) => writeFileSync(join(d, 't.trace'), 'gntbench-trace 1 handles=1\n\ufeffclose\n'), argv: (d) => ['replay', join(d, 't.trace')], exit: 2, stderr: /t\.trace:2:1: expected an op .* got '\\ufeffclose'$/ },
  { name: 'trace: CRLF line endings are fine', argv: () => ['replay', trace('crlf-good.trace'), '--differential-only'], exit: 0, stderr: null },
  { name: 'trace: a results file given as a trace', argv: () => ['replay', join(RESULTS, 'tiny.json')], exit: 2, stderr: /tiny\.json:1:1: expected header 'gntbench-trace 1/ },

  // ---- results files -------------------------------------------------------------------------
  { name: 'results: a string where a number belongs', setup: mutated((d) => (cell(d, 0)['size'] = 'eight')), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /^gntbench report: .*r\.json: cells\[0\]\.size: expected a finite number, got "eight"$/ },
  { name: 'results: a string in a component (was a TypeError)', setup: mutated((d) => ((cell(d, 0)['components'] as Record<string, unknown>)['withinPercent'] = 'x')), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[0\]\.components\.withinPercent: expected a finite number ≥ 0, got "x"$/ },
  { name: 'results: a confidence of 0 (was a RangeError)', setup: mutated((d) => ((d['config'] as Record<string, unknown>)['confidence'] = 0)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: config\.confidence: expected a number > 0 and < 100, got 0$/ },
  { name: 'results: isolates below 2 (was a RangeError)', setup: mutated((d) => ((d['config'] as Record<string, unknown>)['isolates'] = -1)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: config\.isolates: expected an integer ≥ 2, got -1$/ },
  { name: 'results: a null value', setup: mutated((d) => ((cell(d, 0)['values'] as unknown[])[1] = null)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[0\]\.values\[1\]: expected a finite number, got null$/ },
  { name: 'results: a negative sample', setup: mutated((d) => ((isolate(d, 0, 0)['samples'] as number[])[0] = -5)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[0\]\.isolates\[0\]\.samples\[0\]: expected a number ≥ 0, got -5$/ },
  { name: 'results: a stored value that is not its isolate mean', setup: mutated((d) => ((cell(d, 0)['values'] as number[])[0] = ((cell(d, 0)['values'] as number[])[0] as number) * 2)), argv: (d) => ['compare', join(RESULTS, 'tiny.json'), join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[0\]\.values\[0\]: expected isolates\[0\]\.mean \([\d.]+\), got [\d.]+$/ },
  { name: 'results: an isolate mean that is not the mean of its samples', setup: mutated((d) => (isolate(d, 1, 2)['mean'] = 1)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[1\]\.isolates\[2\]\.mean: expected the mean of its samples \([\d.]+\), got 1$/ },
  { name: 'results: a summary mean that is not the mean of the values', setup: mutated((d) => ((cell(d, 0)['summary'] as Record<string, unknown>)['mean'] = 1)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[0\]\.summary\.mean: expected the mean of values \([\d.]+\), got 1$/ },
  { name: 'results: summary.n that is not the number of values', setup: mutated((d) => ((cell(d, 0)['summary'] as Record<string, unknown>)['n'] = 9)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[0\]\.summary\.n: expected the number of values \(3\), got 9$/ },
  { name: 'results: GC records that do not match the samples', setup: mutated((d) => (isolate(d, 0, 0)['gcMs'] = [0])), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[0\]\.isolates\[0\]\.gcMs: expected one entry per sample \(\d+\), got "1 entries"$/ },
  { name: 'results: a ratio outside its interval', setup: mutated((d) => (((d.blocks[0] as Record<string, unknown>)['comparisons'] as Record<string, unknown>[])[0] as Record<string, unknown>)['ratio'] = 1e6), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: blocks\[0\]\.comparisons\[0\]\.ratio: expected inside its interval/ },
  { name: 'results: a p-value above 1', setup: mutated((d) => (((d.blocks[0] as Record<string, unknown>)['comparisons'] as Record<string, unknown>[])[0] as Record<string, unknown>)['p'] = 3), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: blocks\[0\]\.comparisons\[0\]\.p: expected a number ≥ 0 and ≤ 1, got 3$/ },
  { name: 'results: an unknown isolation', setup: mutated((d) => ((d['config'] as Record<string, unknown>)['isolation'] = 'thread')), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: config\.isolation: expected 'worker' \| 'process' \| 'inline', got "thread"$/ },
  { name: 'results: a date that is not a date', setup: mutated((d) => ((d['environment'] as Record<string, unknown>)['date'] = 'yesterday')), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: environment\.date: expected an ISO 8601 date, got "yesterday"$/ },
  { name: 'results: an outcome count that is a string', setup: mutated((d) => (cell(d, 2)['overlaps'] = '0')), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: cells\[2\]\.overlaps: expected an integer ≥ 0, got "0"$/ },
  { name: 'results: schema version 1', setup: mutated((d) => (d['schemaVersion'] = 1)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: schemaVersion: 1 is the old design/ },
  { name: 'results: schema version 3', setup: mutated((d) => (d['schemaVersion'] = 3)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: schemaVersion: expected 2, got 3$/ },
  { name: 'results: a sweep file', setup: (d) => writeFileSync(join(d, 's.json'), JSON.stringify({ schemaVersion: 2, tool: 'gntbench', kind: 'sweep', name: 'sweep' })), argv: (d) => ['compare', join(d, 's.json'), join(RESULTS, 'tiny.json')], exit: 2, stderr: /s\.json: a sweep file \(kind 'sweep'\), not the results of gntbench run/ },
  { name: 'results: a calibration file', setup: (d) => writeFileSync(join(d, 'c.json'), JSON.stringify({ schemaVersion: 2, tool: 'gntbench', kind: 'calibration' })), argv: (d) => ['report', join(d, 'c.json')], exit: 2, stderr: /c\.json: name: expected a string, got missing$/ },
  { name: 'results: not JSON', setup: (d) => writeFileSync(join(d, 'r.json'), 'not json at all\n'), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: not JSON \(/ },
  { name: 'results: an empty file', setup: (d) => writeFileSync(join(d, 'r.json'), ''), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: not JSON \(/ },
  { name: 'results: truncated', setup: (d) => writeFileSync(join(d, 'r.json'), readFileSync(join(RESULTS, 'tiny.json'), 'utf8').slice(0, 500)), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: not JSON \(/ },
  { name: 'results: a JSON array', setup: (d) => writeFileSync(join(d, 'r.json'), '[1, 2]'), argv: (d) => ['report', join(d, 'r.json')], exit: 2, stderr: /r\.json: result: expected an object, got \[1,2\]$/ },
  { name: 'results: a BOM before the JSON is accepted', setup: (d) => writeFileSync(join(d, 'r.json'), `\ufeff${readFileSync(join(RESULTS, 'tiny.json'), 'utf8')}`), argv: (d) => ['report', join(d, 'r.json'), '--table', 'answer'], exit: 0, stderr: null },
  { name: 'compare: no cell in common', argv: () => ['compare', join(RESULTS, 'tiny.json'), join(RESULTS, 'other-cells.json')], exit: 2, stderr: /have no cell in common \(nothing to compare\)$/ },
  { name: 'compare --fail-on-regression: no timed cell in common', argv: () => ['compare', '--fail-on-regression', join(RESULTS, 'tiny.json'), join(RESULTS, 'wrap-only.json')], exit: 2, stderr: /have no timed cell in common, so --fail-on-regression has nothing to check$/ },
  { name: 'report --transfer: a bad file', setup: mutated((d) => (d['tool'] = 'other')), argv: (d) => ['report', join(RESULTS, 'tiny.json'), '--transfer', join(d, 'r.json')], exit: 2, stderr: /^gntbench report: --transfer: .*r\.json: tool: expected 'gntbench', got "other"$/ },

  // ---- ministat data (ministat's own statuses and forms) ---------------------------------------
  { name: 'ministat: NaN in the plot (exit 139 like ministat, one line why)', argv: () => ['ministat', join(MINISTAT, 'a.txt'), join(MINISTAT, 'nan.txt')], exit: 139, stderr: /^ministat: exit status 139 like ministat 20150715, which dies here with SIGSEGV \(a NaN or ±inf value/ },
  { name: 'ministat: inf in the plot', argv: () => ['ministat', join(MINISTAT, 'a.txt'), join(MINISTAT, 'inf.txt')], exit: 139, stderr: /^ministat: exit status 139 like ministat 20150715/ },
  { name: 'ministat: -inf in the plot', argv: () => ['ministat', join(MINISTAT, 'a.txt'), join(MINISTAT, 'minus-inf.txt')], exit: 139, stderr: /^ministat: exit status 139 like ministat 20150715/ },
  { name: 'ministat: a value beyond double (1e400 = inf)', argv: () => ['ministat', join(MINISTAT, 'overflow.txt'), join(MINISTAT, 'a.txt')], exit: 139, stderr: /^ministat: exit status 139 like ministat 20150715/ },
  { name: 'ministat: a plot 1 column wide', argv: () => ['ministat', '-w', '1', join(MINISTAT, 'a.txt')], exit: 139, stderr: /^ministat: exit status 139 like ministat 20150715/ },
  { name: 'ministat: -n avoids the crash', argv: () => ['ministat', '-n', join(MINISTAT, 'a.txt'), join(MINISTAT, 'nan.txt')], exit: 0, stderr: null },
  { name: 'ministat: --exact avoids the crash', argv: () => ['ministat', '--exact', join(MINISTAT, 'a.txt'), join(MINISTAT, 'nan.txt')], exit: 0, stderr: null },
  { name: 'ministat: a bad token', argv: () => ['ministat', join(MINISTAT, 'bad-token.txt')], exit: 2, stderr: /^ministat: Invalid data on line 3 in .*bad-token\.txt$/ },
  { name: 'ministat: one value', argv: () => ['ministat', join(MINISTAT, 'one-value.txt')], exit: 2, stderr: /^Dataset .*one-value\.txt must contain at least 3 data points$/ },
  { name: 'ministat: an empty file', argv: () => ['ministat', join(MINISTAT, 'empty.txt')], exit: 2, stderr: /^Dataset .*empty\.txt must contain at least 3 data points$/ },
  { name: 'ministat: a missing file', argv: (d) => ['ministat', join(d, 'missing.txt')], exit: 1, stderr: /^ministat: Cannot open .*missing\.txt: No such file or directory$/ },
  { name: 'ministat: a column that is not there', argv: () => ['ministat', '-C', '3', join(MINISTAT, 'two-columns.txt')], exit: 2, stderr: /^Dataset .*two-columns\.txt must contain at least 3 data points$/ },
  { name: 'ministat: an unsupported confidence (usage form)', argv: () => ['ministat', '-c', '42', join(MINISTAT, 'a.txt')], exit: 2, stderr: /^No support for confidence level$/, lines: 9 },
  { name: 'ministat: eight datasets (usage form)', argv: () => ['ministat', ...Array.from({ length: 8 }, () => join(MINISTAT, 'a.txt'))], exit: 2, stderr: /^Too many datasets\.$/, lines: 9 },

  // ---- signals (sent to the launcher's PID) --------------------------------------------------
  {
    name: 'SIGINT while record -o writes: no temporary file, no output, exit by SIGINT',
    via: 'process',
    argv: (d) => ['record', '--workload', 'churn', '--size', '50000', '--ops', '600000', '-o', join(d, 'big.trace')],
    signal: { send: 'SIGINT', when: (d) => readdirSync(d).some((name) => name.startsWith('.tmp-')) },
    exit: 'SIGINT',
    stderr: null,
  },
  {
    name: 'SIGTERM while check runs with -o: nothing written, exit by SIGTERM',
    via: 'process',
    argv: (d) => ['check', 'rbtree', '--streams', '100000', '--progress', '-o', join(d, 'counterexample.trace')],
    signal: { send: 'SIGTERM', when: (_d, stderr) => stderr.includes('gntbench check: [1/3]') },
    exit: 'SIGTERM',
    stderr: /^gntbench check: \[1\/3\] invariants: /,
  },
]

/** Every file under `dir` with a hash of its contents. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.set(relative(dir, path), createHash('sha1').update(readFileSync(path)).digest('hex'))
    }
  }
  walk(dir)
  return files
}

/** Lines of the documented progress form (run, sweep, calibrate print it whatever stderr is). */
const PROGRESS = /^gntbench (run|sweep|calibrate)( \(\w+\))?: \[\d+\/\d+\] /

async function inProcess(argv: string[]): Promise<Outcome> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTty: false,
    cwd: root,
    env: {},
    readStdin: async () => new Uint8Array(0),
  }
  const exit = await runCliCaught(argv, io)
  return { exit, stdout, stderr }
}

function asProcess(c: Case, argv: string[], dir: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/gntbench.js'), ...argv], { cwd: root, env: { ...process.env, ...c.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let sent = false
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    const poll =
      c.signal === undefined
        ? null
        : setInterval(() => {
            if (!sent && c.signal !== undefined && c.signal.when(dir, stderr)) {
              sent = true
              child.kill(c.signal.send)
            }
          }, 10)
    child.on('close', (code, signal) => {
      if (poll !== null) clearInterval(poll)
      resolve({ exit: signal ?? code ?? -1, stdout, stderr })
    })
  })
}

describe('the bad-input corpus', () => {
  it('has at least 100 cases, each with a unique name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100)
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length)
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = join(scratch, String(cases.indexOf(c)))
    mkdirSync(dir, { recursive: true })
    c.setup?.(dir)
    const before = snapshot(dir)
    const argv = c.argv(dir)
    const outcome = c.via === 'process' ? await asProcess(c, argv, dir) : await inProcess(argv)

    expect(outcome.exit, outcome.stderr).toBe(c.exit)
    expect(outcome.stderr).not.toMatch(/^\s+at /m)
    const lines = outcome.stderr.split('\n').filter((l) => l !== '' && !PROGRESS.test(l) && !/: warning: busy machine/.test(l))
    if (c.stderr === null) expect(lines).toEqual([])
    else {
      // The signal case's line is a progress line (whatever came before the signal): one or more.
      if (c.signal === undefined) expect(lines, outcome.stderr).toHaveLength(c.lines ?? 1)
      expect(lines[0], outcome.stderr).toMatch(c.stderr)
    }
    // Nothing lost, changed or left behind (temporary files, locks, half-written outputs).
    const after = snapshot(dir)
    expect([...after.keys()].filter((name) => name.endsWith('.tmp') || name.endsWith('.lock') || name.includes('.tmp-'))).toEqual(
      [...before.keys()].filter((name) => name.endsWith('.lock')),
    )
    expect(after).toEqual(before)
  })
})
