// Seeded random op streams for verification: the conformance suite (`gntbench check`, the
// untimed checks), the differential tests against ReferenceDevice and the native engine's
// agreement tests all draw their streams from this one generator, each with its own profile.
// Every ioctl kind is issued, with mmap/munmap, foreign maps by the peer, deliberate errors
// (zero and wrong counts, bad notify actions, double releases) and a close.
//
// Placement independence. Handles are symbolic, and every strategy places runs differently
// (FreeBSD hands out offsets downward from 2^64, Linux upward from 0), so a line whose answer
// depends on WHERE runs were placed would make two correct devices disagree: a page past the end
// of its run (it may or may not belong to the neighbouring ALLOC), a span over two ALLOCs, or a
// page already released (another strategy may have handed it out again). So runs stay inside
// one handle, and the generator tracks, per page of each handle, whether it is live or when it
// was released. A released page may be named only while no ALLOC or MAP has been issued since
// (its release is "fresh"): until then no allocator can have handed it out again, so every device
// fails the line alike — double DEALLOC, UNMAP of an unmapped handle, notify on a freed page, and
// the whole run of an ALLOC across a hole a DEALLOC just punched (which catches a store whose
// find-run overlooks holes). The generator models what it issued, not what succeeded: a line that
// MAY release pages (a wildcard UNMAP, EINVAL where the policy has none) counts as a release.
//
// Profiles. Conformance streams are short (up to 120 ops), hold small runs (a gref store holds
// one record per page) and only what a trace file can express, so a failure prints as a trace;
// each device grants the refs of a map itself (verify/lockstep.ts Lane). Differential streams are
// long and also probe the limits (calls beyond gntalloc's 1,024 grefs or gntdev's 65,536 pages
// per call, refs the peer never granted, negative counts and bytes outside the page): the caller
// grants `grantedRefs` on every peer. They end with the close epilogue: close, munmap of what is
// still mapped, calls on the closed file, and the peer unmapping every page of ours.

import { PAGE_BYTES } from '../abi.js'
import { Prng } from '../workloads/prng.js'
import type { DeviceOp, OpStream } from '../workloads/types.js'

/** The ioctl families of the device under test (a one-sided device still gets a few ENOTTY calls). */
export interface Sides {
  readonly alloc: boolean
  readonly map: boolean
}

export interface StreamProfile {
  /** Ops before the ending: exactly this many, or (varyLength) between 1 and this many. */
  readonly ops: number
  readonly varyLength: boolean
  /** Largest page count of an ordinary ALLOC or MAP. */
  readonly maxPages: number
  readonly sides: Sides
  /** Limit probes and arguments a trace cannot hold; the caller grants `grantedRefs` itself. */
  readonly probes: boolean
  /** 'maybe-close': the file may be closed anywhere; 'epilogue': the close epilogue ends the stream. */
  readonly ending: 'maybe-close' | 'epilogue'
}

export const CONFORMANCE_PROFILE: StreamProfile = { ops: 120, varyLength: true, maxPages: 8, sides: { alloc: true, map: true }, probes: false, ending: 'maybe-close' }

/** The differential tests' profile: `ops` ops on a device with these sides, limit probes, the epilogue. */
export function differentialProfile(ops: number, sides: Sides): StreamProfile {
  return { ops, varyLength: false, maxPages: 16, sides, probes: true, ending: 'epilogue' }
}

export interface GeneratedStream extends OpStream {
  /** Peer grant refs the stream's MAP calls name, which a caller that grants up front must grant. */
  readonly grantedRefs: readonly number[]
  /** Handle each VMA slot was mmapped from. */
  readonly vmaHandle: readonly number[]
  /** Pages of each handle as issued (0 for a deliberately bad count). */
  readonly handlePages: readonly number[]
}

/** The peer every stream talks to (the Domain's default peer). */
const DOMID = 1
/** A grant ref the peer never grants: the first mmap of a map naming it fails. */
const UNGRANTED_REF = 7
const FIRST_REF = 100_000
const LIVE = -2

interface Handle {
  readonly side: 'alloc' | 'map'
  readonly pages: number
  /** Per page: LIVE, or the number of ALLOC/MAP calls issued when it was released. */
  readonly state: number[]
}

/** Maximal runs [start, end) of live pages of a handle. */
function liveSegments(h: Handle): [number, number][] {
  const segments: [number, number][] = []
  let start = -1
  for (let i = 0; i <= h.pages; i++) {
    const live = i < h.pages && h.state[i] === LIVE
    if (live && start < 0) start = i
    if (!live && start >= 0) {
      segments.push([start, i])
      start = -1
    }
  }
  return segments
}

