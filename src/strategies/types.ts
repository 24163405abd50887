// Contracts of the strategies layer: the per-open-file bookkeeping of the Xen grant user-space
// device (docs/kernel-model.md §8.1) behind interchangeable data structures.
//
// Units: every offset here is a page number (a JS number, exact below 2^53). The byte offset a
// user passes to mmap() is page × 4096; that conversion happens only at the ioctl boundary
// (src/device/ioctl.ts; page size and other ABI constants in src/abi.ts). Failures are negated errno
// values (src/errno.ts), never exceptions.
//
// Records (Gref, Gmap) are created by the device and indexed by the stores. They carry the link
// fields of every structure that may hold them (list, red-black tree, cleanup queue), like the
// FreeBSD records whose tree and queue links share a union: a record is in at most one store
// and at most one cleanup queue at a time.
//
// Every type here is public: src/index.ts re-exports them all (an outside strategy module
// implements these contracts), with the defaults NO_QUIRKS, NEUTRAL_POLICY and NO_LIMITS.

import type { AugRbLinks, CostCounters, ListLinks, RbColor, RbLinks } from '../structures/types.js'
import { RB_BLACK } from '../structures/types.js'
import { EINVAL } from '../errno.js'

/** What SET_UNMAP_NOTIFY stored; the last call wins. */
export interface UnmapNotify {
  /** Bitmask of UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT. */
  action: number
  /** Byte to clear, relative to the start of the gref page or of the gmap. */
  byteInRecord: number
  /** Event channel to signal. */
  port: number
}

/** One page we allocated and granted to a foreign domain (alloc side; one record per page). */
export class Gref implements ListLinks<Gref>, RbLinks<Gref> {
  /** File page index of this page; its mmap byte offset is page × 4096. */
  page: number
  grantRef: number
  domid: number
  writable: boolean
  /** Local mmaps currently covering this page (Linux: users − 1; FreeBSD: page is in a VM object). */
  mapCount: number
  /** True while the record is in its file's GrefStore (from ALLOC to DEALLOC or close). */
  live: boolean
  notify: UnmapNotify | null
  notifyFired: boolean
  tqNext: Gref | null = null
  tqPrev: Gref | null = null
  rbLeft: Gref | null = null
  rbRight: Gref | null = null
  rbParent: Gref | null = null
  rbColor: RbColor = RB_BLACK
  rbKey: number
  /** Cleanup-queue link (STAILQ_ENTRY). */
  cqNext: Gref | null = null

  constructor(page: number, grantRef: number, domid: number, writable: boolean) {
    this.page = page
    this.rbKey = page
    this.grantRef = grantRef
    this.domid = domid
    this.writable = writable
    this.mapCount = 0
    this.live = false
    this.notify = null
    this.notifyFired = false
  }
}

/** A run of foreign grants mapped by one MAP_GRANT_REF call (map side; one record per call). */
export class Gmap implements ListLinks<Gmap>, RbLinks<Gmap>, AugRbLinks<Gmap> {
  firstPage: number
  pages: number
  domid: number
  /** The peer's grant refs, one per page. */
  grantRefs: readonly number[]
  /** Local mmaps (VMAs) of this gmap currently alive. */
  mapCount: number
  /** The first mmap made the batched map hypercall. */
  everMapped: boolean
  /** Linux: fixed at the first mmap from VM_WRITE; null until then. */
  readonly: boolean | null
  /** True while the record is in its file's GmapStore (from MAP to UNMAP or close). */
  live: boolean
  notify: UnmapNotify | null
  notifyFired: boolean
  tqNext: Gmap | null = null
  tqPrev: Gmap | null = null
  rbLeft: Gmap | null = null
  rbRight: Gmap | null = null
  rbParent: Gmap | null = null
  rbColor: RbColor = RB_BLACK
  rbKey: number
  /** Augmented-tree value: the end page (firstPage + pages), for O(log n) containment. */
  augValue: number
  augMax: number
  cqNext: Gmap | null = null

  constructor(firstPage: number, domid: number, grantRefs: readonly number[]) {
    this.firstPage = firstPage
    this.rbKey = firstPage
    this.pages = grantRefs.length
    this.augValue = firstPage + grantRefs.length
    this.augMax = this.augValue
    this.domid = domid
    this.grantRefs = grantRefs
    this.mapCount = 0
    this.everMapped = false
    this.readonly = null
    this.live = false
    this.notify = null
    this.notifyFired = false
  }

