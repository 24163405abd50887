// Where a sweep stops: the geometric ladder, the projection of a state's cost to the next N,
// and the stop rule for the cell budget and the isolate heap.

import { describe, expect, it } from 'vitest'
import { countsPages, geometricSizes, PROJECT_FROM_MS, projectFootprint, projectPassMs, statesPerTimedCell, stopRule } from '../../src/runner/sweep-plan.js'

const config = { isolates: 4, samples: 2, cellBudgetSeconds: 60, heapLimitBytes: 4 * 2 ** 30, memoryRepeats: 3 }

describe('geometricSizes()', () => {
  it('walks from `from` by `factor` up to and including `to` when on the ladder', () => {
    expect(geometricSizes(16, 65536, 4)).toEqual([16, 64, 256, 1024, 4096, 16384, 65536])
    expect(geometricSizes(16, 100, 4)).toEqual([16, 64])
    expect(geometricSizes(10, 40, 1.5)).toEqual([10, 15, 23, 34])
  })
  it('knows which units count pages', () => {
    expect(countsPages('live grefs (pages)')).toBe(true)
    expect(countsPages('persistent gmaps')).toBe(false)
  })
})

describe('projection', () => {
  it('projects nothing from passes too short to mean anything', () => {
    expect(projectPassMs([], 64)).toBeNull()
    expect(projectPassMs([{ size: 16, passMs: PROJECT_FROM_MS - 1, footprintBytes: 1 }], 64)).toBeNull()
  })
  it('uses the measured slope between the last two sizes, clamped to [1, 3], quadratic from one point', () => {
    // 100 → 1600 ms over ×4: exponent 2 → ×16 again.
    expect(projectPassMs([{ size: 1024, passMs: 100, footprintBytes: 0 }, { size: 4096, passMs: 1600, footprintBytes: 0 }], 16384)).toBeCloseTo(25600, 6)
    // A flat measurement is clamped to linear: setup alone is at least O(N).
    expect(projectPassMs([{ size: 1024, passMs: 200, footprintBytes: 0 }, { size: 4096, passMs: 200, footprintBytes: 0 }], 16384)).toBeCloseTo(800, 6)
    expect(projectPassMs([{ size: 1024, passMs: 200, footprintBytes: 0 }], 4096)).toBeCloseTo(3200, 6)
    expect(projectFootprint([{ size: 1024, passMs: 1, footprintBytes: 1e6 }], 4096)).toBe(4e6)
    expect(projectFootprint([{ size: 1024, passMs: 1, footprintBytes: Number.NaN }], 4096)).toBeNull()
  })
})

describe('stopRule()', () => {
  it('counts every state a timed cell builds plus the memory repeats against the budget', () => {
    // 4 isolates × (probe + 2 warm-up + 2 timed samples) + 3 memory repeats.
    expect(statesPerTimedCell(config)).toBe(20)
    expect(stopRule(config, 60_000 / 23 - 1, null, false)).toEqual({ stop: false })
    const over = stopRule(config, 60_000 / 23 + 1, null, true)
    expect(over).toMatchObject({ stop: true, cause: 'budget' })
    if (over.stop) expect(over.reason).toMatch(/^projected .* × 23 states .* > 60 s cell budget$/)
  })
  it('stops when four footprints would not fit in 80 % of the isolate heap', () => {
    expect(stopRule(config, 1, 0.8 * 2 ** 30, false)).toEqual({ stop: false })
    expect(stopRule(config, 1, 0.81 * 2 ** 30, false)).toMatchObject({ stop: true, cause: 'memory' })
  })
})
