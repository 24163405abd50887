// `gntbench run`: the benchmark. Parses and checks every option before anything runs (a bad flag
// is one line and exit 2), refuses to overwrite an existing result without --force, runs the
// grid through the measurement core (fresh isolates per round), prints the ministat blocks and the summary (or the
// JSON with --json), and writes results/<name>.json and .md atomically. Progress on stderr.

import { assembleResult } from '../runner/assemble.js'
import { collectEnvironment } from '../runner/environment.js'
import type { RunConfig } from '../runner/plan.js'
import type { DesignValues } from '../runner/measure-group.js'
import { watchMachine } from '../runner/machine-state.js'
import { DEFAULT_NATIVE_RUN, DEFAULT_RUN, DEFAULT_SEED, DEFAULT_WRAP_SPACE, QUICK_RUN, runPreset } from '../runner/plan.js'
import { DEFAULT_MARGIN_PERCENT } from '../stats/ratio.js'
import type { Engine, GcMode } from '../results/shared-schema.js'
import { GC_MODES } from '../results/shared-schema.js'
import { resultPaths } from '../results/atomic-write.js'
import type { RunResult } from '../results/run-schema.js'
import { countedWorkPerOp } from '../runner/counted-work.js'
import { nativeBuildRecord } from './native-build.js'
import type { CountedWork } from '../report/transfer-table.js'
import { formatTransfer, transferRows } from '../report/transfer-table.js'
import { runBenchmark } from '../runner/run-bench.js'
import { formatRunMarkdown, formatRunText } from '../report/run-report.js'
import { isModuleSpec, resolveStrategySpec } from '../strategies/load-module.js'
import { STANDARD_SIZES } from '../workloads/bench-workload.js'
import { workloadNames } from '../workloads/registry.js'
import { vchan } from '../workloads/vchan.js'
import { DESIGN_OPTIONS, engineValue, designUsage, designValues, integerValue, isolationValue, listValue, numberValue, parseCommandArgs, RESULT_FILE_OPTIONS, resultFileValues, STREAM_OPTIONS, streamValues, timestampedName, workloadValue } from './options.js'
import type { ResultFileFlags } from './options.js'
import type { CliIo } from './main.js'
import type { TestHooks } from './command-start.js'
import { HELP_WIDTH, wrapList } from './help-text.js'
import { startCommand, strategyValue } from './command-start.js'
import { claimOutputs, measureClaimed, writeClaimed } from './outputs.js'
import { formatDuration, progressReporter, progressWanted } from './progress.js'
import { UsageError } from '../errors.js'

const COMMAND = 'gntbench run'

/** Where --quick runs write unless --out says otherwise (git-ignored). */
export const SCRATCH_DIR = 'results/scratch'

