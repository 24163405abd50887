// Are a cell's replicate values, in the order measured, independent enough for a t-test? The
// test's standard error assumes i.i.d. values; two common ways a benchmark breaks that:
//
// * a TREND over the run (the JIT still optimising, a heap growing, the machine's load or
//   frequency drifting): Spearman's rank correlation ρ between value and position. Ranks make it
//   indifferent to the shape of the drift and to one wild value. Its two-sided p-value is exact
//   (all orders enumerated) up to 8 values, and above that the usual t approximation
//   t = ρ·√((n−2)/(1−ρ²)) with n − 2 df.
// * SERIAL CORRELATION (a slow phase spanning several replicates): the lag-1 autocorrelation
//   r₁ = Σ(x_t − x̄)(x_{t+1} − x̄) / Σ(x_t − x̄)². Under independence E[r₁] ≈ −1/n and
//   Var[r₁] ≈ 1/n (Bartlett), so z = (r₁ + 1/n)·√n is compared with the normal distribution.
//   A positive r₁ makes the t-test's standard error too small, hence too many "Difference"s.
//
// With R = 10 replicates either test has little power for one cell; calibration therefore also
// pools them over many cells (mean ρ and mean r₁ with their standard errors).

import { normalTwoSidedTail } from './normal.js'
import { tTwoSidedTail } from './student-t.js'

/** Mid-ranks (1-based; ties share their average rank). */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value)
  const result = new Array<number>(values.length).fill(0)
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && (order[end + 1] as { value: number }).value === (order[start] as { value: number }).value) end++
    const rank = (start + end) / 2 + 1
    for (let i = start; i <= end; i++) result[(order[i] as { index: number }).index] = rank
    start = end + 1
  }
  return result
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += x[i] as number
    my += y[i] as number
  }
  mx /= n
  my /= n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx
    const dy = (y[i] as number) - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy)
}

export interface TrendTest {
  /** Spearman's ρ between value and position (−1 … 1; NaN when undefined, e.g. constant values). */
  readonly rho: number
  /** Two-sided p-value of ρ = 0. */
  readonly p: number
}

/** Up to this many values the p-value is exact: all n! orders are enumerated (8! = 40 320). */
const EXACT_SPEARMAN_MAX_N = 8

/** Exact two-sided p: the share of the n! orders of these ranks whose |ρ| reaches |observed|. */
function exactSpearmanP(valueRanks: readonly number[], rho: number): number {
  const n = valueRanks.length
  const positions = valueRanks.map((_, i) => i + 1)
  const threshold = Math.abs(rho) - 1e-12
  const order = [...valueRanks]
  let hits = 0
  let total = 0
  // Heap's algorithm: every permutation of `order` once.
  const c = new Array<number>(n).fill(0)
  const visit = (): void => {
    total++
    if (Math.abs(pearson(order, positions)) >= threshold) hits++
  }
  visit()
  for (let i = 0; i < n; ) {
    const ci = c[i] as number
    if (ci < i) {
      const j = i % 2 === 0 ? 0 : ci
      const tmp = order[j] as number
      order[j] = order[i] as number
      order[i] = tmp
      visit()
      c[i] = ci + 1
      i = 0
    } else {
      c[i] = 0
      i++
    }
  }
  return hits / total
}

/** Spearman rank correlation of the values with their order 0, 1, …, n−1. */
export function spearmanTrend(values: readonly number[]): TrendTest {
  const n = values.length
  if (n < 3) return { rho: Number.NaN, p: Number.NaN }
  const valueRanks = ranks(values)
  const rho = pearson(valueRanks, valueRanks.map((_, i) => i + 1))
  if (Number.isNaN(rho)) return { rho, p: Number.NaN }
  // The t approximation is poor for a handful of values (it gives p = 0 at ρ = ±1, where the
  // exact answer for n = 5 is 2/120); count instead.
  if (n <= EXACT_SPEARMAN_MAX_N) return { rho, p: exactSpearmanP(valueRanks, rho) }
  if (Math.abs(rho) >= 1) return { rho, p: 0 }
  const t = rho * Math.sqrt((n - 2) / (1 - rho * rho))
  return { rho, p: tTwoSidedTail(t, n - 2) }
}

export interface AutocorrelationTest {
  /** Lag-1 autocorrelation r₁ (NaN when undefined). */
  readonly r1: number
  /** Two-sided p-value of independence (normal approximation). */
  readonly p: number
}

/** Lag-1 autocorrelation of the values in the order given. */
export function lag1Autocorrelation(values: readonly number[]): AutocorrelationTest {
  const n = values.length
  if (n < 3) return { r1: Number.NaN, p: Number.NaN }
  let mean = 0
  for (const value of values) mean += value
  mean /= n
  let numerator = 0
  let denominator = 0
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean
    denominator += d * d
    if (i + 1 < n) numerator += d * ((values[i + 1] as number) - mean)
  }
  if (denominator === 0) return { r1: Number.NaN, p: Number.NaN }
  const r1 = numerator / denominator
  return { r1, p: normalTwoSidedTail(Math.abs((r1 + 1 / n) * Math.sqrt(n))) }
}

export interface IndependenceCheck {
  readonly n: number
  readonly trend: TrendTest
  readonly autocorrelation: AutocorrelationTest
  /** ρ significantly ≠ 0 at level alpha. */
  readonly drifting: boolean
  /** r₁ significantly > its null mean at level alpha (negative r₁ does not inflate false positives). */
  readonly autocorrelated: boolean
  readonly alpha: number
}

/** Both tests on one cell's values, in the order measured. */
export function checkIndependence(values: readonly number[], alpha = 0.05): IndependenceCheck {
  const trend = spearmanTrend(values)
  const autocorrelation = lag1Autocorrelation(values)
  return {
    n: values.length,
    trend,
    autocorrelation,
    drifting: trend.p < alpha,
    autocorrelated: autocorrelation.r1 > -1 / values.length && autocorrelation.p < alpha,
    alpha,
  }
}
