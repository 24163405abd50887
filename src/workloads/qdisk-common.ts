// Shared facts of the QEMU Xen block backend (docs/kernel-model.md §6.2): protocol constants from
// xen/include/public/io/blkif.h, the long-lived ring mapping both qdisk workloads start with, and
// a request mapped for itself only: MAP and mmap its segments, and on completion the unmap
// through libxengnttab (§6.1).

import { PeerSlots } from './peer-slots.js'
import { Prng } from './prng.js'
import { StreamBuilder } from './stream-builder.js'

/** BLKIF_MAX_SEGMENTS_PER_REQUEST: one grant per segment. */
export const QDISK_MAX_SEGMENTS = 11
/** Old qdisk's max_requests: a 1-page ring holds 32 requests. */
export const QDISK_MAX_REQUESTS = 32
/** max-ring-page-order 4 → up to 16 ring pages. */
const QDISK_MAX_RING_PAGES = 16

/**
 * A qdisk stream's start: its generator, builder and peer slots, and the shared ring (1–16
 * pages, MAP + mmap) held for the whole connection.
 */
export function openQdisk(seed: number): { rng: Prng; b: StreamBuilder; slots: PeerSlots } {
  const rng = new Prng(seed)
  const b = new StreamBuilder()
  const slots = new PeerSlots()
  const pages = rng.int(1, QDISK_MAX_RING_PAGES)
  const ring = b.map(slots.take(pages))
  b.mmap(ring, 0, pages, true)
  return { rng, b, slots }
}

/** A request mapped for itself only: its gmap, its mapping and the peer's grant slots it holds. */
export interface QdiskRequest {
  handle: number
  vma: number
  slots: number[]
}

/** Map a request's 1–11 segments with one MAP_GRANT_REF and mmap them (writable half the time). */
export function startRequest(rng: Prng, b: StreamBuilder, slots: PeerSlots): QdiskRequest {
  const segments = rng.int(1, QDISK_MAX_SEGMENTS)
  const taken = slots.take(segments)
  const handle = b.map(taken)
  // A read from disk fills guest pages (writable mapping); a write only reads them.
  const vma = b.mmap(handle, 0, segments, rng.chance(0.5))
  return { handle, vma, slots: taken }
}

/** A request's completion through libxengnttab: GET_OFFSET_FOR_VADDR → munmap → UNMAP_GRANT_REF. */
export function completeRequest(b: StreamBuilder, slots: PeerSlots, done: QdiskRequest): void {
  b.getOffset(done.vma)
  b.munmap(done.vma)
  b.unmap(done.handle, done.slots.length)
  slots.give(done.slots)
}
