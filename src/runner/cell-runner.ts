// What one isolate does for one cell: measure a strategy on one (workload, N, stream seed), with
// tinybench as the timing engine. An isolate is a fresh worker thread or child process
// (isolate-host.ts) that runs exactly one call of measureIsolate() and is then discarded, so no
// JIT state, heap or address-space layout follows a strategy from one isolate into the next: the
// isolate is the unit of replication (Kalibera & Jones 2013; JMH forks; pyperf worker processes).
//
// Inside the isolate (after JMH's iterations and pyperf's calibrated loops):
// * the probe (probe.ts): one untimed replay; a strategy that cannot run the cell is skipped with
//   a reason, and its counts of ok / failed / skipped measured ops are the reference every timed
//   batch must match; the caller compares references across strategies (checks.ts);
// * warm-up by time: the probe, then whole samples, discarded, until `warmupMs` has passed since
//   the probe began (at least one sample, which sizes the next from the last batch time, so the
//   timed samples are sized on warm code). The probe replays the same setup and batch, so it
//   warms the same code; at large N one state's setup alone outlasts the warm-up;
// * samples long enough to average the noise (Chen & Revels 2016: a sample well above the
//   timer's resolution and a GC's length): a sample replays the K measured ops on k fresh device
//   states in a row, k chosen so that the timed part lasts ≥ `sampleMs`. The states are built in
//   tinybench's beforeEach (untimed), the batches replayed in the task (timed), the work checked
//   in afterEach (untimed). ns/op = sample time / (k·K);
// * GC per sample: a PerformanceObserver records every collection of this isolate; collections
//   inside a sample's timed window are reported with it (count and ms), so a reader sees whether
//   a difference is the structure's or the collector's.
//
// A planted difference (calibration only) makes a sample do `plantedPercent` % more of exactly the
// same work while ns/op is still divided by the nominal k·K: e extra fresh states, replayed by the
// SAME loop as the k nominal ones and checked like them, so the arm runs exactly A's code and only
// more of it. e is k·p/100 rounded at random (floor, plus one with the fractional part's
// probability, from a generator seeded by the stream seed): E[(k + e)/k] = 1 + p/100 exactly. The
// first version replayed a prefix of one more batch through a second loop; on this machine that
// made every planted arm ≈ 10 % slower whatever p was (+2 % measured +10.8 %), because the
// planted arm's timed function was no longer the one A ran.

import { PerformanceObserver } from 'node:perf_hooks'
import { Bench } from 'tinybench'
import type { Task } from 'tinybench'
import { Prng } from '../workloads/prng.js'
import { BenchIntegrityError, leftovers } from './checks.js'
import type { DeviceState, StateRecipe, WorkCounts } from '../workloads/device-state.js'
import { buildState, countsSince, formatCounts, openState, sameCounts } from '../workloads/device-state.js'
import type { OutcomeReport } from '../results/run-schema.js'
import type { GcMode } from '../results/shared-schema.js'
import { runOutcomeCell } from './outcome-cell.js'
import type { GroupSpec } from './probe.js'
import { probeCell, recipeOf, sidesProblem, streamHashOf } from './probe.js'

/** What an isolate is asked to do. */
export interface IsolateRequest {
  readonly group: GroupSpec
  /** Timed samples (r), after the warm-up. */
  readonly samples: number
  /** Target length of a sample's timed part, ms. */
  readonly sampleMs: number
  /** Warm-up: whole untimed samples until this many ms have passed (at least two). */
  readonly warmupMs: number
  /** Extra identical work per sample, percent of the nominal (calibration's planted difference). */
  readonly plantedPercent: number
  /**
   * The collection before every timed sample, once its states are built (needs --expose-gc).
   * 'minor' (the default): a scavenge after the sample's states are built, so the timed part does
   * not pay for collecting the setup's garbage — on this machine that took collections out of the
   * timed part (lookup-heavy N = 512: from 1–3 in most samples to none) without moving the states
   * to the old generation. 'major' also promotes them, which made the same cell 6–8× slower (write
   * barriers, another layout): a property of V8's heap, not of the structure. 'none': as it falls.
   */
  readonly gcBeforeSample: GcMode
}

export interface SampleRecord {
  /** Timed part / (k·K), ns. */
  readonly nsPerOp: number
  /** Collections that started inside the timed part, and their total length in ms. */
  readonly gcCount: number
  readonly gcMs: number
}

