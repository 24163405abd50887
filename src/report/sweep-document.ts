// The sweep report as a small document model (headings, paragraphs, tables, charts), built from
// a results file alone, so Markdown and HTML say exactly the same thing: sweep-markdown.ts and
// html-page.ts only render these blocks.

import { CONSTANT_BELOW, LINEAR_FROM, SUPERLINEAR_ABOVE, TAIL_LINEAR_FROM } from '../stats/growth.js'
import type { ChartFile } from './sweep-charts.js'
import { sweepCharts } from './sweep-charts.js'
import { formatRatio } from './run-report.js'
import { formatSize } from './sweep-paragraph.js'
import type { SweepResult, SweepWorkloadResult } from '../results/sweep-schema.js'
import { formatNs } from './svg-chart.js'
import type { Column } from './text-table.js'

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; columns: Column[]; rows: string[][] }
  | { kind: 'chart'; chart: ChartFile }

const L = (title: string): Column => ({ title, align: 'left' })
const R = (title: string): Column => ({ title, align: 'right' })

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits)
}

function bytes(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(value >= 100 ? 0 : 1)
}

function answerTable(result: SweepResult): Block {
  const rows: string[][] = []
  for (const w of result.workloads) {
    for (const s of w.analysis.series) {
      const first = s.points[0]
      const last = s.points[s.points.length - 1]
      const g = s.growth
      rows.push([
        w.name,
        s.strategy,
        first === undefined ? 'n/a' : `${formatNs(first.summary.mean)} @ ${formatSize(first.size)}`,
        last === undefined ? 'n/a' : `${formatNs(last.summary.mean)} @ ${formatSize(last.size)}`,
        g === null ? 'n/a' : `${fixed(g.exponent, 2)} ± ${fixed(g.exponentHalfWidth, 2)}`,
        g === null ? 'n/a' : fixed(g.rSquared, 3),
        g === null ? 'n/a' : g.growthClass,
        g === null ? 'n/a' : fixed(g.tailExponent, 2),
        s.workGrowth === null ? 'n/a' : `${fixed(s.workGrowth.exponent, 2)} (${s.workGrowth.growthClass})`,
        s.commonGrowth === null || w.analysis.commonRange === null
          ? 'n/a'
          : `${fixed(s.commonGrowth.exponent, 2)} [${fixed(s.commonGrowth.lower, 2)}, ${fixed(s.commonGrowth.upper, 2)}] over ${formatSize(w.analysis.commonRange[0])}–${formatSize(w.analysis.commonRange[1])}`,
      ])
    }
  }
  return {
    kind: 'table',
    columns: [L('workload'), L('strategy'), R('ns/op, smallest N'), R('ns/op, largest N timed'), R('exponent ± CI'), R('r²'), L('class'), R('tail exponent'), L('work exponent'), R('exponent, common range [isolate bootstrap]')],
    rows,
  }
}

function crossoverTable(result: SweepResult): Block {
  const rows: string[][] = []
  for (const w of result.workloads) {
    for (const p of w.analysis.pairs) {
      const x = p.crossovers
      if (x.status === 'crossover') {
        for (const c of x.crossovers) {
          rows.push([w.name, `${p.a} vs ${p.b}`, `${c.below} → ${c.above}`, `${formatSize(c.fromSize)} … ${formatSize(c.toSize)}`, `~${formatSize(c.estimate)}`])
        }
      } else {
        const note = x.status === 'no crossover in range' ? `no crossover in range (${x.winner ?? ''} ahead)` : 'no difference proven'
        rows.push([w.name, `${p.a} vs ${p.b}`, note, '', x.unprovenCrossings.length > 0 ? `means cross ~${x.unprovenCrossings.map(formatSize).join(', ')} (not significant)` : ''])
      }
    }
  }
  return { kind: 'table', columns: [L('workload'), L('pair'), L('crossover'), R('verdict flips between N'), R('means cross at N')], rows }
}

function timeTable(w: SweepWorkloadResult): Block {
  const strategies = w.analysis.series.map((s) => s.strategy)
  const rows = w.sizes.map((size) => [
    formatSize(size),
    ...strategies.map((strategy) => {
      const point = w.analysis.series.find((s) => s.strategy === strategy)?.points.find((p) => p.size === size)
      if (point !== undefined) return `${formatNs(point.summary.mean)} ± ${Number.isFinite(point.halfWidth) ? formatNs(point.halfWidth) : 'n/a'} (n=${point.summary.n})`
      const skipped = w.cells.find((c) => c.size === size && c.strategy === strategy && c.status === 'skipped')
      return skipped === undefined ? '' : `skipped (${skipped.status === 'skipped' ? skipped.cause : ''})`
    }),
  ])
  return { kind: 'table', columns: [R('N'), ...strategies.map(R)], rows }
}

