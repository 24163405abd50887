// The plain-words answer of one workload's sweep (issue 5, item 4): which strategy is faster
// where, where they cross, by how much at the top of the range, how each grows, whether the
// counted work explains the timings, and what was not measured. Every claim is backed by the
// analysis: "faster" only where the two-sample test says so at the chosen confidence, a
// crossover only where the significant winner flips, percentages with their interval.

import type { SkippedFrom } from '../results/sweep-schema.js'
import type { GrowthFit } from '../stats/growth.js'
import type { PairAnalysis, StrategySeries, WorkloadAnalysis } from '../stats/sweep-analysis.js'

export interface ParagraphInput {
  analysis: WorkloadAnalysis
  sizeUnit: string
  skipped: readonly SkippedFrom[]
}

/** 65536 → "65,536"; non-integers to two significant digits ("~310"). */
export function formatSize(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US')
  const digits = Math.max(0, 1 - Math.floor(Math.log10(Math.abs(n))))
  const rounded = Number(n.toPrecision(2))
  return rounded.toLocaleString('en-US', { maximumFractionDigits: digits })
}

export function formatExponent(fit: GrowthFit): string {
  const hw = Number.isFinite(fit.exponentHalfWidth) ? ` ± ${fit.exponentHalfWidth.toFixed(2)}` : ''
  return `N^${fit.exponent.toFixed(2)}${hw}`
}

