// Random op streams for the conformance suite (conformance.ts): seeded, short, and biased toward
// operations that mean something — most lines name a live handle or VMA slot with the run's own
// page count, so finds hit; a minority use wrong counts, the UNMAP wildcard, bad notify actions,
// zero-page calls and double mmaps, so misses and errno paths are exercised too. Pages stay small
// (a gref store holds one record per page) so that thousands of streams run in seconds.
//
// Placement independence. Handles are symbolic, and every strategy places runs differently, so a
// line whose answer depends on WHERE runs were placed would make two correct strategies disagree:
// a page past the end of its run (it may or may not belong to the neighbouring ALLOC), a span
// over two ALLOCs (adjacent under one allocator, not under another), or a page already released
// (another strategy may have handed it out again). The generator keeps track of which pages of
// each handle are live and never emits such a line; after a call whose success depends on the
// policy (the UNMAP wildcard) it stops using that handle. One exception is placement-independent
// and worth having: right after a DEALLOC punched a hole in a run, before any ALLOC or MAP could
// hand the hole out again, a find-run across the hole must fail everywhere — so a store whose
// find-run overlooks holes is caught. Other spanning and stale cases are the device layer's own
// tests, where offsets are concrete.

import { Prng } from '../workloads/prng.js'
import type { DeviceOp, OpStream } from '../workloads/types.js'

export interface StreamShape {
  /** Most ops in one stream (each stream has between 1 and this many). */
  readonly maxOps: number
  /** Largest page count of one ALLOC or MAP. */
  readonly maxPages: number
}

export const DEFAULT_SHAPE: StreamShape = { maxOps: 120, maxPages: 8 }

/** The peer every conformance stream talks to (the Domain's default peer). */
const DOMID = 1

interface Created {
  readonly handle: number
  readonly side: 'alloc' | 'map'
  readonly pages: number
  /** Per page: still in the store (an ALLOC's pages die one DEALLOC at a time, a MAP's at once). */
  readonly live: boolean[]
  /** `creations` when a DEALLOC last freed pages of this run (−1: never). */
  holeEpoch: number
}

/** Maximal runs [start, end) of live pages of a handle. */
function liveSegments(created: Created): [number, number][] {
  const segments: [number, number][] = []
  let start = -1
  for (let i = 0; i <= created.pages; i++) {
    const live = i < created.pages && created.live[i] === true
    if (live && start < 0) start = i
    if (!live && start >= 0) {
      segments.push([start, i])
      start = -1
    }
  }
  return segments
}

