// What counts as a busy machine: other processes' CPU time during the run where /proc tells it,
// the load average elsewhere.

import { describe, expect, it } from 'vitest'
import { BUSY_OTHERS_CORES, busyReason, cpuSnapshot, othersCores } from '../../src/runner/machine-state.js'

describe('othersCores', () => {
  it('is all CPUs’ busy time less our own, per second of the interval', () => {
    const from = { allBusyTicks: 1000, ownTicks: 10, atMs: 0 }
    // 2 s: 300 busy ticks in all, 180 of them ours → 120 ticks = 1.2 s of others = 0.6 cores.
    expect(othersCores(from, { allBusyTicks: 1300, ownTicks: 190, atMs: 2000 })).toBeCloseTo(0.6, 10)
  })

  it('never goes below zero, and is unknown for a short interval or without /proc', () => {
    const from = { allBusyTicks: 1000, ownTicks: 10, atMs: 0 }
    expect(othersCores(from, { allBusyTicks: 1100, ownTicks: 130, atMs: 1000 })).toBe(0)
    expect(othersCores(from, { allBusyTicks: 1100, ownTicks: 20, atMs: 999 })).toBeNull()
    expect(othersCores(null, from)).toBeNull()
  })

  it('reads this machine’s /proc where there is one', () => {
    const snapshot = cpuSnapshot()
    if (snapshot === null) return
    expect(snapshot.allBusyTicks).toBeGreaterThanOrEqual(0)
    expect(snapshot.ownTicks).toBeGreaterThanOrEqual(0)
  })
})

describe('busyReason with the CPU time of others', () => {
  it('decides by the others’ cores and ignores a lagging load average', () => {
    expect(busyReason(3.0, [4, 4], 2, 0.05)).toBeNull()
    expect(busyReason(0.1, [], 2, BUSY_OTHERS_CORES)).toMatch(/other processes kept 0\.25 of a core busy/)
  })

  it('falls back to the load average when the CPU time is unknown', () => {
    expect(busyReason(1.6, [], 2, null)).toMatch(/before the run/)
    expect(busyReason(0.2, [1, 2.5], 2)).toMatch(/during the run/)
  })
})
