// The device where the kernels' documented behaviour used to be modelled wrongly (issue 13,
// items 1–9), one named test per kernel fact, each derived from docs/kernel-model.md rather
// than from the code. Where FreeBSD and Linux differ the test shows both, so the policy field
// that decides is visible.

import { describe, expect, it } from 'vitest'
import { UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from '../../src/abi.js'
import { Domain } from '../../src/device/domain.js'
import { IoctlFile } from '../../src/device/ioctl.js'
import { ReferenceDevice } from '../../src/device/reference-device.js'
import type { GrantDevice } from '../../src/device/types.js'
import { PageNumberError } from '../../src/device/types.js'
import { EINVAL, ENOENT, ENOSPC } from '../../src/errno.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { openFile, peerGrants, tweaked } from './helpers.js'

const BOTH = UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT
const PAGE = 4096n

describe('1. Linux gntalloc counts a gref against its limit until nothing uses it (§4.4)', () => {
  it('a DEALLOCed gref that is still mmapped keeps counting until munmap', () => {
    const domain = new Domain()
    const a = domain.open(createStrategy('linux-gntalloc'))
    const b = domain.open(createStrategy('linux-gntalloc'))
    expect(a.allocGref(1, 1000, true, null)).toBe(0)
    const vaddr = a.mmap(0, 10, true)
    expect(a.deallocGref(0, 10)).toBe(0)
    expect(b.allocGref(1, 25, true, null)).toBe(-ENOSPC) // 1000 still charged
    expect(b.allocGref(1, 24, true, null)).toBe(0)
    expect(a.munmap(vaddr)).toBe(0) // the last use: deleted, uncharged
    expect(a.allocGref(1, 10, true, null)).toBe(1000)
    expect(domain.liveGrefs).toBe(1024)
  })

  it('a gref the peer still maps but nothing local uses no longer counts (handed to the grant-table core)', () => {
    const { dev, domain } = openFile('linux-gntalloc', { limits: { globalGrefLimit: 4 } })
    const refs: number[] = []
    expect(dev.allocGref(1, 4, true, refs)).toBe(0)
    domain.peer.mapForeign(refs[0] as number)
    expect(dev.deallocGref(0, 4)).toBe(0)
    expect(dev.stats().pendingCleanup).toBe(1)
    expect(dev.allocGref(1, 4, true, null)).toBe(4)
  })

  it('the rule is the policy field grefLimitCountsMmapped: without it DEALLOC uncharges at once', () => {
    const domain = new Domain()
    const dev = domain.open(tweaked('linux-gntalloc', { grefLimitCountsMmapped: false }, { globalGrefLimit: 4 }))
    expect(dev.allocGref(1, 4, true, null)).toBe(0)
    dev.mmap(0, 4, true)
    expect(dev.deallocGref(0, 4)).toBe(0)
    expect(dev.allocGref(1, 4, true, null)).toBe(4)
  })
})

describe('2. Linux releases every record of a file at close (§3.3, §4.2)', () => {
  it('linux-gntdev: maps nobody mmaps are freed at close; an mmapped one lives until its munmap', () => {
    const { dev, domain } = openFile('linux-gntdev')
    const kept = dev.mapGrantRef(1, peerGrants(domain, 2))
    dev.mapGrantRef(1, peerGrants(domain, 3))
    const vaddr = dev.mmap(kept, 2, true)
    dev.close()
    expect(dev.stats()).toMatchObject({ gmaps: 0, pendingCleanup: 1, reclaimed: 1 })
    expect(dev.munmap(vaddr)).toBe(0)
    expect(dev.stats()).toMatchObject({ pendingCleanup: 0, reclaimed: 2 })
  })

  it('linux-gntalloc: grefs nobody uses are deleted at close and their grants ended', () => {
    const { dev, domain } = openFile('linux-gntalloc')
    expect(dev.allocGref(1, 3, true, null)).toBe(0)
    dev.mmap(0, 1, true)
    dev.close()
    expect(dev.stats()).toMatchObject({ grefs: 0, pendingCleanup: 1, reclaimed: 2 })
    expect(domain.grantTable.inUse).toBe(1)
  })
})

describe('3. Linux sends a gmap’s SEND_EVENT when its last reference goes, mmapped or not (§3.3)', () => {
  it('never mmapped: UNMAP sends the event once; there is no page whose byte could be cleared', () => {
    const { dev, domain } = openFile('linux-gntdev')
    const first = dev.mapGrantRef(1, peerGrants(domain, 1))
    expect(dev.setUnmapNotify(first, 0, BOTH, 9)).toBe(0)
    expect(dev.unmapGrantRef(first, 1)).toBe(0)
    expect(dev.stats()).toMatchObject({ reclaimed: 1, notifyEventsSent: 1, notifyClearedBytes: 0 })
    domain.runCleanup()
    expect(dev.stats().notifyEventsSent).toBe(1)
  })

  it('never mmapped: close sends it too', () => {
    const { dev, domain } = openFile('linux-gntdev')
    const first = dev.mapGrantRef(1, peerGrants(domain, 2))
    dev.setUnmapNotify(first + 1, 0, UNMAP_NOTIFY_SEND_EVENT, 3)
    dev.close()
    expect(dev.stats()).toMatchObject({ notifyEventsSent: 1, notifyClearedBytes: 0 })
  })

  it('mmapped: the last munmap clears the byte and sends the event, once', () => {
    const { dev, domain } = openFile('linux-gntdev')
    const first = dev.mapGrantRef(1, peerGrants(domain, 1))
    const vaddr = dev.mmap(first, 1, true)
    dev.setUnmapNotify(first, 0, BOTH, 9)
    expect(dev.unmapGrantRef(first, 1)).toBe(0)
    expect(dev.stats()).toMatchObject({ notifyEventsSent: 0, notifyClearedBytes: 0 })
    expect(dev.munmap(vaddr)).toBe(0)
    expect(dev.stats()).toMatchObject({ notifyEventsSent: 1, notifyClearedBytes: 1 })
  })

  it('FreeBSD notifies only if grants were mapped (policy gmapEventWithoutMmap off)', () => {
    const { dev, domain } = openFile('freebsd')
    const first = dev.mapGrantRef(1, peerGrants(domain, 1))
    dev.setUnmapNotify(first, 0, BOTH, 9)
    expect(dev.unmapGrantRef(first, 1)).toBe(0)
    expect(dev.stats()).toMatchObject({ reclaimed: 1, notifyEventsSent: 0 })
  })
})

describe('4. FreeBSD’s mmap and notify rules (§2.4)', () => {
  it('a later writable mmap of a gmap first mapped read-only only adds a reference', () => {
    const { dev, domain } = openFile('freebsd')
    const first = dev.mapGrantRef(1, peerGrants(domain, 1))
    expect(dev.mmap(first, 1, false)).toBeGreaterThan(0)
    expect(dev.mmap(first, 1, true)).toBeGreaterThan(0)
    expect(dev.strategy.gmapStore.findExact(first, 1)?.mapCount).toBe(2)
  })

  it('CLEAR_BYTE is not checked against a read-only mapping', () => {
    const { dev, domain } = openFile('freebsd')
    const first = dev.mapGrantRef(1, peerGrants(domain, 1))
    dev.mmap(first, 1, false)
    expect(dev.setUnmapNotify(first, 0, UNMAP_NOTIFY_CLEAR_BYTE, 1)).toBe(0)
  })

  it('Linux checks both (policy gmapReadonlyChecks)', () => {
    const { dev, domain } = openFile('linux-gntdev')
    const first = dev.mapGrantRef(1, peerGrants(domain, 1))
    dev.mmap(first, 1, false)
    expect(dev.mmap(first, 1, true)).toBe(-EINVAL)
    expect(dev.setUnmapNotify(first, 0, UNMAP_NOTIFY_CLEAR_BYTE, 1)).toBe(-EINVAL)
  })
})

describe('5. GET_OFFSET_FOR_VADDR finds the mapping that contains the address (§2.4, §3.3)', () => {
  for (const spec of ['linux-gntdev', 'freebsd']) {
    it(`${spec}: any byte of the mapping answers its offset and count`, () => {
      const domain = new Domain()
      const file = new IoctlFile(domain.open(createStrategy(spec)))
      const map = file.mapGrantRef({ count: 4, refs: peerGrants(domain, 4).map((ref) => ({ domid: 1, ref })) })
      const { vaddr } = file.mmap(map.index, 4n * PAGE, true)
      expect(file.getOffsetForVaddr({ vaddr: vaddr + 3n * PAGE + 17n })).toEqual({ error: 0, offset: map.index, count: 4 })
      expect(file.getOffsetForVaddr({ vaddr: vaddr + 4n * PAGE }).error).toBe(EINVAL)
    })
  }
})

describe('7. Linux UNMAP_GRANT_REF looks up index >> 12 (§3.3)', () => {
  it('linux-gntdev: an unaligned index finds its map', () => {
    const domain = new Domain()
    const file = new IoctlFile(domain.open(createStrategy('linux-gntdev')))
    file.mapGrantRef({ count: 1, refs: [{ domid: 1, ref: peerGrants(domain, 1)[0] as number }] })
    const map = file.mapGrantRef({ count: 2, refs: peerGrants(domain, 2).map((ref) => ({ domid: 1, ref })) })
    expect(file.unmapGrantRef({ index: map.index + 5n, count: 2 })).toEqual({ error: 0 })
    expect(file.unmapGrantRef({ index: map.index, count: 2 })).toEqual({ error: ENOENT })
  })

  it('freebsd: the byte offset must match exactly (EINVAL)', () => {
    const domain = new Domain()
    const file = new IoctlFile(domain.open(createStrategy('freebsd')))
    const map = file.mapGrantRef({ count: 2, refs: peerGrants(domain, 2).map((ref) => ({ domid: 1, ref })) })
    expect(file.unmapGrantRef({ index: map.index + 5n, count: 2 })).toEqual({ error: EINVAL })
    expect(file.unmapGrantRef({ index: map.index, count: 2 })).toEqual({ error: 0 })
  })
})

describe('8. gntalloc’s error orders (§4.2)', () => {
  it('SET_UNMAP_NOTIFY looks the page up before validating the action: a missing page is ENOENT', () => {
    const { dev } = openFile('linux-gntalloc')
    expect(dev.setUnmapNotify(7, 0, 4, 0)).toBe(-ENOENT)
    expect(dev.allocGref(1, 1, true, null)).toBe(0)
    expect(dev.setUnmapNotify(0, 0, 4, 0)).toBe(-EINVAL)
    // FreeBSD and Linux gntdev validate the action first.
    expect(openFile('freebsd').dev.setUnmapNotify(7, 0, 4, 0)).toBe(-EINVAL)
    expect(openFile('linux-gntdev').dev.setUnmapNotify(7, 0, 4, 0)).toBe(-EINVAL)
  })

  it('an mmap that finds no gref is ENOENT on gntalloc, EINVAL on FreeBSD and Linux gntdev', () => {
    expect(openFile('linux-gntalloc').dev.mmap(3, 1, true)).toBe(-ENOENT)
    expect(openFile('freebsd').dev.mmap(3, 1, true)).toBe(-EINVAL)
    expect(openFile('linux-gntdev').dev.mmap(3, 1, true)).toBe(-EINVAL)
  })

  for (const [spec, freed] of [['linux-gntalloc', 1], ['freebsd', 0]] as const) {
    it(`a failed DEALLOC ${freed === 1 ? 'still runs' : 'does not run'} the cleanup pass (${spec})`, () => {
      const { dev, domain } = openFile(spec)
      const refs: number[] = []
      const first = dev.allocGref(1, 1, true, refs)
      domain.peer.mapForeign(refs[0] as number)
      expect(dev.deallocGref(first, 1)).toBe(0)
      expect(dev.stats().pendingCleanup).toBe(1)
      domain.peer.unmapForeign(refs[0] as number) // no ioctl: nothing cleans yet
      expect(dev.deallocGref(first + 100, 1)).toBe(-EINVAL)
      expect(dev.stats().reclaimed).toBe(freed)
    })
  }
})

describe('9. Non-integer page numbers are one clear error, on GntDev and the reference alike', () => {
  const devices: [string, () => GrantDevice][] = [
    ['GntDev (freebsd)', () => openFile('freebsd').dev],
    ['GntDev (xen-rangeset)', () => openFile('xen-rangeset').dev],
    ['ReferenceDevice', () => new ReferenceDevice()],
  ]
  for (const [name, make] of devices) {
    it(`${name}: fractions, NaN and ±Infinity throw PageNumberError and change nothing`, () => {
      const dev = make()
      const first = dev.allocGref(1, 2, true, null)
      const before = JSON.stringify(dev.stats())
      for (const bad of [0.5, first + 0.5, NaN, Infinity, -Infinity]) {
        expect(() => dev.allocGref(1, bad, true, null)).toThrow(PageNumberError)
        expect(() => dev.deallocGref(bad, 1)).toThrow(PageNumberError)
        expect(() => dev.deallocGref(first, bad)).toThrow(PageNumberError)
        expect(() => dev.unmapGrantRef(bad, 1)).toThrow(PageNumberError)
        expect(() => dev.mmap(bad, 1, true)).toThrow(PageNumberError)
        expect(() => dev.mmap(first, bad, true)).toThrow(PageNumberError)
        expect(() => dev.munmap(bad)).toThrow(PageNumberError)
        expect(() => dev.getOffsetForVaddr(bad, { firstPage: 0, pages: 0 })).toThrow(PageNumberError)
        expect(() => dev.setUnmapNotify(bad, 0, 1, 0)).toThrow(PageNumberError)
      }
      expect(() => dev.mmap(NaN, 1, true)).toThrow(/mmap: firstPage must be an integer, got NaN/)
      expect(JSON.stringify(dev.stats())).toBe(before)
      dev.strategy.allocator.check()
      dev.strategy.grefStore.check()
      dev.strategy.gmapStore.check()
    })
  }
})

describe('6. Linux gntalloc under bump-wrap appends a colliding gref to its list (§4.3)', () => {
  it('both records are kept, a lookup finds the oldest run first, and no grant leaks', () => {
    const { dev, domain } = openFile('linux-gntalloc:bump-wrap', { offsetSpacePages: 8 })
    const oldRefs: number[] = []
    const newRefs: number[] = []
    expect(dev.allocGref(1, 4, true, oldRefs)).toBe(0)
    expect(dev.allocGref(1, 4, true, null)).toBe(4)
    expect(dev.allocGref(1, 4, true, newRefs)).toBe(0) // wrapped onto live offsets
    expect(dev.stats()).toMatchObject({ grefs: 12, collisions: 0 })
    expect(domain.liveGrefs).toBe(12)
    expect(dev.strategy.grefStore.findPage(0)?.grantRef).toBe(oldRefs[0])
    expect(dev.deallocGref(0, 4)).toBe(0) // the oldest run goes first
    expect(dev.strategy.grefStore.findPage(0)?.grantRef).toBe(newRefs[0])
    dev.strategy.grefStore.check()
    dev.close()
    expect(domain.grantTable.inUse).toBe(0)
  })

  it('the generic list store (neutral policy) still drops the colliding record, as FreeBSD does', () => {
    const { dev } = openFile('list+bump:bump-wrap', { offsetSpacePages: 8 })
    dev.allocGref(1, 4, true, null)
    dev.allocGref(1, 4, true, null)
    dev.allocGref(1, 4, true, null)
    expect(dev.stats()).toMatchObject({ grefs: 8, collisions: 4 })
  })
})

describe('11. A failed FreeBSD ALLOC leaks the offsets it took (§2.3)', () => {
  it('freebsd keeps them allocated (policy failedAllocLeaksOffsets); the neutral policy gives them back', () => {
    for (const [spec, leaked] of [['freebsd', true], ['rbtree', false]] as const) {
      const { dev } = openFile(spec, undefined, { grantTableEntries: 8 + 4 })
      expect(dev.allocGref(1, 3, true, null)).toBeGreaterThanOrEqual(0)
      expect(dev.allocGref(1, 2, true, null)).toBe(-ENOSPC)
      expect(dev.strategy.allocator.stats().livePages).toBe(leaked ? 5 : 3)
      expect(dev.stats().grefs).toBe(3)
    }
  })
})
