// `gntbench sweep`: the answer (issue 5). Sweeps the live-set size N over a geometric range for
// the chosen workloads and strategies with the same runner as `gntbench run` (interleaved
// independent replicates, one worker thread per strategy), fits growth exponents, finds
// crossovers, counts deterministic work in an untimed replay, models and measures memory per
// record, and writes <out>/<name>.json, .md, .html and one SVG per chart, all atomically and
// never over existing files without --force. Every option is checked before anything runs.

import { getHeapStatistics } from 'node:v8'
import { join } from 'node:path'
import { collectEnvironment } from '../runner/environment.js'
import { assembleSweep } from '../runner/sweep-assemble.js'
import { runSweep } from '../runner/sweep-bench.js'
import type { SweepPlanConfig } from '../runner/sweep-plan.js'
import { countsPages, DEFAULT_SWEEP, DEFAULT_SWEEP_STRATEGIES, DEFAULT_SWEEP_WORKLOADS, geometricSizes, QUICK_SWEEP } from '../runner/sweep-plan.js'
import type { NativeBuildRecord } from '../results/shared-schema.js'
import type { SweepConfig } from '../results/sweep-schema.js'
import { renderHtmlPage } from '../report/html-page.js'
import { sweepCharts } from '../report/sweep-charts.js'
import { sweepDocument } from '../report/sweep-document.js'
import { renderMarkdown } from '../report/sweep-markdown.js'
import { sweepParagraph } from '../report/sweep-paragraph.js'
import { formatSweepText } from '../report/sweep-text.js'
import { DEFAULT_SEED } from '../runner/plan.js'
import { getWorkload } from '../workloads/registry.js'
import { DESIGN_OPTIONS, designValues, engineValue, integerValue, listValue, parseCommandArgs, RESULT_FILE_OPTIONS, resultFileValues, STREAM_OPTIONS, streamValues, timestampedName, workloadValue } from './options.js'
import type { ResultFileFlags } from './options.js'
import type { CliIo } from './main.js'
import type { TestHooks } from './command-start.js'
import { startCommand, strategyValue } from './command-start.js'
import { nativeBuildRecord } from './native-build.js'
import { claimOutputs, measureClaimed, writeClaimed } from './outputs.js'
import { formatDuration, progressReporter, progressWanted } from './progress.js'
import { SCRATCH_DIR } from './run.js'
import { UsageError } from '../errors.js'

const COMMAND = 'gntbench sweep'
/** Beyond this N even one state outgrows a 4 GiB isolate; refuse it as a usage error. */
const MAX_SIZE = 1 << 26

export const SWEEP_USAGE = `usage: gntbench sweep [options]

Sweeps the live-set size N geometrically for each workload and strategy, each cell measured as
'gntbench run' measures one (rounds of a fresh isolate per strategy), then per strategy the growth
exponent of ns/op with N (log-log least squares, CI, plain-words class), the crossovers of
every pair (where the significant winner flips, narrowed by bisection on N), the counted work
per op (an untimed replay), and memory per record (LP64 kernel model and measured JS heap).
Writes <out>/<name>.json, .md, .html and SVG charts. A strategy stops at the first N whose
projected cell time exceeds --budget or whose projected heap does not fit the isolate; the report
says where and why.

options:
  --workload a,b        timed workloads (default ${DEFAULT_SWEEP_WORKLOADS.join(',')})
  --strategy x,y        strategy specs (default ${DEFAULT_SWEEP_STRATEGIES.join(',')})
  --sizes 16,64,...     live-set sizes N (instead of --from/--to/--factor)
  --from N              smallest N (default ${DEFAULT_SWEEP.from})
  --to N                largest N (default ${DEFAULT_SWEEP.to} records, ${DEFAULT_SWEEP.toPages} where N counts pages)
  --factor F            ratio of consecutive sizes, > 1 (default ${DEFAULT_SWEEP.factor})
  --isolates I          rounds of fresh isolates per cell, ≥ 3 (default ${DEFAULT_SWEEP.isolates}; quick ${QUICK_SWEEP.isolates})
  --samples r           timed samples per isolate (default ${DEFAULT_SWEEP.samples})
  --sample-ms T         a sample's timed part lasts at least T ms (default ${DEFAULT_SWEEP.sampleMs})
  --warmup-ms W         warm-up per isolate, ms (default ${DEFAULT_SWEEP.warmupMs})
  --ops K               measured ops per state (default ${DEFAULT_SWEEP.ops}; quick ${QUICK_SWEEP.ops})
  --seed S              seed of the streams and of the interleaving (default ${DEFAULT_SEED})
  --confidence C        two-sided confidence in percent (default 95)
  --budget SECONDS      projected wall time allowed per cell (default ${DEFAULT_SWEEP.cellBudgetSeconds}; quick ${QUICK_SWEEP.cellBudgetSeconds})
  --memory-repeats M    heap measurements per cell, ≥ 1 (default ${DEFAULT_SWEEP.memoryRepeats})
  --refine S            bisection steps per crossover: sizes measured between the grid points
                        where the significant winner flips (default ${DEFAULT_SWEEP.refineSteps}; 0: none)
  --engine E            who times the cells: js (the TS model in V8, default), native (the same
                        op streams in the C engine of native/, built with the system cc on first
                        use; one fresh process per round, strategies interleaved), or both
                        (each strategy twice, as <spec>@js and <spec>@native, in the same
                        rounds; crossovers within one engine). Counters and memory come from
                        the TS model either way; a cell the C engine does not model is listed
                        as skipped with the reason
  --out DIR             where results go (default results; with --quick results/scratch,
                        which git ignores)
  --name NAME           file name stem (default sweep-<UTC date>-<time>; with --quick
                        quick-sweep-…)
  --json                print the results JSON on stdout instead of the answer
  --progress            progress on stderr even when stderr is not a terminal
  --quick               N = ${geometricSizes(QUICK_SWEEP.from, QUICK_SWEEP.to, QUICK_SWEEP.factor).join(', ')}, ${QUICK_SWEEP.isolates} rounds, K ${QUICK_SWEEP.ops}, budget ${QUICK_SWEEP.cellBudgetSeconds} s (about a minute)
  --force               overwrite existing result files
  -h, --help            this text

Exit status: 0 done; 1 a problem found while measuring (work that differs between isolates,
results that could not be written — then saved in the temp dir); 2 a bad option, or an output
that cannot be written, before anything is measured; 128 + n when stopped by signal n.
`

