import { describe, expect, it } from 'vitest'
import { normalDeviates, seededUniform } from '../../src/stats/seeded-uniform.js'

describe('seededUniform and normalDeviates', () => {
  it('draws uniforms in [0, 1), the same stream for the same seed', () => {
    const a = seededUniform(42)
    const b = seededUniform(42)
    for (let i = 0; i < 1000; i++) {
      const x = a()
      expect(x).toBe(b())
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
    }
  })

  it('turns them into standard normal deviates (mean 0, sd 1, 95 % within ±1.96)', () => {
    const next = normalDeviates(seededUniform(3))
    const n = 20000
    let sum = 0
    let squares = 0
    let inside = 0
    for (let i = 0; i < n; i++) {
      const z = next()
      expect(Number.isFinite(z)).toBe(true)
      sum += z
      squares += z * z
      if (Math.abs(z) < 1.96) inside++
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03)
    expect(Math.abs(Math.sqrt(squares / n) - 1)).toBeLessThan(0.03)
    expect(Math.abs(inside / n - 0.95)).toBeLessThan(0.01)
  })
})
