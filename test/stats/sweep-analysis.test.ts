// The per-workload analysis on synthetic replicates: series with CIs, the growth fit of each
// strategy, pairwise comparisons, and a crossover where a constant-cost strategy overtakes a
// linear one; the paragraph words exactly that.

import { describe, expect, it } from 'vitest'
import { sweepParagraph } from '../../src/report/sweep-paragraph.js'
import { analyseWorkload } from '../../src/stats/sweep-analysis.js'
import type { SweepCellValues } from '../../src/stats/sweep-analysis.js'

const sizes = [16, 64, 256, 1024, 4096]
/** Five replicates spread ±2 % around the mean (deterministic). */
const around = (mean: number): number[] => [0.98, 0.99, 1, 1.01, 1.02].map((f) => f * mean)

const cells: SweepCellValues[] = sizes.flatMap((n) => [
  { size: n, strategy: 'list', values: around(20 + 0.5 * n) }, // fast at small N, linear
  { size: n, strategy: 'rbtree', values: around(100 + 10 * Math.log2(n)) }, // logarithmic
])
const counts = sizes.flatMap((n) => [
  { size: n, strategy: 'list', workPerOp: n / 2 },
  { size: n, strategy: 'rbtree', workPerOp: 2 * Math.log2(n) },
])

describe('analyseWorkload()', () => {
  const a = analyseWorkload('synthetic', ['list', 'rbtree'], cells, counts, { confidence: 95 })

  it('summarises each cell with a t interval on the mean', () => {
    const p = a.series[0]?.points[0]
    expect(p?.summary.n).toBe(5)
    expect(p?.summary.mean).toBeCloseTo(28, 10)
    // sd of the ±2 % spread: 0.28·√(2.5/4)… times t(95 %, 4) / √5.
    expect(p?.halfWidth).toBeCloseTo((2.776445105 * (p?.summary.stddev ?? 0)) / Math.sqrt(5), 6)
  })

  it('fits time and counted work per strategy', () => {
    const [list, tree] = a.series
    expect(list?.growth?.growthClass).toBe('linear')
    expect(tree?.growth?.growthClass).toBe('logarithmic')
    expect(list?.workGrowth?.exponent).toBeCloseTo(1, 10)
    expect(tree?.workGrowth?.growthClass).toBe('logarithmic')
  })

  it('finds where the tree overtakes the list, bracketed by significant verdicts', () => {
    const pair = a.pairs[0]
    expect(pair?.perSize).toHaveLength(5)
    const x = pair?.crossovers
    expect(x?.status).toBe('crossover')
    // At 256 the list still leads (148 vs 180 ns); at 1024 the tree does: the flip is bracketed by them.
    expect(x?.crossovers[0]).toMatchObject({ below: 'list', above: 'rbtree', fromSize: 256, toSize: 1024 })
    expect(x?.crossovers[0]?.estimate).toBeGreaterThan(256)
    expect(x?.crossovers[0]?.estimate).toBeLessThan(1024)

    const text = sweepParagraph({ analysis: a, sizeUnit: 'live maps', skipped: [{ strategy: 'list', fromSize: 16384, reason: 'budget' }] })
    expect(text).toMatch(/Below ~\d+ live maps list is faster than rbtree, above it rbtree wins \(the verdict flips between N = 256 and 1,024\)/)
    expect(text).toMatch(/at N = 4,096, rbtree takes \d+\.\d % \[\d+\.\d, \d+\.\d\] less time per op than list/)
    expect(text).toContain('list at N = 16 to 256 and rbtree at N = 1,024 to 4,096')
    expect(text).toContain('list linear')
    expect(text).toContain('rbtree logarithmic')
    expect(text).toContain('Not timed: list from N = 16,384 (budget)')
  })

  it('words a slowdown of 2× or more as a ratio with its interval', () => {
    const swapped = analyseWorkload('synthetic', ['rbtree', 'list'], cells, counts, { confidence: 95 })
    const text = sweepParagraph({ analysis: swapped, sizeUnit: 'live maps', skipped: [] })
    // list at 4096: 2068 ns against rbtree 220 ns → 9.4× the time.
    expect(text).toMatch(/at N = 4,096, list takes 9\.4× \[\d+\.\d×, \d+\.\d×\] the time per op of rbtree/)
  })

  it('skips comparisons where a strategy has fewer than two replicates', () => {
    const one = analyseWorkload('w', ['a', 'b'], [{ size: 16, strategy: 'a', values: [1] }, { size: 16, strategy: 'b', values: [2, 3] }], [], { confidence: 95 })
    expect(one.pairs[0]?.perSize).toEqual([])
    expect(one.series[0]?.growth).toBeNull()
  })
})

describe('commonRange and bootstrapSlope', () => {
  it('fits every strategy over the sizes all were timed at, with an isolate-resampling interval', async () => {
    const { commonRange } = await import('../../src/stats/sweep-analysis.js')
    const { bootstrapSlope } = await import('../../src/stats/bootstrap-slope.js')
    const cells = [
      ...[16, 64, 256, 1024].map((size) => ({ size, strategy: 'tree', values: [10, 11, 10.5].map((v) => v * Math.log2(size)) })),
      ...[16, 64, 256].map((size) => ({ size, strategy: 'list', values: [1, 1.1, 0.9].map((v) => v * size) })),
    ]
    expect(commonRange(cells, ['tree', 'list'])).toEqual([16, 256])
    const fit = bootstrapSlope(cells.filter((c) => c.strategy === 'list'))
    expect(fit.exponent).toBeCloseTo(1, 6)
    expect(fit.lower).toBeLessThanOrEqual(fit.exponent)
    expect(fit.upper).toBeGreaterThanOrEqual(fit.exponent)
    expect(bootstrapSlope(cells.filter((c) => c.strategy === 'list'))).toEqual(fit)
  })
})
