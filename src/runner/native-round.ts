// A round of the native engine (`--engine native`): the C bookkeeping in native/, every strategy
// of the round in ONE fresh engine process, their samples interleaved in a shuffled order per
// cycle (native/src/sampler.c says why: this host's speed drifts between levels lasting hundreds
// of ms, and strategies timed side by side in time see the same level). The TS side probes the
// round first (probeRound below: skips, the semantics key, and the reference work from one TS
// replay per device semantics), hands the engine the round's bound op streams, each encoded once,
// and the fully resolved strategies (src/native/engine.ts), and takes back raw samples: k fresh
// states per sample, each built untimed and its batch timed with CLOCK_MONOTONIC, k fixed before
// each sample so that it holds about sampleMs of timed batches. Each sample of a round replays a
// stream of its own (streamSeeds), the same for every strategy: the work of one strategy relative
// to another varies from stream to stream, and a round of r samples then averages over r streams
// instead of carrying one stream's luck whole (engine version 8; README "How a verdict is
// made"). The engine's work must equal the model's in ok / failed / skipped counts, or the run
// stops: a C result that disagrees with the model is never published. Statistics, reports and
// files are the TS code's, as for JS isolates.

import { performance } from 'node:perf_hooks'
import { NativeEngineError } from '../native/engine-process.js'
import { NotCoveredByNativeError } from '../native/resolved-strategy.js'
import type { NativeRoundOptions, NativeTiming, PreparedNativeRun, PreparedRoundEntry } from '../native/engine.js'
import { bindNativeStream, nativeSpecsOf, prepareNativeRun, timePreparedRound } from '../native/engine.js'
import type { IsolateRequest, IsolateResult } from './cell-runner.js'
import type { GroupSpec, OpenedProbe, ProbeResult } from './probe.js'
import { generateGroup, openProbe, replayProbe, roundStreamsHash, streamHashOf } from './probe.js'
import { BenchIntegrityError } from './checks.js'
import type { WorkCounts } from '../workloads/device-state.js'
import { formatCounts, sameCounts } from '../workloads/device-state.js'

/**
 * Warm-up per strategy of a native round, ms at most, counting the replicate that fixes the
 * reference work (it also sizes the first sample); result files record it (config.native.warmupMs).
 * C has no JIT to wait for: the warm-up only fills the caches and the branch predictors with this
 * cell's states, which a few replicates do — and in an interleaved round the other strategies'
 * samples evict them again before each sample anyway. Measured with 20 ms: an arm's first sample
 * was no slower than its second (results/bench-20261206-134155-native.json: median log ratio
 * +0.02 %, the first slower in 50 % of 1,357 isolates), so 20 ms bought nothing over a few
 * replicates and cost 200 ms per round of ten strategies — a sixth of the C suite's time.
 */
export const NATIVE_WARMUP_MS = 5

/** One strategy of a round: its registry name and any planted extra work (calibration). */
export interface NativeRoundArm {
  readonly name: string
  readonly plantedPercent: number
}

type Probed = Extract<ProbeResult, { status: 'ready' }>

interface Ready {
  readonly index: number
  /** One per stream of the round, in sample order. */
  readonly runs: PreparedNativeRun[]
  readonly probed: Probed[]
}

/**
 * The stream seeds of a round whose first stream has seed `roundSeed`: one per sample, the first
 * the round's own (so a round's first stream is the one a round of one stream replays); just that
 * one when `oneStream` (a trace is one fixed stream whatever the seed, and with --engine both the
 * C arms replay the JS isolates' stream).
 */
export function streamSeeds(roundSeed: number, samples: number, oneStream: boolean): number[] {
  const seeds = [roundSeed >>> 0]
  for (let j = 1; j < (oneStream ? 1 : samples); j++) seeds.push((Math.imul(roundSeed ^ Math.imul(j, 0x9e3779b9), 0x85ebca6b) ^ (j << 16)) >>> 0)
  return seeds
}

/**
 * What a cell's full probes cost so far, ms per strategy name: a round replays in TS one
 * strategy per device semantics, the cheapest known (see probeRound). Kept by the caller for the
 * whole cell; a fresh one makes the next round probe every strategy.
 */
export type ProbeCosts = Map<string, number>

