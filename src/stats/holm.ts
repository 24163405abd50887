// Holm's step-down adjustment (Holm 1979) for a family of tests: it controls the family-wise
// error rate under any dependence between the tests, and is uniformly more powerful than
// Bonferroni. A run's comparisons against their baselines are one family; so are the
// equivalence tests. The adjusted p of the i-th smallest of m p-values is
// max over j ≤ i of min(1, (m − j + 1)·p_(j)); a test is rejected at α when its adjusted p < α.

/** Holm-adjusted p-values, in the order given. NaN entries stay NaN and do not count in m. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues.map((p, index) => ({ p, index })).filter((entry) => !Number.isNaN(entry.p))
  order.sort((a, b) => a.p - b.p)
  const m = order.length
  const adjusted = pValues.map(() => Number.NaN)
  let running = 0
  order.forEach((entry, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * entry.p))
    adjusted[entry.index] = running
  })
  return adjusted
}
