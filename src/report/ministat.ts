// The ministat(1) report block, used by `gntbench ministat` and by the benchmark reports:
//
//   x baseline-name                      legend: one line per dataset, symbol + name
//   + other-name
//   +------------…------------+          plot (ministat-plot.ts), unless plot: 'none'
//   |x   x  +x   +      +     |
//   | |__A__|   |____A____|   |
//   +------------…------------+
//       N           Min           Max        Median           Avg        Stddev
//   x   5             1             5             3             3     1.5811388
//   +   5            10            14            12            12     1.5811388
//   Difference at 95.0% confidence      one block per dataset after the first, right after
//   	9 +/- 2.306                        its vitals row, unless tests: false
//   	300% +/- 76.8667%
//   	(Student's t, pooled s = 1.58114)
//
// Numbers are printed with C's %13.8g / %g / %.1f (c-printf.ts). In 'ministat' mode every
// number, NaN sign and plot cell is Debian ministat 20150715's; 'exact' mode keeps the layout and
// changes the statistics (summary.ts, compare.ts, ministat-plot.ts) and names Welch's test with
// its df when it used it: "(Welch's t, df = 7.3)". comparisonJson gives the same numbers as data.

import { compareDatasets } from '../stats/compare.js'
import { ministatVitals } from '../stats/ministat-vitals.js'
import { summarize } from '../stats/summary.js'
import type { Comparison, Dataset, StatsMode, Summary } from '../stats/types.js'
import { signed, type SignedDouble } from '../stats/x86-nan.js'
import { formatF, formatG, padLeft } from './c-printf.js'
import { MAX_PLOT_DATASETS, PLOT_SYMBOLS, plotLines, type PlotSeries } from './ministat-plot.js'

export interface MinistatFormatOptions {
  /** Plot width in columns, borders excluded (ministat: 74, or the terminal's). */
  width: number
  mode: StatsMode
  /** Two-sided confidence in percent; 'ministat' mode: one of 80, 90, 95, 98, 99, 99.5. */
  confidence: number
  /** 'separate' = ministat -s; 'none' = -A or -n. */
  plot: 'single' | 'separate' | 'none'
  /** Print the comparison blocks (false = ministat -n). */
  tests: boolean
  /** Appended to the vitals header as "(unit)", e.g. 'ns/op'. */
  unit?: string
  /**
   * Replaces the comparison lines of dataset `index` (≥ 1) when given: the benchmark reports print
   * their ratio intervals here (stats/ratio.ts) instead of a difference of means.
   */
  comparisonLines?: (index: number) => readonly string[]
}

const VITALS_HEADER = '    N           Min           Max        Median           Avg        Stddev'

/** One dataset's statistics with the NaN signs ministat would print. */
interface Vitals {
  summary: Summary
  printed: { min: SignedDouble; max: SignedDouble; median: SignedDouble; mean: SignedDouble; stddev: SignedDouble }
  plot: PlotSeries
}

function vitalsOf(dataset: Dataset, mode: StatsMode): Vitals {
  if (mode === 'ministat') {
    const v = ministatVitals(dataset.values, dataset.negativeNaN)
    return {
      summary: summarize(dataset.values, 'ministat'),
      printed: { min: v.min, max: v.max, median: v.median, mean: v.mean, stddev: v.stddev },
      plot: { points: v.points.map((p) => p.value), median: v.median.value, mean: v.mean.value, stddev: v.stddev.value },
    }
  }
  const summary = summarize(dataset.values, 'exact')
  return {
    summary,
    printed: {
      min: signed(summary.min),
      max: signed(summary.max),
      median: signed(summary.median),
      mean: signed(summary.mean),
      stddev: signed(summary.stddev),
    },
    plot: {
      // NaN would break the sort; the exact plot leaves non-finite points out anyway.
      points: dataset.values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b),
      median: summary.median,
      mean: summary.mean,
      stddev: summary.stddev,
    },
  }
}

function vitalsRow(symbol: string, v: Vitals): string {
  const g = (x: SignedDouble): string => padLeft(formatG(x.value, 8, x.negativeNaN), 13)
  const { min, max, median, mean, stddev } = v.printed
  return `${symbol} ${padLeft(String(v.summary.n), 3)} ${g(min)} ${g(max)} ${g(median)} ${g(mean)} ${g(stddev)}`
}

