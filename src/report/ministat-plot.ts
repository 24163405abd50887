// ministat's ASCII distribution plot. Every dataset k (1-based, at most 7) has code k and symbol
// " x+*%#@O"[k]. The scale spans every dataset's Min, Max and Avg ± Stddev over `width` columns:
// dx = span/(width − 1), x0 = min − dx/2, and value v lands in column (v − x0)/dx, so the
// extremes sit in the middle of the first and last columns. Sorted points of one dataset that
// share a column stack upwards; different datasets are OR-ed into the same cell, so x(1) and
// +(2) together show as * (the symbol of dataset 3 — ministat's ambiguity, kept). Each dataset
// then draws a bar: '|' at Avg ± Stddev, '_' in the empty cells between, 'M' at the median and
// 'A' at the mean (A wins a tie), all on one shared line or one line per dataset (-s); later
// datasets overwrite earlier ones on a shared line.
//
// 'ministat' mode reproduces Debian ministat 20150715's C code as a memory model, bugs included:
// * the scale starts from min = 999e99 and max = −999e99, so data all above 9.99e101 (or all
//   below −9.99e101) is plotted against that phantom bound;
// * column numbers are C (int) conversions: truncation toward zero, and a NaN or out-of-range
//   result becomes INT_MIN, whose write lands 2 GiB away: ministat dies with SIGSEGV there (a
//   NaN point, an infinite span, width 1, a negative width from $COLUMNS). That is reported
//   by throwing MinistatCrash;
// * the rows live in one buffer of width·height bytes that is re-allocated (grown, and zeroed
//   from the *current* height up) for each dataset, and the height is then set to that dataset's
//   tallest stack + 1 — so the LAST dataset decides how many rows print, and a shorter middle
//   dataset makes the rows above it get wiped when a later one grows the buffer again. With
//   width 0 the second growth is realloc(p, 0), which glibc answers with NULL: SIGSEGV.
// 'exact' mode draws the same picture without those bugs: the real min and max of the finite
// values, columns clamped to the plot, non-finite points left out, every stack kept and the
// plot as tall as the tallest one.

import type { StatsMode } from '../stats/types.js'

export const PLOT_SYMBOLS = ' x+*%#@O'
export const MAX_PLOT_DATASETS = 7

const INT_MIN = -2147483648
const INT_MAX = 2147483647

/** What the plot needs of one dataset. */
export interface PlotSeries {
  /** Sorted ascending (ministat mode: in glibc qsort's order). */
  points: readonly number[]
  median: number
  mean: number
  stddev: number
}

export interface PlotOptions {
  width: number
  /** One bar line per dataset (ministat -s) instead of a shared one. */
  separate: boolean
  mode: StatsMode
}

/** ministat would have died with SIGSEGV at this point (exit status 139, stdout unflushed). */
export class MinistatCrash extends Error {
  override name = 'MinistatCrash'
}

const NO_PLOT_ZERO_SPAN = '[no plot, span is zero width]'

/** C's (int) conversion of a double on x86-64: truncation, or INT_MIN when it does not fit. */
function cInt(value: number): number {
  if (Number.isNaN(value) || value >= 2147483648 || value < -2147483648) return INT_MIN
  return Math.trunc(value)
}

function border(width: number): string {
  return `+${'-'.repeat(width)}+`
}

function rowText(cells: Uint8Array, toChar: (k: number) => string): string {
  let text = '|'
  for (const k of cells) text += toChar(k)
  return `${text}|`
}

function drawBar(bar: Uint8Array, column: (v: number) => number, series: PlotSeries, strict: boolean): void {
  const put = (x: number, ch: string): void => {
    if (x === INT_MIN && strict) throw new MinistatCrash('bar column out of range')
    if (x >= 0 && x < bar.length) bar[x] = ch.charCodeAt(0)
  }
  if (!Number.isNaN(series.stddev)) {
    const left = column(series.mean - series.stddev)
    const right = column(series.mean + series.stddev)
    put(right, '|')
    put(left, '|')
    for (let i = Math.max(left + 1, 0); i < right && i < bar.length; i++) if (bar[i] === 0) bar[i] = 0x5f // '_'
  }
  put(column(series.median), 'M')
  put(column(series.mean), 'A')
}

function finish(width: number, rows: Uint8Array[], bars: readonly (Uint8Array | undefined)[]): string[] {
  const lines = [border(width)]
  for (const row of rows) lines.push(rowText(row, (k) => PLOT_SYMBOLS[k] ?? `[${k.toString(16).padStart(2, '0')}]`))
  for (const bar of bars) if (bar !== undefined) lines.push(rowText(bar, (k) => (k === 0 ? ' ' : String.fromCharCode(k))))
  lines.push(border(width))
  return lines
}

