// `gntbench replay TRACE`: replays a trace (workloads/trace-format.ts) on several strategies.
// First the differential pass: every strategy runs the whole trace in lockstep while it is read
// (constant memory), and the first line where two strategies that must agree do not is printed
// with both answers (exit 1). Then, unless --differential-only, the timed pass (replay-timed.ts).

import { DEFAULT_RUN } from '../runner/plan.js'
import { engineValue, integerOption, onlyPositional, optionValue, parseOptions } from './options.js'
import { progressReporter, progressWanted } from './progress.js'
import { estimateLeft } from '../runner/time-left.js'
import type { ProgressEvent } from './progress.js'
import { strategyEntries } from '../strategies/registry.js'
import { resolveStrategyList } from '../strategies/load-module.js'
import type { ResolvedStrategy } from '../strategies/load-module.js'
import { formatOp } from '../workloads/trace-format.js'
import type { DifferentialResult } from '../verify/trace-differential.js'
import { replayDifferential } from '../verify/trace-differential.js'
import type { TraceScan } from '../workloads/trace-scan.js'
import { firstOpOfSide, scanTrace, sidesOf, strategyOptionsOf } from '../workloads/trace-scan.js'
import { debugDetail } from './debug.js'
import { escapeUnprintable, UsageError } from '../errors.js'
import { measuringFailure } from './fault-report.js'
import type { CliIo } from './main.js'
import { nativeBuildRecord } from './native-build.js'
import { timeTrace } from './replay-timed.js'
import type { TimedReplayOptions, TimedReplayResult } from './replay-timed.js'


/** The generic strategies every replay includes by default (registry.ts). */
const GENERIC = ['list', 'rbtree', 'rangeset']
const DEFAULT_SEED = 1
const COMMAND = 'gntbench replay'

const USAGE = [
  'usage: gntbench replay TRACE [--strategy a,b,…] [--isolates I] [--seed S] [--engine E] [--json]',
  '                             [--differential-only] [--progress]',
  '',
  'Replays TRACE (written by gntbench record, or by hand) on several strategies. The',
  'differential pass runs every strategy over the whole trace in lockstep and stops at the',
  'first line where two strategies whose semantics agree give different answers (exit 1).',
  'Then the measured part is timed as `gntbench run` times a cell (I rounds of a fresh isolate',
  'per strategy, interleaved) and reported ministat-style with ratio intervals.',
  '',
  'options:',
  '  --strategy a,b,…     strategies to compare, the first is the baseline; a name, a spec',
  '                       such as list+bump or freebsd:exact-compare, or a module path',
  '                       (./my-strategy.ts). Default: list, rbtree, rangeset and every',
  '                       preset whose device supports the ops of the trace.',
  `  --isolates I         rounds of fresh isolates per strategy, ≥ 3 (default ${DEFAULT_RUN.isolates})`,
  `  --seed S             seed of the interleaving order (default ${DEFAULT_SEED})`,
  '  --engine E           who runs the timed pass: js (the TS model in V8, default), native',
  "                       (the trace's op stream in the C engine of native/, built with the",
  '                       system cc on first use; one process per round, strategies interleaved),',
  '                       or both (each strategy twice, as <spec>@js and <spec>@native, one',
  '                       block per engine).',
  '                       The differential pass is the TS model either way; a strategy the C',
  '                       engine does not model (an outside module) is skipped with the reason.',
  '  --json               print the result as JSON',
  '  --differential-only  skip the timed pass',
  '  --progress           progress on stderr (pass, round, strategy, estimate) even when stderr',
  '                       is not a terminal (on a terminal it is always shown)',
  '  --debug              with an outside module that fails, its stack after the one line',
  '',
  'Exit status: 0 every strategy agreed (and was timed); 1 a mismatch between strategies, an',
  'outside module that threw or answered NaN, or a problem while timing; 2 a bad option, a',
  'trace that does not parse (FILE:LINE:COL), a strategy without the ioctl family the trace',
  'uses, or a module that does not load (within 10 s, or GNTBENCH_IMPORT_TIMEOUT_MS).',
  'An outside method that does not return within 60 s (GNTBENCH_CALL_TIMEOUT_MS) is stopped and',
  'named at its line (status 1); a timed isolate gets 300 s (GNTBENCH_ISOLATE_TIMEOUT_MS).',
  '',
].join('\n')

/** Overrides for tests: a shorter timed pass, isolates inline. */
export type ReplayTestHooks = TimedReplayOptions['overrides']

