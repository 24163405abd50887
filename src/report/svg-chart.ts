// Hand-written SVG charts for the sweep report (issue 5): a line chart on log-log (or linear)
// axes with one line per series and its confidence band, and a grouped bar chart. No
// dependencies, and the output is well-formed XML on its own (so a browser opens the .svg
// file directly) and inline in HTML.
//
// Structure the tests rely on: every series is one <g class="series" data-series="…"> holding
// its band, its line and its markers; the legend is a separate <g class="legend">.
// Colours are the Okabe–Ito palette (distinguishable with the common colour-vision
// deficiencies), and every series also gets its own marker shape, so the chart survives grey
// printing.

const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442']
const MARKERS = ['circle', 'square', 'triangle', 'diamond'] as const

export interface ChartPoint {
  x: number
  y: number
  /** Lower and upper end of the confidence interval of y (drawn as a band). */
  lo?: number
  hi?: number
}

export interface ChartSeries {
  name: string
  points: readonly ChartPoint[]
}

export interface LineChartSpec {
  title: string
  xLabel: string
  yLabel: string
  series: readonly ChartSeries[]
  logX?: boolean
  logY?: boolean
  width?: number
  height?: number
  /** Tick label text; default compact SI (1k, 10k, 1M). */
  formatX?: (value: number) => string
  formatY?: (value: number) => string
}

export interface BarChartSpec {
  title: string
  yLabel: string
  /** Groups along the x axis (e.g. strategies). */
  categories: readonly string[]
  /** One bar per series in every group; values[i] belongs to categories[i]; NaN = no bar. */
  series: readonly { name: string; values: readonly number[] }[]
  width?: number
  height?: number
  formatY?: (value: number) => string
}

/** Escape text and attribute values for XML. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** 1.5k, 16, 65.5k, 1M: short tick labels. */
export function formatSi(value: number): string {
  const abs = Math.abs(value)
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ]
  for (const [scale, suffix] of units) {
    if (abs >= scale) return `${trim(value / scale)}${suffix}`
  }
  return trim(value)
}

function trim(value: number): string {
  if (Number.isInteger(value)) return String(value)
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3
  return String(Number(value.toFixed(digits)))
}

/** ns values as 120 ns, 3.4 µs, 1.2 ms. */
export function formatNs(value: number): string {
  if (value >= 1e6) return `${trim(value / 1e6)} ms`
  if (value >= 1e3) return `${trim(value / 1e3)} µs`
  return `${trim(value)} ns`
}

function num(value: number): string {
  return Number(value.toFixed(2)).toString()
}

interface Axis {
  min: number
  max: number
  log: boolean
  /** Pixel range. */
  from: number
  to: number
}

function project(axis: Axis, value: number): number {
  const t = axis.log
    ? (Math.log10(value) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min))
    : (value - axis.min) / (axis.max - axis.min)
  return axis.from + t * (axis.to - axis.from)
}

/** Round a data range outwards to whole decades (log) or to a tidy step (linear). */
function niceRange(lo: number, hi: number, log: boolean): [number, number] {
  if (log) {
    let a = 10 ** Math.floor(Math.log10(lo))
    let b = 10 ** Math.ceil(Math.log10(hi))
    if (a === b) {
      a /= 10
      b *= 10
    }
    return [a, b]
  }
  if (lo === hi) return [lo - 1, hi + 1]
  const step = niceStep((hi - lo) / 5)
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step]
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw))
  const f = raw / p
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p
}