  /** Called by a fused allocator-store once the page is known (Linux gntdev_add_map). */
  setFirstPage(firstPage: number): void {
    this.firstPage = firstPage
    this.rbKey = firstPage
    this.augValue = firstPage + this.pages
  }
}

/** Hands out file offsets (in pages) for ALLOC_GREF and MAP_GRANT_REF. */
export interface OffsetAllocator {
  /** 'bump' | 'list' | 'rbtree' | 'rangeset' | a fused or outside kind. */
  readonly kind: string
  readonly cost: CostCounters
  /**
   * First page of a fresh run of `pages` pages, or −EINVAL (pages ≤ 0 or beyond the space),
   * −ENOSPC (no room), −EOVERFLOW (the bump counter would wrap and wrap detection is on).
   */
  alloc(pages: number): number
  /** Return a run. May be called while the pages are still mmapped (kernels do). */
  free(firstPage: number, pages: number): void
  stats(): AllocatorStats
  /** Throws InvariantError when the allocator's structure is inconsistent. Tests only. */
  check(): void
}

export interface AllocatorStats {
  /** Pages currently handed out and not freed. */
  livePages: number
  /** Nodes the allocator's structure holds (free regions, used ranges or list extents). */
  nodes: number
  /** Highest end − lowest start over live runs, in pages (exposure to width hazards). */
  spanPages: number
  /** The bump counter wrapped (reported by detection, or happened under the bumpWrap quirk). */
  wrapped: boolean
  /** Pages lost because a free-region insert collided (FreeBSD truncated comparator). */
  leakedPages: number
}

/** The grefs of one open file (FreeBSD gref_tree, Linux gntalloc per-file list). */
export interface GrefStore {
  readonly kind: string
  readonly cost: CostCounters
  /** Live records (pages). */
  readonly size: number
  /**
   * Insert the records of one ALLOC (consecutive ascending pages). A record whose key collides
   * with a live one (only possible under quirks or a wrapped counter) is not inserted and stays
   * unreachable, as in FreeBSD, which ignores RB_INSERT's result. Returns how many were dropped.
   */
  insertRun(run: readonly Gref[]): number
  /**
   * find-run: true iff a record starts exactly at firstPage and `pages` records follow at
   * consecutive pages; the run may span several insertRun calls. On success out.length === pages
   * and out[i] is the record of page firstPage + i. `out` is a caller-owned reusable buffer.
   */
  findRun(firstPage: number, pages: number, out: Gref[]): boolean
  /** find-run, then unlink those records (live = false); out as for findRun. */
  removeRun(firstPage: number, pages: number, out: Gref[]): boolean
  /** The record of exactly this page, or null. */
  findPage(page: number): Gref | null
  /** Remove every record, in ascending page order, into out (close). */
  drain(out: Gref[]): void
  check(): void
}

/** The gmaps of one open file (FreeBSD gmap_tree, Linux gntdev priv->maps). */
export interface GmapStore {
  readonly kind: string
  readonly cost: CostCounters
  /** Live gmaps. */
  readonly size: number
  /** Insert; returns the live gmap whose key collides (then nothing is inserted), else null. */
  insert(gmap: Gmap): Gmap | null
  /** The live gmap starting at firstPage with exactly `pages` pages; pages === 0 matches any count. */
  findExact(firstPage: number, pages: number): Gmap | null
  /** The live gmap with firstPage ≤ page < firstPage + pages (SET_UNMAP_NOTIFY). */
  findContaining(page: number): Gmap | null
  /** Unlink a live gmap (live = false). */
  remove(gmap: Gmap): void
  /** Remove every gmap, ascending, into out (close). */
  drain(out: Gmap[]): void
  check(): void
}

/** Decides, for the cleanup queue, whether a dead record can be freed now. Owned by the device. */
export interface Reclaimer {
  /** Fire the notify if due; free and return true when no local or foreign mapping remains. */
  reclaimGref(gref: Gref): boolean
  reclaimGmap(gmap: Gmap): boolean
}

/**
 * Deferred cleanup (FreeBSD to_kill_grefs / to_kill_gmaps + cleanup task; Linux gntalloc's
 * global list rescanned at ALLOC/DEALLOC). Global to all open files of one domain.
 */
