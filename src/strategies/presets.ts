// How the registry's strategies are put together: the building blocks (three store families,
// four allocators), the device policies and limits of each kernel, and the four kernel presets
// (kernel-models.md §8.2). Presets default to CORRECT behaviour; quirks are opt-in through
// StrategyOptions.quirks, and truncatedCompare applies to every red-black tree of a strategy.
//
//   linux-gntdev    drivers/xen/gntdev.c: allocation fused into the sorted map list.
//   linux-gntalloc  drivers/xen/gntalloc.c: bump counter + per-file gref list.
//   freebsd         sys/dev/xen/gntdev/gntdev.c: free-region tree + gref and gmap trees,
//                   notify lookup scanning every gmap.
//   xen-rangeset    the FreeBSD device as revised in review D7293: offsets from a Xen rangeset
//                   (xen/common/rangeset.c), records in trees.

import type { KeyCompare } from '../structures/types.js'
import { exactCompare } from '../structures/types.js'
import { EINVAL, ENOENT } from '../errno.js'
import { AugTreeAllocator } from './augtree-allocator.js'
import { AugTreeGmapStore } from './augtree-gmap-store.js'
import { BumpAllocator } from './bump-allocator.js'
import { LinuxGmapList } from './linux-gmap-list.js'
import { MapleStore } from './maple-store.js'
import { ListAllocator } from './list-allocator.js'
import { ListGmapStore } from './list-gmap-store.js'
import { ListGrefStore } from './list-gref-store.js'
import { quirkNamesOn, resolveQuirks, truncatedCompare } from './quirks.js'
import { RangeSetAllocator } from './rangeset-allocator.js'
import { RangeSetGmapStore } from './rangeset-gmap-store.js'
import { RangeSetGrefStore } from './rangeset-gref-store.js'
import { RbTreeAllocator } from './rbtree-allocator.js'
import { RbTreeGmapStore } from './rbtree-gmap-store.js'
import { RbTreeGrefStore } from './rbtree-gref-store.js'
import { XArrayGrefStore } from './xarray-gref-store.js'
import type {
  DeviceLimits,
  DevicePolicy,
  GmapStore,
  GrefStore,
  OffsetAllocator,
  Quirks,
  Strategy,
  StrategyOptions,
} from './types.js'
import { OFFSET_SPACE_PAGES } from './types.js'

/** StrategyOptions with every default filled in, as the building blocks take them. */
export interface BuildOptions {
  readonly quirks: Readonly<Quirks>
  readonly offsetSpacePages: number
  /** The comparator of every red-black tree of the strategy. */
  readonly compare: KeyCompare
}

export function buildOptions(options?: StrategyOptions): BuildOptions {
  const quirks = resolveQuirks(options?.quirks)
  return {
    quirks,
    offsetSpacePages: options?.offsetSpacePages ?? OFFSET_SPACE_PAGES,
    compare: quirks.truncatedCompare ? truncatedCompare : exactCompare,
  }
}

export type AllocatorBuilder = (options: BuildOptions) => OffsetAllocator

export interface StoreSet {
  readonly grefStore: GrefStore
  readonly gmapStore: GmapStore
}

export type StoreBuilder = (options: BuildOptions) => StoreSet

/** The four offset allocators, by registry name. */
export const ALLOCATOR_BUILDERS: Readonly<Record<string, AllocatorBuilder>> = Object.freeze({
  bump: (o) => new BumpAllocator(o),
  list: (o) => new ListAllocator(o),
  rbtree: (o) => new RbTreeAllocator(o),
  rangeset: (o) => new RangeSetAllocator(o),
  augtree: (o) => new AugTreeAllocator(o),
  maple: (o) => new MapleStore(o),
})

