// lookup-heavy: many live grefs in one file and a stream dominated by lookups, the case review
// D7293 argued red-black trees win (docs/kernel-model.md §7; FreeBSD keys grefs in a tree, Linux
// gntalloc scans a per-file list). Who holds that many: a domain sharing many small buffers
// with one peer without libxengntshr's immediate DEALLOC, e.g. a driver domain keeping its
// granted pages in the file (§6.4: Qubes GUI buffers are thousands of pages).
//
// Size N = live grefs (pages), allocated 1–4 pages at a time. Measured steps:
//   45 %  mmap of a random sub-run of one allocation, then munmap (find-run by offset);
//   45 %  SET_UNMAP_NOTIFY on a random page (find one page; the last call wins);
//   10 %  DEALLOC of one allocation and a fresh ALLOC of the same size (remove + insert).
// Each mmap is unmapped at once, because FreeBSD lets a gref page be in one mapping only.

import { PAGE_BYTES, UNMAP_NOTIFY_CLEAR_BYTE } from '../abi.js'
import type { BenchWorkload } from './bench-workload.js'
import { TIMED_DEFAULTS } from './bench-workload.js'
import { Prng } from './prng.js'
import { StreamBuilder } from './stream-builder.js'
import type { OpStream, WorkloadParams } from './types.js'

interface Allocation {
  handle: number
  pages: number
}

const MAX_PAGES = 4
const PORT = 8

export const lookupHeavy: BenchWorkload = {
  name: 'lookup-heavy',
  summary: 'N live grefs; mostly mmap find-runs and notify page lookups, some DEALLOC + ALLOC (review D7293, §7)',
  sizeUnit: 'live grefs (pages)',
  sides: 'alloc',
  ...TIMED_DEFAULTS,
  generate({ size, seed, ops }: WorkloadParams): OpStream {
    const rng = new Prng(seed)
    const b = new StreamBuilder()
    const allocations: Allocation[] = []
    for (let live = 0; live < size; ) {
      const pages = Math.min(rng.int(1, MAX_PAGES), size - live)
      allocations.push({ handle: b.alloc(pages, true), pages })
      live += pages
    }

    b.startMeasured()
    while (b.measuredCount < ops) {
      const index = rng.int(0, allocations.length - 1)
      const target = allocations[index] as Allocation
      const u = rng.next()
      if (u < 0.45) {
        const first = rng.int(0, target.pages - 1)
        const pages = rng.int(1, target.pages - first)
        b.munmap(b.mmap(target.handle, first, pages, true))
      } else if (u < 0.9) {
        b.notify(target.handle, rng.int(0, target.pages - 1), rng.int(0, PAGE_BYTES - 1), UNMAP_NOTIFY_CLEAR_BYTE, PORT)
      } else {
        b.dealloc(target.handle, 0, target.pages)
        allocations[index] = { handle: b.alloc(target.pages, true), pages: target.pages }
      }
    }
    return b.build(ops)
  },
}