export const RUN_USAGE = `usage: gntbench run [options]

Times each workload × live-set size × strategy. A cell runs in rounds, taken in passes over all
cells (one round of each per pass): every round draws a fresh stream seed, and every strategy
replays that stream in a FRESH isolate (worker thread), in a seeded shuffled order; each isolate
warms up, then takes r samples, a sample being k fresh device states (the live set of N built
untimed) whose K-op batches are timed back to back for ≥ T ms. With --engine native a
round's strategies share one engine process, and each of its samples replays a stream of its
own (the same for every strategy). The isolate's mean ns/op is one value. Strategies are
compared with the baseline as ratios with a log-scale interval, paired over rounds; the run's
comparisons are Holm-adjusted as one family, and a TOST within ±margin says 'equivalent'.
Prints one ministat block per (workload, N) with the baseline as x, then a summary table, and
writes <out>/<name>.json (every sample, environment, load, config) and <out>/<name>.md.

options:
  --workload a,b        workloads (default: all: ${wrapList(workloadNames(), HELP_WIDTH - 24 - 'workloads (default: all: '.length, 24)})
  --strategy x,y        strategy specs (default: list, rbtree, rangeset and the kernel presets;
                        presets that lack a workload's ioctls are skipped with a note)
  --baseline x          dataset x of every block (default: linux-gntdev for map workloads,
                        linux-gntalloc for alloc workloads, list for workloads using both)
  --sizes 64,4096       live-set sizes N, for every workload (default: each workload's own,
                        ${STANDARD_SIZES.join(', ')}, but vchan ${vchan.defaultSizes?.join(', ')}; quick: the first of them)
${designUsage(DEFAULT_RUN, DEFAULT_NATIVE_RUN)}  --ops K               measured ops per state (default ${DEFAULT_RUN.ops}; quick ${QUICK_RUN.ops})
  --margin M            equivalence margin in percent (default ${DEFAULT_MARGIN_PERCENT})
  --budget SECONDS      the run's time budget: rounds beyond --isolates are added, in passes over
                        all cells, only while one more fits in it (default ${DEFAULT_RUN.budgetSeconds};
                        --engine native ${DEFAULT_NATIVE_RUN.budgetSeconds}; 'off': no limit)
  --seed S              seed of the streams and of the interleaving (default ${DEFAULT_SEED})
  --confidence C        two-sided confidence in percent (default 95)
  --offset-space P      offset space of the wrap workload in pages (default ${DEFAULT_WRAP_SPACE}; quick ${QUICK_RUN.wrapOffsetSpacePages})
  --out DIR             where results go (default results; with --quick results/scratch,
                        which git ignores)
  --name NAME           results file name (default bench-<UTC date>-<time>, quick-… with --quick)
  --json                print the results JSON on stdout instead of the report
  --progress            progress on stderr (cell, round, estimate) even when stderr is not a
                        terminal (on a terminal it is always shown)
  --quick               the short suite: smallest size, ${QUICK_RUN.isolates} rounds of short samples, ${QUICK_RUN.ops} ops (seconds)
  --force               overwrite <out>/<name>.json/.md if they exist (never done silently)
  --ministat-compat     the blocks print Debian ministat 20150715's own Difference lines over the
                        isolate means (t table, pooled t; C ∈ 80 90 95 98 99 99.5); the JSON and
                        the summary keep the ratio intervals
  --isolation MODE      where isolates run: worker (a fresh worker thread each, the default) or
                        process (a fresh child process each: slower to start)
  --engine E            js (the TS model in V8, default), native (the C engine in native/,
                        built with the system cc on first use; one fresh process per round,
                        the strategies' samples interleaved in it), or
                        both: the suite in JS, then in C (<name>-native.json), then a table of
                        the verdicts that do and do not transfer, with the counted work
  --gc-before-sample M  the collection before every timed sample, after its states are built:
                        minor (default: the setup's garbage is not timed), major, or none
  --debug               with an outside module that fails, its stack after the one line
  -h, --help            this text

An outside module (--strategy ./mine.js) must load within 10 s (GNTBENCH_IMPORT_TIMEOUT_MS),
its methods return within 60 s on the verification pass (GNTBENCH_CALL_TIMEOUT_MS), and a timed
isolate finish within 300 s (GNTBENCH_ISOLATE_TIMEOUT_MS); past a limit it is stopped and named.
Exit status: 0 done; 1 a problem found while measuring (a strategy that breaks an invariant on
the untimed verification pass, an outside module's method that throws, answers NaN or does not
return, work that differs between isolates, results that could not be written — then saved in
the temp dir); 2 a bad option or module, or an output that cannot be written, before anything
is measured; 128 + n when stopped by signal n.
`

const OPTIONS = {
  workload: { type: 'string' },
  strategy: { type: 'string' },
  baseline: { type: 'string' },
  sizes: { type: 'string' },
  ...DESIGN_OPTIONS,
  ...STREAM_OPTIONS,
  margin: { type: 'string' },
  budget: { type: 'string' },
  'offset-space': { type: 'string' },
  quick: { type: 'boolean' },
  'ministat-compat': { type: 'boolean' },
  'gc-before-sample': { type: 'string' },
  isolation: { type: 'string' },
  engine: { type: 'string' },
  ...RESULT_FILE_OPTIONS,
} as const

