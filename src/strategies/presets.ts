// How the registry's strategies are put together: the building blocks (three store families,
// four allocators), the device policies and limits of each kernel, and the four kernel presets
// (docs/kernel-model.md §8.2). A preset is today's kernel: the quirks that kernel has are on by
// default (PRESET_QUIRKS), so the baseline of a verdict is the device people run; the corrected
// design is the variant with the quirk switched off (`freebsd:exact-compare`).
// truncatedCompare applies to every red-black tree of a strategy.
//
//   linux-gntdev    drivers/xen/gntdev.c: allocation fused into the sorted map list; strict gap.
//   linux-gntalloc  drivers/xen/gntalloc.c: bump counter + per-file gref list.
//   freebsd         sys/dev/xen/gntdev/gntdev.c: free-region tree + gref and gmap trees,
//                   notify lookup scanning every gmap; truncated comparator.
//   xen-rangeset    the FreeBSD device as revised in review D7293: offsets from a Xen rangeset
//                   (xen/common/rangeset.c), records in trees; claim without merge.

import { OFFSET_SPACE_PAGES } from '../abi.js'
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
import { quirkWords, resolveQuirks, truncatedCompare } from './quirks.js'
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
import { NEUTRAL_POLICY, NO_LIMITS, NO_QUIRKS } from './types.js'

/** StrategyOptions with every default filled in, as the building blocks take them. */
export interface BuildOptions {
  /** The strategy's default quirks (a preset's kernel quirks; none for the generic blocks). */
  readonly defaults: Readonly<Quirks>
  readonly quirks: Readonly<Quirks>
  readonly offsetSpacePages: number
  /** The comparator of every red-black tree of the strategy. */
  readonly compare: KeyCompare
}

