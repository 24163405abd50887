// FreeBSD's free-region allocator (docs/kernel-model.md §2.3, §8.3.1–2): high-end carving from the
// top of the u64 space, no hole reuse with an exact comparator, lowest-hole-first reuse and the
// merge through the wrap with the truncated comparator, and leaked frees once keys collide.

import { describe, expect, it } from 'vitest'
import { OFFSET_SPACE_PAGES } from '../../src/abi.js'
import { EINVAL, ENOSPC } from '../../src/errno.js'
import { RbTreeAllocator } from '../../src/strategies/rbtree-allocator.js'

const TOP = OFFSET_SPACE_PAGES // 2^52 pages: byte 2^64

describe('RbTreeAllocator (FreeBSD get_file_offset / put_file_offset)', () => {
  for (const truncatedCompare of [false, true]) {
    const mode = truncatedCompare ? 'truncated' : 'exact'
    it(`${mode}: the first 1-page alloc is page 2^52 − 1 (byte 0xfffffffffffff000) and later ones descend`, () => {
      const allocator = new RbTreeAllocator({ quirks: { truncatedCompare } })
      const first = allocator.alloc(1)
      expect(first).toBe(TOP - 1)
      expect(BigInt(first) * 4096n).toBe(0xfffffffffffff000n)
      expect(allocator.alloc(2)).toBe(TOP - 3)
      expect(allocator.alloc(4)).toBe(TOP - 7)
      expect(allocator.stats()).toMatchObject({ livePages: 7, nodes: 1, spanPages: 7, leakedPages: 0 })
      allocator.check()
    })
  }

  it('exact compare never reuses a hole: the base region sorts first and always fits', () => {
    const allocator = new RbTreeAllocator()
    allocator.alloc(1)
    const two = allocator.alloc(2)
    allocator.alloc(4)
    allocator.free(two, 2)
    expect(allocator.alloc(1)).toBe(TOP - 8)
    expect(allocator.alloc(2)).toBe(TOP - 10)
    expect(allocator.stats().nodes).toBe(2) // the base region and the untouched hole
    allocator.check()
  })

  it('truncated compare reuses the lowest-address freed hole first, top page of the hole first (§2.3 [X])', () => {
    const allocator = new RbTreeAllocator({ quirks: { truncatedCompare: true } })
    allocator.alloc(1)
    const two = allocator.alloc(2)
    const four = allocator.alloc(4)
    allocator.free(two, 2)
    expect(allocator.alloc(1)).toBe(TOP - 2) // byte 0xffffffffffffe000
    // Freeing the 4-page block coalesces it with the 1-page rest of the hole above it; the merged
    // 5-page hole sorts before the base region and is taken whole.
    allocator.free(four, 4)
    expect(allocator.alloc(5)).toBe(TOP - 7)
    allocator.check()
  })

  it('truncated compare reuses holes in ascending address order before the base region', () => {
    const allocator = new RbTreeAllocator({ quirks: { truncatedCompare: true } })
    const runs = Array.from({ length: 6 }, () => allocator.alloc(3)) // TOP − 3, TOP − 6, … TOP − 18
    allocator.free(runs[1] as number, 3)
    allocator.free(runs[4] as number, 3)
    expect(allocator.alloc(3)).toBe(runs[4]) // the lower hole first
    expect(allocator.alloc(3)).toBe(runs[1])
    expect(allocator.alloc(3)).toBe(TOP - 21) // then the base region again
    allocator.check()
  })

  it('truncated compare: freeing the topmost block merges it with the base region through the wrap', () => {
    const allocator = new RbTreeAllocator({ quirks: { truncatedCompare: true } })
    const top = allocator.alloc(1)
    allocator.alloc(2)
    allocator.alloc(3)
    allocator.free(top, 1)
    // One region {TOP − 1, 2^52 − 5 pages} that wraps through page 0, as in §2.3 [X].
    const stats = allocator.stats()
    expect(stats.nodes).toBe(1)
    expect(stats.livePages).toBe(5)
    expect(stats.spanPages).toBe(5)
    allocator.check()
    // Carving its high end lands below the live blocks, not at the top page.
    expect(allocator.alloc(1)).toBe(TOP - 7)
    allocator.check()
  })

  it('exact compare keeps the freed topmost block as its own region (no wrap)', () => {
    const allocator = new RbTreeAllocator()
    const top = allocator.alloc(1)
    allocator.alloc(2)
    allocator.free(top, 1)
    expect(allocator.stats().nodes).toBe(2)
    allocator.check()
  })

  // Beyond 2^20 pages (4 GiB) of span, keys 2^20 pages apart compare equal: the free-region
  // insert collides and FreeBSD drops the node, leaking the run (§2.3 [X], §8.3.2).
  const leakCases: Array<{ chunkPages: number; chunks: number; leakedChunks: number }> = [
    { chunkPages: 1024, chunks: 1200, leakedChunks: 88 }, // the [X] run: 88 duplicates, 512 regions
    { chunkPages: 4096, chunks: 300, leakedChunks: 22 },
    { chunkPages: 512, chunks: 2100, leakedChunks: 26 },
  ]
  for (const { chunkPages, chunks, leakedChunks } of leakCases) {
    it(`truncated compare, ${chunks} × ${chunkPages}-page chunks (span ${(chunks * chunkPages) / 2 ** 20} × 2^20 pages): freeing every other chunk leaks colliding inserts`, () => {
      const allocator = new RbTreeAllocator({ quirks: { truncatedCompare: true } })
      const firsts = Array.from({ length: chunks }, () => allocator.alloc(chunkPages))
      for (let i = 0; i < chunks; i += 2) allocator.free(firsts[i] as number, chunkPages)
      const stats = allocator.stats()
      expect(stats.leakedPages).toBe(leakedChunks * chunkPages)
      expect(stats.leakedPages).toBeGreaterThan(0)
      allocator.check() // free + live + leaked still add up to the space; regions stay disjoint
      // No allocation overlaps a live chunk even so (as the [X] run observed).
      const live = firsts.filter((_, i) => i % 2 === 1)
      for (let k = 0; k < chunks / 2; k++) {
        const first = allocator.alloc(chunkPages)
        const clash = live.find((f) => first < f + chunkPages && f < first + chunkPages)
        expect(clash).toBeUndefined()
      }
    })
  }

  it('exact compare never leaks, whatever the span', () => {
    const allocator = new RbTreeAllocator()
    const firsts = Array.from({ length: 1200 }, () => allocator.alloc(1024))
    for (let i = 0; i < firsts.length; i += 2) allocator.free(firsts[i] as number, 1024)
    expect(allocator.stats()).toMatchObject({ leakedPages: 0, nodes: 601 })
    allocator.check()
  })

  it('below 2^20 pages of span the truncated comparator never collides', () => {
    const allocator = new RbTreeAllocator({ quirks: { truncatedCompare: true } })
    const firsts = Array.from({ length: 1023 }, () => allocator.alloc(1024)) // span 2^20 − 1024
    for (let i = 0; i < firsts.length; i += 2) allocator.free(firsts[i] as number, 1024)
    expect(allocator.stats().leakedPages).toBe(0)
  })

  it('frees sub-ranges and ranges spanning two allocations, coalescing with both neighbours', () => {
    const allocator = new RbTreeAllocator({ offsetSpacePages: 100 })
    const a = allocator.alloc(10) // 90
    const b = allocator.alloc(10) // 80
    expect([a, b]).toEqual([90, 80])
    allocator.free(85, 10) // the top half of b and the bottom half of a
    expect(allocator.stats()).toMatchObject({ livePages: 10, nodes: 2 })
    allocator.free(80, 5)
    allocator.free(95, 5)
    expect(allocator.stats()).toMatchObject({ livePages: 0, nodes: 1, spanPages: 0 })
    allocator.check()
  })

  it('EINVAL for a 0-page run, ENOSPC when no region fits', () => {
    const allocator = new RbTreeAllocator({ offsetSpacePages: 8 })
    expect(allocator.alloc(0)).toBe(-EINVAL)
    expect(allocator.alloc(6)).toBe(2)
    expect(allocator.alloc(3)).toBe(-ENOSPC)
    expect(allocator.alloc(2)).toBe(0)
    expect(allocator.alloc(1)).toBe(-ENOSPC)
  })
})
