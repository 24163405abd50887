// The host's noise from a run's own samples (results/host-noise.ts): which runs' sample CVs compare.
import { describe, expect, it } from 'vitest'
import { hostNoiseCaveat, samplesShareStream } from '../../src/results/host-noise.js'
import type { RunResult } from '../../src/results/run-schema.js'

function run(withinPercent: number, engine: string, version?: string): RunResult {
  const cells = [{ status: 'measured', components: { withinPercent, betweenPercent: 1 } }]
  return { config: { engine, ...(version === undefined ? {} : { native: { version } }) }, cells } as unknown as RunResult
}

describe('host noise', () => {
  it('knows which designs replay one stream per isolate', () => {
    expect(samplesShareStream(run(3, 'js'))).toBe(true)
    expect(samplesShareStream(run(3, 'native', '6'))).toBe(true)
    expect(samplesShareStream(run(3, 'native', '8'))).toBe(false)
  })

  it('flags a noise difference only between runs whose samples replayed streams alike', () => {
    expect(hostNoiseCaveat(run(2.2, 'native', '6'), run(6.9, 'native', '6'))).toMatch(/^the host's noise differs: .* 2\.2% → 6\.9%/)
    expect(hostNoiseCaveat(run(3, 'native', '6'), run(3.4, 'native', '6'))).toBeNull()
    expect(hostNoiseCaveat(run(2.8, 'native', '6'), run(3.4, 'native', '8'))).toBe(
      "the sample CVs (2.8% → 3.4%) do not compare the host's noise: in the new run each sample replayed a stream of its own",
    )
  })
})
