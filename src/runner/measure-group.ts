// The measurement core: every timed command (run, sweep, replay, calibrate) measures through
// CellSession — sweep, replay and calibrate with measureGroup, which runs one cell to its end;
// run takes one round of every cell per pass (run-bench.ts). A session measures one
// (workload, N) cell for a set of arms (strategies, or a calibration's A / A′ / planted arms) as
// a randomized complete block design:
//
//   round k = 0, 1, …   a block: a fresh stream seed shared by every arm of the round (so the
//                       intervals include stream variability, and rounds pair up), the arms in a
//                       freshly shuffled seeded order, each JS arm in a FRESH isolate
//                       (isolate-host.ts) that warms up and takes r samples (cell-runner.ts);
//                       the native arms together in ONE fresh engine process that warms each
//                       up and takes r samples of each, interleaved (native-round.ts);
//   after `isolates`    rounds, if a precision target is set, the comparisons with the baseline
//                       arm are computed (stats/ratio.ts) and more rounds are added while any
//                       interval is wider than ±P % and fewer than `maxIsolates` rounds ran.
//
// The isolate is the unit of replication (Kalibera & Jones 2013; JMH forks × iterations; pyperf's
// worker processes): its mean is one value of the arm, so the between-isolate variance — the
// JIT's and the heap layout's luck, which repeated samples in one isolate never average out —
// is in every interval. Samples within an isolate give the within-isolate variance component
// (stats/nested.ts) and GC counts. The load average is read at every round.
//
// Why C differs. C has no JIT state that one strategy could leave for another, and the variance
// that matters there is in time: the host runs a process at one speed for hundreds of ms, then
// at another (native/src/sampler.c). Strategies in separate processes land in different
// stretches; interleaved in one process they share them, and the stretch cancels in their ratio.
// For a native arm the "isolate" is its part of the round's process: still one value per round,
// fresh process and heap per round.

import type { TwoStage } from '../stats/ratio.js'
import { compareRatio } from '../stats/ratio.js'
import type { Prng } from '../workloads/prng.js'
import { isModuleSpec, resolveStrategySpec } from '../strategies/load-module.js'
import type { Engine, MeasureDesign, ResultIsolate } from '../results/shared-schema.js'
import type { IsolateRequest, IsolateResult, SampleRecord } from './cell-runner.js'
import type { GroupSpec } from './probe.js'
import { BenchIntegrityError } from './checks.js'
import type { WorkCounts } from '../workloads/device-state.js'
import { formatCounts, sameCounts } from '../workloads/device-state.js'
import { runIsolate } from './isolate-host.js'
import { machineState } from './machine-state.js'
import type { ProbeCosts } from './native-round.js'
import { runNativeRound } from './native-round.js'
import { baselineAmong } from './plan.js'

/** One measured arm: a strategy spec, optionally with planted extra work (calibration). */
export interface Arm {
  readonly label: string
  readonly spec: string
  readonly plantedPercent: number
  /** Default 'js'. */
  readonly engine?: Engine
}

/** One isolate of an arm, as the results files store it. */
export type IsolateRecord = Readonly<ResultIsolate>

export interface MeasuredArm {
  readonly label: string
  readonly spec: string
  readonly plantedPercent: number
  readonly status: 'measured'
  readonly isolates: IsolateRecord[]
  readonly opsPerBatch: number
  readonly setupOps: number
}

export interface SkippedArm {
  readonly label: string
  readonly spec: string
  readonly status: 'skipped'
  readonly reason: string
}

export type ArmResult = MeasuredArm | SkippedArm

/** The design values a command's flags set (cli/options.ts designValues). */
export type DesignValues = Pick<MeasureDesign, 'isolates' | 'maxIsolates' | 'samples' | 'sampleMs' | 'warmupMs' | 'precisionPercent'>

/** Just the design values of `config` (which may hold more). */
export function designValuesOf(config: DesignValues): DesignValues {
  return {
    isolates: config.isolates,
    maxIsolates: config.maxIsolates,
    samples: config.samples,
    sampleMs: config.sampleMs,
    warmupMs: config.warmupMs,
    precisionPercent: config.precisionPercent,
  }
}