function comparisonTable(w: SweepWorkloadResult): Block {
  const rows: string[][] = []
  for (const p of w.analysis.pairs) {
    for (const at of p.perSize) {
      const c = at.comparison
      rows.push([`${p.b} vs ${p.a}`, formatSize(at.size), formatRatio(c), c.method, c.verdict])
    }
  }
  return { kind: 'table', columns: [L('b vs baseline a'), R('N'), R('time b ÷ a − 1 [CI]'), L('test'), L('verdict for b')], rows }
}

function counterTable(w: SweepWorkloadResult): Block {
  const rows = w.counters.map((c) => [
    formatSize(c.size),
    c.strategy,
    fixed(c.perOp.nodesVisited, 1),
    fixed(c.perOp.keyCompares, 1),
    fixed(c.perOp.nodesAllocated, 2),
    fixed(c.perOp.nodesFreed, 2),
    fixed(c.perOp.rotations, 2),
  ])
  return { kind: 'table', columns: [R('N'), L('strategy'), R('nodes visited'), R('key compares'), R('nodes allocated'), R('nodes freed'), R('rotations')], rows }
}

function memoryTable(w: SweepWorkloadResult): Block {
  const rows: string[][] = []
  for (const s of w.analysis.series.map((x) => x.strategy)) {
    const fit = w.heapFits.find((f) => f.strategy === s)
    for (const m of w.memory.filter((x) => x.strategy === s)) {
      rows.push([
        s,
        formatSize(m.size),
        formatSize(m.counts.grefs + m.counts.gmaps),
        bytes(m.model.bytesPerRecord),
        bytes(m.model.structuralBytesPerRecord),
        bytes(m.model.bytesPerPage),
        bytes(m.model.totalBytesWithoutUnion / Math.max(1, m.counts.grefs + m.counts.gmaps)),
        bytes(m.heapBytesPerRecordMean),
      ])
    }
    if (fit !== undefined) rows.push([s, 'fit', '', '', '', '', '', `${bytes(fit.bytesPerRecord)} (r² ${fixed(fit.rSquared, 3)})`])
  }
  return {
    kind: 'table',
    columns: [L('strategy'), R('N'), R('records'), R('model B/record'), R('structure B/record'), R('model B/page'), R('B/record, no union'), R('JS heap B/record')],
    rows,
  }
}

function layoutBlock(result: SweepResult): Block {
  return {
    kind: 'table',
    columns: [L('layout'), L('fields (bytes)'), R('sizeof'), R('padding'), L('source')],
    rows: result.memoryLayouts.map((r) => [r.name, r.fields, String(r.bytes), String(r.padding), r.source]),
  }
}

function environmentText(result: SweepResult): string {
  const e = result.environment
  const c = result.config
  const commit = e.gitCommit === null ? 'no git commit' : `commit ${e.gitCommit.slice(0, 12)}${e.gitDirty === true ? ' (dirty tree)' : ''}`
  return (
    `${e.date}, ${(e.durationMs / 60000).toFixed(1)} min; Node ${e.node} (V8 ${e.v8}), ${e.os.platform} ${e.os.arch}, ${e.cpu.model} × ${e.cpu.cores}, ` +
    `${(e.memoryBytes / 2 ** 30).toFixed(1)} GiB; ${commit}. ${c.isolates} rounds of a fresh isolate per strategy per cell (${c.warmupMs} ms warm-up, ${c.samples} samples of ≥ ${c.sampleMs} ms, K = ${c.ops} ops per state), seed ${c.seed}, ` +
    `${c.confidence} % confidence (ratios on the log scale, paired over rounds), strategies interleaved per round; ` +
    `cells projected over ${c.cellBudgetSeconds} s or over the ${(c.heapLimitBytes / 2 ** 30).toFixed(1)} GiB isolate heap are skipped. ` +
    `${engineText(c)} ` +
    `Command: \`${e.commandLine.join(' ')}\`.`
  )
}