export interface CleanupQueue {
  readonly kind: string
  readonly cost: CostCounters
  readonly pendingGrefs: number
  readonly pendingGmaps: number
  pushGref(gref: Gref): void
  pushGmap(gmap: Gmap): void
  /**
   * One pass of the cleanup task: detach each queue, offer every record to the reclaimer in
   * FIFO order, re-append the survivors in the same order. Returns the number of records freed.
   */
  run(reclaimer: Reclaimer): number
}

/**
 * Documented kernel quirks. A kernel preset has its kernel's quirks on by default; the generic
 * strategies have none. A spec switches one on by name and off by `no-name`.
 */
export interface Quirks {
  /** FreeBSD gntdev: tree comparator returns the u64 byte difference truncated to int. */
  truncatedCompare: boolean
  /** Linux gntdev first-fit: a hole must have count + 1 pages (strict `<` test). */
  strictGap: boolean
  /** Linux gntdev: page index is an int, so byte offsets from 2^19 pages on are sign-extended garbage. */
  intPageIndex: boolean
  /** Bump counter wraps around the offset space and may hand out live offsets again. */
  bumpWrap: boolean
  /** Xen claim_range extends the previous range without merging the next one. */
  claimNoMerge: boolean
}

/** No quirk on: the generic strategies and the corrected variants. */
export const NO_QUIRKS: Readonly<Quirks> = Object.freeze({
  truncatedCompare: false,
  strictGap: false,
  intPageIndex: false,
  bumpWrap: false,
  claimNoMerge: false,
})

/** When the device runs the cleanup queue. */
export type CleanupTrigger = 'alloc' | 'dealloc' | 'map' | 'unmap' | 'munmap' | 'close'

export interface DeviceLimits {
  /** Pages per ALLOC/MAP call; beyond → EINVAL (Linux gntdev 65,536 since 2019). Infinity = none. */
  maxPagesPerCall: number
  /** Grefs alive across all files of the domain; beyond → ENOSPC (Linux gntalloc 1024). */
  globalGrefLimit: number
}

export interface DevicePolicy {
  /** ALLOC_GREF / DEALLOC_GREF exist (FreeBSD, Linux gntalloc); otherwise ENOTTY. */
  supportsAlloc: boolean
  /** MAP / UNMAP / GET_OFFSET_FOR_VADDR exist (FreeBSD, Linux gntdev); otherwise ENOTTY. */
  supportsMap: boolean
  /** Linux UNMAP_GRANT_REF: count 0 matches a map of any count. */
  unmapCountWildcard: boolean
  /** FreeBSD: a gref page may be in only one mmap at a time (EINVAL otherwise). */
  grefSingleMapping: boolean
  /** Linux PV: one VMA per gmap (EINVAL on a second mmap). */
  gmapSingleMapping: boolean
  /** Operations after which the device runs the cleanup queue. */
  cleanupOn: readonly CleanupTrigger[]
  /** Old Linux gntalloc: grefs waiting in cleanup still count against globalGrefLimit. */
  deferredCountsAgainstLimit: boolean
  /** UNMAP_GRANT_REF / DEALLOC_GREF of a run that does not exist: ENOENT (Linux gntdev) or EINVAL. */
  unmapMissingErrno: number
  /** SET_UNMAP_NOTIFY at a page no record covers: ENOENT (Linux) or EINVAL (FreeBSD). */
  notifyMissingErrno: number
  /** mmap that finds no gref run and no gmap: ENOENT (Linux gntalloc, §4.2) or EINVAL (FreeBSD, Linux gntdev). */
  mmapMissingErrno: number
  /**
   * Linux gntalloc (§4.4): a gref counts against globalGrefLimit until nothing uses it, so a
   * DEALLOCed gref still mmapped still counts (gref_size drops only when the record is deleted).
   */
  grefLimitCountsMmapped: boolean
  /**
   * Linux gntdev (§3.3): the first mmap fixes a gmap read-only or writable; a later writable mmap
   * of a read-only gmap, and CLEAR_BYTE on one, fail EINVAL. FreeBSD (§2.4): a later mmap only
   * adds a reference and CLEAR_BYTE is not checked.
   */
  gmapReadonlyChecks: boolean
  /**
   * Linux gntdev (§3.3): when a gmap's last reference goes, its SEND_EVENT notify is sent even if
   * it was never mmapped (the byte can only be cleared in a mapped page). FreeBSD (§2.5): the
   * pager destructor notifies only if grants were mapped.
   */
  gmapEventWithoutMmap: boolean
  /**
   * Linux gntdev (§3.3): UNMAP_GRANT_REF looks up index >> 12, so an unaligned byte index still
   * finds its map. FreeBSD looks the byte offset up exactly (unaligned → EINVAL). Read at the
   * ioctl boundary (src/device/ioctl.ts); pages below it are whole.
   */
  unmapIndexShifts: boolean
  /**
   * Linux gntalloc (§4.2): SET_UNMAP_NOTIFY finds the page before it validates the action, so a
   * missing page is ENOENT whatever the action.
   */
  notifyLookupFirst: boolean
  /** Linux gntalloc (§4.2): DEALLOC_GREF runs its cleanup pass even when the run is not found. */
  deallocCleansOnFailure: boolean
  /**
   * FreeBSD (§2.3): an ALLOC that fails after taking its offsets (here: the grant table is
   * exhausted) does not give them back; they stay allocated until the file is closed.
   */
  failedAllocLeaksOffsets: boolean
}

