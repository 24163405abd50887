// Contracts of the statistics layer: what a dataset summary and a two-sample comparison are,
// in ministat(1)'s terms. Two modes: 'exact' (the harness default: exact Student-t quantiles,
// mean-of-middles median, Welch when variances differ) and 'ministat' (Debian ministat
// 20150715 to the last digit: its t table, upper-middle median, pooled t only).

export type StatsMode = 'exact' | 'ministat'

/** ministat's "vitals" of one dataset. */
export interface Summary {
  n: number
  min: number
  max: number
  median: number
  mean: number
  /** Sample standard deviation (n − 1); NaN when n < 2. */
  stddev: number
}

export type TestKind = 'student' | 'welch'

export type Verdict = 'faster' | 'slower' | 'no difference proven'

/** One dataset compared with the baseline (ministat's "Difference at …" block). */
export interface Comparison {
  test: TestKind
  /** Two-sided confidence level in percent, e.g. 95. */
  confidence: number
  /** Degrees of freedom (fractional for Welch). */
  df: number
  tCritical: number
  /** mean(other) − mean(baseline). */
  delta: number
  /** Half-width of the confidence interval of delta. */
  deltaHalfWidth: number
  /** delta as a percentage of the baseline mean. */
  relativePercent: number
  /** Half-width of the relative interval, in percent of the baseline mean. */
  relativeHalfWidthPercent: number
  /** Pooled standard deviation (Student only; NaN for Welch). */
  pooledStddev: number
  /** |delta| > deltaHalfWidth (ministat's strict test). */
  significant: boolean
  /** For timings: lower is faster. */
  verdict: Verdict
}

export interface CompareOptions {
  /** Percent, default 95. In 'ministat' mode one of 80, 90, 95, 98, 99, 99.5. */
  confidence?: number
  mode?: StatsMode
  /** 'auto' (exact mode default): Welch when the variance ratio is large, else Student. */
  test?: TestKind | 'auto'
}

/** A named sample of replicate values (ns/op), in the order measured. */
export interface Dataset {
  name: string
  values: readonly number[]
  /**
   * Compat mode only, optional: per value, true when it was read as a negative NaN ("-nan").
   * A JS number cannot carry a NaN's sign, and ministat prints it.
   */
  negativeNaN?: readonly boolean[]
}
