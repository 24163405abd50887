// The native engine as the measurement core and the tests call it. Everything the C side is told
// is resolved here, by the TS model: the strategy from the registry (src/strategies, whatever
// its presets currently are), the stream bound to a fresh peer exactly as
// src/workloads/device-state.ts binds it, and the domain's grant table size.
//
//   timeNativeRound(entries, { sampleMs, samples, seed }) → per entry, ns/op per sample, all
//     entries timed in ONE engine process with their samples interleaved (native/src/sampler.c).
//     timePreparedRound takes prepared entries, each of one or more streams: sample c of an entry
//     replays its stream c mod streams (the measurement core gives each sample its own stream).
//     Each sample is k replicates — a fresh device state built untimed from the setup, then the
//     measured ops timed with CLOCK_MONOTONIC — k fixed before the sample from the mean measured
//     time so far so that it holds about sampleMs; its value is measured ns / (k × measured ops).
//     Every replicate must do the same ok / failed / skipped work as the first, or the call
//     throws. timeNative / timeNativeDetailed are a round of one.
//   checkNative(stream, strategy) → one result per op (what the TS OpApplier observes), plus the
//     device's counters after the setup and after the measured part; invariants are checked by
//     the C engine after every op.

import { Domain } from '../device/domain.js'
import type { StateRecipe } from '../workloads/device-state.js'
import { createStrategy } from '../strategies/registry.js'
import type { StrategyOptions } from '../strategies/types.js'
import { OpApplier } from '../workloads/apply.js'
import type { DomainNeeds } from '../workloads/bench-workload.js'
import { StreamBinder } from '../workloads/bind.js'
import { PEER_DOMID } from '../workloads/stream-builder.js'
import type { DeviceOp, OpStream } from '../workloads/types.js'
import type { NativeBuildInfo } from './build.js'
import { nativeBuildInfo } from './build.js'
import type { EngineOutput } from './engine-process.js'
import { NativeEngineError, runEngine } from './engine-process.js'
import type { ResolvedNativeStrategy } from './resolved-strategy.js'
import { resolveNativeStrategy } from './resolved-strategy.js'
import type { NativeStreamInput } from './stream-encoding.js'
import { encodeNativeStream, encodeStreamBody } from './stream-encoding.js'

/** What to replay: a generated (unbound) workload stream and the domain settings it needs. */
export interface NativeStreamSpec {
  readonly stream: OpStream
  readonly domainNeeds?: DomainNeeds
}

/** Which bookkeeping: a registry spec (`rbtree`, `linux-gntalloc:bump-wrap`) and its options. */
export interface NativeStrategySpec {
  readonly spec: string
  readonly options?: StrategyOptions
}

export interface NativeTimingOptions {
  /** Measured time each sample must hold, ms (replicates are added until it does). */
  readonly sampleMs: number
  readonly samples: number
  /** Untimed replicates first, for this long (default 100 ms). */
  readonly warmupMs?: number
  /** Calibration: this many percent more replicates per sample, timed, ns/op over the nominal ones. */
  readonly plantedPercent?: number
  /** Seeds the random rounding of the planted replicates (the order seed of a round of one). */
  readonly plantedSeed?: number
}

export interface NativeWork {
  readonly ok: number
  readonly failed: number
  readonly skipped: number
}

export interface NativeTiming {
  /** ns/op, one per sample. */
  readonly samples: number[]
  readonly replicatesPerSample: number[]
  /** Measured ops of the first stream's replicates (every stream of a round has the same count). */
  readonly opsPerReplicate: number
  /** Per stream of the entry, in sample order: ok / failed / skipped of its measured ops, identical in every replicate of it. */
  readonly references: NativeWork[]
  readonly engine: NativeEngineInfo
}

export interface NativeEngineInfo extends NativeBuildInfo {
  readonly version: string
}

