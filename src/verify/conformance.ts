// The conformance suite an outside strategy must pass (`gntbench check MODULE`), importable by
// tests. Three properties, each run on the same seeded random op streams (op-streams.ts)
// through a real GntDev, so the strategy is exercised exactly as a benchmark exercises it:
//
//   invariants    allocator.check(), grefStore.check() and gmapStore.check() hold after every op,
//                 and no method throws.
//   disjoint      every successful ALLOC or MAP gets a run inside the offset space that overlaps
//                 no live record's pages, and allocator.stats().livePages counts exactly the pages
//                 handed out and not yet returned.
//   differential  every op answers as ReferenceDevice (an independent oracle) does under the
//                 strategy's own policy and limits: same success or errno, GET_OFFSET_FOR_VADDR
//                 resolving to the same handle and count, same device stats after every op.
//
// A failing stream is shrunk (shrink-stream.ts) and returned as a trace, ready to replay.

import { OFFSET_SPACE_PAGES } from '../abi.js'
import { Domain } from '../device/domain.js'
import { ReferenceDevice } from '../device/reference-device.js'
import { OpApplier } from '../workloads/apply.js'
import { deviceStatsLine, Lane, Lockstep } from './lockstep.js'
import type { Semantics } from './lockstep.js'
import { formatOp, formatTrace } from '../workloads/trace-format.js'
import { handleProblemOf } from '../workloads/trace-handles.js'
import type { DeviceOp, OpStream } from '../workloads/types.js'
import { CONFORMANCE_PROFILE, conformanceStream } from './op-streams.js'
import type { StreamProfile } from './op-streams.js'
import { shrinkOps, streamOf } from './shrink-stream.js'
import type { Strategy, StrategyFactory } from '../strategies/types.js'
import { StrategyFault } from '../strategies/strategy-fault.js'
import { withinTimeLimit } from '../strategies/time-limit.js'

export interface ConformanceOptions {
  /** Seed of the random streams (default 1). */
  seed?: number
  /** Streams per property (default 300: a few seconds for an O(log n) strategy). */
  streams?: number
  /** The streams' profile (default CONFORMANCE_PROFILE). */
  profile?: StreamProfile
  /** Most property runs spent shrinking one failure (default 4000). */
  shrinkBudget?: number
  /** Called after each stream: property index (0-based), streams of it done. */
  onStream?: (property: number, streams: number) => void
}

/** Where a stream failed: the index of the op, and what went wrong, in one line. */
export interface StreamFailure {
  readonly index: number
  readonly message: string
  /** Set when a method threw or returned a value of the wrong kind (strategy-fault.ts). */
  readonly fault?: StrategyFault
}

export interface ConformanceFailure {
  /** Index of the first failing stream (reproducible from the seed). */
  readonly stream: number
  /** Ops in that stream before shrinking. */
  readonly originalOps: number
  /** The shrunk stream and where it fails. */
  readonly ops: readonly DeviceOp[]
  readonly failure: StreamFailure
  /** The shrunk stream as a trace (trace-format.ts), with the failure in a comment. */
  readonly trace: string
  /** Line of the trace holding the failing op. */
  readonly traceLine: number
}

export interface PropertyOutcome {
  readonly name: PropertyName
  readonly summary: string
  readonly passed: boolean
  /** Streams and ops run before the first failure (or in all). */
  readonly streams: number
  readonly ops: number
  readonly failure: ConformanceFailure | null
}

export interface ConformanceReport {
  readonly strategy: string
  readonly seed: number
  readonly passed: boolean
  readonly properties: readonly PropertyOutcome[]
}

export type PropertyName = 'invariants' | 'disjoint' | 'differential'

/** One property: runs a stream on fresh bookkeeping from `create`, returns its first failure. */
export type Property = (create: StrategyFactory, stream: OpStream) => StreamFailure | null