/**
 * The TS side of a round: each arm's recipe and semantics (openProbe, cheap), and the model's
 * reference work from ONE full replay per device semantics — strategies with the same policy,
 * limits and quirks must do exactly the same work (checks.ts), so one replay gives the work the C
 * engine must match for every arm of that semantics. Arms whose cost is not known yet are all
 * replayed (the first round of a cell replays every arm, so every strategy's TS model is checked
 * against its C twin), and their references must agree; later rounds replay the cheapest. This
 * cut the TS probes of a pass over the default suite from 4.5 s to 1.3 s, most of it at N = 4096,
 * where each list replayed an O(N²) setup.
 */
function probeRound(arms: readonly NativeRoundArm[], group: GroupSpec, costs: ProbeCosts): ProbeResult[] {
  const generated = generateGroup(group)
  const opened = arms.map((arm) => openProbe(arm.name, group, generated))
  const results: (ProbeResult | null)[] = opened.map((o) => (o.status === 'skipped' ? o : null))
  const classes = new Map<string, number[]>()
  opened.forEach((o, index) => {
    if (o.status !== 'opened') return
    const members = classes.get(o.semantics)
    if (members === undefined) classes.set(o.semantics, [index])
    else members.push(index)
  })
  const nameOf = (index: number): string => (arms[index] as NativeRoundArm).name
  const cost = (index: number): number => costs.get(nameOf(index)) ?? 0
  for (const members of classes.values()) {
    const unknown = members.filter((index) => !costs.has(nameOf(index)))
    const replayed = unknown.length > 0 ? unknown : [members.reduce((best, index) => (cost(index) < cost(best) ? index : best))]
    let first: { result: ProbeResult; label: string } | null = null
    for (const index of replayed) {
      const o = opened[index] as Extract<OpenedProbe, { status: 'opened' }>
      const startMs = performance.now()
      const result = replayProbe(o)
      costs.set(nameOf(index), performance.now() - startMs)
      if (first !== null && !sameProbe(first.result, result)) {
        throw new BenchIntegrityError(`${o.label}: shares a device policy with ${first.label} but the TS model did different work (${probeText(first.result)} vs ${probeText(result)})`)
      }
      first ??= { result, label: o.label }
      results[index] = result
    }
    if (first === null) continue
    for (const index of members) {
      if (results[index] !== null) continue
      const o = opened[index] as Extract<OpenedProbe, { status: 'opened' }>
      results[index] = first.result.status === 'skipped' ? first.result : { ...first.result, recipe: o.recipe, label: o.label }
    }
  }
  return results.map((r) => {
    if (r === null) throw new Error('native round: an arm was not probed')
    return r
  })
}

function sameProbe(a: ProbeResult, b: ProbeResult): boolean {
  if (a.status === 'skipped' || b.status === 'skipped') return a.status === b.status
  return sameCounts(a.reference, b.reference)
}

function probeText(p: ProbeResult): string {
  return p.status === 'skipped' ? `skipped: ${p.reason}` : formatCounts(p.reference)
}

/**
 * How long a round whose engine was killed by a signal waits before it reports the engine failed:
 * a Ctrl-C reaches the whole process group, the engine and gntbench alike, and the CLI's own
 * handler (exit-hooks.ts), which can only run once the blocking engine call has returned, must get
 * its turn to stop the run as stopped (128 + n) rather than as an engine failure.
 */
const SIGNAL_GRACE_MS = 200

/**
 * The round in the engine; a failure names the cell. The call blocks (native/engine-process.ts
 * says why), so a signal that arrived meanwhile is still waiting for the event loop: the loop
 * gets a turn after every round — without one, a run of native rounds only ever awaits settled
 * promises and a SIGTERM or SIGHUP would not stop it (exit-hooks.ts) — and a longer one when the
 * engine itself died of a signal.
 */
async function timeRound(entries: readonly PreparedRoundEntry[], options: NativeRoundOptions, cell: string): Promise<NativeTiming[]> {
  let timings: NativeTiming[]
  try {
    timings = timePreparedRound(entries, options)
  } catch (error) {
    if (!(error instanceof NativeEngineError)) throw error
    if (error.signal !== null) await new Promise((resolve) => setTimeout(resolve, SIGNAL_GRACE_MS))
    throw new NativeEngineError(`${cell}: ${error.message}`, error.signal)
  }
  await new Promise((resolve) => setImmediate(resolve))
  return timings
}

/** An arm is skipped on the round when any of its streams skips it (the first such reason). */
function skipOf(probes: readonly (ProbeResult | undefined)[]): Extract<ProbeResult, { status: 'skipped' }> | null {
  for (const p of probes) if (p?.status === 'skipped') return p
  return null
}

