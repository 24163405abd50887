// `gntbench record`: writes a built-in workload's op stream as a trace (workloads/trace-format.ts),
// so it can be replayed later on any strategy — including outside ones — or edited by hand into a
// regression case. The setup ops come first, then the `measured` directive, then the timed ops;
// the header carries the settings the workload runs under (offset space, grant table size).

import { workloadNames } from '../workloads/registry.js'
import type { TraceSettings } from '../workloads/trace-format.js'
import { traceLines } from '../workloads/trace-format.js'
import type { WorkloadParams } from '../workloads/types.js'
import { integerOption, optionValue, parseOptions, workloadValue } from './options.js'
import type { CliIo } from './main.js'
import { writeOutputFile } from './outputs.js'
import { UsageError } from '../errors.js'
import { HELP_WIDTH, wrapList } from './help-text.js'

const DEFAULT_SEED = 1
const DEFAULT_OPS = 10_000
/**
 * Upper bounds: the generators build the whole stream in memory before it is written, about
 * 300 bytes per op and up to 2 KB per unit of size (vchan), so these keep a recording under
 * ~1.2 GB — inside V8's default heap — instead of ending in an out-of-memory crash.
 */
export const MAX_RECORD_SIZE = 262_144
export const MAX_RECORD_OPS = 2_000_000

function usage(): string {
  return [
    'usage: gntbench record --workload W --size N [--seed S] [--ops K] [-o FILE] [--force]',
    '',
    'Writes workload W (live-set size N, seed S, K measured ops) as a trace: a header, the setup',
    "ops, a 'measured' directive, then the measured ops. Replay it with 'gntbench replay FILE'.",
    '',
    'options:',
    `  --workload W   one of ${wrapList(workloadNames(), HELP_WIDTH - 17 - 'one of '.length, 17)}`,
    `  --size N       live-set size (what it counts depends on the workload), 1 to ${MAX_RECORD_SIZE.toLocaleString('en-US')}`,
    `  --seed S       seed of the generator (default ${DEFAULT_SEED})`,
    `  --ops K        measured operations, 1 to ${MAX_RECORD_OPS.toLocaleString('en-US')} (default ${DEFAULT_OPS})`,
    '  -o FILE        write FILE instead of stdout (atomically: never half-written; a signal',
    '                 removes the temporary file)',
    '  --force        overwrite FILE if it exists',
    '',
    'The bounds keep the stream, which is built in memory, inside the default V8 heap.',
    'Exit status: 0 written; 2 a bad option, or an -o FILE that exists or cannot be written.',
    '',
  ].join('\n')
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions('gntbench record', argv, {
    workload: { value: true },
    size: { value: true },
    seed: { value: true },
    ops: { value: true },
    output: { value: true, short: 'o' },
    force: { value: false },
    help: { value: false, short: 'h' },
  })
  if (parsed.flags.has('help')) {
    io.stdout(usage())
    return 0
  }
  if (parsed.positionals.length > 0) throw new UsageError(`gntbench record: unexpected argument '${parsed.positionals[0]}' (try 'gntbench record --help')`)
  const name = optionValue(parsed, 'workload')
  if (name === undefined) throw new UsageError(`gntbench record: --workload is required (one of ${workloadNames().join(', ')})`)
  if (optionValue(parsed, 'size') === undefined) throw new UsageError('gntbench record: --size is required')
  const params: WorkloadParams = {
    size: integerOption('gntbench record', parsed, 'size', 0, 1, MAX_RECORD_SIZE),
    seed: integerOption('gntbench record', parsed, 'seed', DEFAULT_SEED, 0, 0xffff_ffff),
    // At least one: a trace with nothing after `measured` has nothing to time (replay refuses it).
    ops: integerOption('gntbench record', parsed, 'ops', DEFAULT_OPS, 1, MAX_RECORD_OPS),
  }
  const workload = workloadValue('gntbench record', null, name)
  const stream = workload.generate(params)
  const settings: { -readonly [K in keyof TraceSettings]: TraceSettings[K] } = {}
  const strategyOptions = workload.strategyOptions(params)
  if (strategyOptions.offsetSpacePages !== undefined) settings.offsetSpacePages = strategyOptions.offsetSpacePages
  const grantTableEntries = workload.domainNeeds(params).grantTableEntries
  if (grantTableEntries !== undefined) settings.grantTableEntries = grantTableEntries
  if (strategyOptions.quirks !== undefined || strategyOptions.limits !== undefined) {
    // The header has no field for these; say so rather than record a trace that replays differently.
    io.stderr(`gntbench record: warning: workload '${name}' sets strategy quirks or limits, which a trace does not carry\n`)
  }
  const comments = [
    `recorded by: gntbench record --workload ${name} --size ${params.size} --seed ${params.seed} --ops ${params.ops}`,
    `workload: ${workload.name} — ${workload.summary}`,
    `size: ${params.size} ${workload.sizeUnit}; ${stream.setup.length} setup ops, ${stream.measured.length} measured ops`,
  ]
  const lines = traceLines(stream, comments, settings)
  const output = optionValue(parsed, 'output')
  if (output === undefined || output === '-') {
    let block = ''
    for (const line of lines) {
      block += line
      if (block.length >= 1 << 16) {
        io.stdout(block)
        block = ''
      }
    }
    if (block.length > 0) io.stdout(block)
    return 0
  }
  await writeOutputFile('gntbench record', output, lines, parsed.flags.has('force'))
  return 0
}