export type IsolateResult =
  | {
      readonly status: 'measured'
      /**
       * Counts of one batch, identical in every batch of this isolate; where the samples replayed
       * streams of their own (native rounds), one batch of each stream, summed.
       */
      readonly reference: WorkCounts
      /** Strategies with equal semantics must have equal references. */
      readonly semantics: string
      readonly opsPerBatch: number
      readonly setupOps: number
      /** sha-256 of the generated stream (before binding): equal hashes, equal work. */
      readonly streamHash: string
      /** The stream seed of each sample, where the samples replayed streams of their own. */
      readonly streamSeeds?: readonly number[]
      /** k: fresh states replayed per sample. */
      readonly statesPerSample: number
      readonly warmupSamples: number
      readonly samples: SampleRecord[]
    }
  | { readonly status: 'skipped'; readonly reason: string }

export type OutcomeResult = ({ readonly status: 'outcome' } & OutcomeReport) | { readonly status: 'skipped'; readonly reason: string }

/** A sample replays at most this many states (memory: k live sets at once). */
const MAX_STATES_PER_SAMPLE = 512

/**
 * Extra states of a planted sample: `percent` % of k, rounded at random so that the expectation is
 * exact — floor(k·p/100), plus one when `draw` (uniform in [0, 1)) falls below the fraction.
 */
export function plantedStates(percent: number, states: number, draw: number): number {
  const wanted = (percent / 100) * states
  const whole = Math.floor(wanted)
  return whole + (draw < wanted - whole ? 1 : 0)
}

class IsolateMeasurer {
  private readonly label: string
  private readonly recipe: StateRecipe
  private readonly reference: WorkCounts
  private readonly drains: boolean
  private readonly ops: number
  private readonly plantedPercent: number
  private readonly plantedDraws: Prng
  private readonly task: Task
  private readonly collect: (() => void) | null
  /** k for the next sample. */
  states = 1
  /** States the last sample replayed (k plus any planted extra). */
  private replayed = 1
  /** The sample's states: k nominal ones and the planted extra, all replayed and checked alike. */
  private current: DeviceState[] | null = null
  /** Timed window of the last sample (performance.now() timeline), for the GC records. */
  windowStart = 0
  windowEnd = 0

  constructor(label: string, recipe: StateRecipe, reference: WorkCounts, drains: boolean, request: IsolateRequest) {
    this.label = label
    this.recipe = recipe
    this.reference = reference
    this.drains = drains
    this.ops = recipe.binder.stream.measured.length
    this.plantedPercent = request.plantedPercent
    this.plantedDraws = new Prng(request.group.seed ^ 0x5eed)
    const gc = globalThis.gc as ((options?: { type: 'minor' | 'major' }) => void) | undefined
    const mode = request.gcBeforeSample
    this.collect = gc === undefined || mode === 'none' ? null : () => gc({ type: mode })
    const bench = new Bench({ name: label, iterations: 1, time: 0, warmup: false, throws: true, timestampProvider: 'hrtimeNow' })
    bench.add(label, () => this.replay(), { beforeEach: () => this.build(), afterEach: () => this.verify() })
    const task = bench.getTask(label)
    if (task === undefined) throw new Error(`${label}: tinybench lost the task`)
    this.task = task
  }

  /** The timed part: every batch of the sample, back to back. */
  private replay(): void {
    const sample = this.current as DeviceState[]
    this.windowStart = performance.now()
    for (const state of sample) state.applier.applyAll(state.measured)
    this.windowEnd = performance.now()
  }

  private build(): void {
    const extra = this.plantedPercent === 0 ? 0 : plantedStates(this.plantedPercent, this.states, this.plantedDraws.next())
    const sample: DeviceState[] = []
    for (let i = 0; i < this.states + extra; i++) sample.push(this.fresh())
    this.current = sample
    this.replayed = sample.length
    this.collect?.()
  }

  private fresh(): DeviceState {
    const state = buildState(this.recipe)
    if (state.afterSetup.failed !== 0 || state.afterSetup.skipped !== 0) {
      throw new BenchIntegrityError(`${this.label}: the setup failed in a sample but not in the probe`)
    }
    return state
  }

  private verify(): void {
    const sample = this.current
    this.current = null
    if (sample === null) return
    for (const state of sample) {
      const work = countsSince(state.applier, state.afterSetup)
      if (!sameCounts(work, this.reference)) {
        throw new BenchIntegrityError(`${this.label}: a batch did ${formatCounts(work)}, the probe ${formatCounts(this.reference)}`)
      }
      if (this.drains) {
        const held = leftovers(state)
        if (held !== null) throw new BenchIntegrityError(`${this.label}: a batch left ${held}`)
      }
    }
  }