function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] as string}`
}

function sizeRange(sizes: readonly number[]): string {
  const first = sizes[0] as number
  const last = sizes[sizes.length - 1] as number
  return sizes.length === 1 ? `N = ${formatSize(first)}` : `N = ${formatSize(first)} to ${formatSize(last)}`
}

/**
 * The strategy significantly faster than every other timed at that size; `alone` when only
 * one was timed there (the others stopped); null when none is proven. Only strategies the
 * analysis pairs are rivals: with both engines (`--engine both`) each engine has its own
 * winner, and both are named.
 */
function winnerAt(analysis: WorkloadAnalysis, size: number): string | null {
  const present = analysis.series.filter((s) => s.points.some((p) => p.size === size)).map((s) => s.strategy)
  if (present.length === 1) return `${present[0] as string} (the only one timed)`
  if (present.length < 2) return null
  const pairOf = (x: string, y: string) => analysis.pairs.find((p) => (p.a === x && p.b === y) || (p.a === y && p.b === x))
  const winners: string[] = []
  for (const candidate of present) {
    const rivals = present.filter((other) => other !== candidate && pairOf(candidate, other) !== undefined)
    const beatsAll =
      rivals.length > 0 &&
      rivals.every((other) => {
        const pair = pairOf(candidate, other)
        const at = pair?.perSize.find((x) => x.size === size)
        if (pair === undefined || at === undefined || !at.comparison.significant) return false
        const bFaster = at.comparison.ratio < 1
        return pair.b === candidate ? bFaster : !bFaster
      })
    if (beatsAll) winners.push(candidate)
  }
  return winners.length === 0 ? null : winners.join(' and ')
}

function fastestSentence(analysis: WorkloadAnalysis): string {
  const sizes = [...new Set(analysis.series.flatMap((s) => s.points.map((p) => p.size)))].sort((a, b) => a - b)
  const runs: { winner: string | null; sizes: number[] }[] = []
  for (const size of sizes) {
    const winner = winnerAt(analysis, size)
    const last = runs[runs.length - 1]
    if (last !== undefined && last.winner === winner) last.sizes.push(size)
    else runs.push({ winner, sizes: [size] })
  }
  if (runs.length === 0) return ''
  const parts = runs.map((r) => (r.winner === null ? `none proven at ${sizeRange(r.sizes)}` : `${r.winner} at ${sizeRange(r.sizes)}`))
  return `Fastest (significantly ahead of every other strategy timed at that N): ${joinWords(parts)}.`
}

/**
 * The margin at the pair's largest common size, from the ratio of b to baseline a with its
 * interval: "b takes 97.1 % [96.5, 97.6] less time per op than a", or for b at least twice as
 * slow, as a ratio, "b takes 56× [31×, 101×] the time per op of a".
 */
function marginAtTop(pair: PairAnalysis): string {
  const top = pair.perSize[pair.perSize.length - 1]
  if (top === undefined) return ''
  const c = top.comparison
  const verdict = c.significant ? '' : ' (not significant)'
  const at = `at N = ${formatSize(top.size)}`
  if (c.ratio >= 2) return `${at}, ${pair.b} takes ${c.ratio.toFixed(1)}× [${c.lower.toFixed(1)}×, ${c.upper.toFixed(1)}×] the time per op of ${pair.a}${verdict}`
  if (c.ratio < 1) {
    const less = (r: number): string => ((1 - r) * 100).toFixed(1)
    return `${at}, ${pair.b} takes ${less(c.ratio)} % [${less(c.upper)}, ${less(c.lower)}] less time per op than ${pair.a}${verdict}`
  }
  const more = (r: number): string => ((r - 1) * 100).toFixed(1)
  return `${at}, ${pair.b} takes ${more(c.ratio)} % [${more(c.lower)}, ${more(c.upper)}] more time per op than ${pair.a}${verdict}`
}

function pairSentence(pair: PairAnalysis, unit: string): string {
  const x = pair.crossovers
  const unproven =
    x.unprovenCrossings.length > 0 ? ` (their means also cross near N ≈ ${joinWords(x.unprovenCrossings.map(formatSize))}, but not significantly)` : ''
  const margin = marginAtTop(pair)
  if (x.status === 'crossover') {
    const flips = x.crossovers.map(
      (c) =>
        `below ~${formatSize(c.estimate)} ${unit} ${c.below} is faster than ${c.above}, above it ${c.above} wins (the verdict flips between N = ${formatSize(c.fromSize)} and ${formatSize(c.toSize)})`,
    )
    return `${capitalise(joinWords(flips))}${unproven}; ${margin}.`
  }
  if (x.status === 'no crossover in range') {
    const loser = x.winner === pair.a ? pair.b : pair.a
    const sizes = pair.perSize.filter((p) => p.comparison.significant).map((p) => p.size)
    return `${capitalise(x.winner ?? '')} beats ${loser} wherever they differ (${sizeRange(sizes)}), no crossover in range${unproven}; ${margin}.`
  }
  if (pair.perSize.length === 0) return `${capitalise(pair.a)} and ${pair.b} were never timed at the same N.`
  return `${capitalise(pair.a)} and ${pair.b}: no difference proven at any N${unproven}.`
}

function capitalise(text: string): string {
  return text.length === 0 ? text : (text[0] as string).toUpperCase() + text.slice(1)
}

function growthSentence(series: readonly StrategySeries[]): string {
  const parts = series
    .filter((s) => s.growth !== null)
    .map((s) => {
      const g = s.growth as GrowthFit
      return `${s.strategy} ${g.growthClass} (${formatExponent(g)}, r² ${g.rSquared.toFixed(2)})`
    })
  return parts.length === 0 ? '' : `Time per op grows with N as: ${joinWords(parts)}.`
}

function workSentence(series: readonly StrategySeries[]): string {
  const agree: string[] = []
  const differ: string[] = []
  const unclear: string[] = []
  for (const s of series) {
    if (s.growth === null || s.workGrowth === null) continue
    const t = s.growth.exponent
    const w = s.workGrowth.exponent
    const hw = s.growth.exponentHalfWidth
    const text = `${s.strategy} N^${w.toFixed(2)} (${s.workGrowth.growthClass})`
    // Without an interval on the time exponent, or with one so wide it says nothing, the two
    // cannot be said to agree or to part.
    if (!Number.isFinite(hw) || hw > 0.5) unclear.push(`${s.strategy} (work N^${w.toFixed(2)})`)
    else if (Math.abs(t - w) <= Math.max(0.2, hw)) agree.push(text)
    else {
      const why = t > w ? 'time grows faster than the counted steps: memory traffic (cache misses on a larger structure) adds to it' : 'a fixed cost per op (the device, the applier) dilutes the counted growth'
      differ.push(`${s.strategy}: time N^${t.toFixed(2)} ± ${hw.toFixed(2)} against work N^${w.toFixed(2)} — ${why}`)
    }
  }
  const out: string[] = []
  if (agree.length > 0) out.push(`Counted work per op (nodes visited + key comparisons, an untimed replay) grows alike: ${joinWords(agree)}, which explains the timings.`)
  if (differ.length > 0) out.push(`Where time and counted work part: ${differ.join('; ')}.`)
  if (unclear.length > 0) out.push(`Too few or too noisy sizes to match time against counted work for ${joinWords(unclear)}.`)
  return out.join(' ')
}

function skippedSentence(skipped: readonly SkippedFrom[]): string {
  if (skipped.length === 0) return ''
  return `Not timed: ${joinWords(skipped.map((s) => `${s.strategy} from N = ${formatSize(s.fromSize)} (${s.reason})`))}; fits cover the sizes timed.`
}

export function sweepParagraph(input: ParagraphInput): string {
  const { analysis, sizeUnit } = input
  const sentences = [
    fastestSentence(analysis),
    ...analysis.pairs.map((pair) => pairSentence(pair, sizeUnit)),
    growthSentence(analysis.series),
    workSentence(analysis.series),
    skippedSentence(input.skipped),
  ]
  return sentences.filter((s) => s.length > 0).join(' ')
}