export const PROPERTIES: readonly { name: PropertyName; summary: string; run: Property }[] = [
  { name: 'invariants', summary: 'check() of allocator and stores holds after every op; nothing throws', run: invariantsProperty },
  { name: 'disjoint', summary: 'live runs never overlap and stay in the offset space; livePages is exact', run: disjointProperty },
  { name: 'differential', summary: 'same answers and device stats as ReferenceDevice under the same policy', run: differentialProperty },
]

/** Run every property of the suite on the strategy `entry` makes. */
export function runConformance(entry: { readonly name: string; readonly create: StrategyFactory }, options: ConformanceOptions = {}): ConformanceReport {
  const steps = conformanceSteps(entry, options)
  for (;;) {
    const next = steps.next()
    if (next.done === true) return next.value
  }
}

/**
 * The same, giving the event loop a turn every few tens of milliseconds, so that a command running
 * a long suite still answers a signal (Ctrl-C) and its cleanup runs.
 */
export async function runConformanceAsync(entry: { readonly name: string; readonly create: StrategyFactory }, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const steps = conformanceSteps(entry, options)
  let turn = performance.now()
  for (;;) {
    const next = steps.next()
    if (next.done === true) return next.value
    if (performance.now() - turn > 50) {
      await new Promise((resolve) => setImmediate(resolve))
      turn = performance.now()
    }
  }
}

/** The suite, one stream at a time (it yields after each). Streams are made as they are needed. */
function* conformanceSteps(entry: { readonly name: string; readonly create: StrategyFactory }, options: ConformanceOptions): Generator<undefined, ConformanceReport> {
  const seed = options.seed ?? 1
  const count = options.streams ?? 300
  const profile = options.profile ?? CONFORMANCE_PROFILE
  const properties: PropertyOutcome[] = []
  for (const [property, { name, summary, run: unlimited }] of PROPERTIES.entries()) {
    // Each stream (and each shrink candidate) within the time limit: a method that never returns
    // stops the suite with a StrategyFault naming it, instead of hanging it.
    const run: Property = (create, stream) => withinTimeLimit(entry.name, () => unlimited(create, stream))
    let ops = 0
    let outcome: PropertyOutcome | null = null
    for (let i = 0; i < count; i++) {
      // The same seeded stream i for every property.
      const stream = conformanceStream(seed, i, profile)
      const failure = run(entry.create, stream)
      options.onStream?.(property, i + 1)
      if (failure !== null) {
        const shrunk = shrinkFailure(entry.name, name, run, entry.create, stream, failure, options.shrinkBudget ?? 4000)
        outcome = { name, summary, passed: false, streams: i + 1, ops: ops + failure.index + 1, failure: { ...shrunk, stream: i, originalOps: stream.measured.length } }
        break
      }
      ops += stream.measured.length
      yield undefined
    }
    properties.push(outcome ?? { name, summary, passed: true, streams: count, ops, failure: null })
  }
  return { strategy: entry.name, seed, passed: properties.every((p) => p.passed), properties }
}

function shrinkFailure(
  strategyName: string,
  property: PropertyName,
  run: Property,
  create: StrategyFactory,
  stream: OpStream,
  failure: StreamFailure,
  budget: number,
): Omit<ConformanceFailure, 'stream' | 'originalOps'> {
  // Ops after the failing one cannot have caused it.
  const prefix = stream.measured.slice(0, failure.index + 1)
  // A candidate must stay a well-formed trace (no op on a handle it never created, no live handle
  // made again), or the counterexample printed would not replay.
  const { ops } = shrinkOps(prefix, (candidate) => handleProblemOf(candidate) === null && run(create, streamOf(candidate)) !== null, budget)
  // shrinkOps keeps only failing candidates; should the strategy not fail the same way twice
  // (hidden state, randomness), fall back to the unshrunk prefix, which did fail.
  const again = run(create, streamOf(ops))
  const shrunk = again === null ? prefix : ops
  const final = again ?? failure
  const comments = [
    `conformance counterexample: property '${property}' of strategy '${strategyName}'`,
    `fails at op ${final.index + 1}: ${final.message}`,
  ]
  const trace = formatTrace(streamOf(shrunk), comments)
  // Header, the comments, the directive's comment and the directive come before the first op.
  const traceLine = 1 + comments.length + 2 + final.index + 1
  return { ops: shrunk, failure: final, trace, traceLine }
}

