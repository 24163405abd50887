import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { holmAdjust } from '../../src/stats/holm.js'

describe('holmAdjust', () => {
  it('matches the step-down formula on a worked example', () => {
    // Sorted 0.01, 0.02, 0.03, 0.04 with m = 4: 0.04, 0.06, 0.06 (monotone), 0.06.
    expect(holmAdjust([0.03, 0.01, 0.04, 0.02]).map((p) => Number(p.toFixed(10)))).toEqual([0.06, 0.04, 0.06, 0.06])
  })

  it('never lowers a p, keeps the order of the raw p-values, caps at 1 and ignores NaN', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (ps) => {
        const adjusted = holmAdjust(ps)
        ps.forEach((p, i) => {
          expect(adjusted[i]).toBeGreaterThanOrEqual(p)
          expect(adjusted[i]).toBeLessThanOrEqual(1)
          ps.forEach((q, j) => {
            if (p < q) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j] as number)
          })
        })
      }),
    )
    const withNaN = holmAdjust([0.01, Number.NaN, 0.02])
    expect(withNaN[1]).toBeNaN()
    expect(withNaN[0]).toBeCloseTo(0.02, 12)
  })
})