export async function main(argv: string[], io: CliIo, hooks: ReplayTestHooks = {}): Promise<number> {
  const parsed = parseOptions('gntbench replay', argv, {
    strategy: { value: true, repeat: true },
    isolates: { value: true },
    seed: { value: true },
    engine: { value: true },
    json: { value: false },
    'differential-only': { value: false },
    progress: { value: false },
    help: { value: false, short: 'h' },
  })
  if (parsed.flags.has('help')) {
    io.stdout(USAGE)
    return 0
  }
  const file = onlyPositional(COMMAND, parsed, 'TRACE')
  const isolates = integerOption('gntbench replay', parsed, 'isolates', DEFAULT_RUN.isolates, 3)
  const seed = integerOption('gntbench replay', parsed, 'seed', DEFAULT_SEED, 0, 0xffff_ffff)
  const json = parsed.flags.has('json')
  const cwd = io.cwd ?? process.cwd()
  const engine = engineValue('gntbench replay', optionValue(parsed, 'engine'))
  const differentialOnly = parsed.flags.has('differential-only')
  // The C engine is built before anything runs: without cc or libbsd, one line and exit 2.
  const native = differentialOnly ? null : nativeBuildRecord('gntbench replay', engine)

  // Syntax first: a malformed trace is exit 2 before any strategy runs or anything is printed.
  const scan = await scanTrace(file)
  const explicit = parsed.values.get('strategy')
  const strategies = explicit === undefined ? await defaultStrategies(scan) : await resolveStrategyList(explicit, cwd)
  try {
    checkSides(file, scan, strategies)
  } catch (error) {
    return reportFailure(io, error)
  }

  const timedToo = !differentialOnly
  const report = progressWanted(io, parsed.flags.has('progress')) ? progressReporter(io, COMMAND) : null
  const groups = timedToo ? 2 : 1
  const totalOps = scan.setupOps + scan.measuredOps
  const started = performance.now()
  let differential: DifferentialResult
  try {
    differential = await replayDifferential(file, strategies, scan, (done) =>
      report?.({ group: 1, groups, label: 'differential pass', phase: `${count(done)} of ${count(totalOps)} ops`, elapsedMs: performance.now() - started, remainingMs: estimateLeft(performance.now() - started, done, totalOps) }),
    )
  } catch (error) {
    // A factory that throws when a lane opens its file.
    return reportFailure(io, error)
  }
  if (differential.fault !== null) {
    const { line, column, op, fault } = differential.fault
    const where = line === 0 ? `${file}: at the end of the trace` : `${file}:${line}:${column}: '${formatOp(op)}'`
    io.stderr(`${COMMAND}: ${escapeUnprintable(`${where}: ${fault.message}`)}\n${debugDetail(fault.detail)}`)
    return 1
  }
  const failed = differential.mismatch !== null || differential.finalMismatch !== null

  let timed: TimedReplayResult | null = null
  if (!failed && timedToo) {
    try {
      timed = await timedPass({ file, scan, strategies, isolates, seed, engine, native, overrides: hooks, isTty: io.isTty, ...(io.columns === undefined ? {} : { columns: io.columns }), commandLine: ['gntbench', 'replay', ...argv] }, report)
    } catch (error) {
      return reportFailure(io, error)
    }
  }
  if (json) io.stdout(`${JSON.stringify(jsonReport(file, scan, strategies, differential, timed), null, 2)}\n`)
  else io.stdout(textReport(file, scan, strategies, differential, timed))
  return failed ? 1 : 0
}

/** A problem found while replaying (exit 1, one line), or a bug (rethrown). */
function reportFailure(io: Pick<CliIo, 'stderr'>, error: unknown): number {
  const failure = measuringFailure(COMMAND, error)
  if (failure === null) throw error
  io.stderr(failure)
  return 1
}

/** The timed pass, with its progress (group 2 of 2: isolates done of at least those planned). */
async function timedPass(options: Omit<TimedReplayOptions, 'onIsolate'>, report: ((p: ProgressEvent) => void) | null): Promise<TimedReplayResult> {
  const started = performance.now()
  const planned = options.isolates * options.strategies.length * (options.engine === 'both' ? 2 : 1)
  let done = 0
  return timeTrace({
    ...options,
    onIsolate: (round, arm) => {
      done++
      const elapsedMs = performance.now() - started
      report?.({ group: 2, groups: 2, label: 'timed pass', phase: `round ${round + 1}, ${arm} (${done} of ≥ ${planned} isolates)`, elapsedMs, remainingMs: estimateLeft(elapsedMs, done, planned) })
    },
  })
}

/**
 * Every strategy named must have the ioctl families the trace uses: a map-only device (linux-gntdev)
 * answers every ALLOC_GREF with ENOTTY, so "replaying" an alloc-side trace on it would agree on
 * nothing but errors. One line at the first op it lacks, exit 2.
 */
const KEYWORD: Readonly<Record<string, string>> = { alloc: 'alloc', dealloc: 'dealloc', foreignMap: 'foreign-map', foreignUnmap: 'foreign-unmap', map: 'map', unmap: 'unmap', getOffset: 'getoffset' }

