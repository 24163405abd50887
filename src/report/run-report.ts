// The report of `gntbench run`, from a results file alone (so an old file prints the same way):
//
// * per (workload, N) a ministat block: the strategies as datasets, baseline first (x), one value
//   per isolate (its mean ns/op), the plot, and for each strategy its ratio to the baseline with
//   the asymmetric interval, p, Holm-adjusted p and the equivalence test (--ministat-compat: the
//   ministat(1) Difference lines over the same values instead); then per strategy the variance
//   components and GC; skipped strategies and baseline fallbacks are listed above it;
// * per wrap size a table of what each allocator did (outcome workloads are not timed);
// * one summary table for the whole run: ratio as % change with its interval, Holm-adjusted p and
//   the family verdict per cell — the same numbers as the blocks and the JSON.
//
// Text for the terminal, Markdown (the same blocks in code fences, tables as tables) for the
// results/<name>.md file.

import { formatMinistat } from './ministat.js'
import { stabilityNotes } from './stability-notes.js'
import { MAX_PLOT_DATASETS, MinistatCrash } from './ministat-plot.js'
import type { Column } from './text-table.js'
import { markdownTable, textTable } from './text-table.js'
import { ratioPercent, twoStageOf } from '../stats/ratio.js'
import type { Dataset } from '../stats/types.js'
import type {
  JsonComparison,
  MeasuredResultCell,
  OutcomeResultCell,
  ResultBlock,
  ResultCell,
  ResultWorkload,
  RunResult,
} from '../results/run-schema.js'
import { hostStateText } from './host-state.js'
import { samplesShareStream } from '../results/host-noise.js'
import { precisionClaim } from './precision-claim.js'

export interface RunReportOptions {
  /** Plot width in columns (ministat: 74, or the terminal's). */
  readonly width: number
}

/** "+12.3%" / "−4.0%" style, one decimal; "n/a" when unknown. */
export function formatPercent(value: number | null): string {
  if (value === null) return 'n/a'
  const text = `${Math.abs(value).toFixed(1)}%`
  return value > 0 ? `+${text}` : value < 0 ? `-${text}` : text
}

/**
 * "−77.6% [−82.9%, −70.7%]": the ratio strategy ÷ baseline as a percent change, with its interval
 * (asymmetric: computed on the log scale, never below −100 %).
 */
export function formatRatio(c: Pick<JsonComparison, 'ratio' | 'lower' | 'upper'>): string {
  return `${formatPercent(ratioPercent(c.ratio))} [${formatPercent(ratioPercent(c.lower))}, ${formatPercent(ratioPercent(c.upper))}]`
}

/** A p-value in at most three significant digits ("< 0.0001" below). */
export function formatP(p: number): string {
  if (p < 1e-4) return '< 0.0001'
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2)
}

/** The comparison lines of the ministat block (exact mode). */
function ratioLines(c: JsonComparison): string[] {
  const level = `${c.confidence}%`
  const twoStage = twoStageOf(c)
  const sd = twoStage === null ? '' : twoStage.guarded ? `, sd the larger of the first ${twoStage.rounds} rounds' and all (Stein two-stage, guarded)` : `, sd of the first ${twoStage.rounds} (Stein two-stage)`
  const paired = `paired over ${c.n} rounds${sd}`
  const method = c.method === 'welch-isolates' ? `Welch on log isolate means, df = ${c.df.toFixed(1)}` : `${paired}, df = ${c.df}`
  const verdict = c.familyVerdict === 'equivalent' ? `equivalent within ±${c.marginPercent}%` : c.familyVerdict
  return [
    `Ratio to x at ${level} confidence: ${c.ratio.toPrecision(4)} [${c.lower.toPrecision(4)}, ${c.upper.toPrecision(4)}] = ${formatRatio(c)}: ${c.verdict}`,
    `\t(${method}; p = ${formatP(c.p)}, Holm p = ${formatP(c.holmP)}; TOST ±${c.marginPercent}%: Holm p = ${formatP(c.equivalenceHolmP)}) → ${verdict}`,
  ]
}

function formatConfidence(confidence: number): string {
  return Number.isInteger(confidence) ? `${confidence}.0%` : `${confidence}%`
}

function cellsOf(result: RunResult, workload: string, size: number): ResultCell[] {
  return result.cells.filter((cell) => cell.workload === workload && cell.size === size)
}