/** Tick values: decades (plus 2× and 5× when the range spans fewer than three decades) or steps. */
function ticks(axis: Axis): number[] {
  const out: number[] = []
  if (axis.log) {
    const decades = Math.log10(axis.max / axis.min)
    const mantissas = decades < 3 ? [1, 2, 5] : [1]
    for (let e = Math.floor(Math.log10(axis.min)); e <= Math.ceil(Math.log10(axis.max)); e++) {
      for (const m of mantissas) {
        const v = m * 10 ** e
        if (v >= axis.min * (1 - 1e-9) && v <= axis.max * (1 + 1e-9)) out.push(v)
      }
    }
    return out
  }
  const step = niceStep((axis.max - axis.min) / 5)
  for (let v = Math.ceil(axis.min / step) * step; v <= axis.max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

function marker(shape: (typeof MARKERS)[number], x: number, y: number, colour: string): string {
  const r = 3.5
  switch (shape) {
    case 'circle':
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${r}" fill="${colour}"/>`
    case 'square':
      return `<rect x="${num(x - r)}" y="${num(y - r)}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`
    case 'triangle':
      return `<path d="M${num(x)},${num(y - r - 1)} L${num(x + r + 0.5)},${num(y + r)} L${num(x - r - 0.5)},${num(y + r)} Z" fill="${colour}"/>`
    case 'diamond':
      return `<path d="M${num(x)},${num(y - r - 1)} L${num(x + r + 1)},${num(y)} L${num(x)},${num(y + r + 1)} L${num(x - r - 1)},${num(y)} Z" fill="${colour}"/>`
  }
}

function svgOpen(width: number, height: number, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ].join('\n')
}

/**
 * A line chart: one <g class="series"> per series, each with its CI band (when points carry
 * lo/hi), its polyline and markers. Non-positive values are dropped on log axes.
 */
export function renderLineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 720
  const height = spec.height ?? 440
  const logX = spec.logX ?? true
  const logY = spec.logY ?? true
  const fx = spec.formatX ?? formatSi
  const fy = spec.formatY ?? formatSi
  const legendWidth = 170
  const margin = { left: 72, right: legendWidth + 16, top: 36, bottom: 52 }

  const usable = (p: ChartPoint): boolean => Number.isFinite(p.x) && Number.isFinite(p.y) && (!logX || p.x > 0) && (!logY || p.y > 0)
  const xs: number[] = []
  const ys: number[] = []
  for (const s of spec.series) {
    for (const p of s.points) {
      if (!usable(p)) continue
      xs.push(p.x)
      ys.push(p.y)
      if (p.lo !== undefined && Number.isFinite(p.lo) && (!logY || p.lo > 0)) ys.push(p.lo)
      if (p.hi !== undefined && Number.isFinite(p.hi)) ys.push(p.hi)
    }
  }
  const [xMin, xMax] = xs.length > 0 ? niceRange(Math.min(...xs), Math.max(...xs), logX) : [1, 10]
  const [yMin, yMax] = ys.length > 0 ? niceRange(Math.min(...ys), Math.max(...ys), logY) : [1, 10]
  const xAxis: Axis = { min: xMin, max: xMax, log: logX, from: margin.left, to: width - margin.right }
  const yAxis: Axis = { min: yMin, max: yMax, log: logY, from: height - margin.bottom, to: margin.top }

  const out: string[] = [svgOpen(width, height, spec.title)]
  out.push(axesAndGrid(xAxis, yAxis, fx, fy, spec.xLabel, spec.yLabel, height))

  spec.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length] as string
    const shape = MARKERS[i % MARKERS.length] as (typeof MARKERS)[number]
    const pts = s.points.filter(usable).sort((p, q) => p.x - q.x)
    const parts: string[] = [`<g class="series" data-series="${escapeXml(s.name)}">`]
    const banded = pts.filter((p) => p.lo !== undefined && p.hi !== undefined && Number.isFinite(p.lo) && Number.isFinite(p.hi))
    if (banded.length >= 2) {
      // Clamp the lower edge on log axes: an interval reaching ≤ 0 is drawn down to the axis.
      const lower = (p: ChartPoint): number => (logY ? Math.max(p.lo as number, yMin) : (p.lo as number))
      const upper = banded.map((p) => `${num(project(xAxis, p.x))},${num(project(yAxis, Math.min(p.hi as number, yMax)))}`)
      const lowerEdge = [...banded].reverse().map((p) => `${num(project(xAxis, p.x))},${num(project(yAxis, lower(p)))}`)
      parts.push(`<path class="band" d="M${[...upper, ...lowerEdge].join(' L')} Z" fill="${colour}" fill-opacity="0.18" stroke="none"/>`)
    }
    if (pts.length >= 2) {
      const d = pts.map((p) => `${num(project(xAxis, p.x))},${num(project(yAxis, p.y))}`).join(' L')
      parts.push(`<path class="line" d="M${d}" fill="none" stroke="${colour}" stroke-width="2"/>`)
    }
    for (const p of pts) parts.push(marker(shape, project(xAxis, p.x), project(yAxis, p.y), colour))
    parts.push('</g>')
    out.push(parts.join('\n'))
  })

  out.push(legend(spec.series.map((s) => s.name), width - legendWidth, margin.top + 4, true))
  out.push('</svg>')
  return out.join('\n') + '\n'
}

function axesAndGrid(
  xAxis: Axis,
  yAxis: Axis,
  fx: (v: number) => string,
  fy: (v: number) => string,
  xLabel: string,
  yLabel: string,
  height: number,
): string {
  const parts: string[] = ['<g class="axes">']
  for (const v of ticks(xAxis)) {
    const x = num(project(xAxis, v))
    parts.push(`<line x1="${x}" y1="${yAxis.to}" x2="${x}" y2="${yAxis.from}" stroke="#e4e4e4"/>`)
    parts.push(`<line x1="${x}" y1="${yAxis.from}" x2="${x}" y2="${yAxis.from + 5}" stroke="#333"/>`)
    parts.push(`<text x="${x}" y="${yAxis.from + 18}" text-anchor="middle">${escapeXml(fx(v))}</text>`)
  }
  parts.push(...yGridAndFrame(xAxis, yAxis, fy))
  const midX = (xAxis.from + xAxis.to) / 2
  parts.push(`<text x="${midX}" y="${height - 12}" text-anchor="middle">${escapeXml(xLabel)}${xAxis.log ? ' (log scale)' : ''}</text>`)
  const midY = (yAxis.from + yAxis.to) / 2
  parts.push(`<text x="16" y="${midY}" text-anchor="middle" transform="rotate(-90 16 ${midY})">${escapeXml(yLabel)}${yAxis.log ? ' (log scale)' : ''}</text>`)
  parts.push('</g>')
  return parts.join('\n')
}

