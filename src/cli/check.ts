// `gntbench check MODULE`: the conformance suite (verify/conformance.ts) on an outside
// strategy — or on any registered one, by name. Prints pass/fail per property and, for a
// failure, the smallest failing stream found, as a trace that `gntbench replay` accepts.
// Exit 0 when every property passes, 1 otherwise, 2 for a bad module or option.

import { isModuleSpec, resolveStrategySpec } from '../strategies/load-module.js'
import { PROPERTIES, runConformanceAsync } from '../verify/conformance.js'
import { createStrategy, UnknownStrategyError } from '../strategies/registry.js'
import { debugDetail } from './debug.js'
import { escapeUnprintable } from '../errors.js'
import { measuringFailure } from './fault-report.js'
import { progressReporter, progressWanted } from './progress.js'
import { estimateLeft } from '../runner/time-left.js'
import type { ConformanceReport } from '../verify/conformance.js'
import { formatOp } from '../workloads/trace-format.js'
import type { CliIo } from './main.js'
import { assertWritable, writeOutputFile } from './outputs.js'
import { integerOption, onlyPositional, optionValue, parseOptions } from './options.js'
import { UsageError } from '../errors.js'

const DEFAULT_STREAMS = 300
const COMMAND = 'gntbench check'

const USAGE = [
  'usage: gntbench check MODULE [--seed S] [--streams N] [--json] [-o FILE] [--force] [--progress]',
  '',
  'Runs the conformance suite on the strategy exported by MODULE (a .js or .ts file that',
  "exports `strategy` (a StrategyEntry) or `createStrategy` (a StrategyFactory)), or on a",
  'registered strategy by name. Properties, each on the same seeded random op streams:',
  '  invariants    check() of the allocator and both stores holds after every op',
  '  disjoint      live runs never overlap; allocator livePages is exact',
  '  differential  same answers as ReferenceDevice under the strategy’s own policy',
  'A failure is shrunk to a small stream and printed as a trace.',
  '',
  'options:',
  '  --seed S      seed of the random streams (default 1)',
  `  --streams N   streams per property (default ${DEFAULT_STREAMS})`,
  '  --json        print the report as JSON',
  '  -o FILE       also write the first failing trace to FILE (atomically)',
  '  --force       overwrite FILE if it exists',
  '  --progress    progress on stderr (property, streams, estimate) even when stderr is not',
  '                a terminal (on a terminal it is always shown)',
  '  --debug       with a method that throws, its stack after the one line',
  '',
  'A method of the module that throws, or returns what it must not (NaN where a page number',
  'belongs), fails its property and is named on stderr in one line: module, method, error.',
  'The module must load within 10 s (GNTBENCH_IMPORT_TIMEOUT_MS); a syntax error is FILE:LINE:COL.',
  'A method that does not return within 60 s (GNTBENCH_CALL_TIMEOUT_MS) is stopped and named.',
  '',
  'Exit status: 0 every property passed; 1 a property failed (or a method threw or did not',
  'return); 2 a bad option, an unknown strategy or a module that does not load, an -o FILE that',
  'exists.',
  '',
].join('\n')