function sumCounts(counts: readonly WorkCounts[]): WorkCounts {
  let ok = 0
  let failed = 0
  let skipped = 0
  for (const c of counts) {
    ok += c.ok
    failed += c.failed
    skipped += c.skipped
  }
  return { ok, failed, skipped }
}

/**
 * Measure the arms of one round in one engine process: the round's stream seed, sample count,
 * sample length and warm-up are the round's (`request`); each arm brings its planted percentage.
 * Sample c of every arm replays the round's stream c (streamSeeds). Returns one result per arm,
 * in the arms' order; its reference is one batch of each stream, summed. `costs` carries the
 * probes' costs from round to round (probeRound). `withJs`: the round also has JS arms (--engine
 * both), whose isolates replay the round's one stream: so do the C arms, to time the same work.
 */
export async function runNativeRound(
  arms: readonly NativeRoundArm[],
  request: Omit<IsolateRequest, 'plantedPercent'>,
  costs: ProbeCosts = new Map(),
  withJs = false,
): Promise<IsolateResult[]> {
  const results: (IsolateResult | null)[] = arms.map(() => null)
  const ready: Ready[] = []
  const seeds = streamSeeds(request.group.seed, request.samples, withJs || request.group.trace !== undefined)
  const probes = seeds.map((seed) => probeRound(arms, { ...request.group, seed }, costs))
  // Every arm of the round replays each generated stream, bound to a fresh peer the same way:
  // bound, encoded and hashed once per stream.
  const streams = probes.map((perArm) => {
    const first = perArm.find((p): p is Probed => p.status === 'ready')
    return first === undefined ? null : { bound: bindNativeStream(nativeSpecsOf(first.recipe).stream), hash: streamHashOf(first.recipe) }
  })
  arms.forEach((_, index) => {
    const perStream = probes.map((perArm) => perArm[index])
    const skipped = skipOf(perStream)
    if (skipped !== null) {
      results[index] = skipped
      return
    }
    const probed = perStream as Probed[]
    try {
      const runs = probed.map((p, j) => {
        const { stream, strategy } = nativeSpecsOf(p.recipe)
        return prepareNativeRun(stream, strategy, streams[j]?.bound)
      })
      ready.push({ index, runs, probed })
    } catch (error) {
      if (!(error instanceof NotCoveredByNativeError)) throw error
      results[index] = { status: 'skipped', reason: `not modelled by the native engine: ${error.message}` }
    }
  })
  if (ready.length > 0) {
    const timings = await timeRound(
      ready.map((r) => ({ runs: r.runs, plantedPercent: arms[r.index]?.plantedPercent ?? 0 })),
      { sampleMs: request.sampleMs, samples: request.samples, warmupMs: Math.min(request.warmupMs, NATIVE_WARMUP_MS), seed: request.group.seed },
      `${request.group.workload} N=${request.group.size}`,
    )
    const hash = roundStreamsHash(streams.map((s) => s?.hash ?? ''))
    ready.forEach((r, i) => {
      const timing = timings[i]
      if (timing === undefined) throw new Error('native engine: a timing is missing')
      r.probed.forEach((p, j) => {
        const engineWork = timing.references[j]
        if (engineWork === undefined || !sameCounts(engineWork, p.reference)) {
          const stream = seeds.length > 1 ? ` (stream ${j + 1} of the round, seed ${seeds[j]})` : ''
          throw new BenchIntegrityError(`${p.label}${stream}: the native engine did ${engineWork === undefined ? 'nothing' : formatCounts(engineWork)}, the TS model ${formatCounts(p.reference)}`)
        }
      })
      const first = r.probed[0] as Probed
      results[r.index] = {
        status: 'measured',
        reference: sumCounts(r.probed.map((p) => p.reference)),
        semantics: first.semantics,
        opsPerBatch: timing.opsPerReplicate,
        setupOps: first.recipe.binder.stream.setup.length,
        streamHash: hash,
        ...(seeds.length > 1 ? { streamSeeds: seeds } : {}),
        statesPerSample: Math.max(...timing.replicatesPerSample),
        warmupSamples: 0,
        samples: timing.samples.map((nsPerOp) => ({ nsPerOp, gcCount: 0, gcMs: 0 })),
      }
    })
  }
  return results.map((r) => {
    if (r === null) throw new Error('native round: an arm has no result')
    return r
  })
}
