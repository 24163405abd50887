// An outside strategy that no kernel uses: every index is a B+ tree (sorted-btree), the
// cache-friendly ordered map that beat the red-black trees on lookups at 10^5–10^6 keys (README,
// "Our red-black tree against JavaScript libraries"). It shows the plugin interface end to end:
//
//   gntbench check  ./examples/btree-strategy.ts
//   gntbench replay ./trace.txt --strategy rbtree,./examples/btree-strategy.ts
//
// The module exports a StrategyEntry as `strategy`; `create` is called once per open file and
// must return fresh bookkeeping every time. It runs under the neutral device policy (FreeBSD's,
// but a failed ALLOC returns its offsets), so in a replay it is compared line for line with the
// generic list, rbtree and rangeset.
//
//   offsets   free regions keyed by first page (start → length), first fit from page 0, carved
//             from the low end, coalesced with both neighbours on free. O(free regions) per
//             alloc in the worst case — the scan stops at the first region that fits.
//   grefs     page → Gref. find-run is one range scan: O(log n + pages).
//   gmaps     first page → Gmap. Exact lookup O(log n); containment (SET_UNMAP_NOTIFY) is the
//             greatest key ≤ page, O(log n), where FreeBSD and Linux scan every gmap.
//
// Cost counters: keyCompares counts the comparator calls the B+ trees make; nodesVisited counts
// the entries a scan looks at. B+ tree nodes are not intrusive, so nodesAllocated stays 0.

import { OFFSET_SPACE_PAGES } from '../src/abi.js'
import sortedBtree from 'sorted-btree'
import { EINVAL, ENOSPC } from '../src/errno.js'
import { NEUTRAL_POLICY, NO_LIMITS } from '../src/strategies/presets.js'
import type {
  AllocatorStats,
  Gmap,
  GmapStore,
  Gref,
  GrefStore,
  OffsetAllocator,
  Strategy,
  StrategyEntry,
  StrategyOptions,
} from '../src/strategies/types.js'
import { NO_QUIRKS } from '../src/strategies/types.js'
import type { CostCounters } from '../src/structures/types.js'
import { InvariantError, newCostCounters } from '../src/structures/types.js'

// sorted-btree is CommonJS with `exports.default = BTree`. Node's ESM loader makes the default
// import the whole exports object (the class is its `default`); Vite, under vitest, applies the
// __esModule interop and hands over the class itself. Accept both.
type BTreeClass = typeof sortedBtree.default
const interop: unknown = sortedBtree
const BTree: BTreeClass = typeof interop === 'function' ? (interop as BTreeClass) : sortedBtree.default
type BTree<V> = sortedBtree.default<number, V>

/** A B+ tree on page numbers whose comparator counts its calls. */
function countingTree<V>(cost: CostCounters): BTree<V> {
  return new BTree<number, V>(undefined, (a, b) => {
    cost.keyCompares++
    return a - b
  })
}

/** Free regions of the offset space in a B+ tree: first page → length in pages. */
export class BTreeAllocator implements OffsetAllocator {
  readonly kind = 'btree'
  readonly cost: CostCounters = newCostCounters()
  private readonly space: number
  private readonly regions: BTree<number>
  private livePages = 0
  /** Result slots of the first-fit scan, kept on the instance so the scan allocates nothing. */
  private wanted = 0
  private foundStart = -1
  private foundLength = 0
  private readonly fits: (start: number, length: number) => { break: true } | undefined

  constructor(offsetSpacePages: number = OFFSET_SPACE_PAGES) {
    this.space = offsetSpacePages
    this.regions = countingTree<number>(this.cost)
    this.regions.set(0, offsetSpacePages)
    this.fits = (start, length) => {
      this.cost.nodesVisited++
      if (length < this.wanted) return undefined
      this.foundStart = start
      this.foundLength = length
      return { break: true }
    }
  }

  alloc(pages: number): number {
    if (!Number.isInteger(pages) || pages < 1 || pages > this.space) return -EINVAL
    this.wanted = pages
    this.foundStart = -1
    this.regions.editRange(0, this.space, false, this.fits)
    const start = this.foundStart
    if (start < 0) return -ENOSPC
    // Carve the low end; what is left of the region keeps the rest.
    this.regions.delete(start)
    if (this.foundLength > pages) this.regions.set(start + pages, this.foundLength - pages)
    this.livePages += pages
    return start
  }

  free(firstPage: number, pages: number): void {
    let start = firstPage
    let length = pages
    const before = this.regions.getPairOrNextLower(firstPage)
    if (before !== undefined && before[0] + before[1] === firstPage) {
      start = before[0]
      length += before[1]
    }
    const after = this.regions.get(firstPage + pages)
    if (after !== undefined) {
      this.regions.delete(firstPage + pages)
      length += after
    }
    this.regions.set(start, length)
    this.livePages -= pages
  }

  stats(): AllocatorStats {
    let spanPages = 0
    if (this.livePages > 0) {
      // Live pages are the gaps between free regions; the span runs from the first gap to the end of the last.
      const firstFree = this.regions.minKey()
      const lastFree = this.regions.maxKey()
      const low = firstFree === 0 ? (this.regions.get(0) ?? 0) : 0
      const high = lastFree !== undefined && lastFree + (this.regions.get(lastFree) ?? 0) === this.space ? lastFree : this.space
      spanPages = Math.max(0, high - low)
    }
    return { livePages: this.livePages, nodes: this.regions.size, spanPages, wrapped: false, leakedPages: 0 }
  }

