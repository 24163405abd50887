import { describe, expect, it } from 'vitest'
import { HOST_DRIFT_LIMIT_PERCENT, HOST_DRIFT_MIN_CELLS, hostDrift, hostDriftCaveat } from '../../src/results/host-drift.js'
import type { RunResult } from '../../src/results/run-schema.js'

/** Only what hostDrift reads: the engine and K, measured cells (workload, size, strategy, values) and an outcome cell it must skip. */
function run(valuesByStrategy: Record<string, readonly number[]>, config: { engine: string; ops: number } = { engine: 'native', ops: 2000 }): RunResult {
  const cells = Object.entries(valuesByStrategy).map(([strategy, values]) => ({ workload: 'churn', size: 64, strategy, status: 'measured', values }))
  cells.push({ workload: 'wrap', size: 512, strategy: 'bump', status: 'outcome', values: [] })
  return { config, cells } as unknown as RunResult
}

const strategies = (count: number): string[] => Array.from({ length: count }, (_, i) => `s${i}`)

describe('hostDrift', () => {
  it('is the median over the common measured cells of the change in geometric-mean ns/op, with the middle half', () => {
    const names = strategies(9)
    // Cell i got (1 + i/100) slower: changes 0 … 8 %, median 4 %, quartiles 2 % and 6 %.
    const before = run(Object.fromEntries(names.map((s) => [s, [100, 400]])))
    const after = run(Object.fromEntries(names.map((s, i) => [s, [100 * (1 + i / 100), 400 * (1 + i / 100)]])))
    const drift = hostDrift(before, after)
    expect(drift.cells).toBe(9)
    expect(drift.medianPercent).toBeCloseTo(4, 9)
    expect(drift.lowerQuartilePercent).toBeCloseTo(2, 9)
    expect(drift.upperQuartilePercent).toBeCloseTo(6, 9)
    expect(drift.beyondLimit).toBe(true)
    expect(hostDriftCaveat(drift)).toContain("the host's state differs: the same cells ran a median +4.0% in ns/op (middle half +2.0% to +6.0%")
  })

  it('stays finite over many slow isolates (a product of 100 means of 10^4 ns/op overflows a double)', () => {
    const names = strategies(8)
    const before = run(Object.fromEntries(names.map((s) => [s, Array.from({ length: 100 }, () => 12_000)])))
    const after = run(Object.fromEntries(names.map((s) => [s, Array.from({ length: 100 }, () => 12_600)])))
    expect(hostDrift(before, after).medianPercent).toBeCloseTo(5, 9)
  })

  it(`stays within ±${HOST_DRIFT_LIMIT_PERCENT} % when a few strategies change and the rest do not, and says nothing then`, () => {
    const names = strategies(10)
    const before = run(Object.fromEntries(names.map((s) => [s, [50, 60, 70]])))
    const after = run(Object.fromEntries(names.map((s, i) => [s, i < 3 ? [75, 90, 105] : [50, 60, 70]])))
    const drift = hostDrift(before, after)
    expect(drift.medianPercent).toBe(0)
    expect(drift.beyondLimit).toBe(false)
    expect(hostDriftCaveat(drift)).toBeNull()
  })

  it(`needs ${HOST_DRIFT_MIN_CELLS} cells in common, and says so when there are fewer`, () => {
    const names = strategies(HOST_DRIFT_MIN_CELLS - 1)
    const before = run(Object.fromEntries(names.map((s) => [s, [10]])))
    const after = run({ ...Object.fromEntries(names.map((s) => [s, [20]])), other: [20] })
    const drift = hostDrift(before, after)
    expect(drift).toMatchObject({ cells: HOST_DRIFT_MIN_CELLS - 1, medianPercent: null, lowerQuartilePercent: null, upperQuartilePercent: null, beyondLimit: false })
    expect(hostDriftCaveat(drift)).toBe(
      `the host's drift is not known: only ${HOST_DRIFT_MIN_CELLS - 1} timed cell(s) in common: too few to tell a change of the host (the same cells' speed) from the change under test`,
    )
  })

  it('is not the host when the engines or the ops per state differ', () => {
    const values = Object.fromEntries(strategies(10).map((s) => [s, [10]]))
    const slower = Object.fromEntries(strategies(10).map((s) => [s, [30]]))
    const engines = hostDrift(run(values, { engine: 'js', ops: 2000 }), run(slower))
    expect(engines).toMatchObject({ cells: 10, medianPercent: null, beyondLimit: false })
    expect(hostDriftCaveat(engines)).toBe("the host's drift is not known: the engines differ (js → native), so the same cells' speed compares the engines, not the host")
    const ops = hostDrift(run(values, { engine: 'native', ops: 500 }), run(slower))
    expect(hostDriftCaveat(ops)).toBe("the host's drift is not known: the ops per state differ (500 → 2000), so the same cells do different work")
  })
})
