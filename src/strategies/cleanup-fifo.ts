// Deferred cleanup of FreeBSD gntdev (sys/dev/xen/gntdev/gntdev.c to_kill_grefs / to_kill_gmaps
// and the cleanup task, docs/kernel-model.md §2.5): two global singly linked tail queues (STAILQ),
// linked through the records' cqNext. A pass detaches each queue whole (the kernel swaps it with
// an empty local queue under the queue mutex), offers every record to the reclaimer in FIFO
// order, and appends the survivors, in order, back onto the global queue in one splice — after
// anything queued meanwhile, as STAILQ_CONCAT does. Grefs first, then gmaps. O(records queued).
// Linux gntalloc's rescan of its global list at ALLOC/DEALLOC (drivers/xen/gntalloc.c
// do_cleanup) offers the dead records in the same order, so one queue serves both kernels.

import '../structures/counting.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError, newCostCounters } from '../structures/types.js'
import type { CleanupQueue, Gmap, Gref, Reclaimer } from './types.js'

export class CleanupFifo implements CleanupQueue {
  readonly kind = 'fifo'
  readonly cost: CostCounters
  private grefHead: Gref | null
  private grefTail: Gref | null
  private grefCount: number
  private gmapHead: Gmap | null
  private gmapTail: Gmap | null
  private gmapCount: number

  constructor() {
    this.cost = newCostCounters()
    this.grefHead = null
    this.grefTail = null
    this.grefCount = 0
    this.gmapHead = null
    this.gmapTail = null
    this.gmapCount = 0
  }

  get pendingGrefs(): number {
    return this.grefCount
  }

  get pendingGmaps(): number {
    return this.gmapCount
  }

  /** STAILQ_INSERT_TAIL. O(1). */
  pushGref(gref: Gref): void {
    gref.cqNext = null
    if (this.grefTail === null) this.grefHead = gref
    else this.grefTail.cqNext = gref
    this.grefTail = gref
    this.grefCount++
  }

  /** STAILQ_INSERT_TAIL. O(1). */
  pushGmap(gmap: Gmap): void {
    gmap.cqNext = null
    if (this.gmapTail === null) this.gmapHead = gmap
    else this.gmapTail.cqNext = gmap
    this.gmapTail = gmap
    this.gmapCount++
  }

  /** Counts match the links and no record is queued twice. O(queued), tests only. */
  check(): void {
    checkChain(this.grefHead, this.grefTail, this.grefCount, 'grefs')
    checkChain(this.gmapHead, this.gmapTail, this.gmapCount, 'gmaps')
  }

  /** One pass of the cleanup task: grefs, then gmaps. Returns the records freed. O(queued). */
  run(reclaimer: Reclaimer): number {
    return this.runGrefs(reclaimer) + this.runGmaps(reclaimer)
  }

  private runGrefs(reclaimer: Reclaimer): number {
    let gref = this.grefHead
    this.grefHead = null
    this.grefTail = null
    this.grefCount = 0
    let keptHead: Gref | null = null
    let keptTail: Gref | null = null
    let kept = 0
    let freed = 0
    while (gref !== null) {
      if (COUNTING) this.cost.nodesVisited++
      const next: Gref | null = gref.cqNext
      gref.cqNext = null
      if (reclaimer.reclaimGref(gref)) {
        freed++
      } else {
        if (keptTail === null) keptHead = gref
        else keptTail.cqNext = gref
        keptTail = gref
        kept++
      }
      gref = next
    }
    if (keptHead !== null) {
      // STAILQ_CONCAT: survivors go after whatever the reclaimer queued during the pass (the
      // cast undoes TypeScript's narrowing, which cannot see the reclaimer's pushes).
      const tail = this.grefTail as Gref | null
      if (tail === null) this.grefHead = keptHead
      else tail.cqNext = keptHead
      this.grefTail = keptTail
      this.grefCount += kept
    }
    return freed
  }

  private runGmaps(reclaimer: Reclaimer): number {
    let gmap = this.gmapHead
    this.gmapHead = null
    this.gmapTail = null
    this.gmapCount = 0
    let keptHead: Gmap | null = null
    let keptTail: Gmap | null = null
    let kept = 0
    let freed = 0
    while (gmap !== null) {
      if (COUNTING) this.cost.nodesVisited++
      const next: Gmap | null = gmap.cqNext
      gmap.cqNext = null
      if (reclaimer.reclaimGmap(gmap)) {
        freed++
      } else {
        if (keptTail === null) keptHead = gmap
        else keptTail.cqNext = gmap
        keptTail = gmap
        kept++
      }
      gmap = next
    }
    if (keptHead !== null) {
      const tail = this.gmapTail as Gmap | null
      if (tail === null) this.gmapHead = keptHead
      else tail.cqNext = keptHead
      this.gmapTail = keptTail
      this.gmapCount += kept
    }
    return freed
  }
}

function checkChain(head: CqLinked | null, tail: CqLinked | null, count: number, what: string): void {
  let seen = 0
  let last: CqLinked | null = null
  for (let x = head; x !== null; x = x.cqNext) {
    if (++seen > count) throw new InvariantError(`CleanupFifo: more ${what} linked than the count ${count} (cycle?)`)
    last = x
  }
  if (seen !== count) throw new InvariantError(`CleanupFifo: ${seen} ${what} linked, count ${count}`)
  if (last !== tail) throw new InvariantError(`CleanupFifo: ${what} tail is not the last linked record`)
}

interface CqLinked {
  cqNext: CqLinked | null
}
