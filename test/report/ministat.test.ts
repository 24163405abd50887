import { describe, expect, it } from 'vitest'
import { MinistatCrash } from '../../src/report/ministat-plot.js'
import { comparisonJson, formatMinistat, type MinistatFormatOptions } from '../../src/report/ministat.js'
import type { Dataset } from '../../src/stats/types.js'

const compat: MinistatFormatOptions = { width: 74, mode: 'ministat', confidence: 95, plot: 'single', tests: true }
const exact: MinistatFormatOptions = { ...compat, mode: 'exact' }

const a: Dataset = { name: 'a.txt', values: [1, 2, 3, 4, 5] }
const b: Dataset = { name: 'b.txt', values: [10, 11, 12, 13, 14] }
const stack: Dataset = { name: 'stack.txt', values: [1, 1, 1, 1, 5] }
const flat: Dataset = { name: 'flat.txt', values: [2, 3, 4] }

const plotRows = (text: string): string[] => text.split('\n').filter((line) => /^\|.*\|$/.test(line))

describe('formatMinistat, ministat mode', () => {
  it('prints fixture R2 (two different datasets) verbatim', () => {
    expect(formatMinistat([a, b], compat)).toBe(
      [
        'x a.txt',
        '+ b.txt',
        `+${'-'.repeat(74)}+`,
        '|x     x    x     x    x                            +    +     +    +     +|',
        '|  |________A________|                                |________A________|  |',
        `+${'-'.repeat(74)}+`,
        '    N           Min           Max        Median           Avg        Stddev',
        'x   5             1             5             3             3     1.5811388',
        '+   5            10            14            12            12     1.5811388',
        'Difference at 95.0% confidence',
        '\t9 +/- 2.306',
        '\t300% +/- 76.8667%',
        "\t(Student's t, pooled s = 1.58114)",
        '',
      ].join('\n'),
    )
  })

  it('takes the plot height from the LAST dataset (R9)', () => {
    expect(plotRows(formatMinistat([stack, flat], { ...compat, width: 30 }))).toEqual([
      '|      x     +    +     +     x|',
      '||_____M___A_|____A___|_|      |',
    ])
  })

  it('puts each bar on its own line with plot: separate, and leaves the plot out with none', () => {
    expect(plotRows(formatMinistat([a, b], { ...compat, plot: 'separate' }))).toHaveLength(3)
    const summaryOnly = formatMinistat([a, b], { ...compat, plot: 'none', tests: false })
    expect(summaryOnly.split('\n')).toEqual([
      'x a.txt',
      '+ b.txt',
      '    N           Min           Max        Median           Avg        Stddev',
      'x   5             1             5             3             3     1.5811388',
      '+   5            10            14            12            12     1.5811388',
      '',
    ])
  })

  it("prints NaN signs as ministat does, from the dataset's negativeNaN flags", () => {
    const text = formatMinistat([{ name: 'n', values: [1, Number.NaN, 2, 3], negativeNaN: [false, true, false, false] }], {
      ...compat,
      plot: 'none',
    })
    expect(text).toContain('x   4             1             3             2          -nan          -nan\n')
  })

  it('throws MinistatCrash where ministat dies with SIGSEGV (a NaN in the plot)', () => {
    const withNaN: Dataset = { name: 'nan', values: [1, 2, Number.NaN, 4] }
    expect(() => formatMinistat([a, withNaN], compat)).toThrow(MinistatCrash)
    expect(() => formatMinistat([a, withNaN], { ...compat, plot: 'none' })).not.toThrow()
  })

  it('plots data above 9.99e101 against ministat\'s phantom lower bound', () => {
    const huge: Dataset = { name: 'huge', values: [1e200, 2e200, 3e200] }
    expect(plotRows(formatMinistat([huge], compat))[0]).toBe(`|${' '.repeat(24)}x${' '.repeat(24)}x${' '.repeat(23)}x|`)
  })
})

describe('formatMinistat, exact mode', () => {
  it('makes the plot tall enough for every dataset', () => {
    const rows = plotRows(formatMinistat([stack, flat], { ...exact, width: 30 }))
    expect(rows).toHaveLength(5) // four stacked 1s, then the bar line
    expect(rows.slice(0, 4).every((row) => row.includes('x'))).toBe(true)
  })

  it('scales to the real data, so huge values spread over the plot', () => {
    const huge: Dataset = { name: 'huge', values: [1e200, 2e200, 3e200] }
    expect(plotRows(formatMinistat([huge], exact))[0]).toMatch(/^\|x +x +x\|$/)
  })

  it('prints the mean of the two middle values as the median', () => {
    const c1: Dataset = { name: 'c1', values: [1.0, 1.2, 0.9, 1.1, 1.05, 0.95] }
    expect(formatMinistat([c1], { ...exact, plot: 'none' })).toContain('x   6           0.9           1.2         1.025     1.0333333    0.10801234\n')
  })

  it("names Welch's test and its df when it used it", () => {
    const wide: Dataset = { name: 'wide', values: [80, 90, 100, 110, 120] }
    const text = formatMinistat([a, wide], exact)
    expect(text).toContain("\t(Welch's t, df = 4.1)\n")
    // 100 − 3 = 97; t(0.975, 4.08) · √50.5 = 2.755108 · 7.106335 = 19.5787 (scipy)
    expect(text).toContain('Difference at 95.0% confidence\n\t97 +/- 19.5787\n')
  })

  it('labels unusual levels with their digits and adds the unit to the header', () => {
    const text = formatMinistat([a, b], { ...exact, confidence: 99.95, plot: 'none', unit: 'ns/op' })
    expect(text).toContain('Difference at 99.95% confidence')
    expect(text).toContain('Avg        Stddev  (ns/op)\n')
  })

  it('leaves non-finite points out of the plot instead of crashing', () => {
    const odd: Dataset = { name: 'odd', values: [1, 2, Number.NaN, Infinity, 4] }
    expect(() => formatMinistat([a, odd], exact)).not.toThrow()
  })

  it('takes at most 7 datasets', () => {
    expect(() => formatMinistat(Array.from({ length: 8 }, () => a), exact)).toThrow(RangeError)
  })
})

describe('comparisonJson', () => {
  it('gives the same numbers, the mode and the test used', () => {
    const json = comparisonJson([a, b], compat)
    expect(json.mode).toBe('ministat')
    expect(json.datasets.map((d) => [d.symbol, d.name, d.summary.median])).toEqual([
      ['x', 'a.txt', 3],
      ['+', 'b.txt', 12],
    ])
    expect(json.comparisons).toHaveLength(1)
    expect(json.comparisons[0]).toMatchObject({ name: 'b.txt', baseline: 'a.txt', test: 'student', df: 8, tCritical: 2.306 })
  })

  it('is JSON-safe: NaN and infinities become null', () => {
    const json = comparisonJson([{ name: 'one', values: [7] }, a], exact)
    expect(json.datasets[0]?.summary.stddev).toBeNull()
    expect(JSON.parse(JSON.stringify(json))).toEqual(json)
  })
})