function workloadOf(result: RunResult, name: string): ResultWorkload | undefined {
  return result.workloads.find((workload) => workload.name === name)
}

function sidesText(sides: ResultWorkload['sides']): string {
  return sides === 'both' ? 'alloc + map sides' : `${sides} side`
}

/** The ministat blocks of one (workload, N); more than 7 strategies are split, baseline in each. */
function ministatBlocks(result: RunResult, block: ResultBlock, width: number): string[] {
  const measured = cellsOf(result, block.workload, block.size).filter((cell): cell is MeasuredResultCell => cell.status === 'measured')
  const datasets: Dataset[] = block.strategies.flatMap((strategy) => {
    const cell = measured.find((candidate) => candidate.strategy === strategy)
    return cell === undefined ? [] : [{ name: strategy, values: cell.values }]
  })
  const [baseline, ...others] = datasets
  if (baseline === undefined) return []
  const chunks: Dataset[][] = []
  for (let i = 0; i < Math.max(1, others.length); i += MAX_PLOT_DATASETS - 1) chunks.push([baseline, ...others.slice(i, i + MAX_PLOT_DATASETS - 1)])
  const compat = result.config.mode === 'ministat'
  const lines = (chunk: readonly Dataset[]) => (index: number): readonly string[] => {
    const c = block.comparisons.find((candidate) => candidate.strategy === chunk[index]?.name)
    return c === undefined ? [] : ratioLines(c)
  }
  const base = { width, mode: result.config.mode, confidence: result.config.confidence, tests: true, unit: 'ns/op (isolate means)' } as const
  return chunks.map((chunk) => {
    const options = compat ? base : { ...base, comparisonLines: lines(chunk) }
    try {
      return formatMinistat(chunk, { ...options, plot: 'single' })
    } catch (error) {
      // ministat itself would crash on this plot (compat mode); the numbers are still good.
      if (!(error instanceof MinistatCrash)) throw error
      return `[no plot: ministat would crash drawing it]\n${formatMinistat(chunk, { ...options, plot: 'none' })}`
    }
  })
}

function blockHeading(result: RunResult, workload: string, size: number): string {
  const info = workloadOf(result, workload)
  const unit = info?.sizeUnit ?? 'entries'
  return `${workload}, N = ${size} ${unit}`
}

function blockPreamble(result: RunResult, block: ResultBlock): string[] {
  const info = workloadOf(result, block.workload)
  const lines: string[] = []
  if (info !== undefined) lines.push(`${info.summary} [${sidesText(info.sides)}]`)
  const measured = cellsOf(result, block.workload, block.size).find((cell): cell is MeasuredResultCell => cell.status === 'measured')
  if (measured !== undefined) {
    const precision = precisionClaim(block, result.config.precisionPercent)
    lines.push(
      `${block.rounds} rounds × ${nativeInterleaved(result.config) ? 'one engine process holding every strategy' : 'a fresh isolate per strategy'}, ${result.config.samples} samples each; a sample = ${nativeCopies(result.config) ? 'k copies of one state built from' : 'k fresh states of'} ${measured.setupOps} setup ops, ` +
        `${measured.opsPerBatch} timed ops each; baseline x = ${block.baseline ?? 'none'}${precision}`,
    )
  }
  if (block.baselineNote !== null) lines.push(`note: ${block.baselineNote}`)
  for (const cell of cellsOf(result, block.workload, block.size)) {
    if (cell.status === 'skipped') lines.push(`skipped ${cell.strategy}: ${cell.reason}`)
  }
  return lines
}

