// Every workload on every applicable strategy, through the real device and strategies, in tiny
// configurations. Asserts what happened, never how long it took.
import { describe, expect, it } from 'vitest'
import type { GroupSpec } from '../../src/runner/cell-runner.js'
import { sidesProblem, StrategyCellRunner } from '../../src/runner/cell-runner.js'
import { DEFAULT_STRATEGIES, defaultStrategies } from '../../src/runner/plan.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { allWorkloads, getWorkload } from '../../src/workloads/registry.js'

const TINY = { size: 12, seed: 5, ops: 60, wrapOffsetSpacePages: 512, warmupIterations: 1, warmupMs: 0 }

function groupOf(workload: string, overrides: Partial<GroupSpec> = {}): GroupSpec {
  return { workload, ...TINY, ...overrides }
}

function applicable(workload: string, spec: string): boolean {
  const { policy } = createStrategy(spec)
  return sidesProblem(getWorkload(workload), spec, policy.supportsAlloc, policy.supportsMap) === null
}

const TIMED = allWorkloads().filter((w) => w.measure === 'timed').map((w) => w.name)

describe('StrategyCellRunner on timed workloads', () => {
  it.each(TIMED)('%s runs on every applicable default strategy and skips the others with a reason', (workload) => {
    const references = new Map<string, string>()
    for (const spec of DEFAULT_STRATEGIES) {
      const runner = new StrategyCellRunner(spec)
      const prepared = runner.prepare(groupOf(workload))
      if (!applicable(workload, spec)) {
        expect(prepared.status, spec).toBe('skipped')
        if (prepared.status === 'skipped') expect(prepared.reason).toMatch(/side/)
        continue
      }
      expect(prepared.status, spec).toBe('ready')
      if (prepared.status !== 'ready') continue
      const { ok, failed, skipped } = prepared.reference
      expect(ok + failed + skipped).toBe(prepared.opsPerReplicate)
      expect(skipped, `${spec}: ops skipped for lack of a handle`).toBe(0)
      for (let i = 0; i < 3; i++) {
        const nsPerOp = runner.replicate()
        expect(Number.isFinite(nsPerOp) && nsPerOp > 0).toBe(true)
      }
      runner.release()
      // Same device semantics (the neutral and FreeBSD policy) → the same work.
      const previous = references.get(prepared.semantics)
      if (previous !== undefined) expect(JSON.stringify(prepared.reference), spec).toBe(previous)
      references.set(prepared.semantics, JSON.stringify(prepared.reference))
    }
  })

  it('skips a cell whose live set cannot be built, naming the errno', () => {
    const prepared = new StrategyCellRunner('linux-gntalloc').prepare(groupOf('lookup-heavy', { size: 1500 }))
    expect(prepared.status).toBe('skipped')
    if (prepared.status === 'skipped') expect(prepared.reason).toMatch(/setup failed.*ENOSPC/)
  })

  it('checks that shortage leaves nothing behind and fails some ALLOCs with ENOSPC', () => {
    const prepared = new StrategyCellRunner('rbtree').prepare(groupOf('shortage', { ops: 200 }))
    expect(prepared.status).toBe('ready')
    if (prepared.status === 'ready') expect(prepared.reference.failed).toBeGreaterThan(0)
  })

  it('refuses replicate() before prepare()', () => {
    expect(() => new StrategyCellRunner('list').replicate()).toThrow(/before prepare/)
  })
})

describe('StrategyCellRunner on the wrap outcome workload', () => {
  const outcomeOf = (spec: string) => new StrategyCellRunner(spec).outcome(groupOf('wrap'))

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
