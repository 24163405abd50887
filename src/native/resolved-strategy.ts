// What the native engine is told about a strategy: the fully resolved bookkeeping of one open
// file — which allocator and stores src/strategies built, every quirk, the device policy and the
// limits — read off a live Strategy object, never derived from a preset name. Presets and
// policies may change in src/strategies at any time; the C engine (native/src/strategy.h)
// follows whatever they resolve to. A strategy built from parts the C engine does not have (an
// outside module, a planted wrapper) is refused with NotCoveredByNativeError.

import { BumpAllocator } from '../strategies/bump-allocator.js'
import { LinuxGmapList } from '../strategies/linux-gmap-list.js'
import { ListAllocator } from '../strategies/list-allocator.js'
import { ListGmapStore } from '../strategies/list-gmap-store.js'
import { ListGrefStore } from '../strategies/list-gref-store.js'
import { RangeSetAllocator } from '../strategies/rangeset-allocator.js'
import { RangeSetGmapStore } from '../strategies/rangeset-gmap-store.js'
import { RangeSetGrefStore } from '../strategies/rangeset-gref-store.js'
import { RbTreeAllocator } from '../strategies/rbtree-allocator.js'
import { RbTreeGmapStore } from '../strategies/rbtree-gmap-store.js'
import { RbTreeGrefStore } from '../strategies/rbtree-gref-store.js'
import { EINVAL } from '../errno.js'
import type { CleanupTrigger, DeviceLimits, DevicePolicy, Quirks, Strategy } from '../strategies/types.js'

/** `maple-fused`: one MapleStore is the allocator and the gmap store (the `maple` strategy). */
export type NativeAllocatorKind = 'bump' | 'list' | 'rbtree' | 'rangeset' | 'linux-gmap-list' | 'augtree' | 'maple' | 'maple-fused'
export type NativeStoreKind = 'list' | 'rbtree' | 'rangeset' | 'linux-gmap-list' | 'augtree' | 'xarray' | 'maple' | 'maple-fused'

export interface ResolvedNativeStrategy {
  /** The strategy's registry name (for messages only; the engine never reads it). */
  readonly name: string
  readonly allocator: NativeAllocatorKind
  readonly grefStore: NativeStoreKind
  readonly gmapStore: NativeStoreKind
  /** RbTreeGmapStore.linearContainment: SET_UNMAP_NOTIFY scans every gmap (FreeBSD). */
  readonly linearContainment: boolean
  /** ListGrefStore.allocationOrder: batches appended at the tail, collisions kept (Linux gntalloc). */
  readonly grefAllocationOrder: boolean
  readonly quirks: Readonly<Quirks>
  readonly offsetSpacePages: number
  readonly policy: Readonly<DevicePolicy>
  /** Device policy fields beyond DevicePolicy's core (see EXTENDED_POLICY_DEFAULTS). */
  readonly policyMore: Readonly<ExtendedPolicy>
  readonly limits: Readonly<DeviceLimits>
}

/**
 * Policy fields the engine knows beyond the core ones, with the behaviour the device has when a
 * policy does not carry the field (src/device/gntdev.ts before they existed). Read by name, so
 * the engine follows a policy object whatever version of DevicePolicy built it.
 */
export type ExtendedPolicy = Pick<
  DevicePolicy,
  'mmapMissingErrno' | 'grefLimitCountsMmapped' | 'gmapReadonlyChecks' | 'gmapEventWithoutMmap' | 'unmapIndexShifts' | 'notifyLookupFirst' | 'deallocCleansOnFailure' | 'failedAllocLeaksOffsets'
>

const EXTENDED_POLICY_DEFAULTS: Readonly<ExtendedPolicy> = Object.freeze({
  mmapMissingErrno: EINVAL,
  grefLimitCountsMmapped: false,
  gmapReadonlyChecks: true,
  gmapEventWithoutMmap: false,
  unmapIndexShifts: false,
  notifyLookupFirst: false,
  deallocCleansOnFailure: false,
  failedAllocLeaksOffsets: false,
})

/** Every policy field the engine models; a policy with any other field is not covered. */
const CORE_POLICY_FIELDS: readonly string[] = [
  'supportsAlloc',
  'supportsMap',
  'unmapCountWildcard',
  'grefSingleMapping',
  'gmapSingleMapping',
  'cleanupOn',
  'deferredCountsAgainstLimit',
  'unmapMissingErrno',
  'notifyMissingErrno',
]

function extendedPolicy(strategy: Strategy): ExtendedPolicy {
  const fields = strategy.policy as unknown as Readonly<Record<string, unknown>>
  for (const key of Object.keys(fields)) {
    if (!CORE_POLICY_FIELDS.includes(key) && !(key in EXTENDED_POLICY_DEFAULTS)) {
      throw new NotCoveredByNativeError(`${strategy.name}: device policy field '${key}' is not covered by the native engine`)
    }
  }
  const out: ExtendedPolicy = { ...EXTENDED_POLICY_DEFAULTS }
  for (const key of Object.keys(EXTENDED_POLICY_DEFAULTS) as (keyof ExtendedPolicy)[]) {
    const value = fields[key]
    if (value === undefined) continue
    if (typeof value !== typeof EXTENDED_POLICY_DEFAULTS[key]) {
      throw new NotCoveredByNativeError(`${strategy.name}: device policy field '${key}' is ${typeof value}, not ${typeof EXTENDED_POLICY_DEFAULTS[key]}`)
    }
    ;(out as unknown as Record<string, unknown>)[key] = value
  }
  return out
}