/** Who timed the cells. Files written before the engine was recorded were timed in JS. */
function engineText(c: SweepResult['config']): string {
  const engine = (c.engine as SweepResult['config']['engine'] | undefined) ?? 'js'
  const n = c.native
  const build = n === undefined ? '' : ` (native/ engine ${n.version}; ${n.compiler}; ${n.cflags.join(' ')})`
  if (engine === 'js') return 'Timed on the TS model in V8.'
  if (engine === 'native') return `Timed on the C engine${build}: the same op streams; counters and the JS heap from the TS model's untimed pass.`
  return `Timed on both engines, each strategy twice in the same rounds: \`STRATEGY@js\` on the TS model in V8, \`STRATEGY@native\` on the C engine${build}; crossovers within one engine; counters from the TS model's untimed pass, the JS heap for the @js series only.`
}

const classRules = (confidence: number): string =>
  `Exponent b: least squares of ln(mean ns/op) on ln N over the timed sizes; ± is its ${confidence} % confidence interval (exact t, k − 2 df, residual or replicate standard error, whichever is larger). ` +
  `Classes: b > ${SUPERLINEAR_ABOVE} superlinear; ${LINEAR_FROM} ≤ b ≤ ${SUPERLINEAR_ABOVE} linear; below ${LINEAR_FROM}, logarithmic when α + β·ln N fits best and growth is proven, ` +
  `linear when α + β·N fits best and the tail exponent is ≥ ${TAIL_LINEAR_FROM} (a fixed cost hides the slope), constant when b < ${CONSTANT_BELOW}, otherwise sublinear. Tail exponent: the slope over the three largest sizes. ` +
  `Work exponent: the same fit on nodes visited + key comparisons per op (deterministic). A crossover is claimed only where the significant winner flips.`

/** The whole report; charts are carried inside the blocks. */
export function sweepDocument(result: SweepResult): Block[] {
  const charts = sweepCharts(result)
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: `gntbench sweep: ${result.name}` },
    { kind: 'paragraph', text: environmentText(result) },
    { kind: 'heading', level: 2, text: 'The answer' },
    answerTable(result),
    { kind: 'paragraph', text: classRules(result.config.confidence) },
    crossoverTable(result),
  ]
  for (const w of result.workloads) blocks.push({ kind: 'paragraph', text: `**${w.name}** (N = ${w.sizeUnit}). ${w.paragraph}` })
  for (const w of result.workloads) {
    const set = charts.find((c) => c.workload === w.name)?.charts ?? []
    blocks.push({ kind: 'heading', level: 2, text: w.name })
    blocks.push({ kind: 'paragraph', text: `${w.summary}. N counts ${w.sizeUnit}; sides: ${w.sides}.` })
    if (set[0] !== undefined) blocks.push({ kind: 'chart', chart: set[0] })
    blocks.push({ kind: 'heading', level: 3, text: 'Time per op (mean ± CI half-width, n replicates)' })
    blocks.push(timeTable(w))
    blocks.push({ kind: 'heading', level: 3, text: 'Pairwise comparisons' })
    blocks.push(comparisonTable(w))
    blocks.push({ kind: 'heading', level: 3, text: 'Counted work per op (untimed replay of the same ops)' })
    if (set[1] !== undefined) blocks.push({ kind: 'chart', chart: set[1] })
    blocks.push(counterTable(w))
    blocks.push({ kind: 'heading', level: 3, text: 'Memory per record' })
    blocks.push({
      kind: 'paragraph',
      text:
        'Model: LP64 kernel bytes of the records, their links, index nodes and allocator nodes at that live set (layouts below); "structure" counts only what the data-structure choice decides. ' +
        'JS heap: growth of V8 heapUsed + arrayBuffers while the live set is built, after forced collections, per live record (mean of the repeats after the first; n/a where the growth is under 1 MiB, which V8\'s own code and feedback allocations swamp); the fit row is the slope of heap against records over the sizes with a reading.',
    })
    blocks.push(memoryTable(w))
    if (set[2] !== undefined) blocks.push({ kind: 'chart', chart: set[2] })
    const skipped = w.cells.filter((c) => c.status === 'skipped')
    if (skipped.length > 0) {
      blocks.push({
        kind: 'table',
        columns: [L('skipped strategy'), R('N'), L('why')],
        rows: skipped.map((c) => [c.strategy, formatSize(c.size), c.reason]),
      })
    }
  }
  blocks.push({ kind: 'heading', level: 2, text: 'Memory model: LP64 layouts' })
  blocks.push({
    kind: 'paragraph',
    text: 'Sizes on LP64 (pointers and unsigned long 8 B, fields aligned to their size); checked against gcc on equivalent declarations. Store links share a union with the cleanup-queue link, as review D7293 asked; the kernel presets keep their own records.',
  })
  blocks.push(layoutBlock(result))
  return blocks
}