/** The three store families (gref store + gmap store), by registry name. */
export const STORE_BUILDERS: Readonly<Record<string, StoreBuilder>> = Object.freeze({
  list: () => ({ grefStore: new ListGrefStore(), gmapStore: new ListGmapStore() }),
  rbtree: (o) => ({ grefStore: new RbTreeGrefStore(o.compare), gmapStore: new RbTreeGmapStore({ compare: o.compare }) }),
  rangeset: () => ({ grefStore: new RangeSetGrefStore(), gmapStore: new RangeSetGmapStore() }),
  augtree: (o) => ({ grefStore: new RbTreeGrefStore(o.compare), gmapStore: new AugTreeGmapStore() }),
  xarray: () => ({ grefStore: new XArrayGrefStore(), gmapStore: new AugTreeGmapStore() }),
  maple: (o) => ({ grefStore: new XArrayGrefStore(), gmapStore: new MapleStore(o) }),
})

/** FreeBSD gntdev (§2.4–2.6); also the neutral policy of the generic strategies. */
export const FREEBSD_POLICY: Readonly<DevicePolicy> = Object.freeze({
  supportsAlloc: true,
  supportsMap: true,
  unmapCountWildcard: false,
  grefSingleMapping: true,
  gmapSingleMapping: false,
  cleanupOn: Object.freeze(['alloc', 'dealloc', 'unmap', 'close'] as const),
  deferredCountsAgainstLimit: false,
  unmapMissingErrno: EINVAL,
  notifyMissingErrno: EINVAL,
})

/** Linux gntdev (§3.3–3.5): map side only; records are refcounted and die with the last reference. */
export const LINUX_GNTDEV_POLICY: Readonly<DevicePolicy> = Object.freeze({
  ...FREEBSD_POLICY,
  supportsAlloc: false,
  supportsMap: true,
  unmapCountWildcard: true,
  cleanupOn: Object.freeze(['unmap', 'munmap'] as const),
  unmapMissingErrno: ENOENT,
  notifyMissingErrno: ENOENT,
})

/** Linux gntalloc (§4.2–4.4): alloc side only; do_cleanup at ALLOC/DEALLOC, VMA close deletes at users == 0. */
export const LINUX_GNTALLOC_POLICY: Readonly<DevicePolicy> = Object.freeze({
  ...FREEBSD_POLICY,
  supportsAlloc: true,
  supportsMap: false,
  grefSingleMapping: false,
  cleanupOn: Object.freeze(['alloc', 'dealloc', 'munmap'] as const),
  unmapMissingErrno: EINVAL,
  notifyMissingErrno: ENOENT,
})

export const NO_LIMITS: Readonly<DeviceLimits> = Object.freeze({ maxPagesPerCall: Infinity, globalGrefLimit: Infinity })
/** Linux gntdev since 2019: at most 65,536 pages per MAP call (LX-P1). */
export const LINUX_GNTDEV_LIMITS: Readonly<DeviceLimits> = Object.freeze({ maxPagesPerCall: 65_536, globalGrefLimit: Infinity })
/** Linux gntalloc: at most 1024 grefs alive in the whole domain (module param `limit`). */
export const LINUX_GNTALLOC_LIMITS: Readonly<DeviceLimits> = Object.freeze({ maxPagesPerCall: Infinity, globalGrefLimit: 1024 })

/** `base`, plus `:quirk,quirk` for the quirks that are on, so createStrategy(name) rebuilds it. */
export function strategyName(base: string, quirks: Readonly<Quirks>): string {
  const on = quirkNamesOn(quirks)
  return on.length === 0 ? base : `${base}:${on.join(',')}`
}

/** A strategy from its parts; limits are `base` overridden by options.limits. */
export function assembleStrategy(
  baseName: string,
  parts: { allocator: OffsetAllocator; grefStore: GrefStore; gmapStore: GmapStore },
  build: BuildOptions,
  policy: Readonly<DevicePolicy>,
  baseLimits: Readonly<DeviceLimits>,
  options?: StrategyOptions,
): Strategy {
  return {
    name: strategyName(baseName, build.quirks),
    allocator: parts.allocator,
    grefStore: parts.grefStore,
    gmapStore: parts.gmapStore,
    quirks: build.quirks,
    limits: Object.freeze({ ...baseLimits, ...options?.limits }),
    policy,
  }
}

