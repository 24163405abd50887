// The host's noise from a run's own samples (results/host-noise.ts): which runs' sample CVs compare.
import { describe, expect, it } from 'vitest'
import { hostNoiseCaveat, samplesShareStream } from '../../src/results/host-noise.js'
import type { RunResult } from '../../src/results/run-schema.js'

/** A run of one cell; `ownStreams`: its isolates record a stream seed per sample (engine version 8). */
function run(withinPercent: number, ownStreams = false): RunResult {
  const isolates = [{ samples: [1, 2], ...(ownStreams ? { streamSeeds: [3, 4] } : {}) }]
  return { config: { engine: 'native' }, cells: [{ status: 'measured', isolates, components: { withinPercent, betweenPercent: 1 } }] } as unknown as RunResult
}

describe('host noise', () => {
  it('knows from the isolates whether their samples replayed one stream', () => {
    expect(samplesShareStream(run(3))).toBe(true)
    expect(samplesShareStream(run(3, true))).toBe(false)
  })

  it('flags a noise difference only between runs whose samples replayed streams alike', () => {
    expect(hostNoiseCaveat(run(2.2), run(6.9))).toMatch(/^the host's noise differs: .* 2\.2% → 6\.9%/)
    expect(hostNoiseCaveat(run(3), run(3.4))).toBeNull()
    expect(hostNoiseCaveat(run(2.8), run(3.4, true))).toBe(
      "the sample CVs (2.8% → 3.4%) do not compare the host's noise: in the new run each sample replayed a stream of its own",
    )
  })
})