  check(): void {
    this.regions.checkValid()
    let end = -1
    let freePages = 0
    this.regions.forEachPair((start, length) => {
      if (!(length > 0) || start < 0 || start + length > this.space) throw new InvariantError(`BTreeAllocator: bad region ${start}+${length}`)
      if (start < end) throw new InvariantError(`BTreeAllocator: region ${start} overlaps the one ending at ${end}`)
      if (start === end) throw new InvariantError(`BTreeAllocator: regions meet at ${start} but were not coalesced`)
      end = start + length
      freePages += length
    })
    if (freePages + this.livePages !== this.space) {
      throw new InvariantError(`BTreeAllocator: ${freePages} free + ${this.livePages} live pages ≠ space ${this.space}`)
    }
  }
}

/** Grefs by page in a B+ tree. */
export class BTreeGrefStore implements GrefStore {
  readonly kind = 'btree'
  readonly cost: CostCounters = newCostCounters()
  private readonly grefs: BTree<Gref>
  private target: Gref[] = []
  private readonly collect: (page: number, gref: Gref) => void

  constructor() {
    this.grefs = countingTree<Gref>(this.cost)
    this.collect = (_page, gref) => {
      this.cost.nodesVisited++
      this.target.push(gref)
    }
  }

  get size(): number {
    return this.grefs.size
  }

  insertRun(run: readonly Gref[]): number {
    let dropped = 0
    for (let i = 0; i < run.length; i++) {
      const gref = run[i] as Gref
      if (!this.grefs.setIfNotPresent(gref.page, gref)) dropped++
    }
    return dropped
  }

  /** One range scan over [firstPage, firstPage + pages): keys are distinct integers, so `pages` hits mean no hole. */
  findRun(firstPage: number, pages: number, out: Gref[]): boolean {
    out.length = 0
    if (!(pages > 0)) return false
    this.target = out
    this.grefs.forRange(firstPage, firstPage + pages, false, this.collect)
    if (out.length === pages) return true
    out.length = 0
    return false
  }

  removeRun(firstPage: number, pages: number, out: Gref[]): boolean {
    if (!this.findRun(firstPage, pages, out)) return false
    this.grefs.deleteRange(firstPage, firstPage + pages, false)
    for (let i = 0; i < out.length; i++) (out[i] as Gref).live = false
    return true
  }

  findPage(page: number): Gref | null {
    return this.grefs.get(page) ?? null
  }

  drain(out: Gref[]): void {
    out.length = 0
    this.target = out
    this.grefs.forEachPair(this.collect)
    for (let i = 0; i < out.length; i++) (out[i] as Gref).live = false
    this.grefs.clear()
  }

  check(): void {
    this.grefs.checkValid()
    this.grefs.forEachPair((page, gref) => {
      if (gref.page !== page || !gref.live) throw new InvariantError(`BTreeGrefStore: bad record at page ${page}`)
    })
  }
}

/** Gmaps by first page in a B+ tree. */
export class BTreeGmapStore implements GmapStore {
  readonly kind = 'btree'
  readonly cost: CostCounters = newCostCounters()
  private readonly gmaps: BTree<Gmap>
  /** Reused by getPairOrNextLower so that notify lookups allocate nothing. */
  private readonly pair: [number, Gmap] = [0, null as unknown as Gmap]

  constructor() {
    this.gmaps = countingTree<Gmap>(this.cost)
  }

  get size(): number {
    return this.gmaps.size
  }

  insert(gmap: Gmap): Gmap | null {
    const existing = this.gmaps.get(gmap.firstPage)
    if (existing !== undefined) return existing
    this.gmaps.set(gmap.firstPage, gmap)
    return null
  }

  findExact(firstPage: number, pages: number): Gmap | null {
    const gmap = this.gmaps.get(firstPage)
    if (gmap === undefined) return null
    return pages === 0 || gmap.pages === pages ? gmap : null
  }

  /** The gmap with the greatest first page ≤ page, if it reaches that far. O(log n). */
  findContaining(page: number): Gmap | null {
    const pair = this.gmaps.getPairOrNextLower(page, this.pair)
    if (pair === undefined) return null
    const gmap = pair[1]
    return page < gmap.firstPage + gmap.pages ? gmap : null
  }

  remove(gmap: Gmap): void {
    this.gmaps.delete(gmap.firstPage)
    gmap.live = false
  }

  drain(out: Gmap[]): void {
    out.length = 0
    this.gmaps.forEachPair((_first, gmap) => {
      gmap.live = false
      out.push(gmap)
    })
    this.gmaps.clear()
  }

  check(): void {
    this.gmaps.checkValid()
    let end = -1
    this.gmaps.forEachPair((first, gmap) => {
      if (gmap.firstPage !== first || !gmap.live) throw new InvariantError(`BTreeGmapStore: bad record at page ${first}`)
      if (first < end) throw new InvariantError(`BTreeGmapStore: gmap at ${first} overlaps the one ending at ${end}`)
      end = first + gmap.pages
    })
  }
}

export function createBTreeStrategy(options?: StrategyOptions): Strategy {
  return {
    name: 'btree',
    allocator: new BTreeAllocator(options?.offsetSpacePages),
    grefStore: new BTreeGrefStore(),
    gmapStore: new BTreeGmapStore(),
    // No kernel quirk is modelled here: quirks are the kernels' own deviations.
    quirks: NO_QUIRKS,
    limits: { ...NO_LIMITS, ...options?.limits },
    policy: NEUTRAL_POLICY,
  }
}

export const strategy: StrategyEntry = {
  name: 'btree',
  kind: 'strategy',
  summary: 'B+ trees (sorted-btree) everywhere: first-fit free regions, O(log n) find-run and notify lookup',
  follows: '',
  create: createBTreeStrategy,
}
