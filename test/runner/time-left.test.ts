// The progress lines' estimate of the time left (src/runner/time-left.ts): pure arithmetic on
// times passed in, so no clock is read.
import { describe, expect, it } from 'vitest'
import { estimateLeft, timeLeftMs } from '../../src/runner/time-left.js'

describe('estimateLeft', () => {
  it('is the pace so far times the units to come, null before the first', () => {
    expect(estimateLeft(10_000, 0, 100)).toBeNull()
    expect(estimateLeft(10_000, 10, 100)).toBe(90_000)
    expect(estimateLeft(10_000, 120, 100)).toBe(0)
  })
})

describe('timeLeftMs (the progress line estimate)', () => {
  const base = { nowMs: 30_000, isolatesDone: 10, plannedIsolates: 100, deadlineMs: null }
  it('is null before the first round', () => {
    expect(timeLeftMs({ ...base, roundsSinceMs: null })).toBeNull()
    expect(timeLeftMs({ ...base, roundsSinceMs: 0, isolatesDone: 0 })).toBeNull()
  })
  it('takes the pace from the first round, not from the run start (20 s of verification before it do not count)', () => {
    // 10 isolates in the 10 s since the rounds began: 90 more at 1 s each.
    expect(timeLeftMs({ ...base, roundsSinceMs: 20_000 })).toBe(90_000)
  })
  it('with rounds added to a budget, is at least what is left of the budget, and more when the minimum rounds need it', () => {
    expect(timeLeftMs({ ...base, roundsSinceMs: 20_000, plannedIsolates: 12, deadlineMs: 270_000 })).toBe(240_000)
    expect(timeLeftMs({ ...base, roundsSinceMs: 20_000, deadlineMs: 60_000 })).toBe(90_000)
  })
})