/** The y axis's grid lines, ticks and labels, then the plot's frame. */
function yGridAndFrame(xAxis: Axis, yAxis: Axis, fy: (value: number) => string): string[] {
  const parts: string[] = []
  for (const v of ticks(yAxis)) {
    const y = num(project(yAxis, v))
    parts.push(`<line x1="${xAxis.from}" y1="${y}" x2="${xAxis.to}" y2="${y}" stroke="#e4e4e4"/>`)
    parts.push(`<line x1="${xAxis.from - 5}" y1="${y}" x2="${xAxis.from}" y2="${y}" stroke="#333"/>`)
    parts.push(`<text x="${xAxis.from - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(fy(v))}</text>`)
  }
  parts.push(`<rect x="${xAxis.from}" y="${yAxis.to}" width="${xAxis.to - xAxis.from}" height="${yAxis.from - yAxis.to}" fill="none" stroke="#333"/>`)
  return parts
}

function legend(names: readonly string[], x: number, y: number, withMarkers: boolean): string {
  const parts: string[] = ['<g class="legend">']
  names.forEach((name, i) => {
    const colour = PALETTE[i % PALETTE.length] as string
    const rowY = y + i * 20
    if (withMarkers) {
      parts.push(`<line x1="${x}" y1="${rowY}" x2="${x + 24}" y2="${rowY}" stroke="${colour}" stroke-width="2"/>`)
      parts.push(marker(MARKERS[i % MARKERS.length] as (typeof MARKERS)[number], x + 12, rowY, colour))
    } else {
      parts.push(`<rect x="${x + 4}" y="${rowY - 6}" width="16" height="12" fill="${colour}"/>`)
    }
    parts.push(`<text x="${x + 32}" y="${rowY}" dominant-baseline="middle">${escapeXml(name)}</text>`)
  })
  parts.push('</g>')
  return parts.join('\n')
}

/** A grouped bar chart on a linear y axis from 0: one <g class="series"> per series. */
export function renderBarChart(spec: BarChartSpec): string {
  const width = spec.width ?? 720
  const height = spec.height ?? 400
  const fy = spec.formatY ?? formatSi
  const legendWidth = 210
  const margin = { left: 72, right: legendWidth + 16, top: 36, bottom: 70 }
  const values = spec.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)))
  const top = values.length > 0 ? Math.max(...values, 0) : 1
  const [, yMax] = niceRange(0, top > 0 ? top : 1, false)
  const xAxis: Axis = { min: 0, max: 1, log: false, from: margin.left, to: width - margin.right }
  const yAxis: Axis = { min: 0, max: yMax, log: false, from: height - margin.bottom, to: margin.top }

  const out: string[] = [svgOpen(width, height, spec.title), '<g class="axes">']
  out.push(...yGridAndFrame(xAxis, yAxis, fy))
  const groups = Math.max(1, spec.categories.length)
  const groupWidth = (xAxis.to - xAxis.from) / groups
  spec.categories.forEach((category, g) => {
    const cx = xAxis.from + groupWidth * (g + 0.5)
    out.push(`<text x="${num(cx)}" y="${yAxis.from + 18}" text-anchor="middle">${escapeXml(category)}</text>`)
  })
  const midY = (yAxis.from + yAxis.to) / 2
  out.push(`<text x="16" y="${midY}" text-anchor="middle" transform="rotate(-90 16 ${midY})">${escapeXml(spec.yLabel)}</text>`)
  out.push('</g>')

  const bars = Math.max(1, spec.series.length)
  const barWidth = (groupWidth * 0.8) / bars
  spec.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length] as string
    const parts: string[] = [`<g class="series" data-series="${escapeXml(s.name)}">`]
    s.values.forEach((v, g) => {
      if (!Number.isFinite(v) || g >= spec.categories.length) return
      const x = xAxis.from + groupWidth * g + groupWidth * 0.1 + barWidth * i
      const y = project(yAxis, Math.max(0, v))
      parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(barWidth - 2)}" height="${num(yAxis.from - y)}" fill="${colour}"/>`)
      parts.push(`<text x="${num(x + barWidth / 2 - 1)}" y="${num(y - 4)}" text-anchor="middle" font-size="10">${escapeXml(fy(v))}</text>`)
    })
    parts.push('</g>')
    out.push(parts.join('\n'))
  })
  out.push(legend(spec.series.map((s) => s.name), width - legendWidth, margin.top + 4, false))
  out.push('</svg>')
  return out.join('\n') + '\n'
}
