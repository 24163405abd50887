// Seeded generator of mixed DeviceOp streams for the differential tests: every ioctl kind,
// mmap/munmap, foreign map/unmap by the peer, deliberate errors, and close at the end.
//
// Runs are kept inside one handle. Where a run lands (and so whether a run that crosses a
// handle's edge meets a neighbour) depends on the allocator, which differs by strategy on
// purpose. For the same reason an operation may touch a released page only while no ALLOC or
// MAP has been issued since the release: until then no allocator can have handed the offsets out
// again, so every strategy and the reference must fail it alike (double DEALLOC, UNMAP of an
// unmapped handle, notify on a freed page, mmap of a freed run).
//
// The generator models only what it issued, not what succeeded: an operation that MAY release
// pages (a wildcard UNMAP, which is EINVAL where the policy has no wildcard) counts as a release.

import type { DeviceOp, OpStream } from '../../src/workloads/types.js'
import { Prng } from '../../src/workloads/prng.js'

export interface Sides {
  alloc: boolean
  map: boolean
}

export interface DifferentialStream extends OpStream {
  /** Peer grant refs the stream's MAP calls name and that the test must grant on every peer. */
  readonly grantedRefs: readonly number[]
  /** Handle each VMA slot was mmapped from. */
  readonly vmaHandle: readonly number[]
  /** Pages of each handle as issued (0 for a deliberately bad count). */
  readonly handlePages: readonly number[]
  readonly handleKind: readonly ('gref' | 'gmap')[]
}

interface HandleModel {
  readonly kind: 'gref' | 'gmap'
  readonly pages: number
  /** Per page: −2 live, −1 never existed (bad count), else the allocation epoch of its release. */
  readonly state: number[]
}

const LIVE = -2

/** Grant refs the peer never grants: the first mmap of a map naming one fails. */
const UNGRANTED_REF = 7

