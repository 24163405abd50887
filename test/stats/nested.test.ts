import { describe, expect, it } from 'vitest'
import { varianceComponents } from '../../src/stats/nested.js'

describe('varianceComponents', () => {
  it('puts all the spread between isolates when the samples within each agree', () => {
    const v = varianceComponents([
      [100, 100, 100],
      [110, 110, 110],
      [90, 90, 90],
    ])
    expect(v.withinPercent).toBe(0)
    expect(v.betweenPercent).toBeGreaterThan(5)
    expect(v.isolates).toBe(3)
    expect(v.samplesPerIsolate).toBe(3)
  })

  it('puts none between isolates when the isolate means agree', () => {
    const v = varianceComponents([
      [90, 110],
      [110, 90],
      [95, 105],
    ])
    expect(v.betweenPercent).toBe(0)
    expect(v.withinPercent).toBeGreaterThan(5)
  })
})