// ---------------------------------------------------------------------------------------------
// The properties

function semanticsOf(strategy: Strategy): Semantics {
  return { policy: strategy.policy, limits: strategy.limits, quirks: strategy.quirks }
}

/** A file of a fresh strategy in a fresh domain, as a lane (grants refs, tracks foreign refs). */
function openLane(name: string, create: StrategyFactory, stream: OpStream): { lane: Lane; strategy: Strategy } {
  const strategy = create()
  const domain = new Domain()
  const device = domain.open(strategy)
  const lane = new Lane(name, device, domain.peer, semanticsOf(strategy), stream, OpApplier.needsGrantRefs(stream.measured))
  return { lane, strategy }
}

function threw(index: number, op: DeviceOp, error: unknown): StreamFailure {
  if (error instanceof StrategyFault) return { index, message: `'${formatOp(op)}': ${error.withoutModule}`, fault: error }
  const text = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : String(error)
  return { index, message: `'${formatOp(op)}' threw ${text}` }
}

/** `every`: check() after every `every`-th op and after the last (1: after each). */
export function invariantsProperty(create: StrategyFactory, stream: OpStream, every = 1): StreamFailure | null {
  const { lane, strategy } = openLane('strategy', create, stream)
  const ops = stream.measured
  const parts = [
    ['allocator', strategy.allocator],
    ['grefStore', strategy.grefStore],
    ['gmapStore', strategy.gmapStore],
  ] as const
  for (let index = 0; index < ops.length; index++) {
    const op = ops[index] as DeviceOp
    try {
      lane.apply(op)
    } catch (error: unknown) {
      return threw(index, op, error)
    }
    if ((index + 1) % every !== 0 && index !== ops.length - 1) continue
    for (const [name, part] of parts) {
      try {
        part.check()
      } catch (error: unknown) {
        const text = error instanceof Error ? error.message.split('\n')[0] : String(error)
        return { index, message: `after '${formatOp(op)}': ${name}.check() threw: ${text}` }
      }
    }
  }
  return null
}

/**
 * Live gmaps as runs of pages, sorted by first page, for disjointProperty: they never overlap
 * one another (each was checked on insertion), so the one run that can overlap [first, end) is
 * the last to start before end — a binary search, where a scan of every live gmap made the
 * verification pass O(N²) at N = 4096 (3 of the C suite's 14 s of verification).
 */
class LiveRuns {
  private readonly starts: number[] = []
  private readonly pagesByStart = new Map<number, number>()

  get(start: number): number | undefined {
    return this.pagesByStart.get(start)
  }

  add(start: number, pages: number): void {
    this.starts.splice(this.firstAtOrAfter(start), 0, start)
    this.pagesByStart.set(start, pages)
  }

  delete(start: number): void {
    const at = this.firstAtOrAfter(start)
    if (this.starts[at] === start) this.starts.splice(at, 1)
    this.pagesByStart.delete(start)
  }

  clear(): void {
    this.starts.length = 0
    this.pagesByStart.clear()
  }

  /** The live run overlapping [first, first + pages), or null. */
  overlapping(first: number, pages: number): { start: number; pages: number } | null {
    const before = this.firstAtOrAfter(first + pages) - 1
    if (before < 0) return null
    const start = this.starts[before] as number
    const count = this.pagesByStart.get(start) as number
    return start + count > first ? { start, pages: count } : null
  }

  /** Index of the first start ≥ page. */
  private firstAtOrAfter(page: number): number {
    let lo = 0
    let hi = this.starts.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.starts[mid] as number) < page) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

