// Every workload on every applicable strategy, through the real device and strategies, in tiny
// configurations. Asserts what happened, never how long it took.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { IsolateRequest } from '../../src/runner/cell-runner.js'
import { measureIsolate, plantedStates, runOutcome } from '../../src/runner/cell-runner.js'
import type { GroupSpec } from '../../src/runner/probe.js'
import { sidesProblem } from '../../src/runner/probe.js'
import { DEFAULT_STRATEGIES, defaultStrategies } from '../../src/runner/plan.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { allWorkloads, getWorkload } from '../../src/workloads/registry.js'

const TINY = { size: 12, seed: 5, ops: 60, wrapOffsetSpacePages: 512 }
const SAMPLING = { samples: 3, sampleMs: 0.05, warmupMs: 0, plantedPercent: 0, gcBeforeSample: 'minor' as const }

function groupOf(workload: string, overrides: Partial<GroupSpec> = {}): GroupSpec {
  return { workload, ...TINY, ...overrides }
}

function request(group: GroupSpec, overrides: Partial<IsolateRequest> = {}): IsolateRequest {
  return { group, ...SAMPLING, ...overrides }
}

function applicable(workload: string, spec: string): boolean {
  const { policy } = createStrategy(spec)
  return sidesProblem(getWorkload(workload), spec, policy.supportsAlloc, policy.supportsMap) === null
}

const TIMED = allWorkloads().filter((w) => w.measure === 'timed').map((w) => w.name)

describe('measureIsolate on timed workloads', () => {
  it.each(TIMED)('%s runs on every applicable default strategy and skips the others with a reason', async (workload) => {
    const references = new Map<string, string>()
    for (const spec of DEFAULT_STRATEGIES) {
      const result = await measureIsolate(spec, request(groupOf(workload)))
      if (!applicable(workload, spec)) {
        expect(result.status, spec).toBe('skipped')
        if (result.status === 'skipped') expect(result.reason).toMatch(/side/)
        continue
      }
      expect(result.status, spec).toBe('measured')
      if (result.status !== 'measured') continue
      const { ok, failed, skipped } = result.reference
      expect(ok + failed + skipped).toBe(result.opsPerBatch)
      expect(skipped, `${spec}: ops skipped for lack of a handle`).toBe(0)
      expect(result.samples).toHaveLength(3)
      expect(result.warmupSamples).toBeGreaterThanOrEqual(1)
      expect(result.statesPerSample).toBeGreaterThanOrEqual(1)
      for (const sample of result.samples) {
        expect(Number.isFinite(sample.nsPerOp) && sample.nsPerOp > 0).toBe(true)
        expect(sample.gcCount).toBeGreaterThanOrEqual(0)
      }
      // Same device semantics (the neutral and FreeBSD policy) → the same work.
      const previous = references.get(result.semantics)
      if (previous !== undefined) expect(JSON.stringify(result.reference), spec).toBe(previous)
      references.set(result.semantics, JSON.stringify(result.reference))
    }
  })

  it('skips a cell whose live set cannot be built, naming the errno', async () => {
    const result = await measureIsolate('linux-gntalloc', request(groupOf('lookup-heavy', { size: 1500 })))
    expect(result.status).toBe('skipped')
    if (result.status === 'skipped') expect(result.reason).toMatch(/setup failed.*ENOSPC/)
  })

  it('checks that shortage leaves nothing behind and fails some ALLOCs with ENOSPC', async () => {
    const result = await measureIsolate('rbtree', request(groupOf('shortage', { ops: 200 })))
    expect(result.status).toBe('measured')
    if (result.status === 'measured') expect(result.reference.failed).toBeGreaterThan(0)
  })

  it('sizes samples from the warm-up: a longer target means more states per sample', async () => {
    const short = await measureIsolate('list', request(groupOf('churn'), { sampleMs: 0.001 }))
    const long = await measureIsolate('list', request(groupOf('churn'), { sampleMs: 20 }))
    expect(short.status === 'measured' && long.status === 'measured').toBe(true)
    if (short.status === 'measured' && long.status === 'measured') {
      expect(short.statesPerSample).toBe(1)
      expect(long.statesPerSample).toBeGreaterThan(1)
    }
  })

  it('keeps the same work with a planted difference (the extra batches are not counted as the work)', async () => {
    const plain = await measureIsolate('rbtree', request(groupOf('churn')))
    const planted = await measureIsolate('rbtree', request(groupOf('churn'), { plantedPercent: 10 }))
    expect(plain.status === 'measured' && planted.status === 'measured' && planted.reference).toEqual(plain.status === 'measured' && plain.reference)
  })
})

describe('plantedStates', () => {
  it('is floor(k·p/100), plus one with the fractional part as its probability', () => {
    expect(plantedStates(10, 40, 0.99)).toBe(4)
    expect(plantedStates(0, 50, 0)).toBe(0)
    expect(plantedStates(5, 30, 0.49)).toBe(2)
    expect(plantedStates(5, 30, 0.5)).toBe(1)
    expect(plantedStates(2, 1, 0.019)).toBe(1)
    expect(plantedStates(2, 1, 0.02)).toBe(0)
  })

  it('adds exactly p % of k in expectation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 512 }), fc.constantFrom(2, 5, 10, 37), (k, p) => {
        const draws = 1000
        let total = 0
        for (let i = 0; i < draws; i++) total += plantedStates(p, k, (i + 0.5) / draws)
        expect(total / draws / k).toBeCloseTo(p / 100, 3)
      }),
    )
  })
})

describe('runOutcome on the wrap outcome workload', () => {
  const outcomeOf = (spec: string) => runOutcome(spec, groupOf('wrap'))

  it('allocators that reuse freed space never fail or overlap', () => {
    for (const spec of ['list', 'rbtree', 'rangeset', 'freebsd', 'xen-rangeset']) {
      const result = outcomeOf(spec)
      expect(result.status, spec).toBe('outcome')
      if (result.status === 'outcome') expect([result.outcome, result.overlaps], spec).toEqual(['no wrap', 0])
    }
  })

  it("Linux gntalloc's bump counter fails cleanly with EOVERFLOW; with the bump-wrap quirk it overlaps live pages", () => {
    const clean = outcomeOf('linux-gntalloc')
    expect(clean.status === 'outcome' && clean.outcome).toBe('failed cleanly')
    if (clean.status === 'outcome') {
      expect(Object.keys(clean.allocFailures)).toEqual(['EOVERFLOW'])
      expect(clean.pagesAllocatedBeforeFailure).toBeLessThanOrEqual(512)
    }
    const wrapped = outcomeOf('linux-gntalloc:bump-wrap')
    expect(wrapped.status === 'outcome' && wrapped.outcome).toBe('overlapped')
    if (wrapped.status === 'outcome') {
      expect(wrapped.wrapped).toBe(true)
      expect(wrapped.overlaps).toBeGreaterThan(0)
    }
  })

  it('skips a map-only preset', () => {
    expect(outcomeOf('linux-gntdev').status).toBe('skipped')
    expect(defaultStrategies('wrap')).toContain('linux-gntalloc:bump-wrap')
  })
})
