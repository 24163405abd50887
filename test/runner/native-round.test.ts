// A native round's TS side (native-round.ts probeRound): one TS replay per device semantics
// after the first round, every arm's reference work still the model's, skips carried to every
// arm of a semantics. Asserts which replays ran through the probe costs, never a time.
import { describe, expect, it } from 'vitest'
import { probeCell } from '../../src/runner/probe.js'
import type { ProbeCosts } from '../../src/runner/native-round.js'
import { runNativeRound, streamSeeds } from '../../src/runner/native-round.js'
import { nativeProblem } from '../native/availability.js'

const request = (workload: string, size: number) => ({
  group: { workload, size, seed: 11, ops: 60, wrapOffsetSpacePages: 1024 },
  samples: 1,
  sampleMs: 0.02,
  warmupMs: 0,
  gcBeforeSample: 'minor' as const,
})
const arms = (...names: string[]) => names.map((name) => ({ name, plantedPercent: 0 }))

describe.skipIf(nativeProblem !== null)('runNativeRound', () => {
  it('replays every arm in TS in a cell’s first round, and each arm’s work is its own probe’s', async () => {
    const costs: ProbeCosts = new Map()
    const names = ['list', 'rbtree', 'maple', 'linux-gntdev', 'freebsd']
    const results = await runNativeRound(arms(...names), request('churn', 32), costs)
    expect([...costs.keys()].sort()).toEqual([...names].sort())
    results.forEach((result, i) => {
      const probed = probeCell(names[i] as string, request('churn', 32).group)
      expect(result.status).toBe('measured')
      expect(probed.status).toBe('ready')
      if (result.status === 'measured' && probed.status === 'ready') {
        expect(result.reference).toEqual(probed.reference)
        expect(result.semantics).toBe(probed.semantics)
      }
    })
  })

  it('then replays only the cheapest known arm of each device semantics', async () => {
    // list, rbtree and maple share the neutral policy; linux-gntdev has its own.
    const costs: ProbeCosts = new Map([
      ['list', 1e9],
      ['rbtree', -1],
      ['maple', 1e9],
      ['linux-gntdev', 1e9],
    ])
    const results = await runNativeRound(arms('list', 'rbtree', 'maple', 'linux-gntdev'), request('qdisk-map', 32), costs)
    expect(costs.get('list')).toBe(1e9)
    expect(costs.get('maple')).toBe(1e9)
    expect(costs.get('rbtree')).not.toBe(-1)
    expect(costs.get('linux-gntdev')).not.toBe(1e9)
    expect(results.map((r) => r.status)).toEqual(['measured', 'measured', 'measured', 'measured'])
    const work = results.map((r) => (r.status === 'measured' ? r.reference : null))
    expect(work[0]).toEqual(work[1])
    expect(work[2]).toEqual(work[1])
  })

  it('gives each sample a stream of its own, shared by every arm, and sums their work', async () => {
    const twoSamples = { ...request('lookup-heavy', 32), samples: 2 }
    const seeds = streamSeeds(twoSamples.group.seed, 2, false)
    expect(seeds[0]).toBe(twoSamples.group.seed)
    expect(new Set(seeds).size).toBe(2)
    expect(streamSeeds(7, 3, true)).toEqual([7])
    const results = await runNativeRound(arms('list', 'linux-gntalloc'), twoSamples, new Map())
    results.forEach((result, i) => {
      const probes = seeds.map((seed) => probeCell(['list', 'linux-gntalloc'][i] as string, { ...twoSamples.group, seed }))
      expect(result.status).toBe('measured')
      if (result.status !== 'measured') return
      expect(result.streamSeeds).toEqual(seeds)
      expect(result.samples).toHaveLength(2)
      const work = probes.map((p) => (p.status === 'ready' ? p.reference : null))
      expect(result.reference).toEqual({
        ok: (work[0]?.ok ?? NaN) + (work[1]?.ok ?? NaN),
        failed: (work[0]?.failed ?? NaN) + (work[1]?.failed ?? NaN),
        skipped: (work[0]?.skipped ?? NaN) + (work[1]?.skipped ?? NaN),
      })
    })
    const [a, b] = results
    if (a?.status === 'measured' && b?.status === 'measured') expect(a.streamHash).toBe(b.streamHash)
    // Beside JS arms (--engine both) the C arms replay the round's one stream, as the isolates do.
    const [withJs] = await runNativeRound(arms('rbtree'), twoSamples, new Map(), true)
    expect(withJs?.status === 'measured' ? withJs.streamSeeds : 'skipped').toBeUndefined()
  })

  it('skips an arm without the workload’s side, and gives a failed setup to every arm of its semantics', async () => {
    const costs: ProbeCosts = new Map([['linux-gntalloc', 0]])
    const sides = await runNativeRound(arms('linux-gntalloc', 'rbtree'), request('qdisk-map', 16), new Map())
    expect(sides[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/no MAP_GRANT_REF/) as unknown })
    expect(sides[1]?.status).toBe('measured')
    // Linux's gntalloc holds 1024 grefs at most: the setup of N = 2048 fails, once replayed, for both arms.
    const failed = await runNativeRound(arms('linux-gntalloc', 'linux-gntalloc'), request('gntshr', 2048), costs)
    for (const r of failed) expect(r).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^setup failed/) as unknown })
  })
})
