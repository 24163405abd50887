// Runs one generated stream through OpApplier on a registry strategy (GntDev in a fresh Domain)
// and on ReferenceDevice with the strategy's own policy and limits, in lockstep, and reports
// every disagreement: result sign and errno per operation, the offset GET_OFFSET_FOR_VADDR
// resolves to, device stats after every operation, the structures' check() after every
// operation, and that live runs never overlap. Returns messages instead of asserting, so a
// failure names the first divergent operation with its context.

import { Domain } from '../../src/device/domain.js'
import { ReferenceDevice } from '../../src/device/reference-device.js'
import type { DeviceStats } from '../../src/device/types.js'
import { errnoName } from '../../src/errno.js'
import { createStrategy } from '../../src/strategies/registry.js'
import type { Strategy } from '../../src/strategies/types.js'
import { OpApplier, SKIPPED } from '../../src/workloads/apply.js'
import type { DeviceOp } from '../../src/workloads/types.js'
import type { GeneratedStream } from '../../src/verify/op-streams.js'
import { differentialProfile, randomOpStream } from '../../src/verify/op-streams.js'

export interface DifferentialResult {
  problems: string[]
  ops: number
  ok: number
  failed: number
  skipped: number
  /** Errno names seen, with counts (to show that the stream exercised the error paths). */
  errnos: Record<string, number>
  /** Operation kinds that succeeded at least once. */
  succeededKinds: Set<DeviceOp['kind']>
  finalStats: DeviceStats
  /** Largest allocator.stats().spanPages seen (the truncated comparator is exact below 2^19). */
  maxSpanPages: number
}

const STAT_KEYS: readonly (keyof DeviceStats)[] = [
  'grefs',
  'gmaps',
  'vmas',
  'pendingCleanup',
  'reclaimed',
  'notifyClearedBytes',
  'notifyEventsSent',
  'collisions',
]

function statsDiff(want: DeviceStats, got: DeviceStats): string | null {
  for (const key of STAT_KEYS) {
    if (want[key] !== got[key]) return `${key}: reference ${want[key]}, device ${got[key]}`
  }
  return null
}

function describeResult(result: number): string {
  return result === SKIPPED ? 'skipped' : result >= 0 ? `ok(${result})` : errnoName(result)
}

