// Linux gntdev's first-fit gap search as a stand-alone allocator (docs/kernel-model.md §3.2, §8.3.3).

import { describe, expect, it } from 'vitest'
import { EINVAL, ENOSPC } from '../../src/errno.js'
import { ListAllocator } from '../../src/strategies/list-allocator.js'

describe('ListAllocator (Linux gntdev_add_map first fit)', () => {
  it('§8.3.3 maps {0,+2},{2,+3},{5,+1}; free the 3-page one; strict-gap: alloc 3 → 6, then alloc 2 → 2', () => {
    const allocator = new ListAllocator({ quirks: { strictGap: true } })
    expect([allocator.alloc(2), allocator.alloc(3), allocator.alloc(1)]).toEqual([0, 2, 5])
    allocator.free(2, 3)
    expect(allocator.alloc(3)).toBe(6)
    expect(allocator.alloc(2)).toBe(2)
    allocator.check()
  })

  it('§8.3.3 without strict-gap: alloc 3 → 2 (the exact-size hole), then alloc 2 → 6', () => {
    const allocator = new ListAllocator()
    allocator.alloc(2)
    allocator.alloc(3)
    allocator.alloc(1)
    allocator.free(2, 3)
    expect(allocator.alloc(3)).toBe(2)
    expect(allocator.alloc(2)).toBe(6)
    allocator.check()
  })

  it('strict-gap also needs pages + 1 in the hole before the first extent', () => {
    const allocator = new ListAllocator({ quirks: { strictGap: true } })
    allocator.alloc(2)
    allocator.alloc(2)
    allocator.free(0, 2)
    expect(allocator.alloc(2)).toBe(4)
    expect(allocator.alloc(1)).toBe(0)
  })

  it('frees a sub-range (split) and a range spanning two allocations (trim both)', () => {
    const allocator = new ListAllocator()
    allocator.alloc(10) // 0..9
    allocator.alloc(10) // 10..19
    allocator.free(3, 4) // split the first
    expect(allocator.stats()).toMatchObject({ livePages: 16, nodes: 3 })
    allocator.free(8, 5) // 8..12 spans both allocations
    expect(allocator.stats()).toMatchObject({ livePages: 11, nodes: 3, spanPages: 20 })
    expect(allocator.alloc(6)).toBe(20) // holes 3..6 and 8..12 are too small
    expect(allocator.alloc(5)).toBe(8)
    expect(allocator.alloc(4)).toBe(3)
    allocator.check()
  })

  it('EINVAL for 0 pages; ENOSPC at the end of a small space', () => {
    const allocator = new ListAllocator({ offsetSpacePages: 8 })
    expect(allocator.alloc(0)).toBe(-EINVAL)
    expect(allocator.alloc(5)).toBe(0)
    expect(allocator.alloc(4)).toBe(-ENOSPC)
    expect(allocator.alloc(3)).toBe(5)
  })
})
