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
import { openQdisk, QDISK_MAX_SEGMENTS } from './qdisk-common.js'
import type { OpStream, WorkloadParams } from './types.js'

interface Request {
  handle: number
  vma: number
  slots: number[]
}

export const qdiskMap: BenchWorkload = {
  name: 'qdisk-map',
  summary: 'QEMU qdisk without persistent grants: per request MAP → mmap → GET_OFFSET → munmap → UNMAP (§6.2)',
  sizeUnit: 'requests in flight',
  sides: 'map',
  ...TIMED_DEFAULTS,
  generate({ size, seed, ops }: WorkloadParams): OpStream {
    const { rng, b, slots } = openQdisk(seed)

    const start = (): Request => {
      const segments = rng.int(1, QDISK_MAX_SEGMENTS)
      const taken = slots.take(segments)
      const handle = b.map(taken)
      // A read from disk fills guest pages (writable mapping); a write only reads them.
      const vma = b.mmap(handle, 0, segments, rng.chance(0.5))
      return { handle, vma, slots: taken }
    }

    const inFlight: Request[] = []
    for (let i = 0; i < size; i++) inFlight.push(start())

    b.startMeasured()
    while (b.measuredCount < ops && inFlight.length > 0) {
      const index = rng.int(0, inFlight.length - 1)
      const done = inFlight[index] as Request
      b.getOffset(done.vma)
      b.munmap(done.vma)
      b.unmap(done.handle, done.slots.length)
      slots.give(done.slots)
      inFlight[index] = start()
    }
    return b.build(ops)
  },
}
