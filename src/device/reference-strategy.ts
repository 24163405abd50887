// The oracle's bookkeeping: a Strategy built on plain Maps and a bump counter, written to be
// obviously correct rather than fast. It follows no kernel's structures, only the semantics the
// contracts in src/strategies/types.ts state (find-run across ALLOCs, exact gmap lookup,
// containment for notify), so ReferenceDevice and early unit tests of GntDev can stand on
// something that shares no code with the strategies under test.
//
// Also the neutral policy: FreeBSD's (sys/dev/xen/gntdev/gntdev.c, docs/kernel-model.md §2.4–2.6):
// both sides, no limits, no count wildcard, a gref page in one mmap at a time, cleanup at
// ALLOC/DEALLOC/UNMAP/close, EINVAL for missing runs, notifies and mmaps, no read-only checks —
// except that a failed ALLOC returns its offsets: NEUTRAL_POLICY of strategies/types.ts, a table
// of the contracts, not code of the strategies under test.

import { OFFSET_SPACE_PAGES } from '../abi.js'
import { EINVAL, ENOSPC } from '../errno.js'
import type { CostCounters } from '../structures/types.js'
import { InvariantError, newCostCounters } from '../structures/types.js'
import type {
  AllocatorStats,
  DeviceLimits,
  DevicePolicy,
  Gmap,
  GmapStore,
  Gref,
  GrefStore,
  OffsetAllocator,
  Strategy,
} from '../strategies/types.js'
import { NEUTRAL_POLICY, NO_LIMITS, NO_QUIRKS } from '../strategies/types.js'

/** The reference's defaults: the neutral policy and no limits, the generic strategies' own. */
export const REFERENCE_POLICY: Readonly<DevicePolicy> = NEUTRAL_POLICY
export const REFERENCE_LIMITS: Readonly<DeviceLimits> = NO_LIMITS

/** Hands out pages upward from 0 and never reuses them: no two runs can ever overlap. */
export class ReferenceBumpAllocator implements OffsetAllocator {
  readonly kind = 'reference-bump'
  readonly cost: CostCounters = newCostCounters()
  private next = 0
  private livePages = 0
  private readonly space: number

  constructor(offsetSpacePages: number = OFFSET_SPACE_PAGES) {
    this.space = offsetSpacePages
  }

  alloc(pages: number): number {
    if (!Number.isInteger(pages) || pages < 1) return -EINVAL
    if (this.next + pages > this.space) return -ENOSPC
    const first = this.next
    this.next += pages
    this.livePages += pages
    return first
  }

  free(_firstPage: number, pages: number): void {
    this.livePages -= pages
  }

  stats(): AllocatorStats {
    return { livePages: this.livePages, nodes: 0, spanPages: this.next, wrapped: false, leakedPages: 0 }
  }

  check(): void {
    if (this.livePages < 0) throw new InvariantError(`reference allocator: ${this.livePages} live pages`)
  }
}

/** close() for both Map stores: every record, in ascending key order, unlinked into out. */
function drainByKey<T extends { live: boolean }>(byKey: Map<number, T>, out: T[]): void {
  out.length = 0
  for (const key of [...byKey.keys()].sort((a, b) => a - b)) {
    const record = byKey.get(key) as T
    record.live = false
    out.push(record)
  }
  byKey.clear()
}

/** Grefs by page in a Map. find-run is a loop of gets, so it spans ALLOCs by construction. */
class MapGrefStore implements GrefStore {
  readonly kind = 'reference-map'
  readonly cost: CostCounters = newCostCounters()
  readonly byPage = new Map<number, Gref>()

  get size(): number {
    return this.byPage.size
  }

  insertRun(run: readonly Gref[]): number {
    let dropped = 0
    for (const gref of run) {
      if (this.byPage.has(gref.page)) dropped++
      else this.byPage.set(gref.page, gref)
    }
    return dropped
  }

  findRun(firstPage: number, pages: number, out: Gref[]): boolean {
    out.length = 0
    for (let i = 0; i < pages; i++) {
      const gref = this.byPage.get(firstPage + i)
      if (gref === undefined) {
        out.length = 0
        return false
      }
      out.push(gref)
    }
    return pages > 0
  }

  removeRun(firstPage: number, pages: number, out: Gref[]): boolean {
    if (!this.findRun(firstPage, pages, out)) return false
    for (const gref of out) {
      this.byPage.delete(gref.page)
      gref.live = false
    }
    return true
  }

  findPage(page: number): Gref | null {
    return this.byPage.get(page) ?? null
  }

  drain(out: Gref[]): void {
    drainByKey(this.byPage, out)
  }

  check(): void {
    for (const [page, gref] of this.byPage) {
      if (gref.page !== page || !gref.live) throw new InvariantError(`reference gref store: bad record at page ${page}`)
    }
  }
}

/** Gmaps by first page in a Map; containment is a scan of all of them. */
class MapGmapStore implements GmapStore {
  readonly kind = 'reference-map'
  readonly cost: CostCounters = newCostCounters()
  readonly byFirstPage = new Map<number, Gmap>()

  get size(): number {
    return this.byFirstPage.size
  }

  insert(gmap: Gmap): Gmap | null {
    const existing = this.byFirstPage.get(gmap.firstPage)
    if (existing !== undefined) return existing
    this.byFirstPage.set(gmap.firstPage, gmap)
    return null
  }

  findExact(firstPage: number, pages: number): Gmap | null {
    const gmap = this.byFirstPage.get(firstPage)
    if (gmap === undefined) return null
    return pages === 0 || gmap.pages === pages ? gmap : null
  }

  findContaining(page: number): Gmap | null {
    for (const gmap of this.byFirstPage.values()) {
      if (gmap.firstPage <= page && page < gmap.firstPage + gmap.pages) return gmap
    }
    return null
  }

  remove(gmap: Gmap): void {
    this.byFirstPage.delete(gmap.firstPage)
    gmap.live = false
  }

  drain(out: Gmap[]): void {
    drainByKey(this.byFirstPage, out)
  }

  check(): void {
    const sorted = [...this.byFirstPage.values()].sort((a, b) => a.firstPage - b.firstPage)
    let end = -Infinity
    for (const gmap of sorted) {
      if (!gmap.live || this.byFirstPage.get(gmap.firstPage) !== gmap) {
        throw new InvariantError(`reference gmap store: bad record at page ${gmap.firstPage}`)
      }
      if (gmap.firstPage < end) throw new InvariantError(`reference gmap store: overlap at page ${gmap.firstPage}`)
      end = gmap.firstPage + gmap.pages
    }
  }
}

export interface ReferenceStrategyOptions {
  policy?: Partial<DevicePolicy>
  limits?: Partial<DeviceLimits>
  offsetSpacePages?: number
}

/** The reference bookkeeping: a Strategy whose stores are the Map stores above. */
export interface ReferenceStrategy extends Strategy {
  readonly grefStore: MapGrefStore
  readonly gmapStore: MapGmapStore
}

/** The reference bookkeeping under the neutral policy, or under the policy given. */
export function createReferenceStrategy(options?: ReferenceStrategyOptions): ReferenceStrategy {
  return {
    name: 'reference',
    allocator: new ReferenceBumpAllocator(options?.offsetSpacePages),
    grefStore: new MapGrefStore(),
    gmapStore: new MapGmapStore(),
    quirks: NO_QUIRKS,
    limits: { ...REFERENCE_LIMITS, ...options?.limits },
    policy: { ...REFERENCE_POLICY, ...options?.policy },
  }
}
