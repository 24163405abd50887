// churn: allocator stress on the map side. Mappings of random sizes (1–64 pages) come and go in
// random order, so the offset space fragments into holes of every size. No real program is
// this hostile, but a busy backend (many qdisk requests plus vchan rings, docs/kernel-model.md §6)
// drifts towards it over days; it isolates the first-fit search: Linux gntdev walks its sorted
// list for a gap of count + 1 pages, FreeBSD walks its free-region tree, a rangeset its ranges.
//
// Size N = live gmaps (the live count wanders in N ± N/4). The setup maps N, then replaces a
// random quarter of them (UNMAP one, MAP another of a new size), so the measured part starts
// fragmented without paying for 2N MAPs on the O(n) list allocators. Nothing is mmapped: only MAP and UNMAP are
// issued. Every MAP names the same peer grants (slots 0…63): the bookkeeping never looks at
// which page a ref is, so a small pool keeps the peer's grant table out of the picture.

import type { BenchWorkload } from './bench-workload.js'
import { TIMED_DEFAULTS } from './bench-workload.js'
import { Prng } from './prng.js'
import { StreamBuilder } from './stream-builder.js'
import type { OpStream, WorkloadParams } from './types.js'

const MAX_PAGES = 64
const SLOTS: readonly number[] = Array.from({ length: MAX_PAGES }, (_, slot) => slot)
/** One frozen slot list per size, shared by every MAP of that size. */
const SLOTS_BY_SIZE: readonly (readonly number[])[] = Array.from({ length: MAX_PAGES + 1 }, (_, pages) => Object.freeze(SLOTS.slice(0, pages)))

interface Gmap {
  handle: number
  pages: number
}

export const churn: BenchWorkload = {
  name: 'churn',
  summary: 'allocator stress: MAP/UNMAP of random 1–64-page runs in random order fragment the offset space',
  sizeUnit: 'live gmaps',
  sides: 'map',
  ...TIMED_DEFAULTS,
  generate({ size, seed, ops }: WorkloadParams): OpStream {
    const rng = new Prng(seed)
    const b = new StreamBuilder()
    const live: Gmap[] = []

    const map = (): void => {
      const pages = rng.int(1, MAX_PAGES)
      live.push({ handle: b.map(SLOTS_BY_SIZE[pages] as readonly number[]), pages })
    }
    const unmapRandom = (): void => {
      const index = rng.int(0, live.length - 1)
      const gone = live[index] as Gmap
      live[index] = live[live.length - 1] as Gmap
      live.pop()
      b.unmap(gone.handle, gone.pages)
    }

    for (let i = 0; i < size; i++) map()
    for (let i = 0; i < Math.ceil(size / 4); i++) {
      unmapRandom()
      map()
    }

    const low = Math.max(1, size - Math.floor(size / 4))
    const high = size + Math.floor(size / 4)
    b.startMeasured()
    while (b.measuredCount < ops) {
      if (live.length <= low) map()
      else if (live.length >= high) unmapRandom()
      else if (rng.chance(0.5)) map()
      else unmapRandom()
    }
    return b.build(ops)
  },
}