class StreamGenerator {
  readonly ops: DeviceOp[] = []
  readonly handles: Handle[] = []
  readonly vmaHandle: number[] = []
  readonly grantedRefs: number[] = []
  private readonly rng: Prng
  private readonly profile: StreamProfile
  /** Handles with a live page, oldest first. */
  private readonly live: number[] = []
  /** Handles with a page released since the last ALLOC/MAP. */
  private fresh: number[] = []
  private readonly openSlots: number[] = []
  private nextRef = FIRST_REF
  /** ALLOC and MAP calls issued so far: a released page is fresh while this has not moved. */
  private epoch = 0

  constructor(seed: number, profile: StreamProfile) {
    this.rng = new Prng(seed)
    this.profile = profile
  }

  generate(): GeneratedStream {
    const rng = this.rng
    const length = this.profile.varyLength ? rng.int(1, this.profile.ops) : this.profile.ops
    // Bounded: a roll that finds nothing to act on emits nothing.
    for (let attempts = 0; this.ops.length < length && attempts < length * 20; attempts++) this.step()
    if (this.profile.ending === 'epilogue') this.epilogue()
    else if (rng.chance(0.15)) this.ops.push({ kind: 'close' })
    return {
      setup: [],
      measured: this.ops,
      handles: this.handles.length,
      vmas: this.vmaHandle.length,
      grantedRefs: this.grantedRefs,
      vmaHandle: this.vmaHandle,
      handlePages: this.handles.map((h) => h.pages),
    }
  }

  private step(): void {
    const rng = this.rng
    const live = this.live.length
    // Many creations while little is live, few once the live set is large: it stays bounded.
    const createWeight = live < 4 ? 0.5 : live > 80 ? 0.03 : 0.2
    if (live === 0 || rng.next() < createWeight) { this.create(); return; }
    const k = rng.next()
    if (k < 0.18) this.release()
    else if (k < 0.36) this.mmap()
    else if (k < 0.48) this.munmap()
    else if (k < 0.56) this.getOffset()
    else if (k < 0.68) this.notify()
    else if (k < 0.78) this.foreign()
    else if (k < 0.86) this.error()
    else if (k < 0.98) this.stale()
    else if (this.profile.ending === 'maybe-close' && rng.chance(0.25)) this.ops.push({ kind: 'close' })
  }

  private get(handle: number): Handle {
    return this.handles[handle] as Handle
  }

  /** A handle with a live page (of `side`), recent ones preferred: they are what programs touch. */
  private pickLive(side?: 'alloc' | 'map'): number | undefined {
    const pool = side === undefined ? this.live : this.live.filter((handle) => this.get(handle).side === side)
    if (pool.length === 0) return undefined
    const rng = this.rng
    return rng.chance(0.6) ? pool[pool.length - 1 - rng.int(0, Math.min(3, pool.length - 1))] : rng.pick(pool)
  }

  /** An ALLOC handle with live pages and a hole punched since the last ALLOC/MAP. */
  private freshHole(): number | undefined {
    const pool = this.fresh.filter((handle) => this.get(handle).side === 'alloc' && this.live.includes(handle))
    return pool.length === 0 ? undefined : this.rng.pick(pool)
  }

  private pickSide(): 'alloc' | 'map' {
    const { alloc, map } = this.profile.sides
    if (alloc && map) return this.rng.chance(0.5) ? 'alloc' : 'map'
    const main = alloc ? 'alloc' : 'map'
    return this.rng.chance(0.95) ? main : main === 'alloc' ? 'map' : 'alloc'
  }

  private runSize(side: 'alloc' | 'map'): number {
    const rng = this.rng
    const max = this.profile.maxPages
    // Many ALLOCs have 3 pages or more, so that runs have middles to punch holes in.
    if (side === 'alloc' && max >= 3 && rng.chance(0.4)) return rng.int(3, max)
    return rng.chance(0.75) ? rng.int(1, Math.min(4, max)) : rng.int(1, max)
  }

  private create(): void {
    const rng = this.rng
    const side = this.pickSide()
    const probe = this.profile.probes && rng.chance(0.004)
    // Zero pages is EINVAL everywhere; a probe exceeds a preset's limits, which the neutral policy accepts.
    const pages = rng.chance(0.02) ? 0 : probe ? (side === 'alloc' ? 1025 : 65_537) : this.runSize(side)
    const handle = this.handles.length
    if (side === 'alloc') this.ops.push({ kind: 'alloc', handle, domid: DOMID, pages, writable: rng.chance(0.8) })
    else this.ops.push({ kind: 'map', handle, domid: DOMID, grantRefs: probe ? new Array<number>(pages).fill(UNGRANTED_REF) : this.mapRefs(pages) })
    this.epoch++
    this.fresh = []
    this.handles.push({ side, pages, state: new Array<number>(pages).fill(LIVE) })
    if (pages > 0) this.live.push(handle)
  }