/** Per measured strategy: states per sample, variance components, GC. */
function componentLines(result: RunResult, block: ResultBlock): string[] {
  const cells = cellsOf(result, block.workload, block.size).filter((cell): cell is MeasuredResultCell => cell.status === 'measured')
  const pct = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)}%`)
  const load = block.loadAverages.length === 0 ? '' : `; load ${Math.min(...block.loadAverages).toFixed(2)}–${Math.max(...block.loadAverages).toFixed(2)}`
  const lines = cells.map((cell) => {
    const k = cell.isolates.map((i) => i.statesPerSample)
    const kText = Math.min(...k) === Math.max(...k) ? String(k[0]) : `${Math.min(...k)}–${Math.max(...k)}`
    return `${cell.strategy}: k = ${kText} states/sample; isolate-to-isolate ${pct(cell.components.betweenPercent)}, sample-to-sample ${pct(cell.components.withinPercent)}; GC in ${cell.gcSamples} of ${cell.totalSamples} samples`
  })
  return lines.length === 0 ? [] : [`variance (log scale, as CV)${load}:`, ...lines.map((line) => `  ${line}`)]
}

const OUTCOME_COLUMNS: readonly Column[] = [
  { title: 'strategy', align: 'left' },
  { title: 'allocator', align: 'left' },
  { title: 'outcome', align: 'left' },
  { title: 'ALLOCs', align: 'right' },
  { title: 'failures', align: 'left' },
  { title: 'pages before 1st failure', align: 'right' },
  { title: 'overlaps', align: 'right' },
  { title: 'collisions', align: 'right' },
  { title: 'leaked pages', align: 'right' },
]

function outcomeRows(cells: readonly ResultCell[]): { rows: string[][]; skipped: string[] } {
  const rows: string[][] = []
  const skipped: string[] = []
  for (const cell of cells) {
    if (cell.status === 'skipped') {
      skipped.push(`skipped ${cell.strategy}: ${cell.reason}`)
      continue
    }
    if (cell.status !== 'outcome') continue
    const o: OutcomeResultCell = cell
    const failures = Object.entries(o.allocFailures)
      .map(([errno, count]) => `${errno} × ${count}`)
      .join(', ')
    rows.push([
      o.strategy,
      o.allocatorKind,
      o.outcome === 'overlapped' && o.wrapped ? 'overlapped (wrapped)' : o.outcome,
      String(o.allocCalls),
      failures === '' ? '—' : failures,
      o.firstFailureAt === null ? '—' : String(o.pagesAllocatedBeforeFailure),
      String(o.overlaps),
      String(o.collisions),
      String(o.leakedPages),
    ])
  }
  return { rows, skipped }
}

const SUMMARY_COLUMNS: readonly Column[] = [
  { title: 'workload', align: 'left' },
  { title: 'N', align: 'right' },
  { title: 'baseline', align: 'left' },
  { title: 'base ns/op', align: 'right' },
  { title: 'strategy', align: 'left' },
  { title: 'ns/op', align: 'right' },
  { title: 'change vs baseline [CI]', align: 'right' },
  { title: 'Holm p', align: 'right' },
  { title: 'verdict', align: 'left' },
]

function meanOf(result: RunResult, workload: string, size: number, strategy: string): number | null {
  const cell = result.cells.find((c) => c.workload === workload && c.size === size && c.strategy === strategy)
  if (cell?.status !== 'measured') return null
  // The geometric mean of the isolate means: the scale the ratios are on.
  return Math.exp(cell.values.reduce((sum, v) => sum + Math.log(v), 0) / cell.values.length)
}

export function formatMean(mean: number | null): string {
  return mean === null ? '—' : mean.toFixed(0)
}

/** The family verdict in words. */
export function verdictText(c: Pick<JsonComparison, 'familyVerdict' | 'marginPercent'>): string {
  return c.familyVerdict === 'equivalent' ? `equivalent (±${c.marginPercent}%)` : c.familyVerdict
}

function summaryRows(result: RunResult): string[][] {
  return result.blocks.flatMap((block) => {
    const baseMean = meanOf(result, block.workload, block.size, block.baseline ?? '')
    return block.comparisons.map((c) => [
      block.workload,
      String(block.size),
      block.baseline ?? '—',
      formatMean(baseMean),
      c.strategy,
      formatMean(meanOf(result, block.workload, block.size, c.strategy)),
      formatRatio(c),
      formatP(c.holmP),
      verdictText(c),
    ])
  })
}

function summaryCaption(result: RunResult): string {
  const { confidence, marginPercent } = result.config
  return (
    `Summary: geometric mean ns/op over isolates, and each strategy's ratio to its block's baseline as a % change with its ` +
    `${formatConfidence(confidence)} interval (log scale, paired over rounds); the verdict is Holm-adjusted over all ` +
    `${result.blocks.reduce((n, b) => n + b.comparisons.length, 0)} comparisons of the run, and 'equivalent' is a Holm-adjusted ` +
    `TOST within ±${marginPercent}% — 'no difference proven' is neither.`
  )
}

/** Where the isolates ran (runner/isolate-host.ts), in words. */
function describeIsolation(isolation: RunResult['config']['isolation']): string {
  if (isolation === 'process') return 'each strategy in a fresh child process'
  if (isolation === 'inline') return 'each strategy inline (one thread, counted sources: times not comparable)'
  return 'each strategy in a fresh worker thread'
}

/** The engine and the native engine's version, for how a run's rounds were laid out. */
interface EngineOfRun {
  readonly engine: RunResult['config']['engine']
  readonly native?: { readonly version: string; readonly warmupMs?: number } | undefined
}

/**
 * Whether the C engine ran a round's strategies in one process, samples interleaved (native
 * engine version 4 on, runner/native-round.ts; version 5, since withdrawn, interleaved the
 * replicates within each cycle too: native/src/sampler.c says why not; version 6 counts the
 * reference replicate in the warm-up); version 3 ran one process per strategy.
 */
function nativeInterleaved(run: EngineOfRun): boolean {
  return run.engine !== 'js' && run.native !== undefined && Number(run.native.version) >= 4
}

/** Whether the C engine copied one built state back per replicate: version 7 only (withdrawn, native/src/sampler.h). */
function nativeCopies(run: EngineOfRun): boolean {
  return run.engine !== 'js' && run.native !== undefined && run.native.version === '7'
}

/** The C engine's warm-up per strategy: as recorded, or the 20 ms of the files made before it was. */
function nativeWarmupMs(run: EngineOfRun): number {
  return run.native?.warmupMs ?? 20
}

/** How a round ran, in words: per engine. */
function describeRound(c: Pick<RunResult['config'], 'isolation' | 'warmupMs'> & EngineOfRun): string {
  const js = `${describeIsolation(c.isolation)} per round (${c.warmupMs} ms warm-up)`
  const native = nativeInterleaved(c)
    ? `every strategy in ONE fresh C engine process per round, ${c.native?.version === '5' ? 'their replicates' : 'samples'} interleaved (≤ ${nativeWarmupMs(c)} ms warm-up each)`
    : `each strategy in a fresh C engine process per round (≤ ${nativeWarmupMs(c)} ms warm-up)`
  if (c.engine === 'native') return native
  if (c.engine === 'both') return `JS: ${js}; C: ${native}`
  return js
}

/** The measurement design in one line; `streamPerSample`: each sample replayed a stream of its own. */
export function describeDesign(c: Pick<RunResult['config'], 'isolates' | 'maxIsolates' | 'precisionPercent' | 'isolation' | 'warmupMs' | 'samples' | 'sampleMs' | 'ops'> & EngineOfRun, streamPerSample: boolean): string {
  const rounds = c.precisionPercent === null ? `${c.isolates} rounds` : `${c.isolates}–${c.maxIsolates} rounds (until ±${c.precisionPercent}%)`
  return `${rounds}, ${describeRound(c)}; ${c.samples} samples of ≥ ${c.sampleMs} ms${streamPerSample ? ', each replaying a stream of its own' : ''}; K = ${c.ops} ops per state`
}

function machineLine(result: RunResult): string {
  const m = result.machine
  const [one, five] = m.before.loadAverage
  const governor = m.before.governor === null ? 'governor n/a' : `governor ${m.before.governor}`
  return `load before the run ${one.toFixed(2)} / ${five.toFixed(2)} (1 / 5 min); ${governor}${hostStateText(result)}${m.busy === null ? '' : `; BUSY MACHINE: ${m.busy}`}`
}

/** Which engine ran the bookkeeping, in words. */
function describeEngine(c: Pick<RunResult['config'], 'engine' | 'native'>): string {
  const n = c.native
  const build = `native/${n === undefined ? '' : `, ${n.version}; ${n.compiler}; ${n.cflags.join(' ')}`}`
  if (c.engine === 'both') return `engines: the TS model in V8 (STRATEGY@js) and C (STRATEGY@native; ${build})`
  if (c.engine !== 'native') return 'engine: the TS model in V8'
  return `engine: C (${build})`
}

function runHeading(result: RunResult): string[] {
  const e = result.environment
  const c = result.config
  return [
    `gntbench run '${result.name}': ${e.date}, Node ${e.node} (V8 ${e.v8}), ${e.cpu.model} × ${e.cpu.cores}, ${e.os.platform} ${e.os.release}; ${describeEngine(c)}`,
    `git ${e.gitCommit === null ? 'unknown' : e.gitCommit.slice(0, 12)}${e.gitDirty === true ? ' (dirty)' : ''}; seed ${c.seed}; sizes ${sizesText(c.sizes, c.quick)}; ${describeDesign(c, !samplesShareStream(result))}`,
    machineLine(result),
  ]
}

function sizesText(sizes: readonly number[] | null, quick: boolean): string {
  if (sizes !== null) return sizes.join(', ')
  return quick ? "each workload's smallest default" : "each workload's defaults"
}

function outcomeHeading(result: RunResult, workload: string, size: number): string {
  return `${blockHeading(result, workload, size)} (offset space ${result.config.wrapOffsetSpacePages} pages; an outcome, not a time)`
}

/** Groups of outcome cells, in the order they appear. */
function outcomeGroups(result: RunResult): { workload: string; size: number; cells: ResultCell[] }[] {
  const groups: { workload: string; size: number; cells: ResultCell[] }[] = []
  for (const info of result.workloads) {
    if (info.measure !== 'outcome') continue
    const sizes = [...new Set(result.cells.filter((cell) => cell.workload === info.name).map((cell) => cell.size))]
    for (const size of sizes) groups.push({ workload: info.name, size, cells: cellsOf(result, info.name, size) })
  }
  return groups
}

export function formatRunText(result: RunResult, options: RunReportOptions): string {
  const out: string[] = [...runHeading(result), '']
  for (const block of result.blocks) {
    out.push(`== ${blockHeading(result, block.workload, block.size)} ==`, ...blockPreamble(result, block))
    out.push(...ministatBlocks(result, block, options.width).map((text) => text.trimEnd()), ...componentLines(result, block), ...stabilityNotes(result, block), '')
  }
  for (const group of outcomeGroups(result)) {
    const { rows, skipped } = outcomeRows(group.cells)
    out.push(`== ${outcomeHeading(result, group.workload, group.size)} ==`, ...skipped)
    if (rows.length > 0) out.push(textTable(OUTCOME_COLUMNS, rows).trimEnd())
    out.push('')
  }
  const rows = summaryRows(result)
  if (rows.length > 0) out.push(summaryCaption(result), textTable(SUMMARY_COLUMNS, rows).trimEnd(), '')
  return out.join('\n')
}

export function formatRunMarkdown(result: RunResult): string {
  const e = result.environment
  const c = result.config
  const out: string[] = [
    `# gntbench run: ${result.name}`,
    '',
    `- date: ${e.date} (${(e.durationMs / 1000).toFixed(1)} s)`,
    `- machine: ${e.cpu.model}, ${e.cpu.cores} cores, ${(e.memoryBytes / 2 ** 30).toFixed(1)} GiB; ${e.os.platform} ${e.os.release} ${e.os.arch}`,
    `- Node ${e.node}, V8 ${e.v8}; collection before each sample: ${e.gcBetweenReplicates ? c.gcBeforeSample : 'none (node without --expose-gc)'}`,
    `- machine state: ${machineLine(result)}`,
    `- git: ${e.gitCommit ?? 'unknown'}${e.gitDirty === true ? ' (uncommitted changes)' : ''}`,
    `- command: \`${e.commandLine.join(' ')}\``,
    `- seed ${c.seed}; sizes ${sizesText(c.sizes, c.quick)}; confidence ${c.confidence}%; ${c.mode} statistics; equivalence margin ±${c.marginPercent}%`,
    `- design: ${describeDesign(c, !samplesShareStream(result))}${c.isolation === 'inline' ? '' : '; timed code without cost counters'}`,
    `- ${describeEngine(c)}`,
    '',
  ]
  for (const block of result.blocks) {
    out.push(`## ${blockHeading(result, block.workload, block.size)}`, '')
    for (const line of blockPreamble(result, block)) out.push(`${line}  `)
    out.push('', '```text', ...ministatBlocks(result, block, 74).map((text) => text.trimEnd()), ...componentLines(result, block), ...stabilityNotes(result, block), '```', '')
  }
  for (const group of outcomeGroups(result)) {
    const { rows, skipped } = outcomeRows(group.cells)
    out.push(`## ${outcomeHeading(result, group.workload, group.size)}`, '')
    for (const line of skipped) out.push(`${line}  `)
    if (rows.length > 0) out.push('', markdownTable(OUTCOME_COLUMNS, rows))
    out.push('')
  }
  const rows = summaryRows(result)
  if (rows.length > 0) out.push('## Summary', '', summaryCaption(result).replace(/^Summary: /, ''), '', markdownTable(SUMMARY_COLUMNS, rows))
  return `${out.join('\n').trimEnd()}\n`
}
