// The shape an outside strategy module must have: every method of the allocator and both stores,
// the cost counters, and every field of quirks, limits and policy (types.ts). load-module.ts asks
// strategyProblem() of what a module's factory makes, so a mistake surfaces as one line naming
// what is missing, not as a TypeError deep inside a benchmark.

import type { CleanupTrigger } from './types.js'

const COST_FIELDS = ['nodesVisited', 'keyCompares', 'nodesAllocated', 'nodesFreed', 'rotations'] as const
const ALLOCATOR_METHODS = ['alloc', 'free', 'stats', 'check'] as const
const GREF_STORE_METHODS = ['insertRun', 'findRun', 'removeRun', 'findPage', 'drain', 'check'] as const
const GMAP_STORE_METHODS = ['insert', 'findExact', 'findContaining', 'remove', 'drain', 'check'] as const
const QUIRK_FIELDS = ['truncatedCompare', 'strictGap', 'intPageIndex', 'bumpWrap', 'claimNoMerge'] as const
const POLICY_FLAGS = [
  'supportsAlloc',
  'supportsMap',
  'unmapCountWildcard',
  'grefSingleMapping',
  'gmapSingleMapping',
  'deferredCountsAgainstLimit',
  'grefLimitCountsMmapped',
  'gmapReadonlyChecks',
  'gmapEventWithoutMmap',
  'unmapIndexShifts',
  'notifyLookupFirst',
  'deallocCleansOnFailure',
  'failedAllocLeaksOffsets',
] as const
const POLICY_ERRNOS = ['unmapMissingErrno', 'notifyMissingErrno', 'mmapMissingErrno'] as const
const LIMIT_FIELDS = ['maxPagesPerCall', 'globalGrefLimit'] as const
const CLEANUP_TRIGGERS: readonly CleanupTrigger[] = ['alloc', 'dealloc', 'map', 'unmap', 'munmap', 'close']

/**
 * The first way `value` fails to be a Strategy, phrased to follow "returned …"
 * (e.g. "an allocator without free()"), or null when it is one.
 */
export function strategyProblem(value: unknown): string | null {
  if (!isObject(value)) return `${typeName(value)} instead of a Strategy object`
  if (typeof value['name'] !== 'string' || value['name'] === '') return `a strategy whose name is ${describeValue(value['name'])} (expected a non-empty string)`
  const parts: readonly [string, string, readonly string[], boolean][] = [
    ['allocator', 'an allocator', ALLOCATOR_METHODS, false],
    ['grefStore', 'a grefStore', GREF_STORE_METHODS, true],
    ['gmapStore', 'a gmapStore', GMAP_STORE_METHODS, true],
  ]
  for (const [key, article, methods, hasSize] of parts) {
    const part = value[key]
    if (!isObject(part)) return `no ${key} (got ${typeName(part)})`
    for (const method of methods) {
      if (typeof part[method] !== 'function') return `${article} without ${method}()`
    }
    if (typeof part['kind'] !== 'string') return `${article} without a kind string`
    const cost = part['cost']
    if (!isObject(cost)) return `${article} without cost counters (cost: CostCounters)`
    for (const field of COST_FIELDS) {
      if (typeof cost[field] !== 'number') return `${article} whose cost has no numeric ${field}`
    }
    if (hasSize && typeof part['size'] !== 'number') return `${article} whose size is ${describeValue(part['size'])} (expected a number)`
  }
  const quirks = value['quirks']
  if (!isObject(quirks)) return `no quirks object (use NO_QUIRKS from src/strategies/types.ts)`
  for (const field of QUIRK_FIELDS) {
    if (typeof quirks[field] !== 'boolean') return `quirks without boolean ${field}`
  }
  const limits = value['limits']
  if (!isObject(limits)) return `no limits object`
  for (const field of LIMIT_FIELDS) {
    const limit = limits[field]
    if (typeof limit !== 'number' || !(limit > 0) || (limit !== Infinity && !Number.isInteger(limit))) {
      return `limits.${field} = ${describeValue(limit)} (expected a positive integer or Infinity)`
    }
  }
  const policy = value['policy']
  if (!isObject(policy)) return `no policy object`
  for (const field of POLICY_FLAGS) {
    if (typeof policy[field] !== 'boolean') return `policy without boolean ${field}`
  }
  for (const field of POLICY_ERRNOS) {
    const errno = policy[field]
    if (typeof errno !== 'number' || !Number.isInteger(errno) || errno <= 0) {
      return `policy.${field} = ${describeValue(errno)} (expected a positive errno such as 2 for ENOENT or 22 for EINVAL)`
    }
  }
  const cleanupOn = policy['cleanupOn']
  if (!Array.isArray(cleanupOn)) return `policy without a cleanupOn array`
  for (const trigger of cleanupOn as unknown[]) {
    if (!CLEANUP_TRIGGERS.includes(trigger as CleanupTrigger)) {
      return `policy.cleanupOn with ${describeValue(trigger)} (expected ${CLEANUP_TRIGGERS.join(', ')})`
    }
  }
  return null
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function'
}

/** The registry's rule for names (registry.ts registerStrategy). */
export function isCleanName(name: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*$/.test(name)
}

export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  if (typeof value === 'number' || typeof value === 'boolean') return `${value}`
  return typeName(value)
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0] ?? text
}