const OPTIONS = {
  workload: { type: 'string' },
  strategy: { type: 'string' },
  sizes: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  factor: { type: 'string' },
  ...DESIGN_OPTIONS,
  ...STREAM_OPTIONS,
  budget: { type: 'string' },
  'memory-repeats': { type: 'string' },
  refine: { type: 'string' },
  engine: { type: 'string' },
  quick: { type: 'boolean' },
  ...RESULT_FILE_OPTIONS,
} as const

function positive(flag: string, text: string, above: number): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
  if (!(value > above) || !Number.isFinite(value)) throw new UsageError(`${COMMAND}: --${flag} must be a number > ${above}, got '${text}'`)
  return value
}

export interface SweepCommand extends ResultFileFlags {
  readonly config: SweepPlanConfig
}

/** The command line checked and turned into a plan (exported for tests). */
export function parseSweepArgs(argv: string[], now: Date = new Date()): SweepCommand | 'help' {
  const { values } = parseCommandArgs(COMMAND, { args: argv, options: OPTIONS, allowPositionals: false, strict: true })
  if (values.help === true) return 'help'
  const quick = values.quick === true
  const preset = quick ? QUICK_SWEEP : DEFAULT_SWEEP

  const workloads = values.workload === undefined ? [...DEFAULT_SWEEP_WORKLOADS] : listValue(COMMAND, 'workload', values.workload)
  for (const name of workloads) {
    if (workloadValue(COMMAND, 'workload', name).measure !== 'timed') throw new UsageError(`${COMMAND}: --workload: '${name}' is not timed (it reports outcomes; use 'gntbench run')`)
  }
  const strategies = values.strategy === undefined ? [...DEFAULT_SWEEP_STRATEGIES] : listValue(COMMAND, 'strategy', values.strategy)
  for (const spec of strategies) strategyValue(COMMAND, 'strategy', spec)

  const ladder = values.from !== undefined || values.to !== undefined || values.factor !== undefined
  if (values.sizes !== undefined && ladder) throw new UsageError(`${COMMAND}: --sizes cannot be combined with --from/--to/--factor`)
  const sizes: Record<string, number[]> = {}
  if (values.sizes !== undefined) {
    const given = listValue(COMMAND, 'sizes', values.sizes).map((s) => integerValue(COMMAND, 'sizes', s, 1, MAX_SIZE))
    const sorted = [...given].sort((a, b) => a - b)
    for (const w of workloads) sizes[w] = sorted
  } else {
    const from = values.from === undefined ? preset.from : integerValue(COMMAND, 'from', values.from, 1, MAX_SIZE)
    const factor = values.factor === undefined ? preset.factor : positive('factor', values.factor, 1)
    const to = values.to === undefined ? null : integerValue(COMMAND, 'to', values.to, 1, MAX_SIZE)
    if (to !== null && to < from) throw new UsageError(`${COMMAND}: --to ${to} is below --from ${from}`)
    for (const w of workloads) {
      const top = to ?? (countsPages(getWorkload(w).sizeUnit) ? preset.toPages : preset.to)
      sizes[w] = geometricSizes(from, top, factor)
    }
    if (Object.values(sizes).some((s) => s.length < 2)) {
      throw new UsageError(`${COMMAND}: --from/--to/--factor give fewer than two sizes; a growth fit needs at least two`)
    }
  }

  const design = designValues(COMMAND, values, { ...preset, maxIsolates: preset.isolates, precisionPercent: null })
  const { ops, seed, confidence } = streamValues(COMMAND, values, preset.ops)
  const cellBudgetSeconds = values.budget === undefined ? preset.cellBudgetSeconds : positive('budget', values.budget, 0)
  const memoryRepeats = values['memory-repeats'] === undefined ? preset.memoryRepeats : integerValue(COMMAND, 'memory-repeats', values['memory-repeats'], 1, 100)
  const files = resultFileValues(COMMAND, values, { out: quick ? SCRATCH_DIR : 'results', name: timestampedName(quick ? 'quick-sweep' : 'sweep', now) })
  return {
    config: {
      workloads,
      strategies,
      sizes,
      isolates: design.isolates,
      samples: design.samples,
      sampleMs: design.sampleMs,
      warmupMs: design.warmupMs,
      ops,
      seed,
      confidence,
      mode: 'exact',
      cellBudgetSeconds,
      memoryRepeats,
      refineSteps: values.refine === undefined ? preset.refineSteps : integerValue(COMMAND, 'refine', values.refine, 0, 10),
      heapLimitBytes: getHeapStatistics().heap_size_limit,
      quick,
      isolation: 'worker',
      engine: engineValue(COMMAND, values.engine),
    },
    ...files,
  }
}