function ministatPlot(series: readonly PlotSeries[], width: number, separate: boolean): string[] {
  let min = 999e99
  let max = -999e99
  for (const s of series) {
    const low = s.points[0] ?? Number.NaN
    const high = s.points[s.points.length - 1] ?? Number.NaN
    for (const a of [low, high, s.mean - s.stddev, s.mean + s.stddev]) {
      if (a < min) min = a
      if (a > max) max = a
    }
  }
  const span = max - min
  if (span === 0) return [NO_PLOT_ZERO_SPAN]
  if (width < 0) throw new MinistatCrash('malloc of a negative width')
  const dx = span / (width - 1)
  const x0 = min - 0.5 * dx
  const column = (v: number): number => cInt((v - x0) / dx)

  let data = new Uint8Array(0)
  let allocated = false
  let height = 0
  const bars: (Uint8Array | undefined)[] = series.map(() => undefined)
  series.forEach((s, k) => {
    const barIndex = separate ? k : 0
    const bar = bars[barIndex] ?? new Uint8Array(width)
    bars[barIndex] = bar
    // Tallest stack of this dataset.
    let m = 1
    let previous = -1
    let j = 0
    for (const p of s.points) {
      const x = column(p)
      if (x === previous) {
        j++
        if (j > m) m = j
      } else {
        j = 1
        previous = x
      }
    }
    m += 1
    if (width * m > INT_MAX) throw new MinistatCrash('row buffer size overflows int')
    if (m > height) {
      // glibc's realloc(p, 0) frees p and returns NULL, and the next point is written through it.
      if (width === 0 && allocated) throw new MinistatCrash('realloc to 0 bytes returned NULL')
      allocated = true
      // realloc keeps the old bytes, then only the rows from the current height up are zeroed.
      const grown = new Uint8Array(width * m)
      grown.set(data.subarray(0, Math.min(data.length, grown.length)))
      grown.fill(0, height * width)
      data = grown
    }
    height = m
    previous = -1
    for (const p of s.points) {
      const x = column(p)
      if (x === INT_MIN) throw new MinistatCrash('point column out of range')
      if (x === previous) {
        j++
      } else {
        j = 1
        previous = x
      }
      const at = j * width + x
      if (at >= 0 && at < data.length) data[at] = (data[at] as number) | (k + 1)
    }
    drawBar(bar, column, s, true)
  })
  const rows: Uint8Array[] = []
  for (let r = height - 1; r >= 1; r--) {
    rows.push(width === 0 ? new Uint8Array(0) : data.subarray(r * width, (r + 1) * width))
  }
  return finish(width, rows, bars)
}

function exactPlot(series: readonly PlotSeries[], width: number, separate: boolean): string[] {
  if (!(Number.isInteger(width) && width >= 2)) throw new RangeError(`plot width must be an integer ≥ 2, got ${width}`)
  let min = Infinity
  let max = -Infinity
  const finitePoints = series.map((s) => s.points.filter((p) => Number.isFinite(p)))
  series.forEach((s, k) => {
    const points = finitePoints[k] ?? []
    for (const a of [points[0], points[points.length - 1], s.mean - s.stddev, s.mean + s.stddev]) {
      if (a === undefined || !Number.isFinite(a)) continue
      min = Math.min(min, a)
      max = Math.max(max, a)
    }
  })
  if (min === Infinity) return ['[no plot, no finite values]']
  const span = max - min
  if (span === 0) return [NO_PLOT_ZERO_SPAN]
  const dx = span / (width - 1)
  const x0 = min - 0.5 * dx
  const column = (v: number): number => {
    if (Number.isNaN(v)) return -1
    return Math.min(width - 1, Math.max(0, Math.floor((v - x0) / dx)))
  }
  // A point's level is its 1-based place in its column's stack; cells maps level·width + column
  // to the OR of the codes drawn there.
  const cells = new Map<number, number>()
  let height = 1
  const bars: (Uint8Array | undefined)[] = series.map(() => undefined)
  series.forEach((s, k) => {
    const barIndex = separate ? k : 0
    const bar = bars[barIndex] ?? new Uint8Array(width)
    bars[barIndex] = bar
    let previous = -1
    let level = 0
    for (const p of finitePoints[k] ?? []) {
      const x = column(p)
      level = x === previous ? level + 1 : 1
      previous = x
      height = Math.max(height, level + 1)
      const key = level * width + x
      cells.set(key, (cells.get(key) ?? 0) | (k + 1))
    }
    const finite = (v: number): boolean => Number.isFinite(v)
    drawBar(
      bar,
      (v) => (finite(v) ? column(v) : -1),
      { ...s, stddev: finite(s.mean) && finite(s.stddev) ? s.stddev : Number.NaN },
      false,
    )
  })
  const rows: Uint8Array[] = []
  for (let level = height - 1; level >= 1; level--) {
    const row = new Uint8Array(width)
    for (let x = 0; x < width; x++) row[x] = cells.get(level * width + x) ?? 0
    rows.push(row)
  }
  return finish(width, rows, bars)
}

/** The plot's lines (border to border), or the one-line "[no plot …]" notice. */
export function plotLines(series: readonly PlotSeries[], options: PlotOptions): string[] {
  if (series.length > MAX_PLOT_DATASETS) {
    throw new RangeError(`a ministat plot shows at most ${MAX_PLOT_DATASETS} datasets, got ${series.length}`)
  }
  return options.mode === 'ministat'
    ? ministatPlot(series, options.width, options.separate)
    : exactPlot(series, options.width, options.separate)
}
