import { describe, expect, it } from 'vitest'
import { HOST_DRIFT_LIMIT_PERCENT, HOST_DRIFT_MIN_CELLS, hostDrift, hostDriftCaveat, withinRunCaveat, withinRunDrift } from '../../src/results/host-drift.js'
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

describe('withinRunDrift', () => {
  /** Measured cells with values and their round numbers (given out of order on purpose). */
  function rounds(valuesByStrategy: Record<string, readonly number[]>): RunResult {
    const cells = Object.entries(valuesByStrategy).map(([strategy, values]) => ({
      workload: 'churn',
      size: 64,
      strategy,
      status: 'measured',
      values: [...values].reverse(),
      rounds: values.map((_, i) => i).reverse(),
    }))
    return { config: { engine: 'native', ops: 2000 }, cells } as unknown as RunResult
  }

  it("is the median over cells of the later half of each cell's rounds against the earlier half, by round number", () => {
    // Cell i: rounds 0–1 at 100, rounds 2–3 at 100·(1 + i/100): a change of i %, median 4 %.
    const names = strategies(9)
    const drift = withinRunDrift(rounds(Object.fromEntries(names.map((s, i) => [s, [100, 100, 100 * (1 + i / 100), 100 * (1 + i / 100)]]))))
    expect(drift?.percent).toBeCloseTo(4, 9)
  })

  it('calls a steady trend over the rounds a change of state, and passes that jump about at random do not', () => {
    // Twelve rounds. A trend: every cell 1 % slower per round. Noise: the passes jump by ±8 % in
    // an order unrelated to time, shared by every cell, as a noisy host's spells are.
    const names = strategies(10)
    const trend = withinRunDrift(rounds(Object.fromEntries(names.map((s, c) => [s, Array.from({ length: 12 }, (_, r) => 100 * 1.01 ** r * (1 + c / 1000))]))))
    expect(trend?.percent).toBeCloseTo(100 * (1.01 ** 6 - 1), 6)
    expect(trend?.changed).toBe(true)
    expect(trend?.p).toBeLessThanOrEqual(0.05)
    const jumps = [1, -1, -1, 1, 1, -1, -1, 1, 1, -1, 1, -1]
    const spells = withinRunDrift(rounds(Object.fromEntries(names.map((s, c) => [s, jumps.map((j) => 100 * (1 + 0.08 * j) * (1 + c / 1000))]))))
    expect(spells?.percent).toBeCloseTo(0, 9)
    expect(spells?.chancePercent).toBeGreaterThan(5)
    expect(spells?.changed).toBe(false)
    expect(spells?.p).toBeGreaterThan(0.05)
  })

  it('renders the same every time (its random splits are seeded)', () => {
    const names = strategies(8)
    const make = () => rounds(Object.fromEntries(names.map((s, c) => [s, [3, 1, 4, 1, 5, 9, 2, 6].map((v) => v + c)])))
    expect(withinRunDrift(make())).toEqual(withinRunDrift(make()))
  })

  it('names the run whose host changed state during it, for compare, and says nothing of a steady one', () => {
    const names = strategies(10)
    const trend = rounds(Object.fromEntries(names.map((s, c) => [s, Array.from({ length: 12 }, (_, r) => 100 * 1.01 ** r * (1 + c / 1000))])))
    expect(withinRunCaveat('new', trend)).toMatch(/^the new run's host changed state during it: drift within the run \+6\.2% \(later vs earlier rounds; p = 0\.0\d\d against random splits of the rounds, .*\), so its ratios average two host states$/)
    const steady = rounds(Object.fromEntries(names.map((s, c) => [s, Array.from({ length: 12 }, () => 100 + c)])))
    expect(withinRunCaveat('old', steady)).toBeNull()
  })

  it(`is null with fewer than ${HOST_DRIFT_MIN_CELLS} cells of 4 rounds or more`, () => {
    const few = rounds(Object.fromEntries(strategies(HOST_DRIFT_MIN_CELLS).map((s, i) => [s, i === 0 ? [1, 2, 3] : [1, 1, 2, 2]])))
    expect(withinRunDrift(few)).toBeNull()
    const enough = rounds(Object.fromEntries(strategies(HOST_DRIFT_MIN_CELLS).map((s) => [s, [1, 1, 2, 2]])))
    expect(withinRunDrift(enough)?.percent).toBeCloseTo(100, 9)
  })
})
