import { describe, expect, it } from 'vitest'
import {
  ensurePlantedRegistered,
  parsePlantedSpec,
  percentToBasisPoints,
  plantedSpec,
  plantExtraWork,
} from '../../src/calibrate/planted-strategy.js'
import type { PlantedStrategy } from '../../src/calibrate/planted-strategy.js'
import { semanticsKey } from '../../src/runner/checks.js'
import type { StateRecipe } from '../../src/runner/device-state.js'
import { buildState, countsSince } from '../../src/runner/device-state.js'
import { createStrategy, UnknownStrategyError } from '../../src/strategies/registry.js'
import { Gref } from '../../src/strategies/types.js'
import { OpApplier } from '../../src/workloads/apply.js'
import { StreamBinder } from '../../src/workloads/bind.js'
import { getWorkload } from '../../src/workloads/registry.js'

function recipe(spec: string, workloadName: string, size: number, ops: number): StateRecipe {
  const workload = getWorkload(workloadName)
  const params = { size, seed: 5, ops }
  const stream = workload.generate(params)
  return {
    spec,
    strategyOptions: workload.strategyOptions(params),
    domainNeeds: workload.domainNeeds(params),
    binder: new StreamBinder(stream),
    trackGrantRefs: OpApplier.needsGrantRefs(stream.setup) || OpApplier.needsGrantRefs(stream.measured),
  }
}

describe('planted specs', () => {
  it('round-trip plain names and specs with + and :', () => {
    expect(plantedSpec('rbtree', 5)).toBe('planted.500bp.n.rbtree')
    for (const base of ['linux-gntalloc', 'list+bump', 'freebsd:truncated-compare']) {
      expect(parsePlantedSpec(plantedSpec(base, 2.5))).toEqual({ base, basisPoints: 250 })
    }
    expect(parsePlantedSpec('rbtree')).toBeNull()
  })

  it('take percentages in (0, 100] with at most two decimals', () => {
    expect(percentToBasisPoints(10)).toBe(1000)
    expect(percentToBasisPoints(0.25)).toBe(25)
    expect(() => percentToBasisPoints(0)).toThrow(RangeError)
    expect(() => percentToBasisPoints(0.125)).toThrow(RangeError)
    expect(() => percentToBasisPoints(101)).toThrow(RangeError)
  })

  it('register on demand, and reject an unknown base with the registry error', () => {
    const spec = plantedSpec('rangeset', 10)
    ensurePlantedRegistered(spec)
    ensurePlantedRegistered(spec) // idempotent
    expect((createStrategy(spec) as PlantedStrategy).basisPoints).toBe(1000)
    expect(() => ensurePlantedRegistered('planted.500bp.n.avl')).toThrow(UnknownStrategyError)
  })
})

describe('plantExtraWork', () => {
  it('makes exactly ⌊calls·bp/10000⌋ extra lookups, deterministically', () => {
    const planted = plantExtraWork(createStrategy('list'), 500)
    const out: Gref[] = []
    planted.grefStore.insertRun([new Gref(0, 1, 1, true), new Gref(1, 2, 1, true)])
    for (let i = 0; i < 199; i++) planted.grefStore.findPage(i % 2)
    expect(planted.planted).toEqual({ storeCalls: 200, extraLookups: 10 })
    planted.grefStore.findRun(0, 2, out)
    expect(out.map((g) => g.page)).toEqual([0, 1]) // the caller's buffer holds the real answer
  })

  it('at 100 % repeats every lookup: the structure cost of read-only calls doubles', () => {
    const plain = createStrategy('rbtree')
    const doubled = plantExtraWork(createStrategy('rbtree'), 10_000)
    for (const strategy of [plain, doubled]) {
      strategy.grefStore.insertRun(Array.from({ length: 64 }, (_, i) => new Gref(i, i + 1, 1, true)))
      strategy.grefStore.cost.nodesVisited = 0
      strategy.grefStore.cost.keyCompares = 0
      for (let page = 0; page < 64; page++) strategy.grefStore.findPage(page)
    }
    expect(plain.grefStore.cost.nodesVisited).toBeGreaterThan(0)
    expect(doubled.grefStore.cost.nodesVisited).toBe(2 * plain.grefStore.cost.nodesVisited)
    expect(doubled.grefStore.cost.keyCompares).toBe(2 * plain.grefStore.cost.keyCompares)
  })

  it.each([
    ['lookup-heavy', 'linux-gntalloc', 256],
    ['qdisk-map', 'linux-gntdev', 64],
    ['churn', 'rbtree', 128],
  ])('on %s with %s: same device results and semantics, 5 percent extra store lookups, more structure work', (workload, base, size) => {
    const spec = plantedSpec(base, 5)
    ensurePlantedRegistered(spec)
    const states = [buildState(recipe(base, workload, size, 400)), buildState(recipe(spec, workload, size, 400))]
    for (const state of states) state.applier.applyAll(state.measured)
    const [plain, planted] = states as [ReturnType<typeof buildState>, ReturnType<typeof buildState>]
    // The runner's same-work check: identical op outcomes, identical semantics key.
    expect(countsSince(planted.applier, planted.afterSetup)).toEqual(countsSince(plain.applier, plain.afterSetup))
    expect(semanticsKey(planted.strategy)).toBe(semanticsKey(plain.strategy))
    const counters = (planted.strategy as PlantedStrategy).planted
    expect(counters.storeCalls).toBeGreaterThan(100)
    expect(counters.extraLookups).toBe(Math.floor((counters.storeCalls * 500) / 10_000))
    const visits = (s: typeof plain): number => s.strategy.grefStore.cost.nodesVisited + s.strategy.gmapStore.cost.nodesVisited
    expect(visits(planted)).toBeGreaterThan(visits(plain))
  })
})