function gcModeValue(text: string | undefined): GcMode {
  if (text === undefined) return 'minor'
  if ((GC_MODES as readonly string[]).includes(text)) return text as GcMode
  throw new UsageError(`${COMMAND}: --gc-before-sample must be one of ${GC_MODES.join(', ')}, got '${text}'`)
}

function checkStrategy(flag: string, spec: string): void {
  // An outside module (./mine.ts) is loaded and validated in main(), which may await.
  if (!isModuleSpec(spec)) strategyValue(COMMAND, flag, spec)
}

export interface RunCommand extends ResultFileFlags {
  readonly config: RunConfig
  /** Which engines: both runs the suite twice, JS then C, and prints the transfer table. */
  readonly engine: Engine | 'both'
  /** Each engine's design: its own preset (plan.ts runPreset) under the same flags. */
  readonly designs: Readonly<Record<Engine, EngineDesign>>
}

/** The design values and budget that differ between the engines' presets. */
type EngineDesign = DesignValues & Pick<RunConfig, 'budgetSeconds'>

/** The whole command line checked and turned into a config (exported for tests). */
export function parseRunArgs(argv: string[], now: Date = new Date()): RunCommand | 'help' {
  const { values } = parseCommandArgs(COMMAND, { args: argv, options: OPTIONS, allowPositionals: false, strict: true })
  if (values.help === true) return 'help'
  const quick = values.quick === true
  const engine = engineValue(COMMAND, values.engine)
  const designOf = (e: Engine): EngineDesign => {
    const p = runPreset(e, quick)
    return {
      ...designValues(COMMAND, values, p),
      budgetSeconds: values.budget === undefined ? p.budgetSeconds : values.budget === 'off' ? null : numberValue(COMMAND, 'budget', values.budget, 1, 7 * 24 * 3600),
    }
  }
  const designs = { js: designOf('js'), native: designOf('native') }
  const compat = values['ministat-compat'] === true

  const workloads = values.workload === undefined ? workloadNames() : listValue(COMMAND, 'workload', values.workload)
  for (const name of workloads) workloadValue(COMMAND, 'workload', name)
  let strategies = values.strategy === undefined ? null : listValue(COMMAND, 'strategy', values.strategy)
  for (const spec of strategies ?? []) checkStrategy('strategy', spec)
  const baseline = values.baseline ?? null
  if (baseline !== null) {
    checkStrategy('baseline', baseline)
    // Comparing against a baseline implies measuring it.
    if (strategies !== null && !strategies.includes(baseline)) strategies = [baseline, ...strategies]
  }
  const sizes = values.sizes === undefined ? null : listValue(COMMAND, 'sizes', values.sizes).map((s) => integerValue(COMMAND, 'sizes', s, 1, 1 << 20))
  const marginPercent = values.margin === undefined ? DEFAULT_MARGIN_PERCENT : numberValue(COMMAND, 'margin', values.margin, 0.1, 100)
  // K is the same in every engine's preset.
  const { ops, seed, confidence } = streamValues(COMMAND, values, runPreset('js', quick).ops, compat)
  const wrapOffsetSpacePages =
    values['offset-space'] === undefined
      ? quick
        ? QUICK_RUN.wrapOffsetSpacePages
        : DEFAULT_WRAP_SPACE
      : integerValue(COMMAND, 'offset-space', values['offset-space'], 64, 2 ** 52)
  const isolation = isolationValue(COMMAND, values.isolation)
  // Smoke runs stay out of the tracked results: results/scratch/ is git-ignored.
  const files = resultFileValues(COMMAND, values, { out: quick ? SCRATCH_DIR : 'results', name: timestampedName(quick ? 'quick' : 'bench', now) })
  return {
    config: {
      workloads,
      strategies,
      baseline,
      sizes,
      ...designs[engine === 'both' ? 'js' : engine],
      marginPercent,
      ops,
      seed,
      confidence,
      mode: compat ? 'ministat' : 'exact',
      wrapOffsetSpacePages,
      quick,
      isolation,
      gcBeforeSample: gcModeValue(values['gc-before-sample']),
    },
    engine,
    designs,
    ...files,
  }
}

