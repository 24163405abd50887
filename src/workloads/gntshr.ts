// gntshr: libxengntshr sharing pages with a peer (docs/kernel-model.md §6.1; vchan servers, Qubes
// GUI buffers). Share = ALLOC_GREF → mmap → optional SET_UNMAP_NOTIFY → DEALLOC_GREF at once;
// the mapping alone keeps the pages, and the peer maps them. Unshare is a bare munmap, and the
// peer unmaps on its own schedule (before or after us). So the file's gref store is almost
// always empty and every shared page sits in the cleanup queue until both mappings are gone:
// this workload measures the cleanup path (Linux gntalloc rescans its global list on every
// ALLOC and DEALLOC; FreeBSD walks its to-kill queue).
//
// Size N = shared pages alive (1 page per share mostly, as vchan control pages are; sometimes
// 2–4). Each measured step unshares one random area and shares a new one of the same size, so
// N stays constant. On linux-gntalloc N counts against its global limit of 1024 grefs.

import { PAGE_BYTES, UNMAP_NOTIFY_CLEAR_BYTE, UNMAP_NOTIFY_SEND_EVENT } from '../abi.js'
import type { BenchWorkload } from './bench-workload.js'
import { TIMED_DEFAULTS } from './bench-workload.js'
import { Prng } from './prng.js'
import { StreamBuilder } from './stream-builder.js'
import type { OpStream, WorkloadParams } from './types.js'

interface Share {
  handle: number
  vma: number
  pages: number
}

/** Event channel ports of the notifies (any valid-looking port; the model only stores it). */
const FIRST_PORT = 16

export const gntshr: BenchWorkload = {
  name: 'gntshr',
  summary: 'libxengntshr: ALLOC → mmap → notify → DEALLOC at once; unshare = munmap, the cleanup queue frees (§6.1)',
  sizeUnit: 'shared pages',
  sides: 'alloc',
  ...TIMED_DEFAULTS,
  generate({ size, seed, ops }: WorkloadParams): OpStream {
    const rng = new Prng(seed)
    const b = new StreamBuilder()

    const share = (pages: number): Share => {
      const handle = b.alloc(pages, true)
      const vma = b.mmap(handle, 0, pages, true)
      if (rng.chance(0.5)) {
        const action = UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT
        b.notify(handle, rng.int(0, pages - 1), rng.int(0, PAGE_BYTES - 1), action, FIRST_PORT + rng.int(0, 63))
      }
      b.dealloc(handle, 0, pages)
      b.foreignMap(handle, 0, pages)
      return { handle, vma, pages }
    }

    const shares: Share[] = []
    for (let live = 0; live < size; ) {
      const pages = Math.min(rng.chance(0.75) ? 1 : rng.int(2, 4), size - live)
      shares.push(share(pages))
      live += pages
    }

    b.startMeasured()
    while (b.measuredCount < ops) {
      const index = rng.int(0, shares.length - 1)
      const done = shares[index] as Share
      if (rng.chance(0.5)) {
        b.munmap(done.vma)
        b.foreignUnmap(done.handle, 0, done.pages)
      } else {
        b.foreignUnmap(done.handle, 0, done.pages)
        b.munmap(done.vma)
      }
      shares[index] = share(done.pages)
    }
    return b.build(ops)
  },
}
