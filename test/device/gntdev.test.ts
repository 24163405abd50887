import { describe, expect, it } from 'vitest'
import { UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from '../../src/abi.js'
import { Domain } from '../../src/device/domain.js'
import type { OffsetCount } from '../../src/device/types.js'
import { EINVAL, ENOENT, ENOSPC, ENOTTY } from '../../src/errno.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { collidingStrategy, openFile, peerGrants, tweaked } from './helpers.js'

const BOTH = UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT

function offsetOut(): OffsetCount {
  return { firstPage: -1, pages: -1 }
}

describe('GntDev ALLOC_GREF', () => {
  it('returns the first page, writes one fresh grant ref per page and stores one record per page', () => {
    const { dev, domain } = openFile('rbtree')
    const refs: number[] = []
    const first = dev.allocGref(1, 3, true, refs)
    expect(first).toBeGreaterThanOrEqual(0)
    expect(refs).toHaveLength(3)
    expect(new Set(refs).size).toBe(3)
    for (const ref of refs) expect(domain.grantTable.isLive(ref)).toBe(true)
    expect(dev.stats().grefs).toBe(3)
    for (let i = 0; i < 3; i++) {
      const gref = dev.strategy.grefStore.findPage(first + i)
      expect(gref?.grantRef).toBe(refs[i])
      expect(gref?.live).toBe(true)
      expect(gref?.writable).toBe(true)
    }
  })

  it('rejects a count of 0 or below, and beyond the per-call limit, with EINVAL', () => {
    const { dev } = openFile('list', { limits: { maxPagesPerCall: 4 } })
    expect(dev.allocGref(1, 0, true, null)).toBe(-EINVAL)
    expect(dev.allocGref(1, -1, true, null)).toBe(-EINVAL)
    expect(dev.allocGref(1, 5, true, null)).toBe(-EINVAL)
    expect(dev.allocGref(1, 4, true, null)).toBeGreaterThanOrEqual(0)
    expect(dev.stats().grefs).toBe(4)
  })

  it('is ENOTTY on a device without an alloc side (Linux gntdev)', () => {
    const { dev } = openFile('linux-gntdev')
    expect(dev.allocGref(1, 1, true, null)).toBe(-ENOTTY)
    expect(dev.deallocGref(0, 1)).toBe(-ENOTTY)
  })

  it('returns ENOSPC when the grant table is exhausted and gives the offsets back', () => {
    const { dev, domain } = openFile('list', undefined, { grantTableEntries: 8 + 4 })
    expect(dev.allocGref(1, 3, true, null)).toBe(0)
    const before = dev.strategy.allocator.stats().livePages
    expect(dev.allocGref(1, 2, true, null)).toBe(-ENOSPC)
    expect(dev.strategy.allocator.stats().livePages).toBe(before)
    expect(domain.grantTable.inUse).toBe(3)
    // The offset the failed call took is free again: the next ALLOC gets it.
    expect(dev.allocGref(1, 1, true, null)).toBe(3)
  })

  it('enforces Linux gntalloc’s global limit of 1024 grefs across files, leaking nothing', () => {
    const domain = new Domain()
    const a = domain.open(createStrategy('linux-gntalloc'))
    const b = domain.open(createStrategy('linux-gntalloc'))
    expect(a.allocGref(1, 1000, true, null)).toBe(0)
    expect(b.allocGref(1, 25, true, null)).toBe(-ENOSPC)
    expect(b.stats().grefs).toBe(0)
    expect(b.strategy.allocator.stats().livePages).toBe(0)
    expect(domain.grantTable.inUse).toBe(1000)
    expect(b.allocGref(1, 24, true, null)).toBe(0)
    expect(a.allocGref(1, 1, true, null)).toBe(-ENOSPC)
    // DEALLOC uncharges at once (modern gntalloc: the record is freed, a busy grant goes to the core).
    expect(a.deallocGref(0, 10)).toBe(0)
    expect(a.allocGref(1, 10, true, null)).toBe(1000)
    expect(domain.liveGrefs).toBe(1024)
  })

  it('counts grefs waiting in cleanup against the limit where policy.deferredCountsAgainstLimit (old gntalloc)', () => {
    const domain = new Domain()
    const dev = domain.open(tweaked('linux-gntalloc', { deferredCountsAgainstLimit: true }, { globalGrefLimit: 4 }))
    const first = dev.allocGref(1, 4, true, null)
    const vaddr = dev.mmap(first, 4, true)
    expect(dev.deallocGref(first, 4)).toBe(0)
    expect(dev.stats()).toMatchObject({ grefs: 0, pendingCleanup: 4 })
    expect(dev.allocGref(1, 1, true, null)).toBe(-ENOSPC)
    expect(dev.munmap(vaddr)).toBe(0) // gntalloc cleans at munmap: all four freed
    expect(dev.stats().pendingCleanup).toBe(0)
    expect(dev.allocGref(1, 4, true, null)).toBeGreaterThanOrEqual(0)
  })

  it('counts a key collision and leaves the record unreachable, as FreeBSD ignores RB_INSERT', () => {
    const domain = new Domain()
    const dev = domain.open(collidingStrategy(100))
    const refs: number[] = []
    expect(dev.allocGref(1, 1, true, null)).toBe(100)
    expect(dev.allocGref(1, 1, true, refs)).toBe(100)
    expect(dev.stats()).toMatchObject({ grefs: 1, collisions: 1 })
    expect(dev.strategy.grefStore.findPage(100)?.grantRef).not.toBe(refs[0])
    expect(domain.liveGrefs).toBe(1)
  })

  it('counts the collisions of a wrapped bump counter (quirk bump-wrap, §4.3) and leaks their grants', () => {
    const { dev, domain } = openFile('list+bump:bump-wrap', { offsetSpacePages: 8 })
    expect(dev.allocGref(1, 4, true, null)).toBe(0)
    expect(dev.allocGref(1, 4, true, null)).toBe(4)
    expect(dev.allocGref(1, 4, true, null)).toBe(0) // wrapped onto live offsets
    expect(dev.stats()).toMatchObject({ grefs: 8, collisions: 4 })
    expect(domain.liveGrefs).toBe(8)
    dev.close()
    expect(domain.runCleanup()).toBe(0)
    expect(dev.stats().reclaimed).toBe(8)
    expect(domain.grantTable.inUse).toBe(4) // the unreachable records' grants are never ended
  })
})

describe('GntDev DEALLOC_GREF', () => {
  it('moves the run to the cleanup queue; a missing or repeated run is EINVAL (FreeBSD)', () => {
    const { dev } = openFile('freebsd')
    const first = dev.allocGref(1, 2, true, null)
    expect(dev.deallocGref(first, 0)).toBe(-EINVAL)
    expect(dev.deallocGref(first, 3)).toBe(-EINVAL)
    expect(dev.deallocGref(first + 1, 2)).toBe(-EINVAL)
    expect(dev.stats().grefs).toBe(2)
    expect(dev.deallocGref(first, 2)).toBe(0)
    expect(dev.deallocGref(first, 2)).toBe(-EINVAL)
    // Not mapped by anyone: the DEALLOC-triggered cleanup freed both at once.
    expect(dev.stats()).toMatchObject({ grefs: 0, pendingCleanup: 0, reclaimed: 2 })
  })

  it('accepts a run spanning two ALLOCs, for DEALLOC and mmap (FreeBSD gntdev.h note; §8.3 #5)', () => {
    const { dev } = openFile('list')
    const a = dev.allocGref(1, 2, true, null)
    const b = dev.allocGref(1, 3, true, null)
    expect(b).toBe(a + 2) // the list allocator places them adjacently
    const vaddr = dev.mmap(a, 5, true)
    expect(vaddr).toBeGreaterThan(0)
    expect(dev.deallocGref(a + 1, 3)).toBe(0)
    expect(dev.stats()).toMatchObject({ grefs: 2, pendingCleanup: 3 })
    expect(dev.munmap(vaddr)).toBe(0)
  })

  it('returns offsets at once, even while mmapped: a new ALLOC reuses them (list)', () => {
    const { dev } = openFile('list')
    const first = dev.allocGref(1, 1, true, null)
    const oldVaddr = dev.mmap(first, 1, true)
    const oldGref = dev.strategy.grefStore.findPage(first)
    expect(dev.deallocGref(first, 1)).toBe(0)
    expect(dev.allocGref(1, 1, true, null)).toBe(first)
    const newGref = dev.strategy.grefStore.findPage(first)
    expect(newGref).not.toBe(oldGref)
    expect(dev.mmap(first, 1, true)).toBeGreaterThan(0)
    expect(dev.munmap(oldVaddr)).toBe(0)
    expect(oldGref?.mapCount).toBe(0)
    expect(newGref?.mapCount).toBe(1)
  })
})

describe('GntDev MAP_GRANT_REF / UNMAP_GRANT_REF', () => {
  it('records the grants without a hypercall; count 0 and beyond the per-call limit are EINVAL', () => {
    const { dev, domain } = openFile('linux-gntdev')
    expect(dev.mapGrantRef(1, [])).toBe(-EINVAL)
    expect(dev.mapGrantRef(1, new Array<number>(65_537).fill(9))).toBe(-EINVAL)
    expect(dev.mapGrantRef(1, new Array<number>(65_536).fill(9))).toBe(0)
    const first = dev.mapGrantRef(1, peerGrants(domain, 2))
    const gmap = dev.strategy.gmapStore.findExact(first, 2)
    expect(gmap?.everMapped).toBe(false)
    expect(dev.stats().gmaps).toBe(2)
  })

  it('is ENOTTY on a device without a map side (Linux gntalloc)', () => {
    const { dev } = openFile('linux-gntalloc')
    expect(dev.mapGrantRef(1, [8])).toBe(-ENOTTY)
    expect(dev.unmapGrantRef(0, 1)).toBe(-ENOTTY)
    expect(dev.getOffsetForVaddr(1, offsetOut())).toBe(-ENOTTY)
  })

  it('copies the refs (copy_from_user): later changes to the caller’s array do not leak in', () => {
    const { dev } = openFile('rbtree')
    const refs = [10, 11]
    const first = dev.mapGrantRef(1, refs)
    refs[0] = 99
    expect(dev.strategy.gmapStore.findExact(first, 2)?.grantRefs).toEqual([10, 11])
  })

  it('UNMAP needs the exact count: EINVAL on FreeBSD, ENOENT on Linux; count 0 is EINVAL on FreeBSD', () => {
    const bsd = openFile('freebsd').dev
    const a = bsd.mapGrantRef(1, [10, 11, 12])
    expect(bsd.unmapGrantRef(a, 2)).toBe(-EINVAL)
    expect(bsd.unmapGrantRef(a, 0)).toBe(-EINVAL)
    expect(bsd.unmapGrantRef(a, 3)).toBe(0)
    expect(bsd.unmapGrantRef(a, 3)).toBe(-EINVAL)
    const linux = openFile('linux-gntdev').dev
    const b = linux.mapGrantRef(1, [10, 11, 12])
    expect(linux.unmapGrantRef(b, 2)).toBe(-ENOENT)
    expect(linux.unmapGrantRef(b + 1, 3)).toBe(-ENOENT)
  })

  it('Linux count 0 is a wildcard (policy.unmapCountWildcard), and the index is recycled at once', () => {
    const { dev } = openFile('linux-gntdev')
    const a = dev.mapGrantRef(1, [10, 11, 12])
    expect(dev.unmapGrantRef(a, 0)).toBe(0)
    expect(dev.stats().gmaps).toBe(0)
    expect(dev.mapGrantRef(1, [10, 11, 12])).toBe(a)
  })

  it('counts a gmap key collision and still returns the page (FreeBSD keeps going)', () => {
    const dev = new Domain().open(collidingStrategy(7))
    expect(dev.mapGrantRef(1, [10])).toBe(7)
    expect(dev.mapGrantRef(1, [11, 12])).toBe(7)
    expect(dev.stats()).toMatchObject({ gmaps: 1, collisions: 1 })
    expect(dev.strategy.gmapStore.findExact(7, 0)?.grantRefs).toEqual([10])
  })
})

describe('GntDev mmap / munmap', () => {
  it('maps a gmap only at its exact start and count: no sub-range, no spanning two MAPs', () => {
    const { dev, domain } = openFile('list')
    const a = dev.mapGrantRef(1, peerGrants(domain, 2))
    const b = dev.mapGrantRef(1, peerGrants(domain, 3))
    expect(b).toBe(a + 2)
    expect(dev.mmap(a, 5, true)).toBe(-EINVAL)
    expect(dev.mmap(a, 1, true)).toBe(-EINVAL)
    expect(dev.mmap(b + 1, 2, true)).toBe(-EINVAL)
    expect(dev.mmap(a, 2, true)).toBeGreaterThan(0)
    expect(dev.mmap(b, 3, true)).toBeGreaterThan(0)
    expect(dev.mmap(a, 0, true)).toBe(-EINVAL)
    expect(dev.mmap(a + 100, 1, true)).toBe(-EINVAL)
  })

  it('makes the map hypercall at the first mmap: a grant the peer does not hold fails it, changing nothing', () => {
    const { dev, domain } = openFile('rbtree')
    const refs = [500, 501]
    const first = dev.mapGrantRef(1, refs)
    domain.peer.grantRef(500)
    expect(dev.mmap(first, 2, false)).toBe(-EINVAL)
    const gmap = dev.strategy.gmapStore.findExact(first, 2)
    expect(gmap).toMatchObject({ everMapped: false, mapCount: 0, readonly: null })
    domain.peer.grantRef(501)
    expect(dev.mmap(first, 2, false)).toBeGreaterThan(0)
    expect(gmap).toMatchObject({ everMapped: true, mapCount: 1, readonly: true })
    // Later mmaps make no hypercall: a revoked grant does not matter any more.
    domain.peer.revokeGrants(refs)
    expect(dev.mmap(first, 2, false)).toBeGreaterThan(0)
  })

  it('fixes readonly at the first mmap; a later writable mmap of a readonly map is EINVAL (Linux)', () => {
    const { dev, domain } = openFile('linux-gntdev')
    const ro = dev.mapGrantRef(1, peerGrants(domain, 1))
    expect(dev.mmap(ro, 1, false)).toBeGreaterThan(0)
    expect(dev.mmap(ro, 1, true)).toBe(-EINVAL)
    expect(dev.mmap(ro, 1, false)).toBeGreaterThan(0)
    const rw = dev.mapGrantRef(1, peerGrants(domain, 1))
    expect(dev.mmap(rw, 1, true)).toBeGreaterThan(0)
    expect(dev.mmap(rw, 1, false)).toBeGreaterThan(0)
    expect(dev.mmap(rw, 1, true)).toBeGreaterThan(0)
  })

  it('lets a gref page be in one mmap only where policy.grefSingleMapping (FreeBSD), not on Linux gntalloc', () => {
    const bsd = openFile('freebsd').dev
    const a = bsd.allocGref(1, 3, true, null)
    const v = bsd.mmap(a, 2, true)
    expect(v).toBeGreaterThan(0)
    expect(bsd.mmap(a, 2, true)).toBe(-EINVAL)
    expect(bsd.mmap(a + 1, 2, true)).toBe(-EINVAL)
    expect(bsd.mmap(a + 2, 1, true)).toBeGreaterThan(0)
    expect(bsd.munmap(v)).toBe(0)
    expect(bsd.mmap(a, 2, true)).toBeGreaterThan(0)

    const linux = openFile('linux-gntalloc').dev
    const b = linux.allocGref(1, 2, true, null)
    expect(linux.mmap(b, 2, true)).toBeGreaterThan(0)
    expect(linux.mmap(b, 2, true)).toBeGreaterThan(0)
    expect(linux.strategy.grefStore.findPage(b)?.mapCount).toBe(2)
  })

  it('lets a gmap be in one VMA only where policy.gmapSingleMapping (Linux PV)', () => {
    const domain = new Domain()
    const dev = domain.open(tweaked('linux-gntdev', { gmapSingleMapping: true }))
    const first = dev.mapGrantRef(1, peerGrants(domain, 2))
    const v = dev.mmap(first, 2, true)
    expect(dev.mmap(first, 2, true)).toBe(-EINVAL)
    expect(dev.munmap(v)).toBe(0)
    expect(dev.mmap(first, 2, true)).toBeGreaterThan(0)
  })

  it('hands out fresh vaddrs; munmap of an unknown or already unmapped vaddr is EINVAL', () => {
    const { dev } = openFile('rbtree')
    const first = dev.allocGref(1, 1, true, null)
    const v1 = dev.mmap(first, 1, true)
    expect(dev.munmap(v1)).toBe(0)
    const v2 = dev.mmap(first, 1, true)
    expect(v2).not.toBe(v1)
    expect(dev.munmap(v1)).toBe(-EINVAL)
    expect(dev.munmap(12345)).toBe(-EINVAL)
    expect(dev.stats().vmas).toBe(1)
  })
})

describe('GntDev GET_OFFSET_FOR_VADDR', () => {
  it('answers from the VMA containing vaddr, for gmaps only; gref VMAs and unmapped vaddrs are EINVAL', () => {
    const { dev, domain } = openFile('freebsd')
    const g = dev.mapGrantRef(1, peerGrants(domain, 4))
    const vg = dev.mmap(g, 4, true)
    const out = offsetOut()
    expect(dev.getOffsetForVaddr(vg, out)).toBe(0)
    expect(out).toEqual({ firstPage: g, pages: 4 })
    const r = dev.allocGref(1, 1, true, null)
    const vr = dev.mmap(r, 1, true)
    expect(dev.getOffsetForVaddr(vr, out)).toBe(-EINVAL)
    // An address inside the mapping finds it (FreeBSD's VM-map lookup, Linux find_vma; §2.4, §3.3).
    expect(dev.getOffsetForVaddr(vg + 3, out)).toBe(0)
    expect(out).toEqual({ firstPage: g, pages: 4 })
    expect(dev.getOffsetForVaddr(vg + 4, out)).toBe(-EINVAL) // the guard page after it
    expect(dev.getOffsetForVaddr(999_999, out)).toBe(-EINVAL)
  })
})

describe('GntDev SET_UNMAP_NOTIFY', () => {
  it('rejects unknown action bits and bytes outside the page with EINVAL', () => {
    const { dev } = openFile('rbtree')
    const first = dev.allocGref(1, 1, true, null)
    expect(dev.setUnmapNotify(first, 0, 4, 0)).toBe(-EINVAL)
    expect(dev.setUnmapNotify(first, 4096, UNMAP_NOTIFY_CLEAR_BYTE, 0)).toBe(-EINVAL)
    expect(dev.setUnmapNotify(first, -1, UNMAP_NOTIFY_CLEAR_BYTE, 0)).toBe(-EINVAL)
    expect(dev.strategy.grefStore.findPage(first)?.notify).toBeNull()
  })

  it('stores a per-page notify on a gref; the last call wins', () => {
    const { dev } = openFile('list')
    const first = dev.allocGref(1, 2, true, null)
    expect(dev.setUnmapNotify(first + 1, 10, UNMAP_NOTIFY_CLEAR_BYTE, 3)).toBe(0)
    expect(dev.setUnmapNotify(first + 1, 20, UNMAP_NOTIFY_SEND_EVENT, 4)).toBe(0)
    expect(dev.strategy.grefStore.findPage(first + 1)?.notify).toEqual({ action: UNMAP_NOTIFY_SEND_EVENT, byteInRecord: 20, port: 4 })
    expect(dev.strategy.grefStore.findPage(first)?.notify).toBeNull()
  })

  it('stores one notify per gmap at the byte relative to its start; CLEAR_BYTE on a readonly map is EINVAL', () => {
    const { dev, domain } = openFile('linux-gntdev')
    const first = dev.mapGrantRef(1, peerGrants(domain, 3))
    expect(dev.setUnmapNotify(first + 2, 5, BOTH, 7)).toBe(0)
    const gmap = dev.strategy.gmapStore.findExact(first, 3)
    expect(gmap?.notify).toEqual({ action: BOTH, byteInRecord: 2 * 4096 + 5, port: 7 })
    dev.mmap(first, 3, false)
    expect(dev.setUnmapNotify(first, 0, UNMAP_NOTIFY_CLEAR_BYTE, 7)).toBe(-EINVAL)
    expect(dev.setUnmapNotify(first, 0, UNMAP_NOTIFY_SEND_EVENT, 8)).toBe(0)
    expect(gmap?.notify).toEqual({ action: UNMAP_NOTIFY_SEND_EVENT, byteInRecord: 0, port: 8 })
  })

  it('answers a page no record covers with policy.notifyMissingErrno', () => {
    expect(openFile('freebsd').dev.setUnmapNotify(5, 0, 1, 0)).toBe(-EINVAL)
    expect(openFile('linux-gntdev').dev.setUnmapNotify(5, 0, 1, 0)).toBe(-ENOENT)
    expect(openFile('linux-gntalloc').dev.setUnmapNotify(5, 0, 1, 0)).toBe(-ENOENT)
  })
})

describe('GntDev close', () => {
  it('sends every record to the cleanup queue; later ioctls are EINVAL, munmap still works', () => {
    const { dev, domain } = openFile('freebsd')
    const r = dev.allocGref(1, 2, true, null)
    const g = dev.mapGrantRef(1, peerGrants(domain, 1))
    const vr = dev.mmap(r, 2, true)
    const vg = dev.mmap(g, 1, true)
    dev.close()
    expect(dev.isClosed).toBe(true)
    // close cleans up: both mapped, so all three wait.
    expect(dev.stats()).toMatchObject({ grefs: 0, gmaps: 0, vmas: 2, pendingCleanup: 3 })
    expect(dev.allocGref(1, 1, true, null)).toBe(-EINVAL)
    expect(dev.deallocGref(r, 2)).toBe(-EINVAL)
    expect(dev.mapGrantRef(1, [1])).toBe(-EINVAL)
    expect(dev.unmapGrantRef(g, 1)).toBe(-EINVAL)
    expect(dev.mmap(r, 2, true)).toBe(-EINVAL)
    expect(dev.getOffsetForVaddr(vg, offsetOut())).toBe(-EINVAL)
    expect(dev.setUnmapNotify(r, 0, 1, 0)).toBe(-EINVAL)
    expect(dev.munmap(vr)).toBe(0)
    expect(dev.munmap(vg)).toBe(0)
    dev.close() // a second close is a no-op
    expect(domain.runCleanup()).toBe(3)
    expect(dev.stats()).toMatchObject({ vmas: 0, pendingCleanup: 0, reclaimed: 3 })
    expect(domain.liveGrefs).toBe(0)
    expect(domain.grantTable.inUse).toBe(0)
  })
})

describe('GntDev deferred-cleanup life cycle', () => {
  it('gntshr pattern ALLOC → mmap → SET_UNMAP_NOTIFY → DEALLOC (§6.1): notify once, then wait for the peer', () => {
    const { dev, domain } = openFile('freebsd')
    const refs: number[] = []
    const first = dev.allocGref(1, 1, true, refs)
    const ref = refs[0] as number
    const vaddr = dev.mmap(first, 1, true)
    expect(dev.setUnmapNotify(first, 16, BOTH, 5)).toBe(0)
    domain.peer.mapForeign(ref)
    expect(dev.deallocGref(first, 1)).toBe(0)
    // The store is empty; the record waits in cleanup while mmapped; the notify has not fired.
    expect(dev.stats()).toMatchObject({ grefs: 0, pendingCleanup: 1, notifyClearedBytes: 0, notifyEventsSent: 0 })
    expect(domain.runCleanup()).toBe(0)
    expect(dev.stats().notifyEventsSent).toBe(0)
    expect(dev.munmap(vaddr)).toBe(0)
    // FreeBSD does not clean at munmap: nothing happens until a later trigger.
    expect(dev.stats()).toMatchObject({ pendingCleanup: 1, notifyClearedBytes: 0 })
    const other = domain.open(createStrategy('freebsd'))
    other.allocGref(1, 1, true, null) // ALLOC on any file enqueues the task
    expect(dev.stats()).toMatchObject({ pendingCleanup: 1, notifyClearedBytes: 1, notifyEventsSent: 1, reclaimed: 0 })
    expect(domain.grantTable.isLive(ref)).toBe(true)
    expect(domain.runCleanup()).toBe(0)
    expect(dev.stats()).toMatchObject({ notifyClearedBytes: 1, notifyEventsSent: 1 })
    domain.peer.unmapForeign(ref)
    expect(dev.stats().pendingCleanup).toBe(1)
    expect(domain.runCleanup()).toBe(1)
    expect(dev.stats()).toMatchObject({ pendingCleanup: 0, reclaimed: 1, notifyClearedBytes: 1, notifyEventsSent: 1 })
    expect(domain.grantTable.isLive(ref)).toBe(false)
  })

  it('libxengnttab pattern MAP → mmap → GET_OFFSET_FOR_VADDR → munmap → UNMAP (§6.1)', () => {
    const { dev, domain } = openFile('freebsd')
    const first = dev.mapGrantRef(1, peerGrants(domain, 3))
    const vaddr = dev.mmap(first, 3, true)
    expect(dev.setUnmapNotify(first + 1, 0, UNMAP_NOTIFY_SEND_EVENT, 9)).toBe(0)
    const out = offsetOut()
    expect(dev.getOffsetForVaddr(vaddr, out)).toBe(0)
    expect(out).toEqual({ firstPage: first, pages: 3 })
    expect(dev.munmap(vaddr)).toBe(0)
    expect(dev.unmapGrantRef(out.firstPage, out.pages)).toBe(0)
    expect(dev.stats()).toMatchObject({ gmaps: 0, vmas: 0, pendingCleanup: 0, reclaimed: 1, notifyEventsSent: 1 })
  })

  it('Linux gntdev: UNMAP before munmap keeps the map until the last munmap, which frees it', () => {
    const { dev, domain } = openFile('linux-gntdev')
    const first = dev.mapGrantRef(1, peerGrants(domain, 2))
    const v1 = dev.mmap(first, 2, true)
    const v2 = dev.mmap(first, 2, true)
    expect(dev.setUnmapNotify(first, 0, UNMAP_NOTIFY_CLEAR_BYTE, 0)).toBe(0)
    expect(dev.unmapGrantRef(first, 2)).toBe(0)
    expect(dev.stats()).toMatchObject({ gmaps: 0, pendingCleanup: 1 })
    expect(dev.munmap(v1)).toBe(0)
    expect(dev.stats()).toMatchObject({ pendingCleanup: 1, notifyClearedBytes: 0 })
    expect(dev.munmap(v2)).toBe(0)
    expect(dev.stats()).toMatchObject({ pendingCleanup: 0, reclaimed: 1, notifyClearedBytes: 1 })
  })

  it('a gmap that was never mmapped fires no notify when freed (FreeBSD policy, §2.5)', () => {
    const { dev, domain } = openFile('rbtree')
    const first = dev.mapGrantRef(1, peerGrants(domain, 1))
    dev.setUnmapNotify(first, 0, BOTH, 1)
    expect(dev.unmapGrantRef(first, 1)).toBe(0)
    expect(dev.stats()).toMatchObject({ reclaimed: 1, notifyClearedBytes: 0, notifyEventsSent: 0 })
  })

  it('a gref whose grant the peer maps survives close and is freed once the peer lets go', () => {
    const { dev, domain } = openFile('rbtree')
    const refs: number[] = []
    dev.allocGref(1, 2, true, refs)
    domain.peer.mapForeign(refs[1] as number)
    dev.close()
    expect(dev.stats()).toMatchObject({ pendingCleanup: 1, reclaimed: 1 })
    domain.peer.unmapForeign(refs[1] as number)
    expect(domain.runCleanup()).toBe(1)
    expect(domain.grantTable.inUse).toBe(0)
  })
})
