// Differential test of every `<stores>+<allocator>` composite of the registry's built-in blocks
// (the diagonal x+x is the generic strategy x, tested in differential-generic.test.ts), under
// the neutral policy, against ReferenceDevice.

import { describe, expect, it } from 'vitest'
import { REFERENCE_POLICY } from '../../src/device/reference-strategy.js'
import { createStrategy, strategyNames } from '../../src/strategies/registry.js'
import { DIFFERENTIAL_OPS, expectedKinds, runDifferential } from './differential-runner.js'

const COMPOSITES: string[] = []
for (const stores of strategyNames('strategy')) {
  for (const allocator of strategyNames('allocator')) {
    if (stores !== allocator) COMPOSITES.push(`${stores}+${allocator}`)
  }
}

describe('differential: composites vs the neutral reference', () => {
  it('builds every stores × allocator pair', () => {
    expect(COMPOSITES.length).toBeGreaterThanOrEqual(9)
    expect(COMPOSITES).toContain('list+bump')
  })

  for (const name of COMPOSITES) {
    it(`${name}: ${DIFFERENTIAL_OPS} mixed operations agree with the reference`, () => {
      expect(createStrategy(name).policy).toEqual(REFERENCE_POLICY)
      const result = runDifferential(name, DIFFERENTIAL_OPS)
      expect(result.problems).toEqual([])
      expect([...result.succeededKinds]).toEqual(expect.arrayContaining(expectedKinds(true, true)))
    })
  }
})
