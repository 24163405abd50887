// Crossovers between two strategies over the live-set size N (issue 5): the size at which one
// overtakes the other, bracketed by the sizes where each is *significantly* faster.
//
// Input per size: the ratio comparison of `b` against baseline `a` (ratio = b ÷ a, significant
// when its interval excludes 1; see ratio.ts) and the two means. A crossover is
// claimed only when the significant winner flips: a at size N_i, b at a later N_j, with only
// non-significant sizes in between. Its interval is [N_i, N_j]; the point estimate is where
// ln(mean b / mean a) crosses zero, interpolated linearly in ln N between the bracketing sizes
// (time-per-op curves are close to straight in log-log coordinates over one step of the sweep).
// A sign change of the means with no significant flip is reported as unproven, never as a
// crossover: that is the "noisy flip" the ministat discipline exists to catch.

import type { RatioComparison } from './ratio.js'

/** What crossover detection needs of one size. */
export interface SizedComparison {
  size: number
  meanA: number
  meanB: number
  comparison: Pick<RatioComparison, 'ratio' | 'significant'>
}

export interface Crossover {
  /** Winner below the crossover and above it (strategy names). */
  below: string
  above: string
  /** Largest size where `below` is significantly faster. */
  fromSize: number
  /** Smallest size where `above` is significantly faster. */
  toSize: number
  /** Where the means cross (interpolated in log-log); always within [fromSize, toSize]. */
  estimate: number
}

export type CrossoverStatus =
  /** At least one significant flip. */
  | 'crossover'
  /** One strategy is significantly faster somewhere, never the other. */
  | 'no crossover in range'
  /** Neither is significantly faster at any size. */
  | 'no difference proven'

export interface PairCrossovers {
  a: string
  b: string
  status: CrossoverStatus
  crossovers: Crossover[]
  /** With status 'no crossover in range': the one that is significantly faster where any is. */
  winner: string | null
  /** Sizes (interpolated) where the means cross without a significant flip around them. */
  unprovenCrossings: number[]
}

/** ln N where ln(meanB/meanA) reaches 0 between two sizes whose log ratios have opposite signs. */
function interpolateCrossing(lo: SizedComparison, hi: SizedComparison): number {
  const r0 = Math.log(lo.meanB / lo.meanA)
  const r1 = Math.log(hi.meanB / hi.meanA)
  const x0 = Math.log(lo.size)
  const x1 = Math.log(hi.size)
  if (r0 === r1) return Math.exp((x0 + x1) / 2)
  return Math.exp(x0 + ((x1 - x0) * r0) / (r0 - r1))
}

/** Sizes where the sign of the mean difference changes between consecutive points in [from, to]. */
function signChanges(points: readonly SizedComparison[], from: number, to: number): number[] {
  const out: number[] = []
  for (let i = from; i < to; i++) {
    const lo = points[i] as SizedComparison
    const hi = points[i + 1] as SizedComparison
    const s0 = Math.sign(lo.meanB - lo.meanA)
    const s1 = Math.sign(hi.meanB - hi.meanA)
    if (s0 !== 0 && s1 !== 0 && s0 !== s1) out.push(interpolateCrossing(lo, hi))
    else if (s0 === 0 && i > from) out.push(lo.size)
  }
  return out
}

/**
 * Crossovers of strategies `a` and `b` over `points` (any order; sorted here by size).
 * `comparison` must be b measured against baseline a.
 */
export function findCrossovers(a: string, b: string, input: readonly SizedComparison[]): PairCrossovers {
  const points = [...input].sort((p, q) => p.size - q.size)
  const winnerAt = (p: SizedComparison): string | null =>
    p.comparison.significant ? (p.comparison.ratio < 1 ? b : a) : null

  const crossovers: Crossover[] = []
  const flipIntervals: [number, number][] = []
  let lastIndex = -1
  let lastWinner: string | null = null
  const winners = new Set<string>()
  for (let i = 0; i < points.length; i++) {
    const w = winnerAt(points[i] as SizedComparison)
    if (w === null) continue
    winners.add(w)
    if (lastWinner !== null && w !== lastWinner) {
      const crossings = signChanges(points, lastIndex, i)
      const lo = points[lastIndex] as SizedComparison
      const hi = points[i] as SizedComparison
      // Several sign changes between two significant sizes: the first is as good as any; the
      // interval, not the estimate, carries the claim.
      const estimate = crossings[0] ?? interpolateCrossing(lo, hi)
      crossovers.push({
        below: lastWinner,
        above: w,
        fromSize: lo.size,
        toSize: hi.size,
        estimate: Math.min(hi.size, Math.max(lo.size, estimate)),
      })
      flipIntervals.push([lastIndex, i])
    }
    lastIndex = i
    lastWinner = w
  }

  // Every sign change of the means that no significant flip accounts for.
  const unprovenCrossings: number[] = []
  const all = signChanges(points, 0, points.length - 1)
  for (const size of all) {
    const explained = flipIntervals.some(([i, j]) => size >= (points[i] as SizedComparison).size && size <= (points[j] as SizedComparison).size)
    if (!explained) unprovenCrossings.push(size)
  }

  let status: CrossoverStatus
  let winner: string | null = null
  if (crossovers.length > 0) status = 'crossover'
  else if (winners.size === 0) status = 'no difference proven'
  else {
    status = 'no crossover in range'
    winner = [...winners][0] ?? null
  }
  return { a, b, status, crossovers, winner, unprovenCrossings }
}
