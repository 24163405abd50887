// The differential harness must catch a broken strategy: each case below wraps a sound registry
// strategy with one deliberate bug and expects runDifferential to report a problem.

import { describe, expect, it } from 'vitest'
import { createStrategy } from '../../src/strategies/registry.js'
import type { Gmap, OffsetAllocator, Strategy } from '../../src/strategies/types.js'
import { withGmapStore, withGrefStore } from '../strategies/patched-stores.js'
import { runDifferential } from './differential-runner.js'

const OPS = 3000

describe('differential harness catches broken strategies', () => {
  it('an exact gmap lookup that ignores the count', () => {
    const make = (): Strategy => {
      const base = createStrategy('rbtree')
      return withGmapStore(base, { findExact: (first: number): Gmap | null => base.gmapStore.findExact(first, 0) })
    }
    expect(runDifferential('rbtree/ignores-count', OPS, 1, make).problems.join('\n')).toMatch(/reference EINVAL, device ok/)
  })

  it('a gref store whose page lookup misses every other page', () => {
    const make = (): Strategy => {
      const base = createStrategy('rbtree')
      return withGrefStore(base, { findPage: (page: number) => (page % 2 === 0 ? base.grefStore.findPage(page) : null) })
    }
    expect(runDifferential('rbtree/half-blind', OPS, 2, make).problems.join('\n')).toMatch(/kind":"notify".*reference ok\(0\), device EINVAL/)
  })

  it('an allocator that now and then hands out a live offset again', () => {
    const make = (): Strategy => {
      const base = createStrategy('rangeset')
      const inner = base.allocator
      let calls = 0
      let last = -1
      const allocator: OffsetAllocator = {
        kind: inner.kind,
        cost: inner.cost,
        alloc(pages: number): number {
          calls++
          const first = calls % 25 === 0 && last >= 0 ? last : inner.alloc(pages)
          if (first >= 0) last = first
          return first
        },
        free: (first, pages) => inner.free(first, pages),
        stats: () => inner.stats(),
        check: () => inner.check(),
      }
      return { ...base, allocator }
    }
    expect(runDifferential('rangeset/reuses-live', OPS, 3, make).problems.join('\n')).toMatch(/handed out to handle \d+ while live in handle/)
  })

  it('an allocator whose free() does nothing (leaked offsets)', () => {
    const make = (): Strategy => {
      const base = createStrategy('rbtree')
      const inner = base.allocator
      const allocator: OffsetAllocator = {
        kind: inner.kind,
        cost: inner.cost,
        alloc: (pages) => inner.alloc(pages),
        free: () => {},
        stats: () => inner.stats(),
        check: () => inner.check(),
      }
      return { ...base, allocator }
    }
    // Leaked offsets show up as live pages the live runs do not hold.
    expect(runDifferential('rbtree/leaks', OPS, 4, make).problems.join('\n')).toMatch(/allocator reports \d+ live pages, live runs hold/)
  })
})
