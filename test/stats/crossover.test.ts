// Crossover detection on synthetic comparisons: a significant flip gives an interval between
// the sizes where each side is proven faster; no flip gives "no crossover in range"; a sign
// change of the means without significance on both sides is reported as unproven only.

import { describe, expect, it } from 'vitest'
import { findCrossovers } from '../../src/stats/crossover.js'
import type { SizedComparison } from '../../src/stats/crossover.js'

/** meanB/meanA ratio per size and whether that difference is significant. */
function points(rows: readonly [size: number, ratio: number, significant: boolean][]): SizedComparison[] {
  return rows.map(([size, ratio, significant]) => ({
    size,
    meanA: 100,
    meanB: 100 * ratio,
    comparison: { ratio, significant },
  }))
}

describe('findCrossovers()', () => {
  it('brackets a significant flip and interpolates where the means cross', () => {
    // list (a) faster at small N, rbtree (b) faster from 1024 on; 256 is a tie.
    const result = findCrossovers('list', 'rbtree', points([
      [16, 1.5, true],
      [64, 1.2, true],
      [256, 1.02, false],
      [1024, 0.5, true],
      [4096, 0.2, true],
    ]))
    expect(result.status).toBe('crossover')
    expect(result.crossovers).toHaveLength(1)
    const [c] = result.crossovers
    expect(c).toMatchObject({ below: 'list', above: 'rbtree', fromSize: 64, toSize: 1024 })
    // ln ratio crosses 0 between 256 (+0.0198) and 1024 (−0.693): just above 256.
    expect(c?.estimate).toBeGreaterThan(256)
    expect(c?.estimate).toBeLessThan(300)
    expect(result.unprovenCrossings).toEqual([])
  })

  it('accepts input in any order', () => {
    const rows: [number, number, boolean][] = [
      [4096, 0.5, true],
      [16, 2, true],
    ]
    expect(findCrossovers('a', 'b', points(rows)).crossovers[0]).toMatchObject({ fromSize: 16, toSize: 4096, below: 'a', above: 'b' })
  })

  it('reports no crossover in range when one side wins wherever anyone does', () => {
    const result = findCrossovers('list', 'rbtree', points([
      [16, 0.9, false],
      [64, 0.7, true],
      [256, 0.3, true],
    ]))
    expect(result.status).toBe('no crossover in range')
    expect(result.winner).toBe('rbtree')
    expect(result.crossovers).toEqual([])
  })

  it('does not claim a noisy flip: the means cross but only one side is significant', () => {
    const result = findCrossovers('a', 'b', points([
      [16, 1.3, true],
      [64, 1.05, false],
      [256, 0.97, false],
      [1024, 0.95, false],
    ]))
    expect(result.status).toBe('no crossover in range')
    expect(result.winner).toBe('a')
    expect(result.unprovenCrossings).toHaveLength(1)
    expect(result.unprovenCrossings[0]).toBeGreaterThan(64)
    expect(result.unprovenCrossings[0]).toBeLessThan(256)
  })

  it('says no difference proven when nothing is significant, even if the means cross', () => {
    const result = findCrossovers('a', 'b', points([
      [16, 1.1, false],
      [64, 0.9, false],
    ]))
    expect(result.status).toBe('no difference proven')
    expect(result.winner).toBeNull()
    expect(result.unprovenCrossings).toHaveLength(1)
  })

  it('finds every flip when the lead changes twice', () => {
    const result = findCrossovers('a', 'b', points([
      [16, 1.5, true],
      [64, 0.5, true],
      [256, 0.6, true],
      [1024, 1.4, true],
    ]))
    expect(result.crossovers.map((c) => [c.below, c.above, c.fromSize, c.toSize])).toEqual([
      ['a', 'b', 16, 64],
      ['b', 'a', 256, 1024],
    ])
  })
})
