// The untimed pass: its counts are deterministic (two passes agree to the last node), they
// grow as the structures should (a list walks O(N) per op, a tree O(log N)), and the live
// counts match what the device holds.

import { describe, expect, it } from 'vitest'
import { costObjects, recipeFor, untimedPass } from '../../src/runner/untimed-pass.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { StreamBinder } from '../../src/workloads/bind.js'
import { getWorkload } from '../../src/workloads/registry.js'

function pass(workloadName: string, spec: string, size: number) {
  const workload = getWorkload(workloadName)
  const binder = new StreamBinder(workload.generate({ size, seed: 7, ops: 200 }))
  return untimedPass(recipeFor(spec, workload, binder, size, 7, 200), true)
}

describe('untimedPass()', () => {
  it('gives identical counts on every pass', () => {
    const a = pass('lookup-heavy', 'rbtree', 256)
    const b = pass('lookup-heavy', 'rbtree', 256)
    expect(a.setupFailure).toBeNull()
    expect(a.measuredCost).toEqual(b.measuredCost)
    expect(a.counts).toEqual(b.counts)
    expect(a.measuredOps).toBe(200)
    expect(a.counts.grefs).toBe(256)
    expect(a.kinds).toEqual({ allocator: 'rbtree', grefStore: 'rbtree', gmapStore: 'rbtree' })
  })

  it('counts list work growing ~N per op and tree work ~log N per op', () => {
    const work = (spec: string, n: number): number => {
      const cost = pass('lookup-heavy', spec, n).measuredCost
      if (cost === null) throw new Error('no counts')
      return (cost.nodesVisited + cost.keyCompares) / 200
    }
    const listRatio = work('list', 4096) / work('list', 256)
    const treeRatio = work('rbtree', 4096) / work('rbtree', 256)
    expect(listRatio).toBeGreaterThan(8) // ×16 in N
    expect(treeRatio).toBeLessThan(2) // log 4096 / log 256 = 1.5
  })

  it('reads gmap pages and allocator nodes off a map-side device', () => {
    const r = pass('churn', 'rangeset', 64)
    expect(r.counts.gmaps).toBeGreaterThan(40)
    expect(r.counts.gmapPages).toBeGreaterThanOrEqual(r.counts.gmaps)
    expect(r.counts.allocatorNodes).toBeGreaterThan(0)
    expect(r.counts.gmapStoreNodes).toBeGreaterThan(0)
  })

  it('reports a setup that cannot run (alloc workload on a map-only preset)', () => {
    expect(pass('lookup-heavy', 'linux-gntdev', 16).setupFailure).toMatch(/ENOTTY/)
  })

  it('counts the fused Linux map list once', () => {
    expect(costObjects(createStrategy('linux-gntdev'))).toHaveLength(2)
    expect(costObjects(createStrategy('rbtree'))).toHaveLength(3)
  })
})
