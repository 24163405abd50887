// shortage: ALLOC_GREF beyond what the grant table can give (docs/kernel-model.md §2.4, §4.2, §4.4).
// A sharing program (libxengntshr, §6.1) asks for more pages than its domain has free grant
// entries, while some earlier shares linger in the cleanup queue because the peer still maps
// them and so still hold their entries. Every failure must be a clean ENOSPC that leaves
// nothing behind: no offsets lost, no records, no grant entries.
//
// Size N = live grefs (pages). The domain's grant table gets N + 32 usable entries. Measured
// steps: 30 % an ALLOC larger than the headroom (always ENOSPC); 40 % a small ALLOC that fits
// unless lingering shares eat the headroom, DEALLOCed at once; 30 % a small share the peer maps
// before the DEALLOC, so it lingers until the peer unmaps it three shares later. The stream
// ends with the peer unmapping what still lingers, so the runner can demand that closing the
// file and one cleanup pass free every record and every grant entry.

import { GNTTAB_NR_RESERVED_ENTRIES } from '../device/grant-table.js'
import type { BenchWorkload } from './bench-workload.js'
import { STANDARD_SIZES } from './bench-workload.js'
import { Prng } from './prng.js'
import { StreamBuilder } from './stream-builder.js'
import type { OpStream, WorkloadParams } from './types.js'

/** Usable grant entries beyond the N live pages. */
const SHORTAGE_HEADROOM = 32
const SMALL_MAX_PAGES = 8
const LINGERING_MAX = 3

interface Share {
  handle: number
  pages: number
}

export const shortage: BenchWorkload = {
  name: 'shortage',
  summary: `ALLOCs beyond a grant table of N + ${SHORTAGE_HEADROOM} entries while shares linger in cleanup: clean ENOSPC, nothing leaks`,
  sizeUnit: 'live grefs (pages)',
  sides: 'alloc',
  measure: 'timed',
  defaultSizes: STANDARD_SIZES,
  drains: true,
  domainNeeds: ({ size }) => ({ grantTableEntries: GNTTAB_NR_RESERVED_ENTRIES + size + SHORTAGE_HEADROOM }),
  strategyOptions: () => ({}),
  generate({ size, seed, ops }: WorkloadParams): OpStream {
    const rng = new Prng(seed)
    const b = new StreamBuilder()
    for (let live = 0; live < size; ) {
      const pages = Math.min(rng.int(1, 4), size - live)
      b.alloc(pages, true)
      live += pages
    }

    b.startMeasured()
    const lingering: Share[] = []
    while (b.measuredCount < ops) {
      const u = rng.next()
      if (u < 0.3) {
        b.alloc(SHORTAGE_HEADROOM + rng.int(1, 32), true)
      } else if (u < 0.7) {
        const pages = rng.int(1, SMALL_MAX_PAGES)
        b.dealloc(b.alloc(pages, true), 0, pages)
      } else {
        const pages = rng.int(1, SMALL_MAX_PAGES)
        const handle = b.alloc(pages, true)
        b.foreignMap(handle, 0, pages)
        b.dealloc(handle, 0, pages)
        lingering.push({ handle, pages })
        if (lingering.length > LINGERING_MAX) {
          const oldest = lingering.shift() as Share
          b.foreignUnmap(oldest.handle, 0, oldest.pages)
        }
      }
    }
    for (const share of lingering) b.foreignUnmap(share.handle, 0, share.pages)
    return b.build()
  },
}
