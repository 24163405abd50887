import { describe, expect, it } from 'vitest'
import { stabilityNotes } from '../../src/report/stability-notes.js'
import type { MeasuredResultCell, ResultCell } from '../../src/results/run-schema.js'
import { summarize } from '../../src/stats/summary.js'

function cell(strategy: string, values: number[]): MeasuredResultCell {
  const s = summarize(values)
  return {
    workload: 'lookup-heavy',
    size: 512,
    strategy,
    status: 'measured',
    unit: 'ns/op',
    opsPerBatch: 2000,
    setupOps: 300,
    isolates: [],
    values,
    rounds: values.map((_, i) => i),
    summary: { n: s.n, min: s.min, max: s.max, median: s.median, mean: s.mean, stddev: s.stddev },
    components: { withinPercent: null, betweenPercent: null },
    gcSamples: 0,
    totalSamples: 0,
  }
}

const quiet = cell('rbtree', [500, 505, 498, 502, 499, 501, 497, 503, 500, 500])
const preempted = cell('list', [441, 2097, 2487, 26904, 498, 882, 469, 492, 1133, 444])
const other: ResultCell = { workload: 'churn', size: 512, strategy: 'list', status: 'skipped', reason: 'n/a' }

describe('stabilityNotes', () => {
  it('says nothing about a quiet block', () => {
    expect(stabilityNotes({ cells: [quiet, other], config: { isolates: 10, confidence: 95 } }, { workload: 'lookup-heavy', size: 512 })).toEqual([])
  })

  it('warns about the noisy cell only, with its reasons and one hint', () => {
    const lines = stabilityNotes({ cells: [quiet, preempted], config: { isolates: 10, confidence: 95 } }, { workload: 'lookup-heavy', size: 512 })
    expect(lines[0]).toBe('WARNING: list: the result may be unstable')
    expect(lines.some((line) => /^\* the standard deviation .* is \d+% of the mean/.test(line))).toBe(true)
    expect(lines.some((line) => /^\* the maximum .* greater than the mean/.test(line))).toBe(true)
    expect(lines.filter((line) => line.startsWith('WARNING'))).toHaveLength(1)
    expect(lines.at(-1)).toContain('about 1.3 × its CV (20% at the 15% threshold)')
  })
})
