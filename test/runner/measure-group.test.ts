// The measurement core's design, run inline on tiny cells: rounds, stream seeds shared within a
// round and fresh across rounds, shuffled positions, skips, the same-work check and the
// precision rule. Asserts the design, never a time.
import { describe, expect, it } from 'vitest'
import type { MeasureDesign } from '../../src/results/shared-schema.js'
import type { MeasuredArm } from '../../src/runner/measure-group.js'
import { designTwoStage, measureGroup, roundSeed } from '../../src/runner/measure-group.js'
import { Prng } from '../../src/workloads/prng.js'
import { nativeProblem } from '../native/availability.js'

const CELL = { workload: 'churn', size: 16, ops: 40, wrapOffsetSpacePages: 1024 }
const DESIGN: MeasureDesign = {
  isolates: 4,
  maxIsolates: 4,
  samples: 2,
  sampleMs: 0.02,
  warmupMs: 0,
  precisionPercent: null,
  confidence: 95,
  isolation: 'inline',
  gcBeforeSample: 'minor' as const,
}

const arms = (...specs: string[]) => specs.map((spec) => ({ label: spec, spec, plantedPercent: 0 }))

function measured(arm: unknown): MeasuredArm {
  expect((arm as MeasuredArm).status).toBe('measured')
  return arm as MeasuredArm
}

describe('measureGroup', () => {
  it('runs every arm once per round, each round on its own seed shared by all arms, in shuffled order', async () => {
    const m = await measureGroup(CELL, 7, arms('list', 'rbtree', 'rangeset'), DESIGN, { baseline: 'list', shuffle: new Prng(3) })
    expect(m.rounds).toBe(4)
    expect(m.loadAverages).toHaveLength(4)
    expect(m.precisionReached).toBeNull()
    const all = m.arms.map(measured)
    for (const arm of all) {
      expect(arm.isolates.map((i) => i.round)).toEqual([0, 1, 2, 3])
      expect(arm.isolates.map((i) => i.seed)).toEqual([0, 1, 2, 3].map((r) => roundSeed(7, 'churn', 16, r)))
      for (const isolate of arm.isolates) expect(isolate.samples).toHaveLength(2)
    }
    expect(new Set(all[0]?.isolates.map((i) => i.seed)).size).toBe(4)
    // Each round's positions are a permutation of the arms, and not every round has the same order.
    const orders = [0, 1, 2, 3].map((r) => all.map((arm) => arm.isolates[r]?.position).join())
    for (const order of orders) expect(order.split(',').map(Number).sort()).toEqual([0, 1, 2])
    expect(new Set(orders).size).toBeGreaterThan(1)
    // Same seeds, same stream: the work of arms with one policy agrees round by round.
    for (let r = 0; r < 4; r++) expect(all[0]?.isolates[r]?.streamHash).toBe(all[1]?.isolates[r]?.streamHash)
  })

  it('gives the same interleaving and seeds for the same base seed', async () => {
    const a = await measureGroup(CELL, 1, arms('list', 'rbtree'), DESIGN, { baseline: null, shuffle: new Prng(9) })
    const b = await measureGroup(CELL, 1, arms('list', 'rbtree'), DESIGN, { baseline: null, shuffle: new Prng(9) })
    const key = (m: typeof a) => m.arms.map(measured).map((arm) => arm.isolates.map((i) => `${i.seed}:${i.position}`).join())
    expect(key(a)).toEqual(key(b))
  })

  it('passes a skipped strategy through with its reason and never measures it again', async () => {
    const m = await measureGroup(CELL, 1, arms('list', 'linux-gntalloc'), DESIGN, { baseline: 'list', shuffle: new Prng(1) })
    expect(m.arms[1]).toMatchObject({ label: 'linux-gntalloc', status: 'skipped' })
    expect(m.arms[1]?.status === 'skipped' && m.arms[1].reason).toMatch(/MAP_GRANT_REF/)
    expect(measured(m.arms[0]).isolates).toHaveLength(4)
  })

  it('adds rounds up to maxIsolates while the precision target is not reached', async () => {
    const design = { ...DESIGN, isolates: 3, maxIsolates: 5, precisionPercent: 1e-9 }
    const m = await measureGroup(CELL, 1, arms('list', 'rbtree'), design, { baseline: 'list', shuffle: new Prng(1) })
    expect(m.rounds).toBe(5)
    expect(m.precisionReached).toBe(false)
  })

  it('holds the target against the stand-in when the wanted baseline was skipped', async () => {
    // linux-gntalloc cannot MAP, so churn skips it and the block compares against list: the rule
    // must too (it once found no baseline, took the target as met and stopped at the minimum).
    const design = { ...DESIGN, isolates: 3, maxIsolates: 5, precisionPercent: 1e-9 }
    const m = await measureGroup(CELL, 1, arms('linux-gntalloc', 'list', 'rbtree'), design, { baseline: 'linux-gntalloc', shuffle: new Prng(1) })
    expect(m.arms[0]?.status).toBe('skipped')
    expect(m.rounds).toBe(5)
    expect(m.stoppedBy).toBe('max-isolates')
    expect(m.precisionReached).toBe(false)
  })

  it('stops at the minimum when the target is met (a target no interval can miss)', async () => {
    const design = { ...DESIGN, isolates: 3, maxIsolates: 6, precisionPercent: 1e12 }
    const m = await measureGroup(CELL, 1, arms('list', 'rbtree'), design, { baseline: 'list', shuffle: new Prng(1) })
    expect(m.rounds).toBe(3)
    expect(m.precisionReached).toBe(true)
  })
})

describe('designTwoStage', () => {
  it("is Stein's comparison, unguarded, n₀ the minimum rounds, under a precision target only", () => {
    expect(designTwoStage({ isolates: 12, precisionPercent: 3 })).toEqual({ rounds: 12, guarded: false })
    expect(designTwoStage({ isolates: 12, precisionPercent: null })).toBeNull()
  })
})

describe('measureGroup on the native engine', () => {
  const nativeArms = (...specs: string[]) => specs.map((spec) => ({ label: spec, spec, plantedPercent: 0, engine: 'native' as const }))

  it.skipIf(nativeProblem !== null)('measures every native arm once per round on the round’s seed, a module arm skipped with the reason', async () => {
    const m = await measureGroup(CELL, 5, [...nativeArms('list', 'rbtree', 'rangeset'), { label: 'mine', spec: './mine.js', plantedPercent: 0, engine: 'native' }], DESIGN, {
      baseline: 'list',
      shuffle: new Prng(2),
    })
    expect(m.rounds).toBe(4)
    expect(m.arms[3]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/no native engine/) as unknown })
    const all = m.arms.slice(0, 3).map(measured)
    for (const arm of all) {
      expect(arm.isolates.map((i) => i.seed)).toEqual([0, 1, 2, 3].map((r) => roundSeed(5, 'churn', 16, r)))
      for (const isolate of arm.isolates) expect(isolate.samples).toHaveLength(2)
    }
    for (let r = 0; r < 4; r++) expect(all[0]?.isolates[r]?.work).toEqual(all[1]?.isolates[r]?.work)
  })
})