export function generateDifferentialStream(seed: number, opCount: number, sides: Sides): DifferentialStream {
  const rng = new Prng(seed)
  const ops: DeviceOp[] = []
  const handles: HandleModel[] = []
  const live: number[] = []
  const vmaHandle: number[] = []
  const openSlots: number[] = []
  const grantedRefs: number[] = []
  let nextPeerRef = 100_000
  /** ALLOC/MAP calls issued so far: offsets can be reused only by one of these. */
  let allocEpoch = 0

  const isLiveHandle = (h: HandleModel): boolean => h.state.some((s) => s === LIVE)
  /** Every page of [offset, offset + pages) is live, or released with no ALLOC/MAP since. */
  const safe = (h: HandleModel, offset: number, pages: number): boolean => {
    for (let i = offset; i < offset + pages; i++) {
      const s = h.state[i]
      if (s === undefined || (s !== LIVE && s !== allocEpoch)) return false
    }
    return true
  }
  const release = (handle: number, offset: number, pages: number): void => {
    const h = handles[handle] as HandleModel
    for (let i = offset; i < offset + pages; i++) if (h.state[i] === LIVE) h.state[i] = allocEpoch
    if (!isLiveHandle(h)) {
      const at = live.indexOf(handle)
      if (at >= 0) live.splice(at, 1)
    }
  }
  const newHandle = (kind: 'gref' | 'gmap', pages: number): number => {
    const state = new Array<number>(Math.max(pages, 0)).fill(LIVE)
    handles.push({ kind, pages: Math.max(pages, 0), state })
    allocEpoch++
    const handle = handles.length - 1
    if (pages > 0) live.push(handle)
    return handle
  }
  const pickKind = (): 'gref' | 'gmap' => {
    if (sides.alloc && sides.map) return rng.chance(0.5) ? 'gref' : 'gmap'
    // One-sided presets still get a few calls of the other side, which must fail with ENOTTY.
    const main = sides.alloc ? 'gref' : 'gmap'
    return rng.chance(0.95) ? main : main === 'gref' ? 'gmap' : 'gref'
  }
  const runSize = (): number => (rng.chance(0.75) ? rng.int(1, 4) : rng.int(5, 16))
  const mapRefs = (pages: number): number[] => {
    const refs: number[] = []
    const bad = rng.chance(0.05)
    for (let i = 0; i < pages; i++) {
      const ref = nextPeerRef++
      grantedRefs.push(ref)
      refs.push(ref)
    }
    if (bad && pages > 0) refs[rng.int(0, pages - 1)] = UNGRANTED_REF
    return refs
  }

  const create = (): void => {
    const kind = pickKind()
    const special = rng.next()
    // Bad counts (EINVAL everywhere), and sizes beyond a preset's limits (gntalloc's 1024 grefs
    // per domain, gntdev's 65,536 pages per call) that the neutral policy accepts.
    let pages = special < 0.01 ? 0 : special < 0.013 ? (kind === 'gref' ? 1025 : 65_537) : runSize()
    if (kind === 'gref') {
      const handle = newHandle('gref', pages)
      ops.push({ kind: 'alloc', handle, domid: 1, pages, writable: rng.chance(0.8) })
    } else {
      const refs = pages > 1000 ? new Array<number>(pages).fill(UNGRANTED_REF) : mapRefs(pages)
      pages = refs.length
      const handle = newHandle('gmap', pages)
      ops.push({ kind: 'map', handle, domid: 1, grantRefs: refs })
    }
  }

  const pickLive = (): number => live[rng.int(0, live.length - 1)] as number

  /** A run inside the live part of a gref handle: [offset, offset + pages). */
  const liveRun = (h: HandleModel): [number, number] | null => {
    const starts: number[] = []
    for (let i = 0; i < h.pages; i++) if (h.state[i] === LIVE) starts.push(i)
    if (starts.length === 0) return null
    const offset = rng.pick(starts)
    let end = offset + 1
    while (end < h.pages && h.state[end] === LIVE) end++
    return [offset, rng.int(offset + 1, end) - offset]
  }

  const releaseOp = (): void => {
    const handle = pickLive()
    const h = handles[handle] as HandleModel
    if (h.kind === 'gmap') {
      const wildcard = rng.chance(0.1)
      ops.push({ kind: 'unmap', handle, pages: wildcard ? 0 : h.pages })
      release(handle, 0, h.pages)
      return
    }
    const whole = rng.chance(0.6) && h.state.every((s) => s === LIVE)
    const run = whole ? ([0, h.pages] as [number, number]) : liveRun(h)
    if (run === null) return
    ops.push({ kind: 'dealloc', handle, pageOffset: run[0], pages: run[1] })
    release(handle, run[0], run[1])
  }

  const mmapOp = (): void => {
    const handle = pickLive()
    const h = handles[handle] as HandleModel
    const slot = vmaHandle.length
    let pageOffset = 0
    let pages = h.pages
    if (h.kind === 'gref') {
      const run = liveRun(h)
      if (run === null) return
      ;[pageOffset, pages] = run
    } else if (rng.chance(0.1) && h.pages > 1) {
      // A sub-range of a gmap: no containment, EINVAL everywhere.
      pageOffset = rng.int(0, 1)
      pages = h.pages - 1
    }
    vmaHandle.push(handle)
    openSlots.push(slot)
    ops.push({ kind: 'mmap', vma: slot, handle, pageOffset, pages, writable: rng.chance(0.7) })
  }

  const munmapOp = (): void => {
    if (openSlots.length === 0) return
    const at = rng.int(0, openSlots.length - 1)
    const slot = openSlots[at] as number
    openSlots.splice(at, 1)
    ops.push({ kind: 'munmap', vma: slot })
  }

  const getOffsetOp = (): void => {
    if (openSlots.length === 0) return
    ops.push({ kind: 'getOffset', vma: rng.pick(openSlots) })
  }

  const notifyOp = (): void => {
    const handle = pickLive()
    const h = handles[handle] as HandleModel
    const pageOffset = rng.int(0, h.pages - 1)
    if (!safe(h, pageOffset, 1)) return
    const byteInPage = rng.int(0, 4095)
    const action = rng.int(0, 3)
    ops.push({ kind: 'notify', handle, pageOffset, byteInPage, action, port: rng.int(1, 100) })
  }

  const foreignOp = (map: boolean): void => {
    if (handles.length === 0) return
    const handle = rng.int(0, handles.length - 1)
    const h = handles[handle] as HandleModel
    if (h.kind !== 'gref' || h.pages === 0) return
    const pageOffset = rng.int(0, h.pages - 1)
    const pages = rng.int(1, h.pages - pageOffset)
    ops.push({ kind: map ? 'foreignMap' : 'foreignUnmap', handle, pageOffset, pages })
  }

  /** Deliberate errors that fail alike on every strategy. */
  const errorOp = (): void => {
    const handle = pickLive()
    const h = handles[handle] as HandleModel
    const which = rng.int(0, 4)
    if (which === 0) {
      // A count of 0 for DEALLOC; a wrong count for UNMAP (never 0, a wildcard on Linux).
      ops.push(h.kind === 'gref' ? { kind: 'dealloc', handle, pageOffset: 0, pages: 0 } : { kind: 'unmap', handle, pages: h.pages + 1 })
    } else if (which === 1) {
      // A run that starts on a page released since the last ALLOC/MAP; a gmap's count minus one.
      const offset = h.state.findIndex((s) => s === allocEpoch)
      if (h.kind === 'gmap') ops.push({ kind: 'unmap', handle, pages: h.pages > 1 ? h.pages - 1 : h.pages + 2 })
      else if (offset >= 0) ops.push({ kind: 'dealloc', handle, pageOffset: offset, pages: 1 })
      else ops.push({ kind: 'dealloc', handle, pageOffset: 0, pages: -1 })
    } else if (which === 2) {
      const slot = vmaHandle.length
      vmaHandle.push(handle)
      openSlots.push(slot)
      ops.push({ kind: 'mmap', vma: slot, handle, pageOffset: 0, pages: 0, writable: true })
    } else if (which === 3) {
      ops.push({ kind: 'notify', handle, pageOffset: 0, byteInPage: rng.chance(0.5) ? 4096 : -1, action: 1, port: 1 })
    } else {
      ops.push({ kind: 'notify', handle, pageOffset: 0, byteInPage: 0, action: rng.pick([4, 8, 0x80000000]), port: 1 })
    }
  }

  /** Operations on handles released since the last ALLOC/MAP: double DEALLOC/UNMAP, notify, mmap. */
  const staleOp = (): void => {
    const stale: number[] = []
    for (let i = handles.length - 1; i >= 0 && stale.length < 8; i--) {
      const h = handles[i] as HandleModel
      if (h.state.some((s) => s === allocEpoch)) stale.push(i)
    }
    if (stale.length === 0) return
    const handle = rng.pick(stale)
    const h = handles[handle] as HandleModel
    const offset = h.state.findIndex((s) => s === allocEpoch)
    const which = rng.int(0, 2)
    if (which === 0) {
      ops.push(h.kind === 'gref' ? { kind: 'dealloc', handle, pageOffset: offset, pages: 1 } : { kind: 'unmap', handle, pages: h.pages })
    } else if (which === 1) {
      ops.push({ kind: 'notify', handle, pageOffset: offset, byteInPage: 1, action: 1, port: 1 })
    } else {
      const slot = vmaHandle.length
      vmaHandle.push(handle)
      openSlots.push(slot)
      ops.push({ kind: 'mmap', vma: slot, handle, pageOffset: offset, pages: 1, writable: false })
    }
  }

  while (ops.length < opCount) {
    const r = rng.next()
    const createWeight = live.length < 10 ? 0.6 : live.length > 80 ? 0.03 : 0.18
    if (live.length === 0 || r < createWeight) create()
    else {
      const k = rng.next()
      if (k < 0.16) releaseOp()
      else if (k < 0.32) mmapOp()
      else if (k < 0.46) munmapOp()
      else if (k < 0.52) getOffsetOp()
      else if (k < 0.64) notifyOp()
      else if (k < 0.7) foreignOp(true)
      else if (k < 0.76) foreignOp(false)
      else if (k < 0.84) errorOp()
      else staleOp()
    }
  }

  // The end: close, then everything still mapped is unmapped (munmap stays valid), then calls
  // on the closed file (EINVAL), then the peer unmaps every page of ours once.
  ops.push({ kind: 'close' })
  for (const slot of openSlots) ops.push({ kind: 'munmap', vma: slot })
  if (live.length > 0) {
    const handle = pickLive()
    ops.push({ kind: 'notify', handle, pageOffset: 0, byteInPage: 0, action: 1, port: 1 })
  }
  handles.push({ kind: 'gref', pages: 1, state: [LIVE] })
  ops.push({ kind: 'alloc', handle: handles.length - 1, domid: 1, pages: 1, writable: true })
  handles.push({ kind: 'gmap', pages: 1, state: [LIVE] })
  ops.push({ kind: 'map', handle: handles.length - 1, domid: 1, grantRefs: [UNGRANTED_REF] })
  for (let handle = 0; handle < handles.length; handle++) {
    const h = handles[handle] as HandleModel
    if (h.kind === 'gref' && h.pages > 0) ops.push({ kind: 'foreignUnmap', handle, pageOffset: 0, pages: h.pages })
  }

  return {
    setup: [],
    measured: ops,
    handles: handles.length,
    vmas: vmaHandle.length,
    grantedRefs,
    vmaHandle,
    handlePages: handles.map((h) => h.pages),
    handleKind: handles.map((h) => h.kind),
  }
}
