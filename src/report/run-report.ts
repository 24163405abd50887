// The report of `gntbench run`, from a results file alone (so an old file prints the same way):
//
// * per (workload, N) a ministat block: the strategies as datasets, baseline first (x), vitals in
//   ns/op, the plot, and a Difference / No difference line for each strategy against the
//   baseline; skipped strategies and baseline fallbacks are listed above it;
// * per wrap size a table of what each allocator did (outcome workloads are not timed);
// * one summary table for the whole run: relative difference ± CI and verdict per cell.
//
// Text for the terminal, Markdown (the same blocks in code fences, tables as tables) for the
// results/<name>.md file.

import { formatMinistat } from './ministat.js'
import { stabilityNotes } from './stability-notes.js'
import { MAX_PLOT_DATASETS, MinistatCrash } from './ministat-plot.js'
import type { Column } from './text-table.js'
import { markdownTable, textTable } from './text-table.js'
import type { Dataset } from '../stats/types.js'
import type {
  JsonComparison,
  MeasuredResultCell,
  OutcomeResultCell,
  ResultBlock,
  ResultCell,
  ResultWorkload,
  RunResult,
} from '../runner/result-schema.js'

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
 * "+12.3% ± 4.1%": Δ in percent of the baseline mean ± the half-width of Δ's confidence interval
 * in percent of the same mean. That is the interval behind the verdict (|Δ| > e), so the verdict
 * says 'faster' or 'slower' exactly when this interval excludes 0. (The ministat block's
 * relative line in exact mode is an interval for the ratio of the means instead, which also
 * carries the baseline's uncertainty and can be narrower than this one when the ratio is small.)
 */
export function formatRelative(c: Pick<JsonComparison, 'relativePercent' | 'deltaHalfWidth'>, baselineMean: number | null): string {
  const half = c.deltaHalfWidth === null || baselineMean === null || baselineMean === 0 ? null : (c.deltaHalfWidth * 100) / Math.abs(baselineMean)
  return `${formatPercent(c.relativePercent)} ± ${half === null ? 'n/a' : `${half.toFixed(1)}%`}`
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
  const options = { width, mode: result.config.mode, confidence: result.config.confidence, tests: true, unit: 'ns/op', designEffect: result.config.designEffect ?? 1 } as const
  return chunks.map((chunk) => {
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
    lines.push(`${result.config.replicates} replicates × ${measured.opsPerReplicate} ops, each on a fresh state of ${measured.setupOps} setup ops; baseline x = ${block.baseline ?? 'none'}`)
  }
  if (block.baselineNote !== null) lines.push(`note: ${block.baselineNote}`)
  for (const cell of cellsOf(result, block.workload, block.size)) {
    if (cell.status === 'skipped') lines.push(`skipped ${cell.strategy}: ${cell.reason}`)
  }
  return lines
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
  { title: 'Δ vs baseline ± CI', align: 'right' },
  { title: 'verdict', align: 'left' },
]

function meanOf(result: RunResult, workload: string, size: number, strategy: string): number | null {
  const cell = result.cells.find((c) => c.workload === workload && c.size === size && c.strategy === strategy)
  return cell?.status === 'measured' ? cell.summary.mean : null
}

export function formatMean(mean: number | null): string {
  return mean === null ? '—' : mean.toFixed(0)
}

export function summaryRows(result: RunResult): string[][] {
  return result.blocks.flatMap((block) => {
    const baseMean = meanOf(result, block.workload, block.size, block.baseline ?? '')
    return block.comparisons.map((c) => [
      block.workload,
      String(block.size),
      block.baseline ?? '—',
      formatMean(baseMean),
      c.strategy,
      formatMean(meanOf(result, block.workload, block.size, c.strategy)),
      formatRelative(c, baseMean),
      c.verdict,
    ])
  })
}

function summaryCaption(result: RunResult): string {
  const { confidence, mode } = result.config
  const test = mode === 'ministat' ? "ministat's pooled Student's t" : "exact Student's t, or Welch's t when the variances differ"
  return (
    `Summary: mean ns/op of each strategy against its block's baseline. Δ = difference of the means ± the half-width ` +
    `of its ${formatConfidence(confidence)} confidence interval (${test}), both in % of the baseline mean; ` +
    `'faster'/'slower' exactly when that interval excludes 0.`
  )
}

/** Where the replicates ran (runner/host-factory.ts), in words. */
export function describeIsolation(isolation: RunResult['config']['isolation'], unit = 'strategy'): string {
  if (isolation === 'process') return 'a fresh child process per replicate'
  if (isolation === 'inline') return 'inline (one thread, counted sources: times not comparable)'
  return `one worker thread per ${unit}`
}

/** The design effect in words, for headings (1: nothing to say but that). */
export function describeDesignEffect(designEffect: number): string {
  return designEffect === 1 ? 'design effect 1 (plain t-test)' : `design effect ${designEffect} (intervals × ${Math.sqrt(designEffect).toFixed(2)})`
}

function runHeading(result: RunResult): string[] {
  const e = result.environment
  const c = result.config
  return [
    `gntbench run '${result.name}': ${e.date}, Node ${e.node} (V8 ${e.v8}), ${e.cpu.model} × ${e.cpu.cores}, ${e.os.platform} ${e.os.release}`,
    `git ${e.gitCommit === null ? 'unknown' : e.gitCommit.slice(0, 12)}${e.gitDirty === true ? ' (dirty)' : ''}; seed ${c.seed}; R = ${c.replicates}; K = ${c.ops}; sizes ${sizesText(c.sizes, c.quick)}; ` +
      `warmup ≥ ${c.warmupIterations} replicates / ${c.warmupMs} ms; ${describeIsolation(c.isolation)}; ${describeDesignEffect(c.designEffect ?? 1)}; ` +
      `GC before each replicate: ${e.gcBetweenReplicates ? 'yes' : 'no (--gc-between-replicates to force one)'}`,
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
    out.push(...ministatBlocks(result, block, options.width).map((text) => text.trimEnd()), ...stabilityNotes(result, block), '')
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
    `- Node ${e.node}, V8 ${e.v8}; GC before each replicate: ${e.gcBetweenReplicates ? 'yes' : 'no'}`,
    `- git: ${e.gitCommit ?? 'unknown'}${e.gitDirty === true ? ' (uncommitted changes)' : ''}`,
    `- command: \`${e.commandLine.join(' ')}\``,
    `- seed ${c.seed}; R = ${c.replicates} replicates; K = ${c.ops} ops; sizes ${sizesText(c.sizes, c.quick)}; confidence ${c.confidence}%; ${c.mode} statistics`,
    `- warmup ≥ ${c.warmupIterations} replicates / ${c.warmupMs} ms per host and group; ${describeIsolation(c.isolation)}; ${describeDesignEffect(c.designEffect ?? 1)}${c.isolation === 'inline' ? '' : '; timed code without cost counters'}`,
    '',
  ]
  for (const block of result.blocks) {
    out.push(`## ${blockHeading(result, block.workload, block.size)}`, '')
    for (const line of blockPreamble(result, block)) out.push(`${line}  `)
    out.push('', '```text', ...ministatBlocks(result, block, 74).map((text) => text.trimEnd()), ...stabilityNotes(result, block), '```', '')
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