  /** One sample: its timed part in ms. */
  sample(): number {
    this.task.reset(false)
    this.task.runSync()
    const result = this.task.result
    if (result.state !== 'completed') {
      // What the task threw, as it was thrown (an integrity check, or an outside module's error).
      if (result.state === 'errored' && result.error instanceof Error) throw result.error
      const cause = result.state === 'errored' ? `: ${String(result.error)}` : ''
      throw new BenchIntegrityError(`${this.label}: the tinybench task ended ${result.state}${cause}`)
    }
    if (result.latency.samplesCount !== 1) throw new Error(`${this.label}: expected one tinybench sample, got ${result.latency.samplesCount}`)
    return result.latency.mean
  }

  /** k for a sample of `sampleMs`, from the last sample's time per state. */
  resize(lastMs: number, sampleMs: number): void {
    const perState = lastMs / this.replayed
    const wanted = perState > 0 ? Math.ceil(sampleMs / perState) : MAX_STATES_PER_SAMPLE
    this.states = Math.min(MAX_STATES_PER_SAMPLE, Math.max(1, wanted))
  }

  get opsPerBatch(): number {
    return this.ops
  }
}

/** Records this isolate's collections (their start and length on the performance.now() timeline). */
class GcRecorder {
  private readonly entries: { start: number; ms: number }[] = []
  private readonly observer: PerformanceObserver

  constructor() {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.entries.push({ start: entry.startTime, ms: entry.duration })
    })
    this.observer.observe({ entryTypes: ['gc'] })
  }

  /** Collections that started in [start, end): count and total ms. Call after flush(). */
  within(start: number, end: number): { gcCount: number; gcMs: number } {
    let gcCount = 0
    let gcMs = 0
    for (const entry of this.entries) {
      if (entry.start >= start && entry.start < end) {
        gcCount++
        gcMs += entry.ms
      }
    }
    return { gcCount, gcMs }
  }

  /** Let the observer's queued callbacks run, then stop observing. */
  async flush(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0))
    await new Promise((resolve) => setImmediate(resolve))
    this.observer.disconnect()
  }
}

/** Probe, warm up and sample `spec` on `request.group` in this isolate. */
export async function measureIsolate(spec: string, request: IsolateRequest): Promise<IsolateResult> {
  const warmupStart = performance.now()
  const probed = probeCell(spec, request.group)
  if (probed.status === 'skipped') return probed
  const { workload, recipe, reference, semantics, label } = probed

  const gc = new GcRecorder()
  const measurer = new IsolateMeasurer(label, recipe, reference, workload.drains, request)
  let warmupSamples = 0
  while (warmupSamples < 1 || performance.now() - warmupStart < request.warmupMs) {
    measurer.resize(measurer.sample(), request.sampleMs)
    warmupSamples++
  }
  const windows: { start: number; end: number; ms: number }[] = []
  for (let i = 0; i < request.samples; i++) {
    const ms = measurer.sample()
    windows.push({ start: measurer.windowStart, end: measurer.windowEnd, ms })
  }
  await gc.flush()
  const nominalOps = measurer.states * measurer.opsPerBatch
  const samples = windows.map((w) => ({ nsPerOp: (w.ms * 1e6) / nominalOps, ...gc.within(w.start, w.end) }))
  return {
    status: 'measured',
    reference,
    semantics,
    opsPerBatch: measurer.opsPerBatch,
    setupOps: recipe.binder.stream.setup.length,
    streamHash: streamHashOf(recipe),
    statesPerSample: measurer.states,
    warmupSamples,
    samples,
  }
}

/** Run an outcome workload once (untimed) and report what the allocator did. */
export function runOutcome(spec: string, group: GroupSpec): OutcomeResult {
  const { workload, recipe } = recipeOf(spec, group)
  const { policy } = openState(recipe).strategy
  const problem = sidesProblem(workload, spec, policy.supportsAlloc, policy.supportsMap)
  if (problem !== null) return { status: 'skipped', reason: problem }
  const report = runOutcomeCell(recipe)
  if (report.setupFailures > 0) {
    return { status: 'skipped', reason: `setup failed: ${report.setupFailures} ALLOC/MAP calls of the long-lived set did not succeed` }
  }
  return { status: 'outcome', ...report }
}