/** Every file a sweep writes, known before it runs (so an existing one stops it early). */
export function sweepFiles(out: string, name: string, workloads: readonly string[]): string[] {
  const slug = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '-')
  const files = [`${name}.json`, `${name}.md`, `${name}.html`]
  for (const w of workloads) for (const kind of ['time', 'work', 'memory']) files.push(`${slug(name)}-${slug(w)}-${kind}.svg`)
  return files.map((file) => join(out, file))
}

function configJson(config: SweepPlanConfig, native: NativeBuildRecord | null): SweepConfig {
  return {
    ...config,
    workloads: [...config.workloads],
    strategies: [...config.strategies],
    sizes: Object.fromEntries(Object.entries(config.sizes).map(([workload, sizes]) => [workload, [...sizes]])),
    engine: config.engine ?? 'js',
    ...(native === null ? {} : { native }),
  }
}

export async function main(argv: string[], io: CliIo, hooks: TestHooks<SweepPlanConfig> = {}): Promise<number> {
  const parsed = startCommand(parseSweepArgs(argv), io, SWEEP_USAGE, hooks)
  if (parsed === null) return 0
  const { config } = parsed
  // The C engine is built before anything runs: without cc or libbsd, one line and exit 2.
  const native = nativeBuildRecord(COMMAND, config.engine ?? 'js')
  const claim = claimOutputs(COMMAND, parsed.out, parsed.name, sweepFiles(parsed.out, parsed.name, config.workloads), parsed.force)
  if (typeof globalThis.gc !== 'function') {
    io.stderr(`${COMMAND}: warning: run under node --expose-gc (npx gntbench does): without it the heap per record is not measured\n`)
  }

  const startedAt = new Date()
  const started = performance.now()
  const report = progressWanted(io, parsed.progress) ? progressReporter(io, COMMAND) : (): void => undefined
  const raw = await measureClaimed(COMMAND, [claim], io, () =>
    runSweep(config, { onProgress: (p) => report({ group: p.group, groups: p.groups, label: `${p.workload} N=${p.size}`, phase: p.phase, elapsedMs: p.elapsedMs, remainingMs: null }) }),
  )
  if (raw === null) return 1
  const durationMs = performance.now() - started
  const environment = collectEnvironment({ startedAt, durationMs, commandLine: ['gntbench', 'sweep', ...argv], seed: config.seed })
  const result = assembleSweep(parsed.name, environment, configJson(config, native), raw, sweepParagraph)

  const blocks = sweepDocument(result)
  const outputs = new Map<string, string>()
  outputs.set(join(parsed.out, `${parsed.name}.json`), `${JSON.stringify(result, null, 2)}\n`)
  outputs.set(join(parsed.out, `${parsed.name}.md`), renderMarkdown(blocks))
  outputs.set(join(parsed.out, `${parsed.name}.html`), renderHtmlPage(`gntbench sweep: ${parsed.name}`, blocks))
  for (const { charts } of sweepCharts(result)) for (const chart of charts) outputs.set(join(parsed.out, chart.file), chart.svg)
  const failed = writeClaimed(COMMAND, claim, [...outputs], parsed.force, parsed.name)
  if (failed !== null) {
    io.stderr(`${failed}\n`)
    return 1
  }

  io.stdout(parsed.json ? (outputs.get(join(parsed.out, `${parsed.name}.json`)) ?? '') : formatSweepText(result))
  io.stderr(`${COMMAND}: wrote ${outputs.size} files to ${parsed.out}/ (${parsed.name}.json, .md, .html and ${outputs.size - 3} SVG charts) in ${formatDuration(durationMs)}\n`)
  return 0
}
