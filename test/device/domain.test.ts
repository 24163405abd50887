import { describe, expect, it } from 'vitest'
import { UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from '../../src/abi.js'
import { Domain } from '../../src/device/domain.js'
import { createStrategy } from '../../src/strategies/registry.js'
import type { CleanupQueue, Gmap, Gref, Reclaimer } from '../../src/strategies/types.js'
import { Gmap as GmapRecord, Gref as GrefRecord } from '../../src/strategies/types.js'
import { newCostCounters } from '../../src/structures/types.js'

/** A LIFO queue, to show the domain takes any CleanupQueue. */
class StackCleanup implements CleanupQueue {
  readonly kind = 'stack'
  readonly cost = newCostCounters()
  grefs: Gref[] = []
  gmaps: Gmap[] = []
  runs = 0
  get pendingGrefs(): number {
    return this.grefs.length
  }
  get pendingGmaps(): number {
    return this.gmaps.length
  }
  pushGref(gref: Gref): void {
    this.grefs.push(gref)
  }
  pushGmap(gmap: Gmap): void {
    this.gmaps.push(gmap)
  }
  run(reclaimer: Reclaimer): number {
    this.runs++
    const before = this.grefs.length + this.gmaps.length
    this.grefs = this.grefs.reverse().filter((gref) => !reclaimer.reclaimGref(gref))
    this.gmaps = this.gmaps.reverse().filter((gmap) => !reclaimer.reclaimGmap(gmap))
    return before - this.grefs.length - this.gmaps.length
  }
}

describe('Domain', () => {
  it('defaults: FIFO cleanup, peer domid 1, 2^22 grant entries', () => {
    const domain = new Domain()
    expect(domain.cleanup.kind).toBe('fifo')
    expect(domain.peer.domid).toBe(1)
    expect(domain.grantTable.entries).toBe(2 ** 22)
  })

  it('takes an injected cleanup queue and runs it on the policy’s triggers', () => {
    const cleanup = new StackCleanup()
    const domain = new Domain({ cleanup, peerDomid: 5 })
    const dev = domain.open(createStrategy('freebsd'))
    const first = dev.allocGref(5, 2, true, null) // ALLOC triggers a run
    expect(cleanup.runs).toBe(1)
    dev.deallocGref(first, 2)
    expect(cleanup.runs).toBe(2)
    expect(dev.stats()).toMatchObject({ pendingCleanup: 0, reclaimed: 2 })
  })

  it('shares the cleanup queue and counters between files', () => {
    const domain = new Domain()
    const a = domain.open(createStrategy('rbtree'))
    const b = domain.open(createStrategy('list'))
    const first = a.allocGref(1, 1, true, null)
    const vaddr = a.mmap(first, 1, true)
    a.deallocGref(first, 1)
    expect(b.stats().pendingCleanup).toBe(1)
    a.munmap(vaddr)
    b.allocGref(1, 1, true, null) // b's ALLOC runs the one global queue
    expect(a.stats()).toMatchObject({ pendingCleanup: 0, reclaimed: 1 })
  })

  it('reclaimGref: waits for local mappings, fires the notify once, waits for the peer, then frees the entry', () => {
    const domain = new Domain()
    const ref = domain.grantTable.take()
    const gref = new GrefRecord(0, ref, 1, true)
    gref.notify = { action: UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT, byteInRecord: 0, port: 1 }
    gref.mapCount = 1
    expect(domain.reclaimGref(gref)).toBe(false)
    expect(domain.notifyClearedBytes).toBe(0)
    gref.mapCount = 0
    domain.peer.mapForeign(ref)
    expect(domain.reclaimGref(gref)).toBe(false)
    expect(domain.reclaimGref(gref)).toBe(false)
    expect([domain.notifyClearedBytes, domain.notifyEventsSent]).toEqual([1, 1])
    domain.peer.unmapForeign(ref)
    expect(domain.reclaimGref(gref)).toBe(true)
    expect(domain.grantTable.isLive(ref)).toBe(false)
    expect(domain.reclaimed).toBe(1)
  })

  it('reclaimGmap: frees once unmapped; the notify fires only if the grants were ever mapped', () => {
    const domain = new Domain()
    const never = new GmapRecord(0, 1, [8])
    never.notify = { action: UNMAP_NOTIFY_SEND_EVENT, byteInRecord: 0, port: 1 }
    expect(domain.reclaimGmap(never)).toBe(true)
    expect(domain.notifyEventsSent).toBe(0)
    const mapped = new GmapRecord(1, 1, [9])
    mapped.notify = { action: UNMAP_NOTIFY_SEND_EVENT, byteInRecord: 0, port: 1 }
    mapped.everMapped = true
    mapped.mapCount = 1
    expect(domain.reclaimGmap(mapped)).toBe(false)
    mapped.mapCount = 0
    expect(domain.reclaimGmap(mapped)).toBe(true)
    expect(domain.notifyEventsSent).toBe(1)
    expect(domain.reclaimed).toBe(2)
  })

  it('hands out distinct, never reused user addresses across files', () => {
    const domain = new Domain()
    const a = domain.allocVaddr(3)
    const b = domain.allocVaddr(1)
    expect(a).toBeGreaterThan(0)
    expect(b).toBeGreaterThanOrEqual(a + 3)
  })
})
