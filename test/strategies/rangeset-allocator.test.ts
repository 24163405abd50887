// Offsets from a Xen rangeset (docs/kernel-model.md §5.2 claim_range / remove_range).

import { describe, expect, it } from 'vitest'
import { EINVAL, ENOSPC } from '../../src/errno.js'
import { RangeSetAllocator } from '../../src/strategies/rangeset-allocator.js'

describe('RangeSetAllocator (Xen rangeset_claim_range)', () => {
  it('claims the low end of the first gap that fits, from 0', () => {
    const allocator = new RangeSetAllocator()
    expect([allocator.alloc(2), allocator.alloc(3), allocator.alloc(1)]).toEqual([0, 2, 5])
    allocator.free(2, 3)
    expect(allocator.alloc(2)).toBe(2) // low end of the 3-page gap
    expect(allocator.alloc(2)).toBe(6) // the 1 page left at 4 is too small
    expect(allocator.alloc(1)).toBe(4)
    expect(allocator.stats()).toMatchObject({ livePages: 8, nodes: 1, spanPages: 8 })
    allocator.check()
  })

  it('frees a range spanning two claims and a sub-range, splitting the used range', () => {
    const allocator = new RangeSetAllocator()
    allocator.alloc(10)
    allocator.alloc(10)
    allocator.free(8, 4)
    allocator.free(15, 1)
    expect(allocator.stats()).toMatchObject({ livePages: 15, nodes: 3 })
    expect(allocator.alloc(4)).toBe(8)
    allocator.check()
  })

  it('claim-no-merge leaves the claimed range touching the next one (Xen quirk)', () => {
    const allocator = new RangeSetAllocator({ quirks: { claimNoMerge: true } })
    allocator.alloc(2)
    allocator.alloc(2)
    allocator.free(0, 2)
    expect(allocator.alloc(2)).toBe(0)
    expect(allocator.stats().nodes).toBe(2)
    allocator.check()
    const merged = new RangeSetAllocator()
    merged.alloc(2)
    merged.alloc(2)
    merged.free(0, 2)
    merged.alloc(2)
    expect(merged.stats().nodes).toBe(1)
  })

  it('EINVAL for 0 pages; ENOSPC when the space is full', () => {
    const allocator = new RangeSetAllocator({ offsetSpacePages: 8 })
    expect(allocator.alloc(0)).toBe(-EINVAL)
    expect(allocator.alloc(8)).toBe(0)
    expect(allocator.alloc(1)).toBe(-ENOSPC)
  })
})