/** Stream number `index` of the suite seeded with `seed` (the same pair always gives the same stream). */
export function conformanceStream(seed: number, index: number, shape: StreamShape = DEFAULT_SHAPE): OpStream {
  const rng = new Prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0)
  const length = rng.int(1, shape.maxOps)
  const ops: DeviceOp[] = []
  const created: Created[] = []
  const mapped: number[] = []
  let nextHandle = 0
  let nextVma = 0
  let nextRef = 8
  let attempts = 0
  /** ALLOC and MAP lines so far: a hole can be handed out again only by one of them. */
  let creations = 0
  const pages = (): number => (rng.chance(0.8) ? rng.int(1, Math.min(3, shape.maxPages)) : rng.int(1, shape.maxPages))
  /** A handle of `side` with a live page, recent ones preferred (they are what programs touch). */
  const pickLive = (side?: 'alloc' | 'map'): Created | undefined => {
    const pool = created.filter((c) => (side === undefined || c.side === side) && c.live.includes(true))
    if (pool.length === 0) return undefined
    return rng.chance(0.7) ? pool[pool.length - 1 - Math.min(pool.length - 1, rng.int(0, 3))] : rng.pick(pool)
  }
  const create = (side: 'alloc' | 'map', count: number): number => {
    const handle = nextHandle++
    creations++
    created.push({ handle, side, pages: count, live: new Array<boolean>(count).fill(true), holeEpoch: -1 })
    return handle
  }
  /** An ALLOC handle whose hole nobody can have been handed since it was punched, if any. */
  const freshHole = (): Created | undefined => {
    const pool = created.filter((c) => c.side === 'alloc' && c.holeEpoch === creations && c.live.includes(true))
    return pool.length === 0 ? undefined : rng.pick(pool)
  }

  // Bounded: a roll that finds nothing to act on emits nothing.
  while (ops.length < length && attempts++ < length * 20) {
    const roll = rng.int(0, 99)
    if (roll < 16) {
      // ALLOC_GREF; now and then zero pages (EINVAL everywhere, the handle never becomes live).
      if (rng.chance(0.03)) {
        ops.push({ kind: 'alloc', handle: nextHandle++, domid: DOMID, pages: 0, writable: true })
        continue
      }
      // Half of the ALLOCs have 3 pages or more, so that runs have middles to punch holes in.
      const count = rng.chance(0.5) && shape.maxPages >= 3 ? rng.int(3, shape.maxPages) : pages()
      ops.push({ kind: 'alloc', handle: create('alloc', count), domid: DOMID, pages: count, writable: rng.chance(0.8) })
    } else if (roll < 32) {
      if (rng.chance(0.03)) {
        ops.push({ kind: 'map', handle: nextHandle++, domid: DOMID, grantRefs: [] })
        continue
      }
      const count = pages()
      const grantRefs: number[] = []
      for (let i = 0; i < count; i++) grantRefs.push(nextRef++)
      ops.push({ kind: 'map', handle: create('map', count), domid: DOMID, grantRefs })
    } else if (roll < 44) {
      // DEALLOC_GREF of a sub-run of one live segment; now and then zero pages (EINVAL).
      const holed = rng.chance(0.3) ? freshHole() : undefined
      if (holed !== undefined) {
        // The whole run, hole included: fails everywhere and changes nothing.
        ops.push({ kind: 'dealloc', handle: holed.handle, pageOffset: 0, pages: holed.pages })
        continue
      }
      const target = pickLive('alloc')
      if (target === undefined) continue
      const [start, end] = rng.pick(liveSegments(target))
      if (rng.chance(0.05)) {
        ops.push({ kind: 'dealloc', handle: target.handle, pageOffset: start, pages: 0 })
        continue
      }
      // The whole segment, a part of it, or (a quarter of the time) a hole in its middle.
      let from = start
      let count = end - start
      const shape = rng.int(0, 99)
      if (shape < 25 && end - start >= 3) {
        from = rng.int(start + 1, end - 2)
        count = rng.int(1, end - 1 - from)
      } else if (shape < 60) {
        from = rng.int(start, end - 1)
        count = rng.int(1, end - from)
      }
      ops.push({ kind: 'dealloc', handle: target.handle, pageOffset: from, pages: count })
      for (let i = from; i < from + count; i++) target.live[i] = false
      target.holeEpoch = creations
    } else if (roll < 56) {
      const target = pickLive('map')
      if (target === undefined) continue
      const mode = rng.int(0, 9)
      if (mode < 7) {
        ops.push({ kind: 'unmap', handle: target.handle, pages: target.pages })
        target.live.fill(false)
      } else if (mode < 8) {
        // The wildcard succeeds only where the policy allows it: the handle is not used again.
        ops.push({ kind: 'unmap', handle: target.handle, pages: 0 })
        target.live.fill(false)
      } else {
        ops.push({ kind: 'unmap', handle: target.handle, pages: target.pages + rng.int(1, 2) })
      }
    } else if (roll < 70) {
      const holed = rng.chance(0.5) ? freshHole() : undefined
      const target = holed ?? pickLive()
      if (target === undefined) continue
      const vma = nextVma++
      const writable = rng.chance(0.7)
      if (holed !== undefined) {
        ops.push({ kind: 'mmap', vma, handle: holed.handle, pageOffset: 0, pages: holed.pages, writable })
      } else if (target.side === 'alloc') {
        const [start, end] = rng.pick(liveSegments(target))
        const from = rng.chance(0.7) ? start : rng.int(start, end - 1)
        const count = rng.chance(0.7) ? end - from : rng.int(1, end - from)
        ops.push({ kind: 'mmap', vma, handle: target.handle, pageOffset: from, pages: count, writable })
      } else {
        // Exact count, or a wrong one (a gmap is found by exact start and count only).
        const count = rng.chance(0.85) ? target.pages : target.pages + rng.pick([-1, 1])
        ops.push({ kind: 'mmap', vma, handle: target.handle, pageOffset: 0, pages: Math.max(1, count), writable })
      }
      mapped.push(vma)
    } else if (roll < 78) {
      if (mapped.length === 0) continue
      const [vma] = mapped.splice(rng.int(0, mapped.length - 1), 1)
      if (vma !== undefined) ops.push({ kind: 'munmap', vma })
    } else if (roll < 86) {
      if (nextVma === 0) continue
      // Any slot, munmapped ones included (the applier skips a slot without a live VMA).
      ops.push({ kind: 'getOffset', vma: mapped.length > 0 && rng.chance(0.8) ? rng.pick(mapped) : rng.int(0, nextVma - 1) })
    } else if (roll < 94) {
      const target = pickLive()
      if (target === undefined) continue
      const livePages = target.live.flatMap((live, page) => (live ? [page] : []))
      ops.push({
        kind: 'notify',
        handle: target.handle,
        pageOffset: rng.pick(livePages),
        byteInPage: rng.int(0, 4095),
        action: rng.chance(0.05) ? 4 : rng.pick([0, 1, 2, 3, 3, 3]),
        port: rng.int(1, 1000),
      })
    } else if (roll < 98) {
      // The peer maps or unmaps our grants (by grant ref, so released pages are fine).
      const pool = created.filter((c) => c.side === 'alloc')
      if (pool.length === 0) continue
      const target = rng.pick(pool)
      ops.push({ kind: rng.chance(0.6) ? 'foreignMap' : 'foreignUnmap', handle: target.handle, pageOffset: 0, pages: target.pages })
    } else if (rng.chance(0.25)) {
      ops.push({ kind: 'close' })
    }
  }
  if (rng.chance(0.15)) ops.push({ kind: 'close' })
  return { setup: [], measured: ops, handles: nextHandle, vmas: nextVma }
}