/**
 * `<stores>+<allocator>` from the built-in blocks, with the neutral (FreeBSD) policy and no
 * limits. The generic strategies list, rbtree and rangeset are `x+x`, named `x`.
 */
export function composeStrategy(stores: string, allocator: string, options?: StrategyOptions, name = `${stores}+${allocator}`): Strategy {
  const buildStores = STORE_BUILDERS[stores]
  const buildAllocator = ALLOCATOR_BUILDERS[allocator]
  if (buildStores === undefined || buildAllocator === undefined) {
    throw new RangeError(`composeStrategy: no built-in stores '${stores}' or allocator '${allocator}'`)
  }
  const build = buildOptions(options)
  const { grefStore, gmapStore } = buildStores(build)
  return assembleStrategy(name, { allocator: buildAllocator(build), grefStore, gmapStore }, build, FREEBSD_POLICY, NO_LIMITS, options)
}

/** Linux gntdev: LinuxGmapList is allocator and gmap store at once; the gref store is unused. */
export function linuxGntdev(options?: StrategyOptions): Strategy {
  const build = buildOptions(options)
  const maps = new LinuxGmapList(build)
  const parts = { allocator: maps, grefStore: new ListGrefStore(), gmapStore: maps }
  return assembleStrategy('linux-gntdev', parts, build, LINUX_GNTDEV_POLICY, LINUX_GNTDEV_LIMITS, options)
}

/** Linux gntalloc: bump counter + per-file gref list; the gmap store is unused. */
export function linuxGntalloc(options?: StrategyOptions): Strategy {
  const build = buildOptions(options)
  const parts = { allocator: new BumpAllocator(build), grefStore: new ListGrefStore(), gmapStore: new ListGmapStore() }
  return assembleStrategy('linux-gntalloc', parts, build, LINUX_GNTALLOC_POLICY, LINUX_GNTALLOC_LIMITS, options)
}

/** FreeBSD gntdev: three trees; SET_UNMAP_NOTIFY scans every gmap in order. */
export function freebsd(options?: StrategyOptions): Strategy {
  const build = buildOptions(options)
  const parts = {
    allocator: new RbTreeAllocator(build),
    grefStore: new RbTreeGrefStore(build.compare),
    gmapStore: new RbTreeGmapStore({ compare: build.compare, linearContainment: true }),
  }
  return assembleStrategy('freebsd', parts, build, FREEBSD_POLICY, NO_LIMITS, options)
}

/** FreeBSD gntdev as D7293's reviewer asked: offsets from a Xen rangeset, records in trees. */
export function xenRangeset(options?: StrategyOptions): Strategy {
  const build = buildOptions(options)
  const parts = {
    allocator: new RangeSetAllocator(build),
    grefStore: new RbTreeGrefStore(build.compare),
    gmapStore: new RbTreeGmapStore({ compare: build.compare, linearContainment: true }),
  }
  return assembleStrategy('xen-rangeset', parts, build, FREEBSD_POLICY, NO_LIMITS, options)
}

/**
 * The maple-tree strategy (issue 15): one MapleStore is both the offset allocator and the gmap
 * store, fused as Linux gntdev fuses first fit into its map list, with grefs in an XArray; the
 * neutral policy and no limits. `maple+maple` would build two separate trees instead.
 */
export function mapleStrategy(options?: StrategyOptions): Strategy {
  const build = buildOptions(options)
  const maps = new MapleStore(build)
  const parts = { allocator: maps, grefStore: new XArrayGrefStore(), gmapStore: maps }
  return assembleStrategy('maple', parts, build, FREEBSD_POLICY, NO_LIMITS, options)
}