/** Device counters (DeviceStats) plus the applier's, at the end of a part. */
export interface NativeCounters extends NativeWork {
  readonly grefs: number
  readonly gmaps: number
  readonly vmas: number
  readonly pendingCleanup: number
  readonly reclaimed: number
  readonly notifyClearedBytes: number
  readonly notifyEventsSent: number
  readonly collisions: number
}

export interface NativeCheckResult {
  /** Per op, setup then measured: the result (page, vaddr, 0, −errno or SKIPPED). */
  readonly results: number[]
  /** Per op: first page and count of a successful getOffset, else NaN. */
  readonly offsetFirstPage: number[]
  readonly offsetPages: number[]
  readonly afterSetup: NativeCounters
  readonly afterMeasured: NativeCounters
}

/** The stream bound to a fresh peer, the resolved strategy and the encoded native input. */
export interface PreparedNativeRun {
  readonly strategy: ResolvedNativeStrategy
  readonly bound: OpStream
  readonly input: NativeStreamInput
  readonly text: string
}

/** The native specs of a cell the runner already prepared (src/workloads/device-state.ts StateRecipe). */
export function nativeSpecsOf(recipe: Pick<StateRecipe, 'spec' | 'strategyOptions' | 'domainNeeds' | 'binder'>): {
  stream: NativeStreamSpec
  strategy: NativeStrategySpec
} {
  return { stream: { stream: recipe.binder.stream, domainNeeds: recipe.domainNeeds }, strategy: { spec: recipe.spec, options: recipe.strategyOptions } }
}

/** Refs named by the stream's MAP ops (all granted by the peer the stream was bound to). */
export function mapRefs(ops: readonly DeviceOp[]): number[] {
  const refs: number[] = []
  for (const op of ops) if (op.kind === 'map') for (const ref of op.grantRefs) refs.push(ref)
  return refs
}

/** Resolve the strategy and bind the stream as src/workloads/device-state.ts openState does. */
export function prepareNativeRun(stream: NativeStreamSpec, strategy: NativeStrategySpec, bound: BoundNativeStream = bindNativeStream(stream)): PreparedNativeRun {
  const resolved = resolveNativeStrategy(createStrategy(strategy.spec, strategy.options ?? {}))
  return { strategy: resolved, bound: bound.bound, input: bound.input, text: encodeNativeStream(resolved, bound.input, bound.body) }
}

/** A stream bound to a fresh peer and encoded, ready for any strategy (prepareNativeRun). */
export interface BoundNativeStream {
  readonly bound: OpStream
  readonly input: NativeStreamInput
  readonly body: string
}

/** Bind and encode a stream once, for the strategies of a round that all replay it. */
export function bindNativeStream(stream: NativeStreamSpec): BoundNativeStream {
  const entries = stream.domainNeeds?.grantTableEntries
  const domain = new Domain({ peerDomid: PEER_DOMID, ...(entries === undefined ? {} : { grantTableEntries: entries }) })
  const bound = new StreamBinder(stream.stream).bind(domain.peer)
  const input: NativeStreamInput = {
    setup: bound.setup,
    measured: bound.measured,
    handles: bound.handles,
    vmas: bound.vmas,
    grantedRefs: [...mapRefs(bound.setup), ...mapRefs(bound.measured)],
    grantTableEntries: domain.grantTable.entries,
    trackGrantRefs: OpApplier.needsGrantRefs(bound.setup) || OpApplier.needsGrantRefs(bound.measured),
  }
  return { bound, input, body: encodeStreamBody(input) }
}

let cachedVersion: string | null = null

/** Compiler, flags and engine version, for result files. Builds the engine if needed. */
export function nativeEngineInfo(): NativeEngineInfo {
  if (cachedVersion === null) {
    const r = runEngine(['--version'], '')
    cachedVersion = r.stdout.trim().replace(/^gntbench-native\s+/, '')
  }
  return { ...nativeBuildInfo(), version: cachedVersion }
}

