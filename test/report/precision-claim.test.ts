// The precision line of a block: claimed only when every printed interval is within the target,
// whatever the run's own flag says.
import { describe, expect, it } from 'vitest'
import { precisionClaim } from '../../src/report/precision-claim.js'

const widths = (...precisionPercent: number[]) => precisionPercent.map((p) => ({ precisionPercent: p }) as never)

describe('precisionClaim', () => {
  it('says nothing without a target', () => {
    expect(precisionClaim({ precisionReached: null, stoppedBy: 'minimum', rounds: 8, comparisons: widths(9) }, null)).toBe('')
  })

  it('claims the target when the run reached it and every interval is within it', () => {
    expect(precisionClaim({ precisionReached: true, stoppedBy: 'precision', rounds: 14, comparisons: widths(2.9, 1.2) }, 3)).toBe('; every interval within ±3%')
  })

  it('names why the rounds stopped short of it', () => {
    expect(precisionClaim({ precisionReached: false, stoppedBy: 'budget', rounds: 21, comparisons: widths(5.1) }, 3)).toBe(
      '; NOT every interval within ±3% (the time budget ran out after 21 rounds)',
    )
    expect(precisionClaim({ precisionReached: false, stoppedBy: 'max-isolates', rounds: 30, comparisons: widths(3.4) }, 3)).toMatch(/round limit was reached after 30 rounds/)
  })

  it("does not repeat an old run's flag that its intervals contradict (a skipped baseline's target taken as met)", () => {
    const claim = precisionClaim({ precisionReached: true, stoppedBy: 'precision', rounds: 12, comparisons: widths(2.0, 9.4) }, 3)
    expect(claim).toMatch(/^; NOT every interval within ±3% \(/)
    expect(claim).toMatch(/\(stopped after 12 rounds: .*skipped baseline.*mended\)$/)
  })
})
