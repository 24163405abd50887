import { describe, expect, it } from 'vitest'
import type { MeasuredLogRatio } from '../../src/stats/expected-agreement.js'
import { expectedAgreement } from '../../src/stats/expected-agreement.js'
import { tQuantile } from '../../src/stats/student-t.js'

const measured = (logRatio: number, logStandardError: number, df = 1e9): MeasuredLogRatio => ({ logRatio, logStandardError, df })
const alpha = [0.05, 0.05] as const

describe('expectedAgreement', () => {
  it('is every comparison when every effect is far beyond both intervals', () => {
    const pairs = Array.from({ length: 20 }, (_, k) => [measured(k % 2 === 0 ? -1 : 1, 0.02), measured(k % 2 === 0 ? -1.01 : 1.01, 0.03)] as const)
    expect(expectedAgreement(pairs, { alpha })).toBe(20)
  })

  it('is nearly every comparison when nothing differs: Holm keeps both runs at "not proven"', () => {
    const pairs = Array.from({ length: 50 }, () => [measured(0, 0.05), measured(0, 0.05)] as const)
    const agree = expectedAgreement(pairs, { alpha, simulations: 200 })
    expect(agree).toBeGreaterThan(49)
    expect(agree).toBeLessThanOrEqual(50)
  })

  it('is about half when the effect sits on the edge of both intervals (each run proves it half the time)', () => {
    const se = 0.02
    const edge = tQuantile(95, 1e9) * se
    const agree = expectedAgreement([[measured(edge, se), measured(edge, se)]], { alpha, simulations: 4000 })
    // P(same) = P(both proven) + P(neither) = 0.5² + 0.5² = 0.5 (the other side's tail is negligible).
    expect(agree).toBeGreaterThan(0.46)
    expect(agree).toBeLessThan(0.54)
  })

  it('pools the two estimates by their precision, and takes an exact one as the truth', () => {
    const edge = tQuantile(95, 1e9) * 0.02
    // Run 1 measured exactly (se 0) a large effect: that is the truth, and run 2 (se 0.02) proves it almost always.
    const exact = expectedAgreement([[measured(0.2, 0), measured(edge, 0.02)]], { alpha, simulations: 2000 })
    expect(exact).toBeGreaterThan(0.99)
  })

  it('counts "equivalent" as the runs do: both runs prove a null effect equivalent, or one does and one does not', () => {
    const tight = { marginPercent: 5 }
    // se 0.005 against a ±4.9 % log margin: TOST rejects in both runs whenever the difference test
    // does not (a false "Difference" in 5 % of each run): about 0.95² + 2 · 0.025² ≈ 0.90 agree.
    const both = expectedAgreement([[{ ...measured(0, 0.005), ...tight }, { ...measured(0, 0.005), ...tight }]], { alpha, simulations: 4000 })
    expect(both).toBeGreaterThan(0.87)
    expect(both).toBeLessThan(0.93)
    // A run that proves equivalence about half the time beside one that nearly always does: about half agree.
    const margin = Math.log(1.05)
    // TOST rejects when |x| < margin − z₀.₉₅·se, which x ~ N(0, se) does half the time when that is z₀.₇₅·se.
    const se = margin / (tQuantile(90, 1e9) + 0.6745)
    const half = expectedAgreement([[{ ...measured(0, 0.005), ...tight }, { ...measured(0, se), ...tight }]], { alpha, simulations: 4000 })
    expect(half).toBeGreaterThan(0.35)
    expect(half).toBeLessThan(0.6)
    // Without a margin nothing is ever "equivalent": both runs stay at "not proven" but for their false "Difference"s.
    const none = expectedAgreement([[measured(0, 0.005), measured(0, se)]], { alpha, simulations: 4000 })
    expect(none).toBeGreaterThan(0.87)
    expect(none).toBeGreaterThan(half + 0.3)
  })

  it('with equivalence: false counts significance alone, as if no comparison had a margin', () => {
    const margin = Math.log(1.05)
    const se = margin / (tQuantile(90, 1e9) + 0.6745)
    const withMargins = [[{ ...measured(0, 0.005), marginPercent: 5 }, { ...measured(0, se), marginPercent: 5 }]] as const
    const stripped = [[measured(0, 0.005), measured(0, se)]] as const
    expect(expectedAgreement(withMargins, { alpha, simulations: 4000, equivalence: false })).toBe(expectedAgreement(stripped, { alpha, simulations: 4000 }))
    expect(expectedAgreement(withMargins, { alpha, simulations: 4000 })).toBeLessThan(expectedAgreement(withMargins, { alpha, simulations: 4000, equivalence: false }))
  })

  it('is seeded: the same inputs and seed give the same answer', () => {
    const pairs = Array.from({ length: 30 }, (_, k) => [measured((k - 15) / 100, 0.03, 11), measured((k - 14) / 100, 0.04, 11)] as const)
    expect(expectedAgreement(pairs, { alpha, seed: 7 })).toBe(expectedAgreement(pairs, { alpha, seed: 7 }))
    expect(expectedAgreement([], { alpha })).toBe(0)
  })
})
