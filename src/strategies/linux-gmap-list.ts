// Linux gntdev's fused allocator and gmap store (drivers/xen/gntdev.c gntdev_add_map,
// docs/kernel-model.md §3.2–3.3): there is no separate offset allocator; MAP_GRANT_REF walks the
// file's map list, sorted by index, for the first hole that holds the new map and links the map
// right there. One class therefore implements both OffsetAllocator and GmapStore over ONE list.
//
// The device calls allocator.alloc(pages) then gmapStore.insert(gmap). alloc does the first-fit
// walk (candidate from 0; the hole before map M holds the run if candidate + pages <= M.firstPage,
// or `<` as Linux writes it under the strictGap quirk, so exact-size holes are skipped) and
// remembers where it stopped; the insert of a gmap starting at that page links it there in O(1).
// Any other insert falls back to a sorted walk. UNMAP unlinks the map (remove), which returns its
// pages at once (indices are recycled immediately, §3.2), so free() has nothing left to do.
// find-exact and find-containing are the kernel's linear scans. O(n) per MAP, UNMAP lookup and
// notify.

import '../structures/counting.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { TailQueue } from '../structures/tail-queue.js'
import { EINVAL, ENOSPC } from '../errno.js'
import type { AllocatorOptions } from './allocator-options.js'
import { isBadRunLength, offsetSpaceOf } from './allocator-options.js'
import { checkGmapQueue, drainGmapQueue, findContainingInQueue, findExactInQueue } from './list-gmap-store.js'
import type { AllocatorStats, Gmap, GmapStore, OffsetAllocator } from './types.js'

export class LinuxGmapList implements OffsetAllocator, GmapStore {
  readonly kind = 'linux-gmap-list'
  readonly cost: CostCounters
  readonly offsetSpacePages: number
  private readonly strictGap: boolean
  private readonly gmaps: TailQueue<Gmap>
  private livePages: number
  /** Where the last alloc() stopped: its first page and the map to link before (null: tail). */
  private pendingFirstPage: number
  private pendingBefore: Gmap | null
  /** Bumped by every change to the list; the pending position is valid only if unchanged. */
  private version: number
  private pendingVersion: number

  constructor(options?: AllocatorOptions) {
    this.gmaps = new TailQueue<Gmap>()
    this.cost = this.gmaps.cost
    this.offsetSpacePages = offsetSpaceOf(options)
    this.strictGap = options?.quirks?.strictGap ?? false
    this.livePages = 0
    this.pendingFirstPage = -1
    this.pendingBefore = null
    this.version = 0
    this.pendingVersion = -1
  }

  get size(): number {
    return this.gmaps.length
  }

  /** First-fit walk of the map list from page 0. O(n). */
  alloc(pages: number): number {
    if (isBadRunLength(pages, this.offsetSpacePages)) return -EINVAL
    const strict = this.strictGap
    let candidate = 0
    let gmap = this.gmaps.first()
    while (gmap !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      const end = candidate + pages
      if (strict ? end < gmap.firstPage : end <= gmap.firstPage) break
      candidate = gmap.firstPage + gmap.pages
      gmap = gmap.tqNext
    }
    if (gmap === null) {
      if (COUNTING) this.cost.keyCompares++
      if (candidate + pages > this.offsetSpacePages) return -ENOSPC
    }
    this.pendingFirstPage = candidate
    this.pendingBefore = gmap
    this.pendingVersion = this.version
    return candidate
  }

  /** Nothing to do: remove() already returned the pages when UNMAP unlinked the map. O(1). */
  free(_firstPage: number, _pages: number): void {}

  /** O(1) right after the alloc() that chose gmap.firstPage; a sorted walk otherwise. */
  insert(gmap: Gmap): Gmap | null {
    const firstPage = gmap.firstPage
    if (this.pendingVersion === this.version && this.pendingFirstPage === firstPage) {
      const before = this.pendingBefore
      if (before === null) this.gmaps.insertTail(gmap)
      else this.gmaps.insertBefore(before, gmap)
    } else {
      let at = this.gmaps.first()
      while (at !== null) {
        if (COUNTING) this.cost.nodesVisited++
        if (COUNTING) this.cost.keyCompares++
        if (at.firstPage === firstPage) return at
        if (at.firstPage > firstPage) break
        at = at.tqNext
      }
      if (at === null) this.gmaps.insertTail(gmap)
      else this.gmaps.insertBefore(at, gmap)
    }
    this.version++
    this.livePages += gmap.pages
    gmap.live = true
    return null
  }

  /** Linear scan for index and count (count 0 matches any, as UNMAP allows). O(n). */
  findExact(firstPage: number, pages: number): Gmap | null {
    return findExactInQueue(this.gmaps, firstPage, pages)
  }

  /** Linear scan for the map whose pages hold `page` (SET_UNMAP_NOTIFY). O(n). */
  findContaining(page: number): Gmap | null {
    return findContainingInQueue(this.gmaps, page)
  }

  /** list_del; the map's pages are free for the next alloc() at once. O(1). */
  remove(gmap: Gmap): void {
    this.gmaps.remove(gmap)
    this.version++
    this.livePages -= gmap.pages
    gmap.live = false
  }

  /** O(n). */
  drain(out: Gmap[]): void {
    drainGmapQueue(this.gmaps, out)
    this.version++
    this.livePages = 0
  }

  /** O(1). */
  stats(): AllocatorStats {
    const first = this.gmaps.first()
    const last = this.gmaps.last()
    return {
      livePages: this.livePages,
      nodes: this.gmaps.length,
      spanPages: first === null || last === null ? 0 : last.firstPage + last.pages - first.firstPage,
      wrapped: false,
      leakedPages: 0,
    }
  }

  /** Sorted, live, and (checked here as the allocator) maps disjoint and the page count right. O(n). */
  check(): void {
    checkGmapQueue(this.gmaps, 'LinuxGmapList')
    let pages = 0
    let prevEnd = 0
    for (let gmap = this.gmaps.first(); gmap !== null; gmap = gmap.tqNext) {
      if (gmap.firstPage < prevEnd) throw new InvariantError(`LinuxGmapList: map at ${gmap.firstPage} overlaps the one before`)
      prevEnd = gmap.firstPage + gmap.pages
      pages += gmap.pages
    }
    if (pages !== this.livePages) throw new InvariantError(`LinuxGmapList: maps hold ${pages} pages, livePages ${this.livePages}`)
  }
}
