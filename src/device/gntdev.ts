// One open grant device file: the ioctl and mm semantics of FreeBSD /dev/xen/gntdev
// (sys/dev/xen/gntdev/gntdev.c, which has both sides), Linux /dev/xen/gntdev (map side,
// drivers/xen/gntdev.c) and Linux /dev/xen/gntalloc (alloc side, drivers/xen/gntalloc.c), over
// the bookkeeping of any Strategy. Where the kernels differ, strategy.policy and
// strategy.limits choose; section numbers refer to docs/kernel-model.md.
//
// This is the benchmark's timed path: every operation reuses the file's scratch buffers and
// allocates only what the kernel allocates too (records at ALLOC/MAP, one VMA at mmap).
//
// Choices where the kernels leave the model free (documented in the report):
// * Operations on a closed file return −EINVAL (a real fd is gone: EBADF, which the page-level
//   API cannot see); munmap stays valid, since mappings outlive the file in both kernels.
// * A failed map hypercall at the first mmap of a gmap returns −EINVAL, as Linux's
//   map_grant_pages does for any bad per-grant status, and changes nothing.
// * munmap removes whole VMAs only; partial munmap is not modelled.
// * Negative pages (an int-truncated Linux index from ioctl.ts) find nothing.
// * A page number, count or address that is not an integer (fraction, NaN, ±Infinity) throws
//   PageNumberError before anything changes: no kernel can receive one (types.ts).

