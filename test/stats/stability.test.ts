import { describe, expect, it } from 'vitest'
import { DEFAULT_STABILITY_THRESHOLDS, stabilityWarnings } from '../../src/stats/stability.js'

describe('stabilityWarnings', () => {
  it('is silent for a quiet cell', () => {
    expect(stabilityWarnings([100, 102, 98, 101, 99, 100, 103, 97, 100, 101])).toEqual([])
  })

  it('flags a CV above the threshold, with a pyperf-style message', () => {
    const warnings = stabilityWarnings([60, 140, 70, 130, 80, 120, 90, 110, 100, 100])
    expect(warnings.map((w) => w.issue)).toContain('cv')
    expect(warnings.find((w) => w.issue === 'cv')?.message).toMatch(/^the standard deviation \(.+\) is \d+% of the mean \(.+\)$/)
  })

  it('flags one replicate far above the mean (a GC or a co-tenant)', () => {
    const warnings = stabilityWarnings([100, 100, 100, 100, 100, 100, 100, 100, 100, 1000])
    expect(warnings.map((w) => w.issue)).toContain('maximum')
  })

  it('flags a monotone trend', () => {
    const warnings = stabilityWarnings([200, 190, 180, 170, 160, 150, 140, 130, 120, 110], { ...DEFAULT_STABILITY_THRESHOLDS, maxCvPercent: 100 })
    expect(warnings.map((w) => w.issue)).toEqual(['trend'])
    expect(warnings[0]?.message).toContain('get faster over the run (warmup too short?)')
  })

  it('takes its thresholds as data', () => {
    const values = [95, 105, 95, 105, 95, 105]
    expect(stabilityWarnings(values, { maxCvPercent: 1, maxExtremePercent: 50, trendAlpha: 0.01 }).map((w) => w.issue)).toEqual(['cv'])
  })
})
