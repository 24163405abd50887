// The state one guest domain shares across all its open grant device files: the grant table our
// grefs draw from, the simulated peer, the one global cleanup queue with its reclaim rule, the
// domain-wide gref count behind Linux gntalloc's global limit, and the counters that
// DeviceStats reports for "all files".
//
// Kernel behaviour followed:
// * One global cleanup queue for every file (FreeBSD sys/dev/xen/gntdev/gntdev.c: to_kill_grefs
//   / to_kill_gmaps and one cleanup task, docs/kernel-model.md §2.5; Linux drivers/xen/gntalloc.c:
//   the global gref list rescanned by do_cleanup, §4.4). It runs only when an operation
//   triggers it (policy.cleanupOn) — FreeBSD has no timer.
// * Gref reclaim (FreeBSD gref pass; old Linux gntalloc __del_gref): a dead gref whose page no
//   local mmap covers fires its unmap notify once, then stays queued while the peer still maps
//   its grant; otherwise its grant entry is released and the record freed.
// * Gmap reclaim (FreeBSD gmap pass + pager destructor; Linux gntdev_put_map at refcount 0): a
//   dead gmap is freed when no VMA maps it; its notify fires once if its grants were ever mapped.
//   (Linux also sends SEND_EVENT for a gmap never mmapped; GntDev does that when the gmap dies,
//   policy.gmapEventWithoutMmap.)
// * Global gref count (Linux gntalloc gref_size vs `limit`, §4.4): grefs in any file's store
//   count; dead grefs still mmapped count too where policy.grefLimitCountsMmapped (today's
//   gntalloc, whose gref_size drops when the record is deleted at users == 0); every gref
//   waiting in cleanup counts where policy.deferredCountsAgainstLimit (old kernels, which kept
//   a gref the peer still maps on the list).

import { UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from '../abi.js'
import { CleanupFifo } from '../strategies/cleanup-fifo.js'
import type { CleanupQueue, DevicePolicy, Gmap, Gref, Reclaimer, Strategy } from '../strategies/types.js'
import { GntDev } from './gntdev.js'
import { GrantTable } from './grant-table.js'
import { SimPeer } from './peer.js'

export interface DomainOptions {
  /** Domain id of the simulated peer (default 1, a guest talking to us in dom0). */
  peerDomid?: number
  /** Entries of our grant table, reserved ones included (default 2^22). */
  grantTableEntries?: number
  /** The global cleanup queue (default FIFO, as FreeBSD's STAILQs). */
  cleanup?: CleanupQueue
}

export class Domain implements Reclaimer {
  readonly peer: SimPeer
  readonly grantTable: GrantTable
  readonly cleanup: CleanupQueue
  /** Grefs in the stores of all files (Linux gntalloc gref_size, minus deferred ones). */
  liveGrefs: number
  /** Grefs out of every store (DEALLOC, close) that a local mmap still holds. */
  deadMappedGrefs: number
  /** Records the cleanup queue freed. */
  reclaimed: number
  notifyClearedBytes: number
  notifyEventsSent: number
  /** Store inserts dropped because the key collided with a live record. */
  collisions: number
  /** Next free user address, in pages: the simulated process's mmap area, never reused. */
  private nextVaddr: number

  constructor(options?: DomainOptions) {
    this.grantTable = new GrantTable(options?.grantTableEntries)
    this.peer = new SimPeer(options?.peerDomid ?? 1, this.grantTable)
    this.cleanup = options?.cleanup ?? new CleanupFifo()
    this.liveGrefs = 0
    this.deadMappedGrefs = 0
    this.reclaimed = 0
    this.notifyClearedBytes = 0
    this.notifyEventsSent = 0
    this.collisions = 0
    this.nextVaddr = 16
  }

  /** open() of a grant device file whose bookkeeping is `strategy`. */
  open(strategy: Strategy): GntDev {
    return new GntDev(this, strategy)
  }

  /** One pass of the cleanup task over the global queue; returns the records freed. */
  runCleanup(): number {
    return this.cleanup.run(this)
  }

  /** Grefs charged against globalGrefLimit under the given counting rule. */
  chargedGrefs(policy: Readonly<DevicePolicy>): number {
    if (policy.deferredCountsAgainstLimit) return this.liveGrefs + this.cleanup.pendingGrefs
    return policy.grefLimitCountsMmapped ? this.liveGrefs + this.deadMappedGrefs : this.liveGrefs
  }

  /** A fresh user address for a mapping of `pages` pages (one guard page after each). */
  allocVaddr(pages: number): number {
    const vaddr = this.nextVaddr
    this.nextVaddr += pages + 1
    return vaddr
  }

  /** A gref left its file's store: it waits in the cleanup queue, counted as dead-mapped while still mmapped. */
  retireGref(gref: Gref): void {
    gref.live = false
    // Still mmapped: Linux gntalloc keeps counting it against the limit until munmap.
    if (gref.mapCount > 0) this.deadMappedGrefs++
    this.cleanup.pushGref(gref)
  }

  reclaimGref(gref: Gref): boolean {
    if (gref.mapCount > 0) return false
    if (!gref.notifyFired) {
      gref.notifyFired = true
      const notify = gref.notify
      if (notify !== null) this.fireNotify(notify.action)
    }
    // The page stays granted until the peer lets go (gnttab_end_foreign_access fails meanwhile).
    if (this.peer.isMappingForeign(gref.grantRef)) return false
    this.grantTable.release(gref.grantRef)
    this.reclaimed++
    return true
  }

  reclaimGmap(gmap: Gmap): boolean {
    if (gmap.mapCount > 0) return false
    if (!gmap.notifyFired) {
      gmap.notifyFired = true
      const notify = gmap.notify
      // Only a mapping that reached the hypervisor has a page to clear or an unmap to announce.
      if (notify !== null && gmap.everMapped) this.fireNotify(notify.action)
    }
    this.reclaimed++
    return true
  }

  private fireNotify(action: number): void {
    if ((action & UNMAP_NOTIFY_CLEAR_BYTE) !== 0) this.notifyClearedBytes++
    if ((action & UNMAP_NOTIFY_SEND_EVENT) !== 0) this.notifyEventsSent++
  }
}