import { PAGE_BYTES, UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from '../abi.js'
import { EINVAL, ENOSPC, ENOTTY } from '../errno.js'
import type { Strategy, UnmapNotify } from '../strategies/types.js'
import { Gmap, Gref } from '../strategies/types.js'
import type { Domain } from './domain.js'
import type { DeviceStats, GrantDevice, OffsetCount } from './types.js'
import { PageNumberError, requireRun } from './types.js'
import { VmaTable } from './vma.js'

const NOTIFY_ACTION_MASK = UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT

/** The last SET_UNMAP_NOTIFY wins; the record is reused when present, as the kernels overwrite in place. */
function storeNotify(record: { notify: UnmapNotify | null }, action: number, byteInRecord: number, port: number): void {
  const notify = record.notify
  if (notify === null) record.notify = { action, byteInRecord, port }
  else {
    notify.action = action
    notify.byteInRecord = byteInRecord
    notify.port = port
  }
}

export class GntDev implements GrantDevice {
  readonly strategy: Strategy
  readonly domain: Domain
  private readonly vmas: VmaTable
  /** Reused for findRun / removeRun / insertRun / drain (never retained by a store). */
  private readonly grefScratch: Gref[]
  private readonly gmapScratch: Gmap[]
  private closed: boolean
  // policy.cleanupOn, resolved once so that the hot path tests a boolean.
  private readonly cleanupOnAlloc: boolean
  private readonly cleanupOnDealloc: boolean
  private readonly cleanupOnMap: boolean
  private readonly cleanupOnUnmap: boolean
  private readonly cleanupOnMunmap: boolean
  private readonly cleanupOnClose: boolean

  constructor(domain: Domain, strategy: Strategy) {
    this.domain = domain
    this.strategy = strategy
    this.vmas = new VmaTable()
    this.grefScratch = []
    this.gmapScratch = []
    this.closed = false
    const on = strategy.policy.cleanupOn
    this.cleanupOnAlloc = on.includes('alloc')
    this.cleanupOnDealloc = on.includes('dealloc')
    this.cleanupOnMap = on.includes('map')
    this.cleanupOnUnmap = on.includes('unmap')
    this.cleanupOnMunmap = on.includes('munmap')
    this.cleanupOnClose = on.includes('close')
  }

  get isClosed(): boolean {
    return this.closed
  }

  /**
   * ALLOC_GREF (FreeBSD §2.4, Linux gntalloc §4.2). Cleanup runs first where the policy says so:
   * FreeBSD enqueues its task at entry, and Linux gntalloc cleans before the limit check, so
   * deferred grefs that can go no longer count. Offsets come from the allocator and grant
   * entries from the domain's grant table; if the table is exhausted the offsets go back, except
   * where policy.failedAllocLeaksOffsets (FreeBSD has no put on that error path, §2.3).
   */
  allocGref(domid: number, pages: number, writable: boolean, outGrantRefs: number[] | null): number {
    if (!Number.isInteger(pages)) throw new PageNumberError('ALLOC_GREF', 'pages', pages)
    if (this.closed) return -EINVAL
    const { policy, limits, allocator, grefStore } = this.strategy
    if (!policy.supportsAlloc) return -ENOTTY
    const domain = this.domain
    if (this.cleanupOnAlloc) domain.runCleanup()
    if (!(pages > 0) || pages > limits.maxPagesPerCall) return -EINVAL
    if (domain.chargedGrefs(policy) + pages > limits.globalGrefLimit) return -ENOSPC
    const first = allocator.alloc(pages)
    if (first < 0) return first
    const table = domain.grantTable
    if (table.available() < pages) {
      if (!policy.failedAllocLeaksOffsets) allocator.free(first, pages)
      return -ENOSPC
    }
    const run = this.grefScratch
    run.length = pages
    if (outGrantRefs !== null) outGrantRefs.length = pages
    for (let i = 0; i < pages; i++) {
      const ref = table.take()
      const gref = new Gref(first + i, ref, domid, writable)
      gref.live = true
      run[i] = gref
      if (outGrantRefs !== null) outGrantRefs[i] = ref
    }
    const dropped = grefStore.insertRun(run)
    let inserted = pages
    if (dropped > 0) {
      // A colliding key (quirk or wrapped counter) leaves the record unreachable, as FreeBSD,
      // which ignores RB_INSERT's result: its grant entry is never released (leaked).
      domain.collisions += dropped
      for (let i = 0; i < pages; i++) {
        const gref = run[i] as Gref
        if (grefStore.findPage(gref.page) !== gref) {
          gref.live = false
          inserted--
        }
      }
    }
    domain.liveGrefs += inserted
    run.length = 0
    return first
  }

  /**
   * DEALLOC_GREF (FreeBSD §2.4, Linux gntalloc §4.2): find-run(firstPage, pages) — exact start,
   * consecutive pages, possibly spanning ALLOCs — then every record leaves the store for the
   * cleanup queue. The offsets return to the allocator at once, even while mmapped: the mapping
   * is held by the VM object / VMA, not by the offset.
   */
  deallocGref(firstPage: number, pages: number): number {
    requireRun('DEALLOC_GREF', firstPage, pages)
    if (this.closed) return -EINVAL
    const { policy, allocator, grefStore } = this.strategy
    if (!policy.supportsAlloc) return -ENOTTY
    if (!(pages > 0)) return this.deallocFailed(EINVAL)
    if (firstPage < 0) return this.deallocFailed(policy.unmapMissingErrno)
    const run = this.grefScratch
    if (!grefStore.removeRun(firstPage, pages, run)) {
      run.length = 0
      return this.deallocFailed(policy.unmapMissingErrno)
    }
    const domain = this.domain
    for (let i = 0; i < pages; i++) domain.retireGref(run[i] as Gref)
    run.length = 0
    this.domain.liveGrefs -= pages
    allocator.free(firstPage, pages)
    if (this.cleanupOnDealloc) this.domain.runCleanup()
    return 0
  }

  /**
   * MAP_GRANT_REF (FreeBSD §2.4, Linux gntdev §3.3): records the peer's grants under fresh
   * offsets; no hypercall until mmap. The refs are copied, as copy_from_user does. An insert
   * that collides leaves the gmap unreachable and still returns its page, as FreeBSD does.
   */
  mapGrantRef(domid: number, grantRefs: readonly number[]): number {
    if (this.closed) return -EINVAL
    const { policy, limits, allocator, gmapStore } = this.strategy
    if (!policy.supportsMap) return -ENOTTY
    if (this.cleanupOnMap) this.domain.runCleanup()
    const pages = grantRefs.length
    if (pages === 0 || pages > limits.maxPagesPerCall) return -EINVAL
    const first = allocator.alloc(pages)
    if (first < 0) return first
    const gmap = new Gmap(first, domid, grantRefs.slice())
    gmap.live = true
    if (gmapStore.insert(gmap) !== null) {
      gmap.live = false
      this.domain.collisions++
    }
    // A fused allocator-store (Linux gntdev_add_map) may have placed the gmap at insert time.
    return gmap.firstPage
  }

  /**
   * UNMAP_GRANT_REF (FreeBSD §2.4: exact start and count, else EINVAL; Linux §3.3: count 0
   * matches any count, else ENOENT). The gmap leaves the store for the cleanup queue and its
   * offsets are free at once; it lives on while mmapped.
   */
  unmapGrantRef(firstPage: number, pages: number): number {
    requireRun('UNMAP_GRANT_REF', firstPage, pages)
    if (this.closed) return -EINVAL
    const { policy, allocator, gmapStore } = this.strategy
    if (!policy.supportsMap) return -ENOTTY
    if (pages < 0 || (pages === 0 && !policy.unmapCountWildcard)) return -EINVAL
    if (firstPage < 0) return -policy.unmapMissingErrno
    const gmap = gmapStore.findExact(firstPage, pages)
    if (gmap === null) return -policy.unmapMissingErrno
    gmapStore.remove(gmap)
    gmap.live = false
    this.gmapListReferenceDropped(gmap)
    this.domain.cleanup.pushGmap(gmap)
    allocator.free(gmap.firstPage, gmap.pages)
    if (this.cleanupOnUnmap) this.domain.runCleanup()
    return 0
  }

  /**
   * mmap(offset = firstPage × 4096, length = pages × 4096) (FreeBSD §2.4; Linux gntalloc §4.2,
   * gntdev §3.3). A gref run is tried first (exact start, consecutive pages, may span ALLOCs;
   * FreeBSD lets a page be in one mapping only). Otherwise a gmap with exactly this start and
   * count — no containment, no spanning. Its first mmap is the batched map hypercall.
   */
  mmap(firstPage: number, pages: number, writable: boolean): number {
    requireRun('mmap', firstPage, pages)
    if (this.closed) return -EINVAL
    if (!(pages > 0)) return -EINVAL
    if (firstPage < 0) return -this.strategy.policy.mmapMissingErrno
    const { policy, grefStore, gmapStore } = this.strategy
    if (policy.supportsAlloc) {
      const run = this.grefScratch
      if (grefStore.findRun(firstPage, pages, run)) {
        if (policy.grefSingleMapping) {
          for (let i = 0; i < pages; i++) {
            if ((run[i] as Gref).mapCount > 0) {
              run.length = 0
              return -EINVAL
            }
          }
        }
        for (let i = 0; i < pages; i++) (run[i] as Gref).mapCount++
        const records = run.slice(0, pages)
        run.length = 0
        return this.vmas.add(this.domain.allocVaddr(pages), pages, records, null)
      }
      run.length = 0
    }
    if (policy.supportsMap) {
      const gmap = gmapStore.findExact(firstPage, pages)
      if (gmap === null) return -policy.mmapMissingErrno
      if (policy.gmapSingleMapping && gmap.mapCount > 0) return -EINVAL
      // Linux: readonly is fixed by the first mmap; a writable mmap of a readonly map fails.
      // FreeBSD: a later mmap only takes another reference on the VM object.
      if (policy.gmapReadonlyChecks && gmap.readonly === true && writable) return -EINVAL
      if (!gmap.everMapped) {
        const peer = this.domain.peer
        const refs = gmap.grantRefs
        for (let i = 0; i < refs.length; i++) {
          if (!peer.isGranted(refs[i] as number)) return -EINVAL
        }
        gmap.everMapped = true
        gmap.readonly = !writable
      }
      gmap.mapCount++
      return this.vmas.add(this.domain.allocVaddr(pages), pages, null, gmap)
    }
    return -policy.mmapMissingErrno
  }

  /** munmap of a whole VMA: drops its hold on the records; the cleanup queue does the rest. */
  munmap(vaddr: number): number {
    if (!Number.isInteger(vaddr)) throw new PageNumberError('munmap', 'vaddr', vaddr)
    const vma = this.vmas.take(vaddr)
    if (vma === undefined) return -EINVAL
    const grefs = vma.grefs
    if (grefs !== null) {
      const domain = this.domain
      for (let i = 0; i < grefs.length; i++) {
        const gref = grefs[i] as Gref
        // The last local use of a dead gref: it stops counting against the gntalloc limit.
        if (--gref.mapCount === 0 && !gref.live) domain.deadMappedGrefs--
      }
    } else if (vma.gmap !== null) {
      vma.gmap.mapCount--
    }
    if (this.cleanupOnMunmap) this.domain.runCleanup()
    return 0
  }

  /**
   * GET_OFFSET_FOR_VADDR (FreeBSD §2.4, Linux §3.3): the mapping that *contains* the address
   * (Linux find_vma, FreeBSD's VM-map lookup), then O(1) from the VMA's private data. Only gmap
   * VMAs (grefs are not supported: EINVAL). The gmap may already be unmapped; both kernels then
   * still report its old offset. libxengnttab passes the start address, found in O(1); an
   * address inside a mapping costs a scan of this file's VMAs (the kernels' VMA tree is not
   * bookkeeping the strategies own).
   */
  getOffsetForVaddr(vaddr: number, out: OffsetCount): number {
    if (!Number.isInteger(vaddr)) throw new PageNumberError('GET_OFFSET_FOR_VADDR', 'vaddr', vaddr)
    if (this.closed) return -EINVAL
    if (!this.strategy.policy.supportsMap) return -ENOTTY
    const vma = this.vmas.containing(vaddr)
    if (vma === undefined || vma.gmap === null) return -EINVAL
    out.firstPage = vma.gmap.firstPage
    out.pages = vma.gmap.pages
    return 0
  }

  /**
   * SET_UNMAP_NOTIFY (FreeBSD §2.4; Linux gntdev §3.3, gntalloc §4.2): a gref page is tried
   * first (one notify per page), then the gmap containing the page (one per gmap, the byte
   * relative to the gmap's start). The last call wins. CLEAR_BYTE on a readonly gmap fails
   * (Linux). The notify record is reused when present, as the kernels overwrite in place.
   */
  setUnmapNotify(page: number, byteInPage: number, action: number, port: number): number {
    if (!Number.isInteger(page)) throw new PageNumberError('SET_UNMAP_NOTIFY', 'page', page)
    if (this.closed) return -EINVAL
    const { policy, grefStore, gmapStore } = this.strategy
    const badAction = (action & ~NOTIFY_ACTION_MASK) !== 0 || action < 0
    // Linux gntalloc finds the page first: a missing page is ENOENT whatever the action.
    if (badAction && !policy.notifyLookupFirst) return -EINVAL
    if (!(byteInPage >= 0 && byteInPage < PAGE_BYTES)) return -EINVAL
    if (page < 0) return -policy.notifyMissingErrno
    if (policy.supportsAlloc) {
      const gref = grefStore.findPage(page)
      if (gref !== null) {
        if (badAction) return -EINVAL
        storeNotify(gref, action, byteInPage, port)
        return 0
      }
    }
    if (policy.supportsMap) {
      const gmap = gmapStore.findContaining(page)
      if (gmap !== null) {
        if (badAction) return -EINVAL
        if (policy.gmapReadonlyChecks && (action & UNMAP_NOTIFY_CLEAR_BYTE) !== 0 && gmap.readonly === true) return -EINVAL
        storeNotify(gmap, action, (page - gmap.firstPage) * PAGE_BYTES + byteInPage, port)
        return 0
      }
    }
    return -policy.notifyMissingErrno
  }

  /**
   * close() (FreeBSD §2.4: every gref and gmap to the cleanup queues; Linux: unlink and put
   * every record). The offsets die with the file, so nothing returns to the allocator.
   * Closing twice is a no-op.
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    const { grefStore, gmapStore } = this.strategy
    const cleanup = this.domain.cleanup
    const domain = this.domain
    const grefs = this.grefScratch
    grefStore.drain(grefs)
    for (let i = 0; i < grefs.length; i++) domain.retireGref(grefs[i] as Gref)
    this.domain.liveGrefs -= grefs.length
    grefs.length = 0
    const gmaps = this.gmapScratch
    gmapStore.drain(gmaps)
    for (let i = 0; i < gmaps.length; i++) {
      const gmap = gmaps[i] as Gmap
      gmap.live = false
      this.gmapListReferenceDropped(gmap)
      cleanup.pushGmap(gmap)
    }
    gmaps.length = 0
    if (this.cleanupOnClose) this.domain.runCleanup()
  }

  stats(): DeviceStats {
    const domain = this.domain
    const cleanup = domain.cleanup
    return {
      grefs: this.strategy.grefStore.size,
      gmaps: this.strategy.gmapStore.size,
      vmas: this.vmas.size,
      pendingCleanup: cleanup.pendingGrefs + cleanup.pendingGmaps,
      reclaimed: domain.reclaimed,
      notifyClearedBytes: domain.notifyClearedBytes,
      notifyEventsSent: domain.notifyEventsSent,
      collisions: domain.collisions,
    }
  }

  /** DEALLOC_GREF failed with `errno`; Linux gntalloc runs its cleanup pass all the same. */
  private deallocFailed(errno: number): number {
    if (this.strategy.policy.deallocCleansOnFailure && this.cleanupOnDealloc) this.domain.runCleanup()
    return -errno
  }

  /**
   * UNMAP or close dropped the gmap's list reference. Linux (policy.gmapEventWithoutMmap): a
   * gmap never mmapped has no other reference, so it dies here and sends its SEND_EVENT notify
   * although no grant was ever mapped (there is no page whose byte could be cleared).
   */
  private gmapListReferenceDropped(gmap: Gmap): void {
    if (gmap.everMapped || gmap.notifyFired || !this.strategy.policy.gmapEventWithoutMmap) return
    gmap.notifyFired = true
    const notify = gmap.notify
    if (notify !== null && (notify.action & UNMAP_NOTIFY_SEND_EVENT) !== 0) this.domain.notifyEventsSent++
  }

}