export interface GroupMeasurement {
  readonly arms: ArmResult[]
  readonly rounds: number
  /** 1-minute load average at the start of each round. */
  readonly loadAverages: number[]
  /** With a precision target: whether every comparison reached it; null without one. */
  readonly precisionReached: boolean | null
  /** Why the rounds stopped: the minimum sufficed, the target was reached, or the maximum or the time budget ended them. */
  readonly stoppedBy: 'minimum' | 'precision' | 'max-isolates' | 'budget'
}

export interface MeasureHooks {
  /** After every isolate (progress). */
  readonly onIsolate?: (done: { round: number; arm: string }) => void
  /** Before every round (progress). */
  readonly onRound?: (round: number) => void
}

/**
 * The native arms of one round, measured in one engine process (runner/native-round.ts). An
 * outside strategy module has no C side and is skipped with the reason.
 */
async function nativeRound(
  states: readonly ArmState[],
  request: Omit<IsolateRequest, 'plantedPercent'>,
  costs: ProbeCosts,
  withJs: boolean,
): Promise<Map<ArmState, IsolateResult>> {
  const results = new Map<ArmState, IsolateResult>()
  const arms: { state: ArmState; name: string }[] = []
  for (const state of states) {
    if (isModuleSpec(state.arm.spec)) results.set(state, { status: 'skipped', reason: 'an outside strategy module has no native engine; it runs with --engine js' })
    else arms.push({ state, name: (await resolveStrategySpec(state.arm.spec)).name })
  }
  const measured = await runNativeRound(
    arms.map((a) => ({ name: a.name, plantedPercent: a.state.arm.plantedPercent })),
    request,
    costs,
    withJs,
  )
  arms.forEach((a, i) => results.set(a.state, measured[i] as IsolateResult))
  return results
}

/** Values and rounds of a measured arm: its isolate means, the unit of replication. */
export function isolateSeries(arm: MeasuredArm): { values: number[]; rounds: number[] } {
  return { values: arm.isolates.map((i) => i.mean), rounds: arm.isolates.map((i) => i.round) }
}

