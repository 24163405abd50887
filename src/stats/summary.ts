// The "vitals" of one dataset (ministat's N, Min, Max, Median, Avg, Stddev) in either mode:
// * 'exact' (default): simple-statistics — the median averages the two middle values when n is
//   even, the standard deviation is two-pass (no cancellation: a constant dataset gives 0 or a
//   rounding-level 1e-17, never NaN);
//   a NaN anywhere makes every statistic but N NaN, since no order or sum is meaningful then;
// * 'ministat': Debian ministat 20150715 to the last bit (upper-middle median, running-sums
//   variance that can come out NaN for constant data) — see ministat-vitals.ts.

import { max, mean, median, min, sampleStandardDeviation } from 'simple-statistics'
import { ministatVitals } from './ministat-vitals.js'
import type { StatsMode, Summary } from './types.js'

function exactSummary(values: readonly number[]): Summary {
  const n = values.length
  if (n === 0 || values.some((v) => Number.isNaN(v))) {
    return { n, min: Number.NaN, max: Number.NaN, median: Number.NaN, mean: Number.NaN, stddev: Number.NaN }
  }
  const sample = values as number[] // simple-statistics' types want a mutable array; it does not write
  return {
    n,
    min: min(sample),
    max: max(sample),
    median: median(sample),
    mean: mean(sample),
    stddev: n < 2 ? Number.NaN : sampleStandardDeviation(sample),
  }
}

export function summarize(values: readonly number[], mode: StatsMode = 'exact'): Summary {
  if (mode === 'exact') return exactSummary(values)
  const v = ministatVitals(values)
  return {
    n: v.n,
    min: v.min.value,
    max: v.max.value,
    median: v.median.value,
    mean: v.mean.value,
    stddev: v.stddev.value,
  }
}
