// The oracle for the differential tests: one open grant device file in a domain of its own,
// written as directly as possible on Maps and arrays (the stores of reference-strategy.ts, a
// monotone bump allocator, a counter for grant refs, two arrays as the cleanup queue). It shares
// no code with GntDev, so an agreement between the two is evidence, not an echo.
//
// It models the same ioctl semantics as GntDev (FreeBSD sys/dev/xen/gntdev/gntdev.c, Linux
// drivers/xen/gntdev.c and drivers/xen/gntalloc.c; docs/kernel-model.md §2.4–2.5, §3.3, §4.2–4.4)
// under the neutral FreeBSD-like policy by default, or under any DevicePolicy and DeviceLimits
// given, so a preset can be checked against the oracle with its own policy rather than only on
// the operations where the policies agree. Offsets differ from any real allocator on purpose:
// comparisons go through symbolic handles (src/workloads/apply.ts).
//
// Not on the timed path: clarity over speed (full scans, array copies).

import { PAGE_BYTES, UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from '../abi.js'
import { EINVAL, ENOSPC, ENOTTY } from '../errno.js'
import type { DeviceLimits, DevicePolicy, Strategy } from '../strategies/types.js'
import { Gmap, Gref } from '../strategies/types.js'
import { DEFAULT_GRANT_TABLE_ENTRIES, GNTTAB_NR_RESERVED_ENTRIES } from './grant-table.js'
import { SimPeer } from './peer.js'
import { createReferenceStrategy } from './reference-strategy.js'
import type { DeviceStats, GrantDevice, OffsetCount } from './types.js'
import { PageNumberError } from './types.js'

export interface ReferenceDeviceOptions {
  policy?: Partial<DevicePolicy>
  limits?: Partial<DeviceLimits>
  peerDomid?: number
  grantTableEntries?: number
}

interface RefVma {
  pages: number
  grefs: Gref[] | null
  gmap: Gmap | null
}

/** Non-integer page numbers are a caller's bug: one clear error, nothing changed. */
function requireInteger(operation: string, argument: string, value: number): void {
  if (!Number.isInteger(value)) throw new PageNumberError(operation, argument, value)
}

export class ReferenceDevice implements GrantDevice {
  readonly strategy: Strategy
  readonly peer: SimPeer
  private readonly grefs: Map<number, Gref>
  private readonly gmaps: Map<number, Gmap>
  private readonly vmas = new Map<number, RefVma>()
  private nextVaddr = 1
  private closed = false
  /** Our grant table: refs handed out fresh from a counter, then the oldest freed first. */
  private readonly liveRefs = new Set<number>()
  private nextRef = GNTTAB_NR_RESERVED_ENTRIES
  private readonly freedRefs: number[] = []
  private readonly grantEntries: number
  /** The cleanup queue, FIFO. */
  private pendingGrefs: Gref[] = []
  private pendingGmaps: Gmap[] = []
  private reclaimed = 0
  private notifyClearedBytes = 0
  private notifyEventsSent = 0

  constructor(options?: ReferenceDeviceOptions) {
    const strategy = createReferenceStrategy({
      ...(options?.policy !== undefined ? { policy: options.policy } : {}),
      ...(options?.limits !== undefined ? { limits: options.limits } : {}),
    })
    this.strategy = strategy
    this.grefs = strategy.grefStore.byPage
    this.gmaps = strategy.gmapStore.byFirstPage
    this.grantEntries = options?.grantTableEntries ?? DEFAULT_GRANT_TABLE_ENTRIES
    const liveRefs = this.liveRefs
    this.peer = new SimPeer(options?.peerDomid ?? 1, { isLive: (ref) => liveRefs.has(ref) })
  }

  private get policy(): Readonly<DevicePolicy> {
    return this.strategy.policy
  }

  private cleanupOn(trigger: DevicePolicy['cleanupOn'][number]): void {
    if (this.policy.cleanupOn.includes(trigger)) this.runCleanup()
  }

  allocGref(domid: number, pages: number, writable: boolean, outGrantRefs: number[] | null): number {
    requireInteger('ALLOC_GREF', 'pages', pages)
    if (this.closed) return -EINVAL
    if (!this.policy.supportsAlloc) return -ENOTTY
    this.cleanupOn('alloc')
    if (pages <= 0 || pages > this.strategy.limits.maxPagesPerCall) return -EINVAL
    // Linux gntalloc's gref_size: the stores, plus (today) dead grefs still mmapped, or (old
    // kernels) every gref still waiting for cleanup.
    const pendingCharged = this.policy.deferredCountsAgainstLimit
      ? this.pendingGrefs.length
      : this.policy.grefLimitCountsMmapped
        ? this.pendingGrefs.filter((gref) => gref.mapCount > 0).length
        : 0
    const charged = this.grefs.size + pendingCharged
    if (charged + pages > this.strategy.limits.globalGrefLimit) return -ENOSPC
    const first = this.strategy.allocator.alloc(pages)
    if (first < 0) return first
    if (this.liveRefs.size + pages > this.grantEntries - GNTTAB_NR_RESERVED_ENTRIES) {
      if (!this.policy.failedAllocLeaksOffsets) this.strategy.allocator.free(first, pages)
      return -ENOSPC
    }
    const refs: number[] = []
    for (let i = 0; i < pages; i++) {
      const ref = this.nextRef < this.grantEntries ? this.nextRef++ : (this.freedRefs.shift() as number)
      this.liveRefs.add(ref)
      refs.push(ref)
      const gref = new Gref(first + i, ref, domid, writable)
      gref.live = true
      this.grefs.set(first + i, gref)
    }
    if (outGrantRefs !== null) {
      outGrantRefs.length = 0
      outGrantRefs.push(...refs)
    }
    return first
  }

  deallocGref(firstPage: number, pages: number): number {
    requireInteger('DEALLOC_GREF', 'firstPage', firstPage)
    requireInteger('DEALLOC_GREF', 'pages', pages)
    if (this.closed) return -EINVAL
    if (!this.policy.supportsAlloc) return -ENOTTY
    const run = pages > 0 ? this.grefRun(firstPage, pages) : null
    if (run === null) {
      if (this.policy.deallocCleansOnFailure) this.cleanupOn('dealloc')
      return pages > 0 ? -this.policy.unmapMissingErrno : -EINVAL
    }
    for (const gref of run) {
      this.grefs.delete(gref.page)
      gref.live = false
      this.pendingGrefs.push(gref)
    }
    this.strategy.allocator.free(firstPage, pages)
    this.cleanupOn('dealloc')
    return 0
  }

  mapGrantRef(domid: number, grantRefs: readonly number[]): number {
    if (this.closed) return -EINVAL
    if (!this.policy.supportsMap) return -ENOTTY
    this.cleanupOn('map')
    if (grantRefs.length === 0 || grantRefs.length > this.strategy.limits.maxPagesPerCall) return -EINVAL
    const first = this.strategy.allocator.alloc(grantRefs.length)
    if (first < 0) return first
    const gmap = new Gmap(first, domid, [...grantRefs])
    gmap.live = true
    this.gmaps.set(first, gmap)
    return first
  }

  unmapGrantRef(firstPage: number, pages: number): number {
    requireInteger('UNMAP_GRANT_REF', 'firstPage', firstPage)
    requireInteger('UNMAP_GRANT_REF', 'pages', pages)
    if (this.closed) return -EINVAL
    if (!this.policy.supportsMap) return -ENOTTY
    if (pages < 0 || (pages === 0 && !this.policy.unmapCountWildcard)) return -EINVAL
    const gmap = this.gmaps.get(firstPage)
    if (gmap === undefined || (pages !== 0 && gmap.pages !== pages)) return -this.policy.unmapMissingErrno
    this.gmaps.delete(firstPage)
    gmap.live = false
    this.dropListReference(gmap)
    this.pendingGmaps.push(gmap)
    this.strategy.allocator.free(firstPage, gmap.pages)
    this.cleanupOn('unmap')
    return 0
  }

  mmap(firstPage: number, pages: number, writable: boolean): number {
    requireInteger('mmap', 'firstPage', firstPage)
    requireInteger('mmap', 'pages', pages)
    if (this.closed || !(pages > 0)) return -EINVAL
    if (this.policy.supportsAlloc) {
      const run = this.grefRun(firstPage, pages)
      if (run !== null) {
        if (this.policy.grefSingleMapping && run.some((gref) => gref.mapCount > 0)) return -EINVAL
        for (const gref of run) gref.mapCount++
        return this.newVma(pages, { pages, grefs: run, gmap: null })
      }
    }
    if (this.policy.supportsMap) {
      const gmap = this.gmaps.get(firstPage)
      if (gmap === undefined || gmap.pages !== pages) return -this.policy.mmapMissingErrno
      if (this.policy.gmapSingleMapping && gmap.mapCount > 0) return -EINVAL
      if (this.policy.gmapReadonlyChecks && gmap.readonly === true && writable) return -EINVAL
      if (!gmap.everMapped) {
        if (!gmap.grantRefs.every((ref) => this.peer.isGranted(ref))) return -EINVAL
        gmap.everMapped = true
        gmap.readonly = !writable
      }
      gmap.mapCount++
      return this.newVma(pages, { pages, grefs: null, gmap })
    }
    return -this.policy.mmapMissingErrno
  }

  munmap(vaddr: number): number {
    requireInteger('munmap', 'vaddr', vaddr)
    const vma = this.vmas.get(vaddr)
    if (vma === undefined) return -EINVAL
    this.vmas.delete(vaddr)
    if (vma.grefs !== null) for (const gref of vma.grefs) gref.mapCount--
    if (vma.gmap !== null) vma.gmap.mapCount--
    this.cleanupOn('munmap')
    return 0
  }

  getOffsetForVaddr(vaddr: number, out: OffsetCount): number {
    requireInteger('GET_OFFSET_FOR_VADDR', 'vaddr', vaddr)
    if (this.closed) return -EINVAL
    if (!this.policy.supportsMap) return -ENOTTY
    // The mapping that contains the address (find_vma / the VM-map lookup).
    let gmap: Gmap | null | undefined
    for (const [start, vma] of this.vmas) if (start <= vaddr && vaddr < start + vma.pages) gmap = vma.gmap
    if (gmap === undefined || gmap === null) return -EINVAL
    out.firstPage = gmap.firstPage
    out.pages = gmap.pages
    return 0
  }

  setUnmapNotify(page: number, byteInPage: number, action: number, port: number): number {
    requireInteger('SET_UNMAP_NOTIFY', 'page', page)
    if (this.closed) return -EINVAL
    const validAction = action >= 0 && (action & ~(UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT)) === 0
    if (!validAction && !this.policy.notifyLookupFirst) return -EINVAL
    if (!(byteInPage >= 0 && byteInPage < PAGE_BYTES)) return -EINVAL
    const gref = this.policy.supportsAlloc ? this.grefs.get(page) : undefined
    if (gref !== undefined) {
      if (!validAction) return -EINVAL
      gref.notify = { action, byteInRecord: byteInPage, port }
      return 0
    }
    if (this.policy.supportsMap) {
      for (const gmap of this.gmaps.values()) {
        if (gmap.firstPage <= page && page < gmap.firstPage + gmap.pages) {
          if (!validAction) return -EINVAL
          if (this.policy.gmapReadonlyChecks && (action & UNMAP_NOTIFY_CLEAR_BYTE) !== 0 && gmap.readonly === true) return -EINVAL
          gmap.notify = { action, byteInRecord: (page - gmap.firstPage) * PAGE_BYTES + byteInPage, port }
          return 0
        }
      }
    }
    return -this.policy.notifyMissingErrno
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    for (const page of [...this.grefs.keys()].sort((a, b) => a - b)) {
      const gref = this.grefs.get(page) as Gref
      gref.live = false
      this.pendingGrefs.push(gref)
    }
    this.grefs.clear()
    for (const first of [...this.gmaps.keys()].sort((a, b) => a - b)) {
      const gmap = this.gmaps.get(first) as Gmap
      gmap.live = false
      this.dropListReference(gmap)
      this.pendingGmaps.push(gmap)
    }
    this.gmaps.clear()
    this.cleanupOn('close')
  }

  /** One pass of the cleanup task: grefs then gmaps, FIFO, survivors kept in order. */
  runCleanup(): number {
    let freed = 0
    const grefs = this.pendingGrefs
    this.pendingGrefs = []
    for (const gref of grefs) {
      if (this.reclaimGref(gref)) freed++
      else this.pendingGrefs.push(gref)
    }
    const gmaps = this.pendingGmaps
    this.pendingGmaps = []
    for (const gmap of gmaps) {
      if (this.reclaimGmap(gmap)) freed++
      else this.pendingGmaps.push(gmap)
    }
    this.reclaimed += freed
    return freed
  }

  stats(): DeviceStats {
    return {
      grefs: this.grefs.size,
      gmaps: this.gmaps.size,
      vmas: this.vmas.size,
      pendingCleanup: this.pendingGrefs.length + this.pendingGmaps.length,
      reclaimed: this.reclaimed,
      notifyClearedBytes: this.notifyClearedBytes,
      notifyEventsSent: this.notifyEventsSent,
      collisions: 0,
    }
  }

  private reclaimGref(gref: Gref): boolean {
    if (gref.mapCount > 0) return false
    if (!gref.notifyFired) {
      gref.notifyFired = true
      if (gref.notify !== null) this.fire(gref.notify.action)
    }
    if (this.peer.isMappingForeign(gref.grantRef)) return false
    this.liveRefs.delete(gref.grantRef)
    this.freedRefs.push(gref.grantRef)
    return true
  }

  private reclaimGmap(gmap: Gmap): boolean {
    if (gmap.mapCount > 0) return false
    if (!gmap.notifyFired) {
      gmap.notifyFired = true
      if (gmap.notify !== null && gmap.everMapped) this.fire(gmap.notify.action)
    }
    return true
  }

  private fire(action: number): void {
    if ((action & UNMAP_NOTIFY_CLEAR_BYTE) !== 0) this.notifyClearedBytes++
    if ((action & UNMAP_NOTIFY_SEND_EVENT) !== 0) this.notifyEventsSent++
  }

  /** Linux: a gmap never mmapped dies with its list reference and sends its event anyway. */
  private dropListReference(gmap: Gmap): void {
    if (!this.policy.gmapEventWithoutMmap || gmap.everMapped || gmap.notifyFired) return
    gmap.notifyFired = true
    if (gmap.notify !== null && (gmap.notify.action & UNMAP_NOTIFY_SEND_EVENT) !== 0) this.notifyEventsSent++
  }

  /** The records of pages firstPage … firstPage + pages − 1, or null if one is missing. */
  private grefRun(firstPage: number, pages: number): Gref[] | null {
    const run: Gref[] = []
    for (let i = 0; i < pages; i++) {
      const gref = this.grefs.get(firstPage + i)
      if (gref === undefined) return null
      run.push(gref)
    }
    return run
  }

  private newVma(pages: number, vma: RefVma): number {
    const vaddr = this.nextVaddr
    this.nextVaddr += pages + 1
    this.vmas.set(vaddr, vma)
    return vaddr
  }
}