/** The seed of round k's stream: distinct per (base seed, workload, N, round), stable across runs. */
export function roundSeed(baseSeed: number, workload: string, size: number, round: number): number {
  let hash = 0x811c9dc5 ^ baseSeed
  for (const ch of `${workload}:${size}:${round}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193)
  return hash >>> 0
}

function meanOf(values: readonly SampleRecord[]): number {
  let sum = 0
  for (const v of values) sum += v.nsPerOp
  return sum / values.length
}

interface ArmState {
  readonly arm: Arm
  result: ArmResult | null
  semantics: string | null
  readonly isolates: IsolateRecord[]
  opsPerBatch: number
  setupOps: number
}

/**
 * Stein's two-stage comparison (stats/ratio.ts) when a precision target chooses how many rounds a
 * cell gets — n₀ is the minimum rounds, which every cell runs — else null (rounds fixed in
 * advance, the plain paired comparison). The stopping rule below and every interval reported for
 * the cell use the same comparison, so the cell stops exactly when the reported interval is
 * within the target. Not guarded: the guard (the larger of s₀ and the all-rounds sd, runs of
 * commits 82dad85–c1125ed) was conservative on this machine — over nine pairs of suites the
 * estimates fell outside the other run's interval 0.73 times as often as its width said, Stein's
 * 0.99 times — and its width cost the ±3 % target (README, "How a verdict is made").
 */
export function designTwoStage(design: Pick<MeasureDesign, 'isolates' | 'precisionPercent'>): TwoStage | null {
  return design.precisionPercent === null ? null : { rounds: design.isolates, guarded: false }
}

/**
 * Whether every measured arm's comparison with the cell's baseline is within ±P % — the baseline
 * the block will report against (plan.ts baselineAmong), a stand-in when the wanted one was skipped.
 */
function precise(states: readonly ArmState[], baseline: string | null, design: MeasureDesign): boolean {
  const live = states.filter((s) => s.result?.status !== 'skipped')
  const label = baseline === null ? null : baselineAmong(baseline, live.map((s) => s.arm.label))
  const base = live.find((s) => s.arm.label === label)
  if (base === undefined) return true
  const baseSeries = { values: base.isolates.map((i) => i.mean), rounds: base.isolates.map((i) => i.round) }
  for (const state of live) {
    if (state === base || state.isolates.length < 2) continue
    const series = { values: state.isolates.map((i) => i.mean), rounds: state.isolates.map((i) => i.round) }
    const c = compareRatio(baseSeries, series, { confidence: design.confidence, twoStage: designTwoStage(design) })
    if (!(c.precisionPercent <= (design.precisionPercent ?? Infinity))) return false
  }
  return true
}

/** Strategies with the same device semantics must have done exactly the same work in a round. */
function checkSameWork(label: string, round: number, done: readonly { state: ArmState; work: WorkCounts }[]): void {
  const first = new Map<string, { state: ArmState; work: WorkCounts }>()
  for (const entry of done) {
    const key = entry.state.semantics ?? ''
    const other = first.get(key)
    if (other === undefined) first.set(key, entry)
    else if (!sameCounts(other.work, entry.work)) {
      throw new BenchIntegrityError(
        `${label} round ${round}: ${other.state.arm.label} and ${entry.state.arm.label} share a device policy but did different work ` +
          `(${formatCounts(other.work)} vs ${formatCounts(entry.work)})`,
      )
    }
  }
}

/**
 * After the minimum rounds: why to stop now ('minimum' when there is no precision target), or
 * null for one more round — the target is not reached and the maximum not hit. (A run's time
 * budget is applied across its cells by run-bench.ts, through CellSession.stop.)
 */
function stopAfter(states: readonly ArmState[], round: number, design: MeasureDesign, baseline: string | null): GroupMeasurement['stoppedBy'] | null {
  if (design.precisionPercent === null) return 'minimum'
  if (precise(states, baseline, design)) return 'precision'
  if (round >= design.maxIsolates) return 'max-isolates'
  return null
}

/** How a cell session runs: the arm its precision target compares against, the shuffle, progress hooks. */
export interface CellSessionOptions {
  readonly baseline: string | null
  readonly shuffle: Prng
  readonly hooks?: MeasureHooks
}

/**
 * One cell measured round by round: `nextStop()` says whether the design wants another round,
 * `runRound()` runs it, `finish()` gives the measurement. measureGroup runs one session to its
 * end; `run` (run-bench.ts) takes one round of every cell in turn, so that a cell's rounds are
 * spread over the whole run rather than bunched into a few seconds of it.
 */
export class CellSession {
  private readonly group: Omit<GroupSpec, 'seed'>
  private readonly baseSeed: number
  private readonly design: MeasureDesign
  private readonly options: CellSessionOptions
  private readonly label: string
  private readonly states: ArmState[]
  private readonly loadAverages: number[] = []
  private round = 0
  private roundsMs = 0
  private stopped: GroupMeasurement['stoppedBy'] | null = null
  /** What the native rounds' TS probes cost, per strategy (native-round.ts probeRound). */
  private readonly probeCosts: ProbeCosts = new Map()

  constructor(group: Omit<GroupSpec, 'seed'>, baseSeed: number, arms: readonly Arm[], design: MeasureDesign, options: CellSessionOptions) {
    this.group = group
    this.baseSeed = baseSeed
    this.design = design
    this.options = options
    this.label = `${group.workload} N=${group.size}`
    this.states = arms.map((arm) => ({ arm, result: null, semantics: null, isolates: [], opsPerBatch: 0, setupOps: 0 }))
  }

  /** Rounds run so far. */
  get rounds(): number {
    return this.round
  }

  /** Whether the design's minimum rounds have run (only rounds beyond it may be cut by a budget). */
  get pastMinimum(): boolean {
    return this.round >= this.design.isolates
  }

  /** Mean wall time of a round so far, ms (0 before the first). */
  get meanRoundMs(): number {
    return this.round === 0 ? 0 : this.roundsMs / this.round
  }

  /** Why the cell is done (null: the design wants another round). Rounds below the minimum always run. */
  nextStop(): GroupMeasurement['stoppedBy'] | null {
    if (this.stopped !== null) return this.stopped
    if (this.round > 0 && this.states.every((s) => s.result !== null)) return 'minimum'
    if (this.round < this.design.isolates) return null
    return stopAfter(this.states, this.round, this.design, this.options.baseline)
  }

  /** Stop adding rounds for a reason decided outside the cell (the run's time budget). */
  stop(reason: GroupMeasurement['stoppedBy']): void {
    this.stopped = reason
  }

  /** One round: a fresh stream seed, every live arm once. */
  async runRound(): Promise<void> {
    const startedMs = performance.now()
    const { round, states, design, group } = this
    this.options.hooks?.onRound?.(round)
    this.loadAverages.push(machineState().loadAverage[0])
    const seed = roundSeed(this.baseSeed, group.workload, group.size, round)
    const live = states.filter((s) => s.result === null)
    const order = this.options.shuffle.shuffle([...live])
    const request = { group: { ...group, seed }, samples: design.samples, sampleMs: design.sampleMs, warmupMs: design.warmupMs, gcBeforeSample: design.gcBeforeSample }
    // The native arms of the round run together in one engine process, interleaved, before the
    // JS arms; each JS arm then runs in its own isolate, in the shuffled order.
    const withJs = states.some((s) => s.arm.engine !== 'native')
    const native = await nativeRound(
      order.filter((s) => s.arm.engine === 'native'),
      request,
      this.probeCosts,
      withJs,
    )
    const done: { state: ArmState; work: WorkCounts }[] = []
    for (let position = 0; position < order.length; position++) {
      const state = order[position] as ArmState
      const result: IsolateResult = native.get(state) ?? (await runIsolate(state.arm.spec, { ...request, plantedPercent: state.arm.plantedPercent }, design.isolation))
      this.options.hooks?.onIsolate?.({ round, arm: state.arm.label })
      if (result.status === 'skipped') {
        // A skip in a later round (a seed whose setup fails) drops the arm: its rounds would no longer pair.
        state.result = { label: state.arm.label, spec: state.arm.spec, status: 'skipped', reason: round === 0 ? result.reason : `round ${round}: ${result.reason}` }
        continue
      }
      state.semantics = result.semantics
      state.opsPerBatch = result.opsPerBatch
      state.setupOps = result.setupOps
      state.isolates.push({
        round,
        position,
        seed,
        statesPerSample: result.statesPerSample,
        warmupSamples: result.warmupSamples,
        samples: result.samples.map((s) => s.nsPerOp),
        gcCounts: result.samples.map((s) => s.gcCount),
        gcMs: result.samples.map((s) => s.gcMs),
        mean: meanOf(result.samples),
        work: result.reference,
        streamHash: result.streamHash,
        ...(result.streamSeeds === undefined ? {} : { streamSeeds: [...result.streamSeeds] }),
      })
      done.push({ state, work: result.reference })
    }
    checkSameWork(this.label, round, done)
    this.round++
    this.roundsMs += performance.now() - startedMs
  }

  /** The measurement, once nextStop() is not null. */
  finish(): GroupMeasurement {
    const stoppedBy = this.nextStop() ?? 'minimum'
    const results: ArmResult[] = this.states.map(
      (s) =>
        s.result ?? { label: s.arm.label, spec: s.arm.spec, plantedPercent: s.arm.plantedPercent, status: 'measured', isolates: s.isolates, opsPerBatch: s.opsPerBatch, setupOps: s.setupOps },
    )
    return {
      arms: results,
      rounds: this.round,
      loadAverages: this.loadAverages,
      precisionReached: this.design.precisionPercent === null ? null : precise(this.states, this.options.baseline, this.design),
      stoppedBy,
    }
  }
}

/**
 * Measure one cell. `group` without its seed: each round's stream seed is roundSeed(baseSeed, …).
 * `baseline` names the arm the precision target compares against (null: fixed rounds).
 */
export async function measureGroup(
  group: Omit<GroupSpec, 'seed'>,
  baseSeed: number,
  arms: readonly Arm[],
  design: MeasureDesign,
  options: CellSessionOptions,
): Promise<GroupMeasurement> {
  const session = new CellSession(group, baseSeed, arms, design, options)
  while (session.nextStop() === null) await session.runRound()
  return session.finish()
}