/** ListGrefStore's insert rule, read by name (stores without the field are sorted). */
function allocationOrder(strategy: Strategy): boolean {
  return (strategy.grefStore as unknown as { readonly allocationOrder?: unknown }).allocationOrder === true
}

/** A strategy, workload or stream the native engine does not model. One-line message. */
export class NotCoveredByNativeError extends Error {
  override name = 'NotCoveredByNativeError'
}

/** The C engine's cleanup trigger names, in its bit order (native/src/strategy.h). */
export const NATIVE_CLEANUP_TRIGGERS: readonly CleanupTrigger[] = ['alloc', 'dealloc', 'map', 'unmap', 'munmap', 'close']

/**
 * A building block known by its class name and registry kind. Used for the blocks of issue 15
 * (AugTreeAllocator, AugTreeGmapStore, XArrayGrefStore, MapleStore), which this file does not
 * import so that it also builds where those blocks do not exist yet.
 */
function isBlock(block: object, className: string, kind: string): boolean {
  return block.constructor.name === className && (block as { readonly kind?: unknown }).kind === kind
}

function offsetSpaceOf(block: object, strategy: Strategy): number {
  const space = (block as { readonly offsetSpacePages?: unknown }).offsetSpacePages
  if (typeof space !== 'number') throw new NotCoveredByNativeError(`${strategy.name}: allocator without an offset space`)
  return space
}

function allocatorKind(strategy: Strategy): { kind: NativeAllocatorKind; space: number } {
  const a = strategy.allocator
  if (a instanceof BumpAllocator) return { kind: 'bump', space: a.offsetSpacePages }
  if (a instanceof ListAllocator) return { kind: 'list', space: a.offsetSpacePages }
  if (a instanceof RbTreeAllocator) return { kind: 'rbtree', space: a.offsetSpacePages }
  if (a instanceof RangeSetAllocator) return { kind: 'rangeset', space: a.offsetSpacePages }
  if (a instanceof LinuxGmapList) return { kind: 'linux-gmap-list', space: a.offsetSpacePages }
  if (isBlock(a, 'AugTreeAllocator', 'augtree')) return { kind: 'augtree', space: offsetSpaceOf(a, strategy) }
  // One MapleStore as allocator and gmap store is one tree (fused); `maple+maple` builds two.
  if (isBlock(a, 'MapleStore', 'maple')) return { kind: (a as unknown) === (strategy.gmapStore as unknown) ? 'maple-fused' : 'maple', space: offsetSpaceOf(a, strategy) }
  throw new NotCoveredByNativeError(`${strategy.name}: allocator '${a.kind}' is not covered by the native engine`)
}

function grefStoreKind(strategy: Strategy): NativeStoreKind {
  const s = strategy.grefStore
  if (s instanceof ListGrefStore) return 'list'
  if (s instanceof RbTreeGrefStore) return 'rbtree'
  if (s instanceof RangeSetGrefStore) return 'rangeset'
  if (isBlock(s, 'XArrayGrefStore', 'xarray')) return 'xarray'
  throw new NotCoveredByNativeError(`${strategy.name}: gref store '${s.kind}' is not covered by the native engine`)
}

function gmapStoreKind(strategy: Strategy): { kind: NativeStoreKind; linearContainment: boolean } {
  const s = strategy.gmapStore
  // The fused Linux list (a ListGmapStore subclass, so asked first) is only native when it is the
  // allocator too (one object, one list).
  if (s instanceof LinuxGmapList) {
    if ((s as unknown) === (strategy.allocator as unknown)) return { kind: 'linux-gmap-list', linearContainment: false }
  } else if (s instanceof ListGmapStore) {
    return { kind: 'list', linearContainment: false }
  }
  if (s instanceof RbTreeGmapStore) return { kind: 'rbtree', linearContainment: s.linearContainment }
  if (s instanceof RangeSetGmapStore) return { kind: 'rangeset', linearContainment: false }
  if (isBlock(s, 'AugTreeGmapStore', 'augtree')) return { kind: 'augtree', linearContainment: false }
  if (isBlock(s, 'MapleStore', 'maple')) return { kind: (s as unknown) === (strategy.allocator as unknown) ? 'maple-fused' : 'maple', linearContainment: false }
  throw new NotCoveredByNativeError(`${strategy.name}: gmap store '${s.kind}' is not covered by the native engine`)
}

/** Read everything the C engine needs off a freshly created strategy. */
export function resolveNativeStrategy(strategy: Strategy): ResolvedNativeStrategy {
  const { kind, space } = allocatorKind(strategy)
  const gmap = gmapStoreKind(strategy)
  for (const trigger of strategy.policy.cleanupOn) {
    if (!NATIVE_CLEANUP_TRIGGERS.includes(trigger)) {
      throw new NotCoveredByNativeError(`${strategy.name}: cleanup trigger '${trigger}' is not covered by the native engine`)
    }
  }
  return {
    name: strategy.name,
    allocator: kind,
    grefStore: grefStoreKind(strategy),
    gmapStore: gmap.kind,
    linearContainment: gmap.linearContainment,
    grefAllocationOrder: allocationOrder(strategy),
    quirks: { ...strategy.quirks },
    offsetSpacePages: space,
    policy: { ...strategy.policy, cleanupOn: [...strategy.policy.cleanupOn] },
    policyMore: extendedPolicy(strategy),
    limits: { ...strategy.limits },
  }
}
