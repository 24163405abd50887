// Variance components of a two-level (nested) measurement: samples within isolates within a
// strategy (Kalibera & Jones 2013, §4: random effects per level; estimate the variance at each
// level and repeat where it is). On the log scale, so the components read as coefficients of
// variation. One-way random-effects ANOVA with unequal group sizes allowed:
//   within   σ_w² = Σ_k Σ_i (y_ki − ȳ_k)² / Σ_k (r_k − 1)
//   between  σ_b² = max(0, Var(ȳ_k) − σ_w² / r̄)   (method of moments, truncated at 0)
// σ_b is the isolate floor: the spread that more samples per isolate never remove, only more
// isolates do.

export interface VarianceComponents {
  readonly isolates: number
  readonly samplesPerIsolate: number
  /** √σ_w² as a percentage (≈ CV of a sample within an isolate). */
  readonly withinPercent: number
  /** √σ_b² as a percentage (≈ CV of isolate means beyond what sampling explains). */
  readonly betweenPercent: number
}

/** `samples[k]`: the values (> 0) of isolate k. Needs ≥ 2 isolates; NaN parts when undefined. */
export function varianceComponents(samples: readonly (readonly number[])[]): VarianceComponents {
  const logs = samples.map((values) => values.map(Math.log))
  let within = 0
  let withinDf = 0
  const means: number[] = []
  let total = 0
  for (const ys of logs) {
    const m = ys.reduce((a, b) => a + b, 0) / ys.length
    means.push(m)
    total += ys.length
    for (const y of ys) within += (y - m) ** 2
    withinDf += ys.length - 1
  }
  const sw2 = withinDf > 0 ? within / withinDf : Number.NaN
  const k = means.length
  const grand = means.reduce((a, b) => a + b, 0) / k
  const meansVariance = k > 1 ? means.reduce((a, m) => a + (m - grand) ** 2, 0) / (k - 1) : Number.NaN
  const rBar = total / Math.max(1, k)
  const sb2 = Math.max(0, meansVariance - (Number.isNaN(sw2) ? 0 : sw2 / rBar))
  return { isolates: k, samplesPerIsolate: rBar, withinPercent: Math.sqrt(sw2) * 100, betweenPercent: Math.sqrt(sb2) * 100 }
}
