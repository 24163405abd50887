// FreeBSD's global cleanup queues (docs/kernel-model.md §2.5): FIFO offer order, survivors re-queued
// in order behind anything queued during the pass, grefs before gmaps, freed count returned.

import { describe, expect, it } from 'vitest'
import { CleanupFifo } from '../../src/strategies/cleanup-fifo.js'
import { Gmap, Gref } from '../../src/strategies/types.js'
import type { Reclaimer } from '../../src/strategies/types.js'

function grefs(n: number): Gref[] {
  return Array.from({ length: n }, (_, i) => new Gref(i, 100 + i, 1, true))
}

/** Frees the records whose page / first page is in `freeable`, logging the offer order. */
class ScriptedReclaimer implements Reclaimer {
  readonly offered: string[] = []
  readonly freeable = new Set<number>()
  onGref: ((gref: Gref) => void) | null = null

  reclaimGref(gref: Gref): boolean {
    this.offered.push(`gref ${gref.page}`)
    this.onGref?.(gref)
    return this.freeable.has(gref.page)
  }

  reclaimGmap(gmap: Gmap): boolean {
    this.offered.push(`gmap ${gmap.firstPage}`)
    return this.freeable.has(gmap.firstPage)
  }
}

describe('CleanupFifo', () => {
  it('offers grefs then gmaps in FIFO order and keeps the survivors in order', () => {
    const queue = new CleanupFifo()
    const g = grefs(5)
    for (const x of g) queue.pushGref(x)
    const maps = [new Gmap(7, 1, [1]), new Gmap(8, 1, [2])]
    for (const m of maps) queue.pushGmap(m)
    const reclaimer = new ScriptedReclaimer()
    for (const page of [1, 3, 8]) reclaimer.freeable.add(page)
    expect(queue.run(reclaimer)).toBe(3)
    expect(reclaimer.offered).toEqual(['gref 0', 'gref 1', 'gref 2', 'gref 3', 'gref 4', 'gmap 7', 'gmap 8'])
    expect([queue.pendingGrefs, queue.pendingGmaps]).toEqual([3, 1])
    queue.check()
    const second = new ScriptedReclaimer()
    expect(queue.run(second)).toBe(0)
    expect(second.offered).toEqual(['gref 0', 'gref 2', 'gref 4', 'gmap 7'])
  })

  it('appends survivors after records queued during the pass (STAILQ_CONCAT)', () => {
    const queue = new CleanupFifo()
    const [a, b, late] = grefs(3) as [Gref, Gref, Gref]
    late.page = 99
    queue.pushGref(a)
    queue.pushGref(b)
    const reclaimer = new ScriptedReclaimer()
    reclaimer.onGref = (gref) => {
      if (gref === a) queue.pushGref(late)
    }
    expect(queue.run(reclaimer)).toBe(0)
    const order = new ScriptedReclaimer()
    queue.run(order)
    expect(order.offered).toEqual(['gref 99', 'gref 0', 'gref 1'])
    queue.check()
  })

  it('an empty pass frees nothing and a record can be re-queued after it was freed', () => {
    const queue = new CleanupFifo()
    expect(queue.run(new ScriptedReclaimer())).toBe(0)
    const [x] = grefs(1) as [Gref]
    queue.pushGref(x)
    const all = new ScriptedReclaimer()
    all.freeable.add(0)
    expect(queue.run(all)).toBe(1)
    expect(x.cqNext).toBeNull()
    queue.pushGref(x)
    expect(queue.pendingGrefs).toBe(1)
    queue.check()
  })
})
