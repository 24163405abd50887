// Gmap store of Linux gntdev (drivers/xen/gntdev.c priv->maps, docs/kernel-model.md §3.1, §3.3) as a
// stand-alone store: the list of map records sorted by first page. find-exact (UNMAP, mmap) and
// find-containing (SET_UNMAP_NOTIFY) are linear scans from the head that stop at the first
// match, as the kernel's are; a miss walks the whole list. O(n) each. Insert walks from the head
// to the sorted position (gntdev_add_map's walk). linux-gmap-list.ts is this store with the
// allocation fused in, as the kernel has it: a subclass over the same list.

import '../structures/counting.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError } from '../structures/types.js'
import { TailQueue } from '../structures/tail-queue.js'
import type { Gmap, GmapStore } from './types.js'

export class ListGmapStore implements GmapStore {
  readonly kind: string = 'list'
  readonly cost: CostCounters
  protected readonly gmaps: TailQueue<Gmap>

  constructor() {
    this.gmaps = new TailQueue<Gmap>()
    this.cost = this.gmaps.cost
  }

  get size(): number {
    return this.gmaps.length
  }

  /** Sorted insert from the head; a live gmap with the same first page is returned instead. O(n). */
  insert(gmap: Gmap): Gmap | null {
    const firstPage = gmap.firstPage
    for (let at = this.gmaps.first(); at !== null; at = at.tqNext) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (at.firstPage === firstPage) return at
      if (at.firstPage > firstPage) {
        this.gmaps.insertBefore(at, gmap)
        gmap.live = true
        return null
      }
    }
    this.gmaps.insertTail(gmap)
    gmap.live = true
    return null
  }

  /** O(n). */
  findExact(firstPage: number, pages: number): Gmap | null {
    return findExactInQueue(this.gmaps, firstPage, pages)
  }

  /** O(n). */
  findContaining(page: number): Gmap | null {
    return findContainingInQueue(this.gmaps, page)
  }

  /** O(1). */
  remove(gmap: Gmap): void {
    this.gmaps.remove(gmap)
    gmap.live = false
  }

  /** O(n). */
  drain(out: Gmap[]): void {
    drainGmapQueue(this.gmaps, out)
  }

  /** List invariants; first pages strictly ascending; every record live. O(n). */
  check(): void {
    checkGmapQueue(this.gmaps, this.constructor.name)
  }
}

/** Linear scan for index and count, as both kernels' lists do (count 0 matches any). O(n). */
function findExactInQueue(gmaps: TailQueue<Gmap>, firstPage: number, pages: number): Gmap | null {
  for (let gmap = gmaps.first(); gmap !== null; gmap = gmap.tqNext) {
    if (COUNTING) gmaps.cost.nodesVisited++
    if (COUNTING) gmaps.cost.keyCompares++
    if (gmap.firstPage === firstPage && (pages === 0 || gmap.pages === pages)) return gmap
  }
  return null
}

/** Linear scan for the gmap whose pages hold `page` (SET_UNMAP_NOTIFY). O(n). */
function findContainingInQueue(gmaps: TailQueue<Gmap>, page: number): Gmap | null {
  for (let gmap = gmaps.first(); gmap !== null; gmap = gmap.tqNext) {
    if (COUNTING) gmaps.cost.nodesVisited++
    if (COUNTING) gmaps.cost.keyCompares++
    if (gmap.firstPage <= page && page < gmap.firstPage + gmap.pages) return gmap
  }
  return null
}

/** Unlink every gmap of a sorted queue, ascending, into out. */
function drainGmapQueue(gmaps: TailQueue<Gmap>, out: Gmap[]): void {
  out.length = 0
  let gmap = gmaps.first()
  while (gmap !== null) {
    if (COUNTING) gmaps.cost.nodesVisited++
    const next: Gmap | null = gmap.tqNext
    gmaps.remove(gmap)
    gmap.live = false
    out.push(gmap)
    gmap = next
  }
}

/** Invariants of a sorted gmap queue; `who` names the store in the message. */
function checkGmapQueue(gmaps: TailQueue<Gmap>, who: string): void {
  gmaps.check()
  let prev = -Infinity
  for (let gmap = gmaps.first(); gmap !== null; gmap = gmap.tqNext) {
    if (!gmap.live) throw new InvariantError(`${who}: gmap at ${gmap.firstPage} is linked but not live`)
    if (gmap.firstPage <= prev) throw new InvariantError(`${who}: gmap at ${gmap.firstPage} after ${prev}`)
    if (gmap.rbKey !== gmap.firstPage) throw new InvariantError(`${who}: gmap at ${gmap.firstPage} has key ${gmap.rbKey}`)
    prev = gmap.firstPage
  }
}
