// Contracts of the device layer: the ioctl and mm semantics of one open grant device file
// (FreeBSD /dev/xen/gntdev, Linux /dev/xen/gntdev and /dev/xen/gntalloc; docs/kernel-model.md
// §2.4, §3.3, §4.2), at page granularity. Every method returns a non-negative result or a
// negated errno (src/errno.ts); none throws for a user's mistake.
//
// Byte offsets (u64, bigint) exist only in src/device/ioctl.ts, which wraps a GrantDevice with
// the kernels' request structures; workloads and benchmarks call the page-level API below.

import type { Strategy } from '../strategies/types.js'

/** Out-parameter of GET_OFFSET_FOR_VADDR; reused by callers to keep the hot path allocation-free. */
export interface OffsetCount {
  firstPage: number
  pages: number
}

/**
 * The other domain. It grants us pages to map (map side) and maps the pages we grant it
 * (alloc side); it alone decides when its foreign access ends, which is what keeps a
 * deallocated gref alive in the cleanup queue.
 */
export interface PeerDomain {
  readonly domid: number
  /** Grant `pages` of the peer's pages to us; their grant refs are written to out (length set). */
  grantPages(pages: number, out: number[]): void
  /** Take back grants the peer gave us (after we unmapped them). */
  revokeGrants(grantRefs: readonly number[]): void
  /** True if grantRef is a live grant the peer gave us (checked by the map hypercall at mmap). */
  isGranted(grantRef: number): boolean
  /** The peer maps / unmaps a grant that we allocated (foreign access to our page). */
  mapForeign(grantRef: number): void
  unmapForeign(grantRef: number): void
  isMappingForeign(grantRef: number): boolean
}

/** Counters the device keeps; cheap integer increments only. */
export interface DeviceStats {
  /** Live grefs of this file (pages in the GrefStore). */
  grefs: number
  /** Live gmaps of this file. */
  gmaps: number
  /** Live VMAs of this file. */
  vmas: number
  /** Records waiting in the domain's cleanup queue (all files). */
  pendingCleanup: number
  /** Records the cleanup queue freed (all files). */
  reclaimed: number
  /** Notifies fired: bytes cleared and events sent (all files). */
  notifyClearedBytes: number
  notifyEventsSent: number
  /** Inserts that collided with a live key and were dropped (quirks, wrapped counters). */
  collisions: number
}

/** The page-level API of one open file. */
export interface GrantDevice {
  readonly strategy: Strategy
  /** ALLOC_GREF: grant `pages` fresh pages to domid. Returns the first page, or −errno. */
  allocGref(domid: number, pages: number, writable: boolean, outGrantRefs: number[] | null): number
  /** DEALLOC_GREF: find-run(firstPage, pages) and release it (pages live on while mapped). */
  deallocGref(firstPage: number, pages: number): number
  /** MAP_GRANT_REF: record a mapping of the peer's grants. Returns the first page, or −errno. */
  mapGrantRef(domid: number, grantRefs: readonly number[]): number
  /** UNMAP_GRANT_REF: exact (firstPage, pages); pages 0 is a wildcard where the policy allows. */
  unmapGrantRef(firstPage: number, pages: number): number
  /** mmap(offset = firstPage × 4096, length = pages × 4096). Returns a vaddr (in pages, > 0), or −errno. */
  mmap(firstPage: number, pages: number, writable: boolean): number
  /** munmap of a whole VMA returned by mmap. Returns 0, or −EINVAL for an unknown vaddr. */
  munmap(vaddr: number): number
  /** GET_OFFSET_FOR_VADDR: the gmap mapped at vaddr (whole mappings only). Returns 0 or −errno. */
  getOffsetForVaddr(vaddr: number, out: OffsetCount): number
  /** SET_UNMAP_NOTIFY at byte `byteInPage` of `page`. Returns 0 or −errno. */
  setUnmapNotify(page: number, byteInPage: number, action: number, port: number): number
  /** close(): every record to the cleanup queue; the file is unusable afterwards. */
  close(): void
  stats(): DeviceStats
}

/**
 * A page number, page count or user address given to the page-level API is not an integer (a
 * fraction, NaN or ±Infinity). No kernel can see one — the ioctl structures hold integers — so
 * this is a caller's bug, not an errno: without the guard a fraction slips past the stores'
 * lookups (a rangeset answers undefined, DEALLOC and mmap then throw a TypeError) and NaN, which
 * every comparison calls "not less, not greater", matches a random tree node.
 */
export class PageNumberError extends RangeError {
  override name = 'PageNumberError'

  constructor(operation: string, argument: string, value: number) {
    super(`${operation}: ${argument} must be an integer, got ${String(value)}`)
  }
}

/** Throws PageNumberError unless the run's first page and count are integers. */
export function requireRun(operation: string, firstPage: number, pages: number): void {
  if (!Number.isInteger(firstPage)) throw new PageNumberError(operation, 'firstPage', firstPage)
  if (!Number.isInteger(pages)) throw new PageNumberError(operation, 'pages', pages)
}