function counters(line: string | undefined, phase: string): NativeCounters {
  const f = (line ?? '').split(' ')
  if (f[0] !== 'S' || f[1] !== phase || f.length !== 13) throw new Error(`native engine: expected the ${phase} counters, got '${line ?? ''}'`)
  const n = f.slice(2).map(Number)
  const at = (i: number): number => n[i] as number
  return {
    grefs: at(0),
    gmaps: at(1),
    vmas: at(2),
    pendingCleanup: at(3),
    reclaimed: at(4),
    notifyClearedBytes: at(5),
    notifyEventsSent: at(6),
    collisions: at(7),
    ok: at(8),
    failed: at(9),
    skipped: at(10),
  }
}

/** Run an encoded input in check mode. Throws when the engine reports a broken invariant. */
export function checkNativeText(text: string, setupOps: number): NativeCheckResult {
  const r = runEngine(['check'], text)
  if (r.status !== 0) throw new Error(`native engine (check): ${r.stderr.trim() || `exit status ${r.status}`}`)
  const lines = r.stdout.split('\n')
  const results: number[] = []
  const offsetFirstPage: number[] = []
  const offsetPages: number[] = []
  let afterSetup: NativeCounters | null = null
  let afterMeasured: NativeCounters | null = null
  for (const line of lines) {
    if (line.startsWith('R ')) {
      const f = line.split(' ')
      results.push(Number(f[1]))
      offsetFirstPage.push(f.length === 4 ? Number(f[2]) : Number.NaN)
      offsetPages.push(f.length === 4 ? Number(f[3]) : Number.NaN)
    } else if (line.startsWith('S setup')) {
      if (results.length !== setupOps) throw new Error(`native engine: ${results.length} setup results for ${setupOps} ops`)
      afterSetup = counters(line, 'setup')
    } else if (line.startsWith('S measured')) {
      afterMeasured = counters(line, 'measured')
    }
  }
  if (afterSetup === null || afterMeasured === null) throw new Error('native engine: check output ended early')
  return { results, offsetFirstPage, offsetPages, afterSetup, afterMeasured }
}

/** Check mode on a workload stream: one result per op, setup then measured. */
export function checkNative(stream: NativeStreamSpec, strategy: NativeStrategySpec): NativeCheckResult {
  const prepared = prepareNativeRun(stream, strategy)
  return checkNativeText(prepared.text, prepared.input.setup.length)
}

interface LaneTimingJson {
  opsPerReplicate: number[]
  references: NativeWork[]
  samples: number[]
  replicatesPerSample: number[]
}

function isLaneTiming(value: unknown, samples: number, streams: number): value is LaneTimingJson {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    Array.isArray(v['opsPerReplicate']) &&
    v['opsPerReplicate'].length === streams &&
    Array.isArray(v['references']) &&
    v['references'].length === streams &&
    Array.isArray(v['samples']) &&
    v['samples'].length === samples &&
    Array.isArray(v['replicatesPerSample']) &&
    v['replicatesPerSample'].length === samples
  )
}

/** One strategy of a round: what to replay, with which bookkeeping, and any planted extra work. */
export interface NativeRoundEntry {
  readonly stream: NativeStreamSpec
  readonly strategy: NativeStrategySpec
  /** Calibration: this many percent more replicates per sample (0: none). */
  readonly plantedPercent: number
}

export interface NativeRoundOptions {
  readonly sampleMs: number
  readonly samples: number
  /** Untimed replicates of each stream first, for this long (default 100 ms). */
  readonly warmupMs?: number
  /** Seeds the order of every cycle and the planted rounding. */
  readonly seed: number
}

/**
 * Time every entry in ONE engine process, their samples interleaved (native/src/sampler.c: cycle
 * c takes one sample of each entry in a freshly shuffled order), so that the host's slow and fast
 * stretches fall on all of them alike. Returns one timing per entry, in the entries' order.
 * Throws on an integrity failure.
 */
