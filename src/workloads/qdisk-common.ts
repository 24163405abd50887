// Shared facts of the QEMU Xen block backend (docs/kernel-model.md §6.2): protocol constants from
// xen/include/public/io/blkif.h and the long-lived ring mapping both qdisk workloads start with.

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