function checkSides(file: string, scan: TraceScan, strategies: readonly ResolvedStrategy[]): void {
  const options = strategyOptionsOf(scan.header)
  for (const strategy of strategies) {
    const { policy } = strategy.create(options)
    for (const [side, supported, ioctls] of [
      ['alloc', policy.supportsAlloc, 'IOCTL_GNTALLOC_ALLOC_GREF/DEALLOC_GREF'],
      ['map', policy.supportsMap, 'IOCTL_GNTDEV_MAP_GRANT_REF/UNMAP_GRANT_REF/GET_OFFSET_FOR_VADDR'],
    ] as const) {
      const first = supported ? null : firstOpOfSide(scan, side)
      if (first === null) continue
      throw new UsageError(
        `${file}:${first.line}:${first.column}: strategy '${strategy.name}' has no ${side}-side ioctls (${ioctls}; it would answer ENOTTY), but the trace uses them from this '${KEYWORD[first.kind] ?? first.kind}' line on; pick strategies that support the ${side} side`,
      )
    }
  }
}

/** The generic strategies, then every preset whose device has the ioctl families the trace uses. */
async function defaultStrategies(scan: TraceScan): Promise<ResolvedStrategy[]> {
  const sides = sidesOf(scan.kinds)
  const options = strategyOptionsOf(scan.header)
  const presets = strategyEntries()
    .filter((entry) => entry.kind === 'preset')
    .filter((entry) => {
      const { policy } = entry.create(options)
      return (!sides.alloc || policy.supportsAlloc) && (!sides.map || policy.supportsMap)
    })
    .map((entry) => entry.name)
  return resolveStrategyList([[...GENERIC, ...presets].join(',')])
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}

function textReport(file: string, scan: TraceScan, strategies: readonly ResolvedStrategy[], result: DifferentialResult, timed: TimedReplayResult | null): string {
  const lines: string[] = []
  const total = scan.setupOps + scan.measuredOps
  lines.push(`replay ${file}: ${count(total)} ops (${count(scan.setupOps)} setup, ${count(scan.measuredOps)} measured) on ${strategies.map((s) => s.name).join(', ')}`)
  const mismatch = result.mismatch
  if (mismatch !== null) {
    lines.push(`${file}:${mismatch.line}: mismatch on '${formatOp(mismatch.op)}': ${mismatch.baseline} → ${mismatch.expected}, ${mismatch.lane} → ${mismatch.got}`)
    return `${lines.join('\n')}\n`
  }
  const final = result.finalMismatch
  if (final !== null) {
    lines.push(`${file}: mismatch at the end of the trace: ${final.baseline} holds ${final.expected}, ${final.lane} holds ${final.got}`)
    return `${lines.join('\n')}\n`
  }
  lines.push(
    strategies.length === 1
      ? `differential: ${strategies[0]?.name ?? ''} replayed every line (one strategy: nothing to compare)`
      : `differential: every line agrees across ${strategies.length} strategies (baseline ${strategies[0]?.name ?? ''})`,
  )
  for (const lane of result.lanes) {
    if (lane.mode === 'policy') {
      lines.push(`  ${lane.lane}: its device policy differs from the baseline's; compared on ${count(lane.compared)} lines, ${count(lane.leftOut)} left out where the policies part`)
    }
  }
  for (const note of result.notes) {
    const why = note.reason === 'quirks' ? 'other quirks; not compared further' : 'its offsets ran out first; that handle is not compared further'
    lines.push(`  note: ${note.lane} first differs from the baseline at ${file}:${note.line} on '${formatOp(note.op)}': ${note.expected} vs ${note.got} (${why})`)
  }
  if (timed !== null) lines.push(timed.text.trimEnd())
  return `${lines.join('\n')}\n`
}

function jsonReport(file: string, scan: TraceScan, strategies: readonly ResolvedStrategy[], result: DifferentialResult, timed: TimedReplayResult | null): unknown {
  const mismatch = result.mismatch
  return {
    trace: file,
    header: scan.header,
    setupOps: scan.setupOps,
    measuredOps: scan.measuredOps,
    strategies: strategies.map((s) => ({ name: s.name, spec: s.spec, module: s.module?.file ?? null })),
    differential: {
      agree: mismatch === null && result.finalMismatch === null,
      opsReplayed: result.ops,
      mismatch: mismatch === null ? null : { line: mismatch.line, op: formatOp(mismatch.op), baseline: mismatch.baseline, expected: mismatch.expected, lane: mismatch.lane, got: mismatch.got },
      finalMismatch: result.finalMismatch,
      lanes: result.lanes,
      notes: result.notes.map((n) => ({ lane: n.lane, reason: n.reason, line: n.line, op: formatOp(n.op), expected: n.expected, got: n.got })),
    },
    timed: timed === null ? null : timed.json,
  }
}