  private mapRefs(pages: number): number[] {
    const refs: number[] = []
    for (let i = 0; i < pages; i++) refs.push(this.nextRef++)
    this.grantedRefs.push(...refs)
    if (this.profile.probes && pages > 0 && this.rng.chance(0.05)) refs[this.rng.int(0, pages - 1)] = UNGRANTED_REF
    return refs
  }

  /** Pages [offset, offset + pages) of `handle` are released now. */
  private released(handle: number, offset: number, pages: number): void {
    const h = this.get(handle)
    for (let i = offset; i < offset + pages; i++) if (h.state[i] === LIVE) h.state[i] = this.epoch
    if (!this.fresh.includes(handle)) this.fresh.push(handle)
    const at = this.live.indexOf(handle)
    if (at >= 0 && !h.state.includes(LIVE)) this.live.splice(at, 1)
  }

  /** DEALLOC of a part of a live segment (sometimes a hole in its middle), or UNMAP. */
  private release(): void {
    const rng = this.rng
    const holed = rng.chance(0.25) ? this.freshHole() : undefined
    if (holed !== undefined) {
      // The whole run, hole included: fails everywhere and changes nothing.
      this.ops.push({ kind: 'dealloc', handle: holed, pageOffset: 0, pages: this.get(holed).pages })
      return
    }
    const handle = this.pickLive()
    if (handle === undefined) return
    const h = this.get(handle)
    if (h.side === 'map') {
      const mode = rng.int(0, 9)
      // A wrong count fails; the wildcard (count 0) succeeds only where the policy has it.
      if (mode >= 8) this.ops.push({ kind: 'unmap', handle, pages: h.pages + rng.int(1, 2) })
      else {
        this.ops.push({ kind: 'unmap', handle, pages: mode < 7 ? h.pages : 0 })
        this.released(handle, 0, h.pages)
      }
      return
    }
    const [start, end] = rng.pick(liveSegments(h))
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
    this.ops.push({ kind: 'dealloc', handle, pageOffset: from, pages: count })
    this.released(handle, from, count)
  }

  private openSlot(handle: number, pageOffset: number, pages: number, writable: boolean): void {
    const vma = this.vmaHandle.length
    this.vmaHandle.push(handle)
    this.openSlots.push(vma)
    this.ops.push({ kind: 'mmap', vma, handle, pageOffset, pages, writable })
  }

  private mmap(): void {
    const rng = this.rng
    const writable = rng.chance(0.7)
    const holed = rng.chance(0.3) ? this.freshHole() : undefined
    if (holed !== undefined) { this.openSlot(holed, 0, this.get(holed).pages, writable); return; }
    const handle = this.pickLive()
    if (handle === undefined) return
    const h = this.get(handle)
    if (h.side === 'alloc') {
      const [start, end] = rng.pick(liveSegments(h))
      const from = rng.chance(0.7) ? start : rng.int(start, end - 1)
      this.openSlot(handle, from, rng.chance(0.7) ? end - from : rng.int(1, end - from), writable); return;
    }
    // A gmap is found by its exact start and count: a wrong count or a sub-range fails everywhere.
    const mode = rng.int(0, 19)
    if (mode < 16 || h.pages < 2) this.openSlot(handle, 0, h.pages, writable)
    else if (mode < 18) this.openSlot(handle, 0, h.pages + rng.pick([-1, 1]), writable)
    else this.openSlot(handle, 1, h.pages - 1, writable)
  }

  private munmap(): void {
    if (this.openSlots.length === 0) return
    const [vma] = this.openSlots.splice(this.rng.int(0, this.openSlots.length - 1), 1)
    if (vma !== undefined) this.ops.push({ kind: 'munmap', vma })
  }

  private getOffset(): void {
    const rng = this.rng
    const slots = this.vmaHandle.length
    if (slots === 0) return
    // Now and then a munmapped slot (the applier skips a slot without a live VMA).
    const vma = this.openSlots.length > 0 && rng.chance(0.85) ? rng.pick(this.openSlots) : rng.int(0, slots - 1)
    this.ops.push({ kind: 'getOffset', vma })
  }

