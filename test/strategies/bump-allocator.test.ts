// Linux gntalloc's bump counter (docs/kernel-model.md §4.3, §8.3.4): never reuses an offset; at the
// end of the space it fails with EOVERFLOW (wrap detected) or, under bump-wrap, starts over at 0.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EINVAL, EOVERFLOW } from '../../src/errno.js'
import { BumpAllocator } from '../../src/strategies/bump-allocator.js'

describe('BumpAllocator', () => {
  it('hands out offsets from 0 upwards and never reuses a freed one', () => {
    const bump = new BumpAllocator()
    expect(bump.alloc(4)).toBe(0)
    expect(bump.alloc(2)).toBe(4)
    bump.free(0, 4)
    expect(bump.alloc(1)).toBe(6)
    bump.free(4, 2)
    expect(bump.alloc(4)).toBe(7)
    expect(bump.stats()).toEqual({ livePages: 5, nodes: 0, spanPages: 11, wrapped: false, leakedPages: 0 })
    bump.check()
  })

  it('detects the wrap in a small space: EOVERFLOW, wrapped set, counter unchanged', () => {
    const bump = new BumpAllocator({ offsetSpacePages: 10 })
    expect(bump.alloc(4)).toBe(0)
    expect(bump.alloc(4)).toBe(4)
    expect(bump.alloc(4)).toBe(-EOVERFLOW)
    expect(bump.stats().wrapped).toBe(true)
    // A run that still fits below the end is handed out.
    expect(bump.alloc(2)).toBe(8)
    expect(bump.alloc(1)).toBe(-EOVERFLOW)
    bump.check()
  })

  it('under bump-wrap starts over at page 0 and aliases live offsets', () => {
    const bump = new BumpAllocator({ offsetSpacePages: 10, quirks: { bumpWrap: true } })
    expect(bump.alloc(4)).toBe(0)
    expect(bump.alloc(4)).toBe(4)
    expect(bump.alloc(4)).toBe(0) // page 0–3 are still live: the hazard the quirk models
    expect(bump.alloc(4)).toBe(4)
    const stats = bump.stats()
    expect(stats.wrapped).toBe(true)
    expect(stats.livePages).toBe(16)
    expect(stats.spanPages).toBe(10)
    bump.check()
  })

  it('rejects 0, fractional and oversized runs with EINVAL', () => {
    const bump = new BumpAllocator({ offsetSpacePages: 10 })
    expect(bump.alloc(0)).toBe(-EINVAL)
    expect(bump.alloc(0.5)).toBe(-EINVAL)
    expect(bump.alloc(11)).toBe(-EINVAL)
    expect(bump.alloc(10)).toBe(0)
  })
})

const op = fc.record({ op: fc.integer({ min: 0, max: 99 }), pages: fc.integer({ min: 1, max: 24 }), a: fc.nat() })
const ops = fc.array(op, { minLength: 250, maxLength: 350 })

interface Alloc {
  first: number
  pages: number
}

describe('BumpAllocator (property: ~30,000 ops per mode)', () => {
  for (const wrap of [false, true]) {
    it(`${wrap ? 'bump-wrap' : 'wrap detection'}: offsets follow the counter, live pages add up`, () => {
      const space = 2_000
      fc.assert(
        fc.property(ops, (list) => {
          const bump = new BumpAllocator({ offsetSpacePages: space, quirks: { bumpWrap: wrap } })
          let counter = 0
          let livePages = 0
          let wrapped = false
          const runs: Alloc[] = []
          for (const o of list) {
            if (o.op < 60 || runs.length === 0) {
              const first = bump.alloc(o.pages)
              let expected = counter
              if (counter + o.pages > space) {
                wrapped = true
                expected = wrap ? 0 : -EOVERFLOW
              }
              expect(first).toBe(expected)
              if (first >= 0) {
                counter = first + o.pages
                livePages += o.pages
                runs.push({ first, pages: o.pages })
              }
            } else {
              const [run] = runs.splice(o.a % runs.length, 1) as [Alloc]
              bump.free(run.first, run.pages)
              livePages -= run.pages
            }
            bump.check()
            const stats = bump.stats()
            expect(stats.livePages).toBe(livePages)
            expect(stats.wrapped).toBe(wrapped)
          }
        }),
        { seed: 0xb0b + (wrap ? 1 : 0), numRuns: 100 },
      )
    })
  }
})
