// The machine line's host state: the noise, and the drift within the run, flagged beyond ±3 %.
import { describe, expect, it } from 'vitest'
import { hostStateText } from '../../src/report/host-state.js'
import type { RunResult } from '../../src/results/run-schema.js'

/** Eight cells with the same round values (round r: values[r]), each with a within-isolate CV. */
function run(values: readonly number[]): RunResult {
  const cells = Array.from({ length: 8 }, (_, i) => ({
    workload: 'churn',
    size: 64,
    strategy: `s${i}`,
    status: 'measured',
    values: [...values],
    rounds: values.map((_, r) => r),
    isolates: [],
    components: { withinPercent: 4 + i, betweenPercent: 1 },
  }))
  return { config: { engine: 'native', ops: 2000 }, cells } as unknown as RunResult
}

describe('hostStateText', () => {
  it('gives the noise, and the drift within the run beside what random splits of the rounds give', () => {
    expect(hostStateText(run([100, 102, 100, 102, 100, 102, 100, 102]))).toBe(
      '; host noise (median within-isolate sample CV) 7.5%; host drift within the run +0.0% (later vs earlier rounds; p = 1.000 against random splits of the rounds, 95 % of which give up to ±1.0%)',
    )
  })

  it('does not call the sample CV the host’s noise where each sample replayed its own stream', () => {
    const base = run([100, 102, 100, 102])
    const v8 = { ...base, cells: base.cells.map((c) => ({ ...c, isolates: [{ samples: [1, 2], streamSeeds: [3, 4] }] })) } as unknown as RunResult
    expect(hostStateText(v8)).toMatch(/^; median within-isolate sample CV 7\.5% \(each sample its own stream: the streams' spread with the host's noise\); host drift/)
  })

  it('says the host changed state when the drift lies beyond them', () => {
    expect(hostStateText(run([100, 100, 100, 100, 90, 90, 90, 90]))).toBe(
      '; host noise (median within-isolate sample CV) 7.5%; host drift within the run -10.0% (later vs earlier rounds; p = 0.025 against random splits of the rounds, 95 % of which give up to ±5.4%): the host changed state during the run',
    )
  })
})