function checkStrategy(strategy: Strategy): string | null {
  try {
    strategy.allocator.check()
    strategy.grefStore.check()
    strategy.gmapStore.check()
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

export function hashName(name: string): number {
  let h = 2166136261
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619)
  return h >>> 0
}

/**
 * `make` builds the strategy under test (default: the registry's `spec`); the reference gets its
 * policy and limits. The seed defaults to a hash of the spec, so each strategy sees its own stream.
 */
export function runDifferential(
  spec: string,
  opCount: number,
  seed: number = hashName(spec),
  make: () => Strategy = () => createStrategy(spec),
): DifferentialResult {
  const domain = new Domain()
  const device = domain.open(make())
  const strategy = device.strategy
  const stream: GeneratedStream = randomOpStream(seed, differentialProfile(opCount, { alloc: strategy.policy.supportsAlloc, map: strategy.policy.supportsMap }))
  const reference = new ReferenceDevice({ policy: strategy.policy, limits: strategy.limits })
  for (const ref of stream.grantedRefs) {
    domain.peer.grantRef(ref)
    reference.peer.grantRef(ref)
  }
  const ops = stream.measured
  const track = OpApplier.needsGrantRefs(ops)
  const got = new OpApplier(device, domain.peer, stream, track)
  const want = new OpApplier(reference, reference.peer, stream, track)
  const problems: string[] = []
  const errnos: Record<string, number> = {}
  const succeededKinds = new Set<DeviceOp['kind']>()
  /** Live page → handle, on the device under test. */
  const owner = new Map<number, number>()
  let closed = false
  let maxSpanPages = 0

  const fail = (index: number, op: DeviceOp, message: string): void => {
    problems.push(`${spec} seed ${seed} op #${index} ${JSON.stringify(op, (k, v: unknown) => (k === 'grantRefs' && Array.isArray(v) ? `[${v.length} refs]` : v))}: ${message}`)
  }
  const claim = (index: number, op: DeviceOp, handle: number, first: number, pages: number): void => {
    for (let p = first; p < first + pages; p++) {
      const other = owner.get(p)
      if (other !== undefined) {
        fail(index, op, `page ${p} handed out to handle ${handle} while live in handle ${other}`)
        return
      }
      owner.set(p, handle)
    }
  }
  const unclaim = (first: number, pages: number): void => {
    for (let p = first; p < first + pages; p++) owner.delete(p)
  }

  for (let i = 0; i < ops.length && problems.length === 0; i++) {
    const op = ops[i] as DeviceOp
    const w = want.apply(op)
    const g = got.apply(op)
    const agree = w === SKIPPED ? g === SKIPPED : w >= 0 ? g >= 0 && g !== SKIPPED : g === w
    if (!agree) {
      fail(i, op, `reference ${describeResult(w)}, device ${describeResult(g)}`)
      break
    }
    if (g < 0 && g !== SKIPPED) {
      const name = errnoName(g)
      errnos[name] = (errnos[name] ?? 0) + 1
    }
    if (g >= 0) {
      succeededKinds.add(op.kind)
      switch (op.kind) {
        case 'alloc':
          claim(i, op, op.handle, g, op.pages)
          break
        case 'map':
          claim(i, op, op.handle, g, op.grantRefs.length)
          break
        case 'dealloc':
          unclaim((got.pageOf[op.handle] as number) + op.pageOffset, op.pages)
          break
        case 'unmap':
          unclaim(got.pageOf[op.handle] as number, stream.handlePages[op.handle] as number)
          break
        case 'getOffset': {
          const handle = stream.vmaHandle[op.vma] as number
          for (const [applier, who] of [
            [got, 'device'],
            [want, 'reference'],
          ] as const) {
            const out = applier.lastOffset()
            if (out.firstPage !== applier.pageOf[handle] || out.pages !== stream.handlePages[handle]) {
              fail(i, op, `${who} GET_OFFSET gave (${out.firstPage}, ${out.pages}), handle ${handle} is (${applier.pageOf[handle]}, ${stream.handlePages[handle]})`)
            }
          }
          break
        }
        case 'close':
          closed = true
          owner.clear()
          break
        default:
          break
      }
    }
    const broken = checkStrategy(strategy)
    if (broken !== null) fail(i, op, `check(): ${broken}`)
    const diff = statsDiff(reference.stats(), device.stats())
    if (diff !== null) fail(i, op, `stats differ after the operation: ${diff}`)
    const allocatorStats = strategy.allocator.stats()
    if (allocatorStats.spanPages > maxSpanPages) maxSpanPages = allocatorStats.spanPages
    if (!closed) {
      const livePages = allocatorStats.livePages
      if (livePages !== owner.size) fail(i, op, `allocator reports ${livePages} live pages, live runs hold ${owner.size}`)
    }
  }

  // A last cleanup pass on both: what stays is what the peer still maps.
  if (problems.length === 0) {
    domain.runCleanup()
    reference.runCleanup()
    const diff = statsDiff(reference.stats(), device.stats())
    if (diff !== null) problems.push(`${spec}: stats differ after the final cleanup: ${diff}`)
  }

  return {
    problems,
    ops: ops.length,
    ok: got.ok,
    failed: got.failed,
    skipped: got.skipped,
    errnos,
    succeededKinds,
    finalStats: device.stats(),
    maxSpanPages,
  }
}

/** Every operation kind a device with these sides must have completed at least once. */
export function expectedKinds(alloc: boolean, map: boolean): DeviceOp['kind'][] {
  const kinds: DeviceOp['kind'][] = ['mmap', 'munmap', 'notify', 'close']
  if (alloc) kinds.push('alloc', 'dealloc', 'foreignMap', 'foreignUnmap')
  if (map) kinds.push('map', 'unmap', 'getOffset')
  return kinds
}

/** Operations per strategy in the differential tests. */
export const DIFFERENTIAL_OPS = 10_000