  /** SET_UNMAP_NOTIFY on a live page, or on one released since the last ALLOC/MAP. */
  private notify(): void {
    const rng = this.rng
    const handle = this.pickLive()
    if (handle === undefined) return
    const h = this.get(handle)
    const pages = h.state.flatMap((s, page) => (s === LIVE || s === this.epoch ? [page] : []))
    const action = rng.chance(0.05) ? 4 : rng.pick([0, 1, 2, 3, 3, 3])
    this.ops.push({ kind: 'notify', handle, pageOffset: rng.pick(pages), byteInPage: rng.int(0, PAGE_BYTES - 1), action, port: rng.int(1, 1000) })
  }

  /** The peer maps or unmaps our grants (by grant ref, so released pages are fine). */
  private foreign(): void {
    const rng = this.rng
    if (this.handles.length === 0) return
    const handle = rng.int(0, this.handles.length - 1)
    const h = this.get(handle)
    if (h.side !== 'alloc' || h.pages === 0) return
    const pageOffset = rng.int(0, h.pages - 1)
    const pages = rng.int(1, h.pages - pageOffset)
    this.ops.push({ kind: rng.chance(0.55) ? 'foreignMap' : 'foreignUnmap', handle, pageOffset, pages })
  }

  /** Deliberate errors on a live handle that fail alike on every device. */
  private error(): void {
    const rng = this.rng
    const handle = this.pickLive()
    if (handle === undefined) return
    const h = this.get(handle)
    const which = rng.int(0, this.profile.probes ? 4 : 2)
    if (which === 0) {
      // A count of 0 for DEALLOC; a wrong count for UNMAP (never 0, the wildcard).
      this.ops.push(h.side === 'alloc' ? { kind: 'dealloc', handle, pageOffset: 0, pages: 0 } : { kind: 'unmap', handle, pages: h.pages > 1 ? h.pages - 1 : h.pages + 2 })
    } else if (which === 1) {
      this.openSlot(handle, 0, 0, true)
    } else if (which === 2) {
      this.ops.push({ kind: 'notify', handle, pageOffset: 0, byteInPage: 0, action: rng.pick([4, 8, 0x80000000]), port: 1 })
    } else if (which === 3) {
      this.ops.push({ kind: 'notify', handle, pageOffset: 0, byteInPage: rng.chance(0.5) ? PAGE_BYTES : -1, action: 1, port: 1 })
    } else {
      this.ops.push(h.side === 'alloc' ? { kind: 'dealloc', handle, pageOffset: 0, pages: -1 } : { kind: 'unmap', handle, pages: h.pages + 2 })
    }
  }

  /** A released page named again before any ALLOC/MAP: double DEALLOC or UNMAP, notify, mmap. */
  private stale(): void {
    const rng = this.rng
    if (this.fresh.length === 0) return
    const handle = rng.pick(this.fresh)
    const h = this.get(handle)
    const offset = h.state.indexOf(this.epoch)
    const which = rng.int(0, 2)
    if (which === 0) this.ops.push(h.side === 'alloc' ? { kind: 'dealloc', handle, pageOffset: offset, pages: 1 } : { kind: 'unmap', handle, pages: h.pages })
    else if (which === 1) this.ops.push({ kind: 'notify', handle, pageOffset: offset, byteInPage: 1, action: 1, port: 1 })
    else this.openSlot(handle, offset, 1, false)
  }

  /** Close, munmap what is still mapped, calls on the closed file, the peer unmaps every page of ours. */
  private epilogue(): void {
    const ops = this.ops
    ops.push({ kind: 'close' })
    for (const vma of this.openSlots) ops.push({ kind: 'munmap', vma })
    const last = this.live[this.live.length - 1]
    if (last !== undefined) ops.push({ kind: 'notify', handle: last, pageOffset: 0, byteInPage: 0, action: 1, port: 1 })
    this.handles.push({ side: 'alloc', pages: 1, state: [LIVE] })
    ops.push({ kind: 'alloc', handle: this.handles.length - 1, domid: DOMID, pages: 1, writable: true })
    this.handles.push({ side: 'map', pages: 1, state: [LIVE] })
    ops.push({ kind: 'map', handle: this.handles.length - 1, domid: DOMID, grantRefs: [UNGRANTED_REF] })
    this.handles.forEach((h, handle) => {
      if (h.side === 'alloc' && h.pages > 0) ops.push({ kind: 'foreignUnmap', handle, pageOffset: 0, pages: h.pages })
    })
  }
}

/** A stream of `profile` from `seed` (the same pair always gives the same stream). */
export function randomOpStream(seed: number, profile: StreamProfile): GeneratedStream {
  return new StreamGenerator(seed, profile).generate()
}

/** Stream number `index` of the conformance suite seeded with `seed`. */
export function conformanceStream(seed: number, index: number, profile: StreamProfile = CONFORMANCE_PROFILE): GeneratedStream {
  return randomOpStream((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0, profile)
}