/** Counted work of a transfer row's strategy and baseline, from the untimed pass. */
export function countedWorkOf(config: Pick<RunConfig, 'seed' | 'ops'>): CountedWork {
  return (row) => {
    const strategy = countedWorkPerOp(row.strategy, row.workload, row.size, config.seed, config.ops)
    const baseline = countedWorkPerOp(row.baseline, row.workload, row.size, config.seed, config.ops)
    return strategy === null || baseline === null ? null : { strategy, baseline }
  }
}

export async function main(argv: string[], io: CliIo, hooks: TestHooks<RunConfig> = {}): Promise<number> {
  const parsed = startCommand(parseRunArgs(argv), io, RUN_USAGE, hooks)
  if (parsed === null) return 0
  const { config } = parsed
  // Load and validate outside modules here, so a bad one is a one-line error before anything runs
  // (each strategy's worker loads it again in its own isolate).
  for (const spec of [...(config.strategies ?? []), ...(config.baseline === null ? [] : [config.baseline])]) {
    if (isModuleSpec(spec)) await resolveStrategySpec(spec, io.cwd ?? process.cwd())
  }
  const engines: Engine[] = parsed.engine === 'both' ? ['js', 'native'] : [parsed.engine]
  const native = nativeBuildRecord(COMMAND, parsed.engine)
  const nameOf = (engine: Engine): string => (engines.length > 1 && engine === 'native' ? `${parsed.name}-native` : parsed.name)
  const claims = engines.map((engine) => {
    const paths = resultPaths(parsed.out, nameOf(engine))
    return { engine, paths, claim: claimOutputs(COMMAND, parsed.out, nameOf(engine), [paths.json, paths.markdown], parsed.force) }
  })
  const results: RunResult[] = []
  for (const { engine, paths, claim } of claims) {
    const startedAt = new Date()
    const started = performance.now()
    const watch = watchMachine()
    // This engine's config: the shared values with its own design (--engine both: one per engine).
    const engineConfig: RunConfig = { ...config, ...parsed.designs[engine], engine }
    const groups = await measureClaimed(COMMAND, claims.map((c) => c.claim), io, () =>
      runBenchmark(engineConfig, progressWanted(io, parsed.progress) ? { onProgress: progressReporter(io, engines.length > 1 ? `${COMMAND} (${engine})` : COMMAND) } : {}),
    )
    if (groups === null) return 1
    const durationMs = performance.now() - started
    const environment = collectEnvironment({ startedAt, durationMs, commandLine: ['gntbench', 'run', ...argv], seed: config.seed, gcBetweenReplicates: config.gcBeforeSample !== 'none' })
    const roundLoads = groups.flatMap((group) => group.measurement?.loadAverages ?? [])
    const busy = watch.busy(roundLoads)
    if (busy !== null) io.stderr(`${COMMAND}: warning: busy machine: ${busy}; the report says so\n`)
    const result = assembleResult({ name: nameOf(engine), environment, machine: { before: watch.before, busy }, config: engineConfig, groups, native: engine === 'native' ? native : null })
    results.push(result)
    const width = io.isTty && io.columns !== undefined ? Math.max(40, io.columns - 2) : 74
    io.stdout(parsed.json ? `${JSON.stringify(result, null, 2)}\n` : formatRunText(result, { width }))
    const failed = writeClaimed(COMMAND, claim, [[paths.json, `${JSON.stringify(result, null, 2)}\n`], [paths.markdown, formatRunMarkdown(result)]], parsed.force, nameOf(engine))
    if (failed !== null) {
      for (const c of claims) c.claim.release()
      io.stderr(`${failed}\n`)
      return 1
    }
    io.stderr(`${COMMAND}: wrote ${paths.json} and ${paths.markdown} (${formatDuration(durationMs)})\n`)
  }
  const [js, c] = results
  if (js !== undefined && c !== undefined && !parsed.json) {
    io.stdout(`\n${formatTransfer(transferRows(js, c), countedWorkOf(config))}`)
  }
  return 0
}
