// The simulated other domain. On the map side it is the granter: it grants us pages, and the map
// hypercall made at our first mmap of a gmap succeeds only for grants it still holds (Linux
// drivers/xen/gntdev.c map_grant_pages: a bad status fails the mmap; FreeBSD
// sys/dev/xen/gntdev/gntdev.c likewise at mmap). On the alloc side it is the mapper: it maps the
// pages we granted, and while it does, a deallocated gref cannot be freed — the cleanup pass
// keeps it queued (FreeBSD gref pass, docs/kernel-model.md §2.5; old Linux gntalloc, §4.4).
//
// Foreign mappings are counted per grant ref (each is a separate maptrack handle in Xen), and
// the peer can map only grants that are live in our grant table: mapping a freed ref fails in
// Xen, so here it is ignored.

import type { PeerDomain } from './types.js'

/** What the peer needs to know about our grant table: whether an entry is granted. */
export interface GrantLiveness {
  isLive(grantRef: number): boolean
}

/** The peer's own grant refs start above the reserved entries, as ours do. */
const FIRST_PEER_REF = 8

export class SimPeer implements PeerDomain {
  readonly domid: number
  private readonly ourGrants: GrantLiveness | null
  /** Grants the peer gave us and has not revoked. */
  private readonly granted: Set<number>
  private nextRef: number
  /** Our grant ref → how many times the peer maps it. */
  private readonly foreign: Map<number, number>

  /** `ourGrants` null: the peer may map any ref (for tests that drive it by hand). */
  constructor(domid: number, ourGrants: GrantLiveness | null) {
    this.domid = domid
    this.ourGrants = ourGrants
    this.granted = new Set()
    this.nextRef = FIRST_PEER_REF
    this.foreign = new Map()
  }

  grantPages(pages: number, out: number[]): void {
    out.length = 0
    for (let i = 0; i < pages; i++) {
      while (this.granted.has(this.nextRef)) this.nextRef++
      const ref = this.nextRef++
      this.granted.add(ref)
      out.push(ref)
    }
  }

  /**
   * Grant one specific ref. Workload streams carry literal grant refs (pre-generated so that the
   * timed region grants nothing); a runner grants them here before replaying the stream.
   */
  grantRef(grantRef: number): void {
    this.granted.add(grantRef)
  }

  revokeGrants(grantRefs: readonly number[]): void {
    for (let i = 0; i < grantRefs.length; i++) this.granted.delete(grantRefs[i] as number)
  }

  isGranted(grantRef: number): boolean {
    return this.granted.has(grantRef)
  }

  mapForeign(grantRef: number): void {
    if (this.ourGrants !== null && !this.ourGrants.isLive(grantRef)) return
    this.foreign.set(grantRef, (this.foreign.get(grantRef) ?? 0) + 1)
  }

  unmapForeign(grantRef: number): void {
    const count = this.foreign.get(grantRef)
    if (count === undefined) return
    if (count <= 1) this.foreign.delete(grantRef)
    else this.foreign.set(grantRef, count - 1)
  }

  isMappingForeign(grantRef: number): boolean {
    return this.foreign.has(grantRef)
  }

  /** Distinct grant refs of ours the peer maps (tests). */
  foreignMappedRefs(): number {
    return this.foreign.size
  }
}