export async function main(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions(COMMAND, argv, {
    seed: { value: true },
    streams: { value: true },
    json: { value: false },
    output: { value: true, short: 'o' },
    force: { value: false },
    progress: { value: false },
    help: { value: false, short: 'h' },
  })
  if (parsed.flags.has('help')) {
    io.stdout(USAGE)
    return 0
  }
  const spec = onlyPositional(COMMAND, parsed, 'MODULE')
  const seed = integerOption(COMMAND, parsed, 'seed', 1, 0, 0xffff_ffff)
  const streams = integerOption(COMMAND, parsed, 'streams', DEFAULT_STREAMS, 1, 100_000)
  if (!isModuleSpec(spec)) {
    // Not a path: a registered strategy, or a mistake that is MODULE's, not --strategy's.
    try {
      createStrategy(spec)
    } catch (error) {
      if (error instanceof UnknownStrategyError) {
        throw new UsageError(`${COMMAND}: MODULE '${spec}' is neither a module file (a path such as ./${spec}.ts) nor a registered strategy: ${error.message}`)
      }
      throw error
    }
  }
  const output = optionValue(parsed, 'output')
  const force = parsed.flags.has('force')
  // An existing -o FILE is refused before the suite runs, not after.
  if (output !== undefined) assertWritable(COMMAND, output, force)
  const strategy = await resolveStrategySpec(spec, io.cwd ?? process.cwd(), 'MODULE')
  const progress = progressWanted(io, parsed.flags.has('progress')) ? progressReporter(io, COMMAND) : null
  const started = performance.now()
  const total = PROPERTIES.length * streams
  let report: ConformanceReport
  try {
    report = await runConformanceAsync(
      { name: strategy.name, create: strategy.create },
      {
        seed,
        streams,
        onStream: (property, done) => {
          const elapsedMs = performance.now() - started
          const all = property * streams + done
          progress?.({ group: property + 1, groups: PROPERTIES.length, label: PROPERTIES[property]?.name ?? '', phase: `${done} of ${streams} streams`, elapsedMs, remainingMs: estimateLeft(elapsedMs, all, total) })
        },
      },
    )
  } catch (error) {
    // The factory itself threw (the properties catch what the methods throw).
    const failure = measuringFailure(COMMAND, error)
    if (failure === null) throw error
    io.stderr(failure)
    return 1
  }

  const firstFailure = report.properties.find((p) => p.failure !== null)?.failure ?? null
  if (output !== undefined && firstFailure !== null) await writeOutputFile(COMMAND, output, [firstFailure.trace], force)

  if (parsed.flags.has('json')) io.stdout(`${JSON.stringify(jsonReport(spec, report), null, 2)}\n`)
  else io.stdout(textReport(spec, report, streams))
  // A method that threw or answered NaN: one line on stderr naming module, method and error.
  const fault = report.properties.map((p) => p.failure?.failure.fault).find((f) => f !== undefined)
  if (fault !== undefined) io.stderr(`${COMMAND}: ${escapeUnprintable(fault.message)}\n${debugDetail(fault.detail)}`)
  return report.passed ? 0 : 1
}

function textReport(spec: string, report: ConformanceReport, streams: number): string {
  const lines = [`check ${spec}: strategy '${report.strategy}', ${streams} streams per property, seed ${report.seed}`]
  const width = Math.max(...report.properties.map((p) => p.name.length))
  for (const property of report.properties) {
    const ran = `${plural(property.streams, 'stream')}, ${plural(property.ops, 'op')}`
    lines.push(`  ${property.passed ? 'pass' : 'FAIL'}  ${property.name.padEnd(width)}  ${property.summary} (${ran})`)
    const failure = property.failure
    if (failure === null) continue
    const op = failure.ops[failure.failure.index]
    lines.push(`        stream #${failure.stream} (${failure.originalOps} ops) shrunk to ${failure.ops.length} ops; fails at line ${failure.traceLine}${op === undefined ? '' : ` ('${formatOp(op)}')`}:`)
    lines.push(`        ${failure.failure.message}`)
    lines.push('        smallest failing stream, as a trace:')
    for (const line of failure.trace.trimEnd().split('\n')) lines.push(`          ${line}`)
  }
  const failed = report.properties.filter((p) => !p.passed).length
  lines.push(`${report.properties.length} properties: ${report.properties.length - failed} passed, ${failed} failed`)
  return `${lines.join('\n')}\n`
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`
}

function jsonReport(spec: string, report: ConformanceReport): unknown {
  return {
    module: spec,
    strategy: report.strategy,
    seed: report.seed,
    passed: report.passed,
    properties: report.properties.map((p) => ({
      name: p.name,
      summary: p.summary,
      passed: p.passed,
      streams: p.streams,
      ops: p.ops,
      failure:
        p.failure === null
          ? null
          : { stream: p.failure.stream, originalOps: p.failure.originalOps, ops: p.failure.ops.length, line: p.failure.traceLine, message: p.failure.failure.message, trace: p.failure.trace },
    })),
  }
}
