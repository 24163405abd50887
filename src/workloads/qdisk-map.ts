// qdisk-map: the QEMU Xen block backend without persistent grants (docs/kernel-model.md §6.2, old
// qdisk hw/block/xen_disk.c with batch_maps). Each request maps its 1–11 segments with one
// MAP_GRANT_REF, mmaps them, and on completion unmaps through libxengnttab (§6.1):
// GET_OFFSET_FOR_VADDR → munmap → UNMAP_GRANT_REF. The ring (1–16 pages) stays mapped for the
// connection's lifetime.
//
// Size N = requests in flight, each one live gmap (a 1-page ring allows 32, a 16-page ring 512).
// Requests complete in random order, as a disk completes them, and each completion is followed
// by a new request, so N stays constant: every MAP searches for a hole among N gmaps and every
// UNMAP finds one of N (Linux: a linear scan of the sorted list; FreeBSD: a tree).

import type { BenchWorkload } from './bench-workload.js'
import { TIMED_DEFAULTS } from './bench-workload.js'
import type { QdiskRequest } from './qdisk-common.js'
import { completeRequest, openQdisk, startRequest } from './qdisk-common.js'
import type { OpStream, WorkloadParams } from './types.js'

export const qdiskMap: BenchWorkload = {
  name: 'qdisk-map',
  summary: 'QEMU qdisk without persistent grants: per request MAP → mmap → GET_OFFSET → munmap → UNMAP (§6.2)',
  sizeUnit: 'requests in flight',
  sides: 'map',
  ...TIMED_DEFAULTS,
  generate({ size, seed, ops }: WorkloadParams): OpStream {
    const { rng, b, slots } = openQdisk(seed)
    const inFlight: QdiskRequest[] = []
    for (let i = 0; i < size; i++) inFlight.push(startRequest(rng, b, slots))

    b.startMeasured()
    while (b.measuredCount < ops && inFlight.length > 0) {
      const index = rng.int(0, inFlight.length - 1)
      completeRequest(b, slots, inFlight[index] as QdiskRequest)
      inFlight[index] = startRequest(rng, b, slots)
    }
    return b.build(ops)
  },
}
