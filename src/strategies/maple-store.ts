// Gmap store and offset allocator in one B-tree of ranges with gap tracking
// (src/structures/range-btree.ts), the way Linux gntdev fuses its first fit into the map list
// (linux-gmap-list.ts) but with the structure Linux itself moved to for the same job: the maple
// tree, whose mas_empty_area / mtree_alloc_range find the lowest free gap of a given size in
// O(log n) (Documentation/core-api/maple_tree.rst).
//
// The tree holds every live run of the file's offset space as one entry: a gmap (value = the
// Gmap) or a run handed out for someone else (value = null, a reservation, as mtree_alloc_range
// stores an entry at once). So the same object works fused (the `maple` strategy) and on either
// side of a composite:
//   alloc(pages)   lowest gap that fits (Linux's policy: low end; under the strictGap quirk a hole
//                  below a live run needs pages + 1, the space above the last run only pages),
//                  reserved at once. O(log n).
//   insert(gmap)   the reservation at exactly gmap's range becomes the gmap (the fused path,
//                  right after alloc); otherwise the gmap is stored if its range is free. O(log n).
//   remove(gmap)   erases the entry, so the pages are free at once (Linux gntdev recycles indices
//                  at UNMAP, §3.2); the device's free() that follows finds nothing left to free.
//   free(first, n) erases or trims the reservations in the range (gref runs may be freed in part
//                  or across several ALLOCs); gmap entries and free pages in it are left alone.
//   findExact / findContaining  one floor descent plus a test. O(log n).
//
// A gmap whose range overlaps a live entry (only a wrapped bump counter can cause it) cannot be
// stored in a tree of disjoint ranges: insert reports it as colliding with the overlapped gmap
// (or with itself if it overlaps only reservations), and the device counts the collision.

import '../structures/counting.js'
import { RangeBTree } from '../structures/range-btree.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { EINVAL, ENOSPC } from '../errno.js'
import type { AllocatorOptions } from './allocator-options.js'
import { isBadRunLength, offsetSpaceOf } from './allocator-options.js'
import type { AllocatorStats, Gmap, GmapStore, OffsetAllocator } from './types.js'

export class MapleStore implements OffsetAllocator, GmapStore {
  readonly kind = 'maple'
  readonly cost: CostCounters
  readonly offsetSpacePages: number
  private readonly strictGap: boolean
  private readonly tree: RangeBTree<Gmap | null>
  /** Pages in entries (reservations + gmaps). */
  private livePages: number
  private gmaps: number

  constructor(options?: AllocatorOptions) {
    this.offsetSpacePages = offsetSpaceOf(options)
    this.tree = new RangeBTree<Gmap | null>(this.offsetSpacePages)
    this.cost = this.tree.cost
    this.strictGap = options?.quirks?.strictGap ?? false
    this.livePages = 0
    this.gmaps = 0
  }

  /** Live gmaps. */
  get size(): number {
    return this.gmaps
  }

  /** B-tree nodes (the memory model's index nodes). O(1). */
  get nodeCount(): number {
    return this.tree.nodeCount
  }

  /** mas_empty_area + store a reservation. O(log n). */
  alloc(pages: number): number {
    if (isBadRunLength(pages, this.offsetSpacePages)) return -EINVAL
    const first = this.tree.lowestGap(this.strictGap ? pages + 1 : pages, pages)
    if (first < 0) return -ENOSPC
    this.tree.insert(first, first + pages, null)
    this.livePages += pages
    return first
  }

  /** Erase or trim the reservations inside [firstPage, firstPage + pages). O(log n) per entry touched. */
  free(firstPage: number, pages: number): void {
    if (!(pages >= 1) || !(firstPage >= 0)) return
    const tree = this.tree
    const end = firstPage + pages
    let found = tree.seekFloor(firstPage)
    if (found && tree.cursorEnd <= firstPage) found = tree.step()
    if (!found) found = tree.seekCeiling(firstPage)
    while (found && tree.cursorStart < end) {
      const start = tree.cursorStart
      const entryEnd = tree.cursorEnd
      if (tree.cursorValue !== null) {
        found = tree.step()
        continue
      }
      const cutStart = start > firstPage ? start : firstPage
      const cutEnd = entryEnd < end ? entryEnd : end
      this.livePages -= cutEnd - cutStart
      if (cutStart === start && cutEnd === entryEnd) {
        tree.eraseCursor()
        found = tree.seekCeiling(entryEnd)
      } else if (cutStart === start) {
        tree.shrinkCursor(cutEnd, entryEnd)
        found = false
      } else if (cutEnd === entryEnd) {
        tree.shrinkCursor(start, cutStart)
        found = tree.step()
      } else {
        tree.shrinkCursor(start, cutStart)
        tree.insert(cutEnd, entryEnd, null)
        found = false
      }
    }
  }

