// Linux gntdev's fused allocator and gmap store (drivers/xen/gntdev.c gntdev_add_map,
// docs/kernel-model.md §3.2–3.3): there is no separate offset allocator; MAP_GRANT_REF walks the
// file's map list, sorted by index, for the first hole that holds the new map and links the map
// right there. One class therefore implements both OffsetAllocator and GmapStore over ONE list:
// the list store of list-gmap-store.ts, extended with first fit (list-allocator.ts's walk).
//
// The device calls allocator.alloc(pages) then gmapStore.insert(gmap). alloc does the first-fit
// walk (candidate from 0; the hole before map M holds the run if candidate + pages <= M.firstPage,
// or `<` as Linux writes it under the strictGap quirk, so exact-size holes are skipped) and
// remembers where it stopped; the insert of a gmap starting at that page links it there in O(1).
// Any other insert falls back to the store's sorted walk. UNMAP unlinks the map (remove), which returns its
// pages at once (indices are recycled immediately, §3.2), so free() has nothing left to do.
// find-exact and find-containing are the kernel's linear scans. O(n) per MAP, UNMAP lookup and
// notify.

import '../structures/counting.js'
import { InvariantError } from '../structures/types.js'
import { EINVAL, ENOSPC } from '../errno.js'
import type { AllocatorOptions } from './allocator-options.js'
import { isBadRunLength, offsetSpaceOf } from './allocator-options.js'
import { firstFitBefore, holeStart, sortedRunStats } from './list-allocator.js'
import { ListGmapStore } from './list-gmap-store.js'
import type { AllocatorStats, Gmap, OffsetAllocator } from './types.js'

export class LinuxGmapList extends ListGmapStore implements OffsetAllocator {
  override readonly kind = 'linux-gmap-list'
  readonly offsetSpacePages: number
  private readonly strictGap: boolean
  private livePages: number
  /** Where the last alloc() stopped: its first page and the map to link before (null: tail). */
  private pendingFirstPage: number
  private pendingBefore: Gmap | null
  /** Bumped by every change to the list; the pending position is valid only if unchanged. */
  private version: number
  private pendingVersion: number

  constructor(options?: AllocatorOptions) {
    super()
    this.offsetSpacePages = offsetSpaceOf(options)
    this.strictGap = options?.quirks?.strictGap ?? false
    this.livePages = 0
    this.pendingFirstPage = -1
    this.pendingBefore = null
    this.version = 0
    this.pendingVersion = -1
  }

  /** First-fit walk of the map list from page 0. O(n). */
  alloc(pages: number): number {
    if (isBadRunLength(pages, this.offsetSpacePages)) return -EINVAL
    const gmap = firstFitBefore(this.gmaps, pages, this.strictGap)
    const candidate = holeStart(this.gmaps, gmap)
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

  /** O(1) right after the alloc() that chose gmap.firstPage; the store's sorted walk otherwise. */
  override insert(gmap: Gmap): Gmap | null {
    if (this.pendingVersion === this.version && this.pendingFirstPage === gmap.firstPage) {
      const before = this.pendingBefore
      if (before === null) this.gmaps.insertTail(gmap)
      else this.gmaps.insertBefore(before, gmap)
      gmap.live = true
    } else {
      const existing = super.insert(gmap)
      if (existing !== null) return existing
    }
    this.version++
    this.livePages += gmap.pages
    return null
  }

  /** list_del; the map's pages are free for the next alloc() at once. O(1). */
  override remove(gmap: Gmap): void {
    super.remove(gmap)
    this.version++
    this.livePages -= gmap.pages
  }

  /** O(n). */
  override drain(out: Gmap[]): void {
    super.drain(out)
    this.version++
    this.livePages = 0
  }

  /** O(1). */
  stats(): AllocatorStats {
    return sortedRunStats(this.gmaps, this.livePages)
  }

  /** Sorted, live, and (checked here as the allocator) maps disjoint and the page count right. O(n). */
  override check(): void {
    super.check()
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