/**
 * The neutral policy of the generic strategies, and the reference oracle's: FreeBSD gntdev's
 * (§2.4–2.6), except that a failed ALLOC gives its offsets back, so an allocator's behaviour
 * under a shortage is compared without a leak the structures did not cause.
 */
export const NEUTRAL_POLICY: Readonly<DevicePolicy> = Object.freeze({
  supportsAlloc: true,
  supportsMap: true,
  unmapCountWildcard: false,
  grefSingleMapping: true,
  gmapSingleMapping: false,
  cleanupOn: Object.freeze(['alloc', 'dealloc', 'unmap', 'close'] as const),
  deferredCountsAgainstLimit: false,
  unmapMissingErrno: EINVAL,
  notifyMissingErrno: EINVAL,
  mmapMissingErrno: EINVAL,
  grefLimitCountsMmapped: false,
  gmapReadonlyChecks: false,
  gmapEventWithoutMmap: false,
  unmapIndexShifts: false,
  notifyLookupFirst: false,
  deallocCleansOnFailure: false,
  failedAllocLeaksOffsets: false,
})

/** No per-call page limit and no domain-wide gref limit (FreeBSD; the generic strategies). */
export const NO_LIMITS: Readonly<DeviceLimits> = Object.freeze({ maxPagesPerCall: Infinity, globalGrefLimit: Infinity })

/** Everything one open file needs: allocator, stores and the behaviour of the device over them. */
export interface Strategy {
  /** Registry name, e.g. 'rbtree', 'list+bump', 'freebsd'. */
  readonly name: string
  readonly allocator: OffsetAllocator
  readonly grefStore: GrefStore
  readonly gmapStore: GmapStore
  readonly quirks: Readonly<Quirks>
  readonly limits: Readonly<DeviceLimits>
  readonly policy: Readonly<DevicePolicy>
}

export interface StrategyOptions {
  /** Quirks to switch on (others stay off). */
  quirks?: Partial<Quirks>
  /** Size of the offset space in pages (default OFFSET_SPACE_PAGES); smaller for wrap studies. */
  offsetSpacePages?: number
  limits?: Partial<DeviceLimits>
}

/** Makes the bookkeeping of one open file. Called once per open(). */
export type StrategyFactory = (options?: StrategyOptions) => Strategy

export type StrategyKind = 'strategy' | 'allocator' | 'preset'

export interface StrategyEntry {
  readonly name: string
  readonly kind: StrategyKind
  /** One line for `gntbench list`. */
  readonly summary: string
  /** The kernel code it follows, e.g. 'FreeBSD sys/dev/xen/gntdev/gntdev.c'; '' if none does. */
  readonly follows: string
  /**
   * The quirks `create()` switches on unless told otherwise (a preset's kernel quirks). Each is
   * a named variant `name:no-quirk`: the corrected design, which `gntbench list` shows.
   */
  readonly defaultQuirks?: Readonly<Quirks>
  readonly create: StrategyFactory
}
