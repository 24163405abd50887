import { describe, expect, it } from 'vitest'
import { UNMAP_NOTIFY_CLEAR_BYTE } from '../../src/abi.js'
import { ReferenceDevice } from '../../src/device/reference-device.js'
import { REFERENCE_POLICY, ReferenceBumpAllocator, createReferenceStrategy } from '../../src/device/reference-strategy.js'
import { EINVAL, ENOENT, ENOSPC, ENOTTY } from '../../src/errno.js'
import { Gref } from '../../src/strategies/types.js'

describe('ReferenceDevice (the oracle) on its own', () => {
  it('follows the neutral policy: gntshr life cycle with a foreign mapping', () => {
    const dev = new ReferenceDevice()
    expect(dev.strategy.policy).toEqual(REFERENCE_POLICY)
    const refs: number[] = []
    const first = dev.allocGref(1, 2, true, refs)
    expect(refs).toEqual([8, 9])
    const vaddr = dev.mmap(first, 2, true)
    expect(dev.mmap(first + 1, 1, true)).toBe(-EINVAL) // one mapping per gref page
    expect(dev.setUnmapNotify(first, 0, UNMAP_NOTIFY_CLEAR_BYTE, 0)).toBe(0)
    dev.peer.mapForeign(8)
    expect(dev.deallocGref(first, 2)).toBe(0)
    expect(dev.stats()).toMatchObject({ grefs: 0, pendingCleanup: 2 })
    dev.munmap(vaddr)
    expect(dev.runCleanup()).toBe(1)
    expect(dev.stats()).toMatchObject({ pendingCleanup: 1, notifyClearedBytes: 1 })
    dev.peer.unmapForeign(8)
    expect(dev.runCleanup()).toBe(1)
    expect(dev.stats()).toMatchObject({ pendingCleanup: 0, reclaimed: 2, notifyClearedBytes: 1 })
  })

  it('takes any policy and limits: Linux gntdev wildcard, ENOENT, ENOTTY', () => {
    const dev = new ReferenceDevice({
      policy: { supportsAlloc: false, unmapCountWildcard: true, unmapMissingErrno: ENOENT, notifyMissingErrno: ENOENT },
      limits: { maxPagesPerCall: 2 },
    })
    expect(dev.allocGref(1, 1, true, null)).toBe(-ENOTTY)
    expect(dev.mapGrantRef(1, [8, 9, 10])).toBe(-EINVAL)
    const first = dev.mapGrantRef(1, [8, 9])
    expect(dev.unmapGrantRef(first, 1)).toBe(-ENOENT)
    expect(dev.setUnmapNotify(first + 5, 0, 1, 0)).toBe(-ENOENT)
    expect(dev.unmapGrantRef(first, 0)).toBe(0)
  })

  it('enforces a global gref limit and an exhausted grant table with ENOSPC', () => {
    const limited = new ReferenceDevice({ limits: { globalGrefLimit: 3 } })
    expect(limited.allocGref(1, 3, true, null)).toBeGreaterThanOrEqual(0)
    expect(limited.allocGref(1, 1, true, null)).toBe(-ENOSPC)
    const small = new ReferenceDevice({ grantTableEntries: 10 })
    expect(small.allocGref(1, 3, true, null)).toBe(-ENOSPC)
    expect(small.allocGref(1, 2, true, null)).toBeGreaterThanOrEqual(0)
  })
})

describe('reference strategy', () => {
  it('bump allocator never reuses pages and rejects bad counts', () => {
    const allocator = new ReferenceBumpAllocator(10)
    expect(allocator.alloc(4)).toBe(0)
    allocator.free(0, 4)
    expect(allocator.alloc(4)).toBe(4)
    expect(allocator.alloc(0)).toBe(-EINVAL)
    expect(allocator.alloc(3)).toBe(-ENOSPC)
    expect(allocator.stats().livePages).toBe(4)
  })

  it('Map stores: find-run spans inserts, collisions are dropped, drain is ascending', () => {
    const { grefStore, gmapStore } = createReferenceStrategy()
    const run = (first: number, pages: number): Gref[] =>
      Array.from({ length: pages }, (_, i) => Object.assign(new Gref(first + i, i, 1, true), { live: true }))
    expect(grefStore.insertRun(run(5, 2))).toBe(0)
    expect(grefStore.insertRun(run(3, 2))).toBe(0)
    expect(grefStore.insertRun(run(6, 2))).toBe(1)
    const out: Gref[] = []
    expect(grefStore.findRun(3, 5, out)).toBe(true)
    expect(out.map((gref) => gref.page)).toEqual([3, 4, 5, 6, 7])
    expect(grefStore.findRun(3, 6, out)).toBe(false)
    expect(grefStore.removeRun(4, 2, out)).toBe(true)
    grefStore.check()
    grefStore.drain(out)
    expect(out.map((gref) => gref.page)).toEqual([3, 6, 7])
    expect(grefStore.size).toBe(0)
    expect(gmapStore.findContaining(0)).toBeNull()
  })
})
