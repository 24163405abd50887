// Differential test of the generic strategies (list, rbtree, rangeset, and the bare allocator
// name `bump`, which runs under list stores) against ReferenceDevice under the neutral policy.
// See differential-runner.ts for what is compared after every operation.

import { describe, expect, it } from 'vitest'
import { REFERENCE_LIMITS, REFERENCE_POLICY } from '../../src/device/reference-strategy.js'
import { createStrategy, strategyNames } from '../../src/strategies/registry.js'
import { DIFFERENTIAL_OPS, expectedKinds, runDifferential } from './differential-runner.js'

const GENERIC = [...strategyNames('strategy'), ...strategyNames('allocator').filter((name) => !strategyNames('strategy').includes(name))]

describe('differential: generic strategies vs the neutral reference', () => {
  it('covers list, rbtree, rangeset and bump', () => {
    expect(GENERIC).toEqual(expect.arrayContaining(['list', 'rbtree', 'rangeset', 'bump']))
  })

  for (const name of GENERIC) {
    it(`${name}: ${DIFFERENTIAL_OPS} mixed operations agree with the reference`, () => {
      const strategy = createStrategy(name)
      // The generic strategies run the neutral policy, so the oracle is the neutral reference itself.
      expect(strategy.policy).toEqual(REFERENCE_POLICY)
      expect(strategy.limits).toEqual(REFERENCE_LIMITS)
      const result = runDifferential(name, DIFFERENTIAL_OPS)
      expect(result.problems).toEqual([])
      expect(result.ops).toBeGreaterThanOrEqual(DIFFERENTIAL_OPS)
      expect([...result.succeededKinds]).toEqual(expect.arrayContaining(expectedKinds(true, true)))
      expect(result.errnos['EINVAL']).toBeGreaterThan(100)
      expect(result.finalStats.reclaimed).toBeGreaterThan(1000)
    })
  }
})