/** "95.0" like ministat's %.1f; levels with more digits (99.95) keep them. */
function confidenceLabel(confidence: number): string {
  const tenths = confidence * 10
  return Math.abs(tenths - Math.round(tenths)) < 1e-9 ? formatF(confidence, 1) : formatG(confidence, 6)
}

function comparisonLines(c: Comparison): string[] {
  const level = confidenceLabel(c.confidence)
  if (!c.significant) return [`No difference proven at ${level}% confidence`]
  const testLine = c.test === 'student' ? `(Student's t, pooled s = ${formatG(c.pooledStddev)})` : `(Welch's t, df = ${formatF(c.df, 1)})`
  return [
    `Difference at ${level}% confidence`,
    `\t${formatG(c.delta)} +/- ${formatG(c.deltaHalfWidth)}`,
    `\t${formatG(c.relativePercent)}% +/- ${formatG(c.relativeHalfWidthPercent)}%`,
    `\t${testLine}`,
  ]
}

function checkCount(datasets: readonly Dataset[]): void {
  if (datasets.length === 0) throw new RangeError('ministat report needs at least one dataset')
  if (datasets.length > MAX_PLOT_DATASETS) {
    throw new RangeError(`ministat report takes at most ${MAX_PLOT_DATASETS} datasets, got ${datasets.length}`)
  }
}

function symbolOf(index: number): string {
  return PLOT_SYMBOLS[index + 1] ?? '?'
}

/** The legend lines ("x name"), which ministat prints before anything else. */
export function legendLines(datasets: readonly Dataset[]): string[] {
  return datasets.map((d, i) => `${symbolOf(i)} ${d.name}`)
}

/**
 * The whole block as text ending in a newline. In 'ministat' mode it may throw MinistatCrash
 * (from the plot), where ministat itself would die with SIGSEGV.
 */
export function formatMinistat(datasets: readonly Dataset[], options: MinistatFormatOptions): string {
  checkCount(datasets)
  const vitals = datasets.map((d) => vitalsOf(d, options.mode))
  const lines = legendLines(datasets)
  if (options.plot !== 'none') {
    lines.push(
      ...plotLines(
        vitals.map((v) => v.plot),
        { width: options.width, separate: options.plot === 'separate', mode: options.mode },
      ),
    )
  }
  lines.push(options.unit === undefined ? VITALS_HEADER : `${VITALS_HEADER}  (${options.unit})`)
  const baseline = datasets[0] as Dataset
  vitals.forEach((v, i) => {
    lines.push(vitalsRow(symbolOf(i), v))
    if (i > 0 && options.tests) {
      const other = datasets[i] as Dataset
      lines.push(...(options.comparisonLines?.(i) ?? comparisonLines(compareDatasets(baseline.values, other.values, options))))
    }
  })
  return `${lines.join('\n')}\n`
}

/** A JSON-safe copy: NaN and ±Infinity (which JSON cannot hold) become null. */
type Jsonified<T> = { [K in keyof T]: T[K] extends number ? number | null : T[K] }

function jsonify<T extends object>(value: T): Jsonified<T> {
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) out[key] = typeof v === 'number' && !Number.isFinite(v) ? null : v
  return out as Jsonified<T>
}

export interface MinistatJson {
  mode: StatsMode
  confidence: number
  datasets: { name: string; symbol: string; summary: Jsonified<Summary> }[]
  /** Every dataset after the first against the first, with the test that was used. */
  comparisons: ({ name: string; baseline: string } & Jsonified<Comparison>)[]
}

/** The numbers of formatMinistat as plain data (what `gntbench ministat --json` prints). */
export function comparisonJson(
  datasets: readonly Dataset[],
  options: Pick<MinistatFormatOptions, 'mode' | 'confidence'>,
): MinistatJson {
  checkCount(datasets)
  const baseline = datasets[0] as Dataset
  return {
    mode: options.mode,
    confidence: options.confidence,
    datasets: datasets.map((d, i) => ({
      name: d.name,
      symbol: symbolOf(i),
      summary: jsonify(summarize(d.values, options.mode)),
    })),
    comparisons: datasets.slice(1).map((d) => ({
      name: d.name,
      baseline: baseline.name,
      ...jsonify(compareDatasets(baseline.values, d.values, { mode: options.mode, confidence: options.confidence })),
    })),
  }
}
