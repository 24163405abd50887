// qdisk-persistent: the QEMU Xen block backend with persistent grants (docs/kernel-model.md §6.2,
// old qdisk hw/block/xen_disk.c). Grants seen once stay mapped in a pool of up to 32·11 = 352
// grants, looked up by QEMU's own tree without any ioctl, beside a 1–16 page ring held for the
// connection. Once the pool is full, requests whose grants are not in it are mapped for that
// request only: MAP (1–11 grants) → mmap … GET_OFFSET_FOR_VADDR → munmap → UNMAP, with up to 32
// requests in flight.
//
// Size N = persistent gmaps in the pool (one MAP per batched request of 1–11 grants; the real
// pool holds at most 352 grants, a few dozen such gmaps, so N in the hundreds or thousands is a
// stress setting). Pool hits issue no ioctl and are not part of the stream: the measured part is
// the transient traffic, which has to find holes and records among the N long-lived gmaps.

import type { BenchWorkload } from './bench-workload.js'
import { TIMED_DEFAULTS } from './bench-workload.js'
import type { QdiskRequest } from './qdisk-common.js'
import { completeRequest, openQdisk, QDISK_MAX_REQUESTS, QDISK_MAX_SEGMENTS, startRequest } from './qdisk-common.js'
import type { OpStream, WorkloadParams } from './types.js'

export const qdiskPersistent: BenchWorkload = {
  name: 'qdisk-persistent',
  summary: 'QEMU qdisk with persistent grants: N long-lived gmaps + ring, transient 1–11-grant requests, ≤ 32 in flight (§6.2)',
  sizeUnit: 'persistent gmaps',
  sides: 'map',
  ...TIMED_DEFAULTS,
  generate({ size, seed, ops }: WorkloadParams): OpStream {
    const { rng, b, slots } = openQdisk(seed)
    for (let i = 0; i < size; i++) {
      const segments = rng.int(1, QDISK_MAX_SEGMENTS)
      const gmap = b.map(slots.take(segments))
      b.mmap(gmap, 0, segments, true)
    }

    b.startMeasured()
    const inFlight: QdiskRequest[] = []
    while (b.measuredCount < ops) {
      const complete = inFlight.length === QDISK_MAX_REQUESTS || (inFlight.length > 0 && rng.chance(0.5))
      if (complete) {
        const index = rng.int(0, inFlight.length - 1)
        const done = inFlight[index] as QdiskRequest
        inFlight[index] = inFlight[inFlight.length - 1] as QdiskRequest
        inFlight.pop()
        completeRequest(b, slots, done)
      } else {
        inFlight.push(startRequest(rng, b, slots))
      }
    }
    return b.build(ops)
  },
}