/** `defaults` are the quirks the strategy has unless options.quirks says otherwise. */
function buildOptions(options?: StrategyOptions, defaults: Readonly<Quirks> = NO_QUIRKS): BuildOptions {
  const quirks = resolveQuirks(options?.quirks, defaults)
  return {
    defaults,
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

/** FreeBSD gntdev (§2.3–2.6): a failed ALLOC has no put on its error path, so its offsets leak. */
const FREEBSD_POLICY: Readonly<DevicePolicy> = Object.freeze({
  ...NEUTRAL_POLICY,
  failedAllocLeaksOffsets: true,
})

/**
 * Linux gntdev (§3.3–3.5): map side only; records are refcounted and die with the last
 * reference — at UNMAP or munmap, and at close, which drops the list reference of every map.
 */
const LINUX_GNTDEV_POLICY: Readonly<DevicePolicy> = Object.freeze({
  ...NEUTRAL_POLICY,
  supportsAlloc: false,
  supportsMap: true,
  unmapCountWildcard: true,
  cleanupOn: Object.freeze(['unmap', 'munmap', 'close'] as const),
  unmapMissingErrno: ENOENT,
  notifyMissingErrno: ENOENT,
  gmapReadonlyChecks: true,
  gmapEventWithoutMmap: true,
  unmapIndexShifts: true,
})

/**
 * Linux gntalloc (§4.2–4.4): alloc side only; do_cleanup at ALLOC/DEALLOC (also a failed one),
 * VMA close and close delete at users == 0; a gref counts against the limit until then.
 */
const LINUX_GNTALLOC_POLICY: Readonly<DevicePolicy> = Object.freeze({
  ...NEUTRAL_POLICY,
  supportsAlloc: true,
  supportsMap: false,
  grefSingleMapping: false,
  cleanupOn: Object.freeze(['alloc', 'dealloc', 'munmap', 'close'] as const),
  unmapMissingErrno: EINVAL,
  notifyMissingErrno: ENOENT,
  mmapMissingErrno: ENOENT,
  grefLimitCountsMmapped: true,
  notifyLookupFirst: true,
  deallocCleansOnFailure: true,
})

/** Linux gntdev since 2019: at most 65,536 pages per MAP call (LX-P1). */
const LINUX_GNTDEV_LIMITS: Readonly<DeviceLimits> = Object.freeze({ maxPagesPerCall: 65_536, globalGrefLimit: Infinity })
/** Linux gntalloc: at most 1024 grefs alive in the whole domain (module param `limit`). */
const LINUX_GNTALLOC_LIMITS: Readonly<DeviceLimits> = Object.freeze({ maxPagesPerCall: Infinity, globalGrefLimit: 1024 })

/**
 * `base`, plus `:word,word` for the quirks that differ from the strategy's defaults (the kernel
 * name for on, the corrected name for off), so createStrategy(name) rebuilds it and a preset's own name means today's
 * kernel.
 */
export function strategyName(base: string, quirks: Readonly<Quirks>, defaults: Readonly<Quirks> = NO_QUIRKS): string {
  const words = quirkWords(quirks, defaults)
  return words.length === 0 ? base : `${base}:${words.join(',')}`
}

/**
 * The quirks today's kernels have, on by default in their presets (docs/kernel-model.md §8.2).
 * Left off although the kernel has them: int-page-index (only visible in byte offsets beyond
 * 2 GiB of live span, which no workload reaches through the page-level API) and bump-wrap
 * (gntalloc's u64 counter wraps only after 2^52 pages of allocation).
 */
export const PRESET_QUIRKS: Readonly<Record<'linux-gntdev' | 'linux-gntalloc' | 'freebsd' | 'xen-rangeset', Readonly<Quirks>>> = Object.freeze({
  /** gntdev_add_map's `<` test: a hole must have count + 1 pages. */
  'linux-gntdev': Object.freeze({ ...NO_QUIRKS, strictGap: true }),
  'linux-gntalloc': NO_QUIRKS,
  /** The comparator of all three FreeBSD trees truncates the u64 byte difference to int. */
  freebsd: Object.freeze({ ...NO_QUIRKS, truncatedCompare: true }),
  /** Xen claim_range extends the previous range and does not merge the next. */
  'xen-rangeset': Object.freeze({ ...NO_QUIRKS, claimNoMerge: true }),
})

/** A strategy from its parts; limits are `base` overridden by options.limits. */
function assembleStrategy(
  baseName: string,
  parts: { allocator: OffsetAllocator; grefStore: GrefStore; gmapStore: GmapStore },
  build: BuildOptions,
  policy: Readonly<DevicePolicy>,
  baseLimits: Readonly<DeviceLimits>,
  options?: StrategyOptions,
): Strategy {
  return {
    name: strategyName(baseName, build.quirks, build.defaults),
    allocator: parts.allocator,
    grefStore: parts.grefStore,
    gmapStore: parts.gmapStore,
    quirks: build.quirks,
    limits: Object.freeze({ ...baseLimits, ...options?.limits }),
    policy,
  }
}

/**
 * `<stores>+<allocator>` from the built-in blocks, with the neutral policy and no
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
  return assembleStrategy(name, { allocator: buildAllocator(build), grefStore, gmapStore }, build, NEUTRAL_POLICY, NO_LIMITS, options)
}

/** Linux gntdev: LinuxGmapList is allocator and gmap store at once; the gref store is unused. */
export function linuxGntdev(options?: StrategyOptions): Strategy {
  const build = buildOptions(options, PRESET_QUIRKS['linux-gntdev'])
  const maps = new LinuxGmapList(build)
  const parts = { allocator: maps, grefStore: new ListGrefStore(), gmapStore: maps }
  return assembleStrategy('linux-gntdev', parts, build, LINUX_GNTDEV_POLICY, LINUX_GNTDEV_LIMITS, options)
}

/**
 * Linux gntalloc: bump counter + per-file gref list in allocation order (a wrapped counter's
 * collisions are kept, the oldest found first); the gmap store is unused.
 */
export function linuxGntalloc(options?: StrategyOptions): Strategy {
  const build = buildOptions(options, PRESET_QUIRKS['linux-gntalloc'])
  const parts = { allocator: new BumpAllocator(build), grefStore: new ListGrefStore({ allocationOrder: true }), gmapStore: new ListGmapStore() }
  return assembleStrategy('linux-gntalloc', parts, build, LINUX_GNTALLOC_POLICY, LINUX_GNTALLOC_LIMITS, options)
}

/** FreeBSD gntdev's records over `allocator`: gref and gmap trees; SET_UNMAP_NOTIFY scans every gmap in order. */
function freebsdDevice(baseName: string, allocator: OffsetAllocator, build: BuildOptions, options?: StrategyOptions): Strategy {
  const parts = {
    allocator,
    grefStore: new RbTreeGrefStore(build.compare),
    gmapStore: new RbTreeGmapStore({ compare: build.compare, linearContainment: true }),
  }
  return assembleStrategy(baseName, parts, build, FREEBSD_POLICY, NO_LIMITS, options)
}

/** FreeBSD gntdev: three trees (the third holds the free offsets). */
export function freebsd(options?: StrategyOptions): Strategy {
  const build = buildOptions(options, PRESET_QUIRKS.freebsd)
  return freebsdDevice('freebsd', new RbTreeAllocator(build), build, options)
}

/** FreeBSD gntdev as D7293's reviewer asked: offsets from a Xen rangeset, records in trees. */
export function xenRangeset(options?: StrategyOptions): Strategy {
  const build = buildOptions(options, PRESET_QUIRKS['xen-rangeset'])
  return freebsdDevice('xen-rangeset', new RangeSetAllocator(build), build, options)
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
  return assembleStrategy('maple', parts, build, NEUTRAL_POLICY, NO_LIMITS, options)
}