export function disjointProperty(create: StrategyFactory, stream: OpStream): StreamFailure | null {
  const { lane, strategy } = openLane('strategy', create, stream)
  const applier = lane.applier
  const ops = stream.measured
  /** Pages of live grefs, and live gmaps by first page. */
  const grefPages = new Set<number>()
  const gmaps = new LiveRuns()
  let livePages = 0
  let closed = false
  const overlap = (first: number, pages: number): string | null => {
    for (let page = first; page < first + pages; page++) if (grefPages.has(page)) return `gref page ${page}`
    const hit = gmaps.overlapping(first, pages)
    return hit === null ? null : `gmap ${hit.start}+${hit.pages}`
  }
  const space = OFFSET_SPACE_PAGES
  for (let index = 0; index < ops.length; index++) {
    const op = ops[index] as DeviceOp
    // The handle's first page before the op: DEALLOC and UNMAP release pages relative to it.
    const before = 'handle' in op ? (applier.pageOf[op.handle] as number) : -1
    let result: number
    try {
      result = lane.apply(op)
    } catch (error: unknown) {
      return threw(index, op, error)
    }
    if (!Number.isInteger(result)) return { index, message: `'${formatOp(op)}' answered ${result}, neither a page number nor an errno` }
    if (result >= 0) {
      switch (op.kind) {
        case 'alloc':
        case 'map': {
          const pages = op.kind === 'alloc' ? op.pages : op.grantRefs.length
          if (!Number.isInteger(result) || result + pages > space) {
            return { index, message: `'${formatOp(op)}' got pages ${result}…${result + pages - 1}, outside the offset space [0, 2^52)` }
          }
          const hit = overlap(result, pages)
          if (hit !== null) return { index, message: `'${formatOp(op)}' got pages ${result}…${result + pages - 1}, overlapping live ${hit}` }
          if (op.kind === 'alloc') for (let page = result; page < result + pages; page++) grefPages.add(page)
          else gmaps.add(result, pages)
          livePages += pages
          break
        }
        case 'dealloc':
          for (let page = before + op.pageOffset; page < before + op.pageOffset + op.pages; page++) grefPages.delete(page)
          livePages -= op.pages
          break
        case 'unmap': {
          const pages = gmaps.get(before)
          if (pages !== undefined) {
            gmaps.delete(before)
            livePages -= pages
          }
          break
        }
        case 'close':
          // Offsets die with the file; nothing is handed out after close, so stop counting.
          closed = true
          grefPages.clear()
          gmaps.clear()
          break
        default:
          break
      }
    }
    if (!closed) {
      let reported: number
      try {
        reported = strategy.allocator.stats().livePages
      } catch (error: unknown) {
        if (error instanceof StrategyFault) return { index, message: `after '${formatOp(op)}': ${error.withoutModule}`, fault: error }
        return { index, message: `after '${formatOp(op)}': allocator.stats() threw: ${error instanceof Error ? error.message : String(error)}` }
      }
      if (reported !== livePages) {
        return { index, message: `after '${formatOp(op)}': allocator.stats().livePages is ${reported}, but ${livePages} pages are handed out` }
      }
    }
  }
  return null
}

function differentialProperty(create: StrategyFactory, stream: OpStream): StreamFailure | null {
  const { lane, strategy } = openLane('strategy', create, stream)
  const semantics = semanticsOf(strategy)
  const reference = new ReferenceDevice({ policy: strategy.policy, limits: strategy.limits })
  const referenceLane = new Lane('ReferenceDevice', reference, reference.peer, semantics, stream, OpApplier.needsGrantRefs(stream.measured))
  const lockstep = new Lockstep([referenceLane, lane])
  const ops = stream.measured
  for (let index = 0; index < ops.length; index++) {
    const op = ops[index] as DeviceOp
    let mismatch
    try {
      mismatch = lockstep.step(op, index + 1)
    } catch (error: unknown) {
      return threw(index, op, error)
    }
    if (mismatch !== null) return { index, message: `'${formatOp(op)}': ReferenceDevice → ${mismatch.expected}, strategy → ${mismatch.got}` }
    const expected = deviceStatsLine(reference)
    const got = deviceStatsLine(lane.device)
    if (expected !== got) return { index, message: `after '${formatOp(op)}': ReferenceDevice has ${expected}, strategy has ${got}` }
  }
  return null
}
