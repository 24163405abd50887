// The charts of a sweep, one set per workload: ns/op against N on log-log axes with each
// strategy's confidence band (the timing answer), counted work per op against N (what explains
// it), and bytes per record (the LP64 model beside the measured JS heap).

import type { SweepResult, SweepWorkloadResult } from '../results/sweep-schema.js'
import { formatNs, formatSi, renderBarChart, renderLineChart } from './svg-chart.js'

export interface ChartFile {
  /** File name (no directory), e.g. sweep-x-churn-time.svg. */
  file: string
  title: string
  svg: string
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-')
}

function timeChart(name: string, w: SweepWorkloadResult, confidence: number): ChartFile {
  const title = `${w.name}: time per op against live-set size (mean ± ${confidence} % CI)`
  const svg = renderLineChart({
    title,
    xLabel: `live-set size N, ${w.sizeUnit}`,
    yLabel: 'time per op',
    formatY: formatNs,
    series: w.analysis.series.map((s) => ({
      name: s.growth === null ? s.strategy : `${s.strategy}  N^${s.growth.exponent.toFixed(2)}`,
      points: s.points.map((p) => ({
        x: p.size,
        y: p.summary.mean,
        ...(Number.isFinite(p.halfWidth) ? { lo: p.summary.mean - p.halfWidth, hi: p.summary.mean + p.halfWidth } : {}),
      })),
    })),
  })
  return { file: `${slug(name)}-${slug(w.name)}-time.svg`, title, svg }
}

function workChart(name: string, w: SweepWorkloadResult): ChartFile {
  const title = `${w.name}: counted work per op (nodes visited + key comparisons)`
  const strategies = w.analysis.series.map((s) => s.strategy)
  const svg = renderLineChart({
    title,
    xLabel: `live-set size N, ${w.sizeUnit}`,
    yLabel: 'steps per op',
    series: strategies.map((strategy) => ({
      name: strategy,
      points: w.counters
        .filter((c) => c.strategy === strategy)
        .map((c) => ({ x: c.size, y: c.perOp.nodesVisited + c.perOp.keyCompares })),
    })),
  })
  return { file: `${slug(name)}-${slug(w.name)}-work.svg`, title, svg }
}

/**
 * Bytes per record at the largest N where every strategy has a memory measurement (so the bars
 * compare like with like), else at each strategy's own largest N. The JS heap bar is the slope
 * of heap against records over all sizes, which removes fixed costs.
 */
function memoryChart(name: string, w: SweepWorkloadResult): ChartFile {
  const strategies = w.analysis.series.map((s) => s.strategy)
  const sizesOf = (strategy: string): Set<number> => new Set(w.memory.filter((m) => m.strategy === strategy).map((m) => m.size))
  const common = [...sizesOf(strategies[0] ?? '')].filter((size) => strategies.every((s) => sizesOf(s).has(size)))
  const at = common.length > 0 ? Math.max(...common) : null
  const pick = (strategy: string) =>
    w.memory.filter((m) => m.strategy === strategy && (at === null || m.size === at)).sort((a, b) => b.size - a.size)[0]
  const fitOf = (strategy: string) => w.heapFits.find((f) => f.strategy === strategy)
  const title = `${w.name}: bytes per live record${at === null ? '' : ` at N = ${at.toLocaleString('en-US')}`}`
  const svg = renderBarChart({
    title,
    yLabel: 'bytes per record',
    categories: strategies,
    formatY: (v) => formatSi(Math.round(v)),
    series: [
      { name: 'kernel model, total (LP64)', values: strategies.map((s) => pick(s)?.model.bytesPerRecord ?? Number.NaN) },
      { name: 'kernel model, structure only', values: strategies.map((s) => pick(s)?.model.structuralBytesPerRecord ?? Number.NaN) },
      { name: 'JS heap, measured (fit slope)', values: strategies.map((s) => fitOf(s)?.bytesPerRecord ?? pick(s)?.heapBytesPerRecordMean ?? Number.NaN) },
    ],
  })
  return { file: `${slug(name)}-${slug(w.name)}-memory.svg`, title, svg }
}

/** Every chart of a sweep, in report order. */
export function sweepCharts(result: SweepResult): { workload: string; charts: ChartFile[] }[] {
  return result.workloads.map((w) => ({
    workload: w.name,
    charts: [timeChart(result.name, w, result.config.confidence), workChart(result.name, w), memoryChart(result.name, w)],
  }))
}