  /** Turn the matching reservation into the gmap, or store the gmap in free space. O(log n). */
  insert(gmap: Gmap): Gmap | null {
    const tree = this.tree
    const first = gmap.firstPage
    const end = first + gmap.pages
    if (tree.seekFloor(first) && tree.cursorStart === first && tree.cursorEnd === end && tree.cursorValue === null) {
      tree.setCursorValue(gmap)
    } else if (tree.insert(first, end, gmap)) {
      this.livePages += gmap.pages
    } else {
      return this.overlapped(first, end) ?? gmap
    }
    this.gmaps++
    gmap.live = true
    return null
  }

  /** Floor descent + start and count test (count 0 matches any). O(log n). */
  findExact(firstPage: number, pages: number): Gmap | null {
    const tree = this.tree
    if (!tree.seekFloor(firstPage) || tree.cursorStart !== firstPage) return null
    const gmap = tree.cursorValue
    if (COUNTING) this.cost.keyCompares++
    if (gmap === null) return null
    return pages === 0 || gmap.pages === pages ? gmap : null
  }

  /** Floor descent + range test. O(log n). */
  findContaining(page: number): Gmap | null {
    const tree = this.tree
    if (!tree.seekFloor(page)) return null
    if (COUNTING) this.cost.keyCompares++
    return tree.cursorEnd > page ? tree.cursorValue : null
  }

  /** Erase the gmap's entry; its pages are free at once. O(log n). */
  remove(gmap: Gmap): void {
    const tree = this.tree
    if (!tree.seekFloor(gmap.firstPage) || tree.cursorValue !== gmap) {
      throw new InvariantError(`MapleStore.remove: gmap at ${gmap.firstPage} is not in this tree`)
    }
    tree.eraseCursor()
    this.livePages -= gmap.pages
    this.gmaps--
    gmap.live = false
  }

  /** Every gmap, ascending, into out and out of the tree (reservations stay). O(n log n). */
  drain(out: Gmap[]): void {
    out.length = 0
    this.tree.forEach((_start, _end, gmap) => {
      if (gmap !== null) out.push(gmap)
    })
    for (const gmap of out) this.remove(gmap)
  }

  /** O(log n). */
  stats(): AllocatorStats {
    const tree = this.tree
    const span = tree.seekFirst() ? tree.lastEnd() - tree.cursorStart : 0
    return { livePages: this.livePages, nodes: tree.nodeCount, spanPages: span, wrapped: false, leakedPages: 0 }
  }

  /** Tree invariants (gaps included); entries are reservations or live gmaps at their own range; counts add up. O(n). */
  check(): void {
    const tree = this.tree
    tree.check()
    let pages = 0
    let gmaps = 0
    tree.forEach((start, end, gmap) => {
      pages += end - start
      if (gmap === null) return
      gmaps++
      if (gmap.firstPage !== start || gmap.firstPage + gmap.pages !== end) {
        throw new InvariantError(`MapleStore: gmap at ${gmap.firstPage} (+${gmap.pages}) stored as [${start}, ${end})`)
      }
      if (!gmap.live) throw new InvariantError(`MapleStore: gmap at ${start} is stored but not live`)
    })
    if (pages !== this.livePages) throw new InvariantError(`MapleStore: entries hold ${pages} pages, livePages ${this.livePages}`)
    if (gmaps !== this.gmaps) throw new InvariantError(`MapleStore: ${gmaps} gmaps stored, size ${this.gmaps}`)
  }

  /** The first gmap overlapping [first, end), or null if only reservations do. */
  private overlapped(first: number, end: number): Gmap | null {
    const tree = this.tree
    let found = tree.seekFloor(first)
    if (!found) found = tree.seekCeiling(first)
    while (found && tree.cursorStart < end) {
      const gmap = tree.cursorValue
      if (gmap !== null && tree.cursorEnd > first) return gmap
      found = tree.step()
    }
    return null
  }
}
