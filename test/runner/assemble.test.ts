// How a block picks its baseline (runner/assemble.ts): the one asked for, else the sides' default,
// else the first measured strategy with a note that says why.

import { describe, expect, it } from 'vitest'
import { chooseBaseline } from '../../src/runner/assemble.js'

describe('chooseBaseline', () => {
  const skipped = new Map([['linux-gntalloc', 'setup failed: ENOSPC']])

  it('uses the requested baseline, else the default of the sides', () => {
    expect(chooseBaseline('rbtree', 'map', ['list', 'rbtree'], new Map())).toEqual({ baseline: 'rbtree', note: null })
    expect(chooseBaseline(null, 'map', ['rbtree', 'linux-gntdev'], new Map())).toEqual({ baseline: 'linux-gntdev', note: null })
    expect(chooseBaseline(null, 'both', ['rbtree', 'list'], new Map()).baseline).toBe('list')
  })

  it('falls back to the first measured strategy and says why', () => {
    const choice = chooseBaseline(null, 'alloc', ['list', 'rbtree'], skipped)
    expect(choice.baseline).toBe('list')
    expect(choice.note).toBe('default baseline linux-gntalloc was skipped; compared against list')
    expect(chooseBaseline(null, 'alloc', [], skipped)).toEqual({ baseline: null, note: 'no strategy was measured' })
  })
})
