// `gntbench check MODULE`: the conformance suite (verify/conformance.ts) on an outside
// strategy — or on any registered one, by name. Prints pass/fail per property and, for a
// failure, the smallest failing stream found, as a trace that `gntbench replay` accepts.
// Exit 0 when every property passes, 1 otherwise, 2 for a bad module or option.

import { resolveStrategySpec } from '../strategies/load-module.js'
import { runConformance } from '../verify/conformance.js'
import type { ConformanceReport } from '../verify/conformance.js'
import { formatOp } from '../workloads/trace-format.js'
import { integerOption, optionValue, parseOptions } from './options.js'
import type { CliIo } from './main.js'
import { writeOutputFile } from './outputs.js'
import { UsageError } from '../errors.js'

const DEFAULT_STREAMS = 300

const USAGE = [
  'usage: gntbench check MODULE [--seed S] [--streams N] [--json] [-o FILE] [--force]',
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
  '',
].join('\n')

export async function main(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions('gntbench check', argv, {
    seed: { value: true },
    streams: { value: true },
    json: { value: false },
    output: { value: true, short: 'o' },
    force: { value: false },
    help: { value: false, short: 'h' },
  })
  if (parsed.flags.has('help')) {
    io.stdout(USAGE)
    return 0
  }
  const [spec, extra] = parsed.positionals
  if (spec === undefined) throw new UsageError("gntbench check: missing MODULE (try 'gntbench check --help')")
  if (extra !== undefined) throw new UsageError(`gntbench check: unexpected argument '${extra}'`)
  const seed = integerOption('gntbench check', parsed, 'seed', 1, 0, 0xffff_ffff)
  const streams = integerOption('gntbench check', parsed, 'streams', DEFAULT_STREAMS, 1, 100_000)
  const strategy = await resolveStrategySpec(spec, io.cwd ?? process.cwd())
  const report = runConformance({ name: strategy.name, create: strategy.create }, { seed, streams })

  const output = optionValue(parsed, 'output')
  const firstFailure = report.properties.find((p) => p.failure !== null)?.failure ?? null
  if (output !== undefined && firstFailure !== null) writeOutputFile('gntbench check', output, [firstFailure.trace], parsed.flags.has('force'))

  if (parsed.flags.has('json')) io.stdout(`${JSON.stringify(jsonReport(spec, report), null, 2)}\n`)
  else io.stdout(textReport(spec, report, streams))
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