export function timeNativeRound(entries: readonly NativeRoundEntry[], options: NativeRoundOptions): NativeTiming[] {
  if (!(options.sampleMs > 0) || !Number.isInteger(options.samples) || options.samples < 1) {
    throw new RangeError(`timeNative: sampleMs must be > 0 and samples an integer >= 1 (got ${options.sampleMs}, ${options.samples})`)
  }
  return timePreparedRound(
    entries.map((e) => ({ runs: [prepareNativeRun(e.stream, e.strategy)], plantedPercent: e.plantedPercent })),
    options,
  )
}

/**
 * One strategy of a prepared round: its runs, one per stream, in sample order (sample c replays
 * runs[c mod runs.length]; every entry of a round has as many), and its planted percentage.
 */
export interface PreparedRoundEntry {
  readonly runs: readonly PreparedNativeRun[]
  readonly plantedPercent: number
}

/** timeNativeRound on runs already prepared (the measurement core prepares a round's runs itself). */
export function timePreparedRound(entries: readonly PreparedRoundEntry[], options: NativeRoundOptions): NativeTiming[] {
  const first = entries[0]
  if (first === undefined) return []
  const streams = first.runs.length
  if (streams < 1 || streams > options.samples || entries.some((e) => e.runs.length !== streams)) {
    throw new RangeError(`timePreparedRound: every entry needs the same number of streams, from 1 to the samples (${options.samples})`)
  }
  const text = entries.map((e) => e.runs.map((run) => run.text).join('')).join('')
  return roundTimings(runEngine(roundArgs(entries, options, streams), text), entries, options, streams)
}

function roundArgs(entries: readonly PreparedRoundEntry[], options: NativeRoundOptions, streams: number): string[] {
  const args = ['time', '--sample-ms', String(options.sampleMs), '--samples', String(options.samples), '--seed', String(options.seed >>> 0)]
  if (options.warmupMs !== undefined) args.push('--warmup-ms', String(options.warmupMs))
  if (streams > 1) args.push('--streams-per-lane', String(streams))
  if (entries.some((e) => e.plantedPercent > 0)) args.push('--planted-percent', entries.map((e) => String(e.plantedPercent)).join(','))
  return args
}

/** The round's timings from what the engine printed; throws NativeEngineError when it failed. */
function roundTimings(r: EngineOutput, entries: readonly PreparedRoundEntry[], options: NativeRoundOptions, streams: number): NativeTiming[] {
  if (r.status !== 0) {
    const names = entries.map((e) => e.runs[0]?.strategy.name ?? '?').join(', ')
    throw new NativeEngineError(`native engine (time, ${names}): ${r.stderr.trim() || `exit status ${r.status}`}`, r.signal)
  }
  const parsed: unknown = JSON.parse(r.stdout)
  const lanes = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['lanes'] : undefined
  if (!Array.isArray(lanes) || lanes.length !== entries.length || !lanes.every((s) => isLaneTiming(s, options.samples, streams))) {
    throw new NativeEngineError('native engine: malformed timing output')
  }
  const engine = nativeEngineInfo()
  return lanes.map((s) => ({
    samples: s.samples,
    replicatesPerSample: s.replicatesPerSample,
    opsPerReplicate: s.opsPerReplicate[0] as number,
    references: s.references,
    engine,
  }))
}

/** Time mode for one strategy (a round of one). Throws on an integrity failure. */
export function timeNativeDetailed(stream: NativeStreamSpec, strategy: NativeStrategySpec, options: NativeTimingOptions): NativeTiming {
  const [timing] = timeNativeRound([{ stream, strategy, plantedPercent: options.plantedPercent ?? 0 }], {
    sampleMs: options.sampleMs,
    samples: options.samples,
    seed: options.plantedSeed ?? 0,
    ...(options.warmupMs === undefined ? {} : { warmupMs: options.warmupMs }),
  })
  return timing as NativeTiming
}

/** ns/op per sample (see the header). The function the measurement core's --engine native calls. */
export function timeNative(stream: NativeStreamSpec, strategy: NativeStrategySpec, options: NativeTimingOptions): number[] {
  return timeNativeDetailed(stream, strategy, options).samples
}
