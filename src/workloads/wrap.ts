// wrap: long ALLOC/DEALLOC cycles in a reduced offset space, to see what each allocator does
// when the cumulative allocation passes the end of the space (docs/kernel-model.md §4.3, §2.3 and
// review D7293: "the offset will eventually overflow back to 0 and risk overlapping existing
// regions"). Linux gntalloc's bump counter never reuses an offset, so it must run out: it
// fails cleanly (EOVERFLOW, the check LX-P3 proposes) or, under the bumpWrap quirk, wraps onto
// live offsets. Allocators that reuse freed space (FreeBSD's free-region tree, first-fit list,
// rangeset) keep going. The real u64 space (2^52 pages) would take ≈2^42 calls to exhaust;
// 2^20 pages is the 4 GiB a 32-bit mmap offset can address.
//
// Size N = long-lived pages allocated first (1–16 pages per ALLOC) and never freed: those are
// what a wrapped counter would alias. Then cycles of ALLOC (1–64 pages) + DEALLOC continue until
// twice the offset space has been allocated. This is an outcome workload: the runner reports
// wrapped / overlapped / failed cleanly per strategy, not a time, and ignores K.

import type { BenchWorkload } from './bench-workload.js'
import { Prng } from './prng.js'
import { StreamBuilder } from './stream-builder.js'
import type { OpStream, WorkloadParams } from './types.js'

/** Default reduced offset space: 2^20 pages = 4 GiB of byte offsets. */
export const WRAP_OFFSET_SPACE_PAGES = 2 ** 20

const LONG_LIVED_MAX_PAGES = 16
const CYCLE_MAX_PAGES = 64

export function createWrapWorkload(offsetSpacePages: number = WRAP_OFFSET_SPACE_PAGES): BenchWorkload {
  if (!Number.isInteger(offsetSpacePages) || offsetSpacePages < CYCLE_MAX_PAGES) {
    throw new RangeError(`wrap: the offset space must be an integer ≥ ${CYCLE_MAX_PAGES} pages, got ${offsetSpacePages}`)
  }
  return {
    name: 'wrap',
    summary: `ALLOC/DEALLOC cycles through twice a reduced offset space (${offsetSpacePages} pages): wrapped, overlapped or failed cleanly?`,
    sizeUnit: 'long-lived pages',
    sides: 'alloc',
    measure: 'outcome',
    // One size: the outcome depends on the space, not on N; 512 pages fit Linux gntalloc's limit.
    defaultSizes: [512],
    drains: false,
    domainNeeds: () => ({}),
    strategyOptions: () => ({ offsetSpacePages }),
    generate({ size, seed }: WorkloadParams): OpStream {
      const rng = new Prng(seed)
      const b = new StreamBuilder()
      for (let live = 0; live < size; ) {
        const pages = Math.min(rng.int(1, LONG_LIVED_MAX_PAGES), size - live)
        b.alloc(pages, true)
        live += pages
      }
      b.startMeasured()
      for (let allocated = 0; allocated < 2 * offsetSpacePages; ) {
        const pages = rng.int(1, CYCLE_MAX_PAGES)
        const handle = b.alloc(pages, true)
        b.dealloc(handle, 0, pages)
        allocated += pages
      }
      return b.build()
    },
  }
}
