// Runs the cells of ONE strategy, one (workload, N) group at a time, with tinybench as the
// timing engine. The runner lives in its own worker thread (strategy-host.ts), so V8 compiles
// the device and the stores for that strategy alone: interleaving several strategies in one
// isolate made the shared call sites megamorphic and kept deoptimising them, inflating and
// scattering the values of every strategy (qdisk-map N=64: list 800–9000 ns/op interleaved in one
// isolate against a steady ≈ 205 ns/op alone).
//
// How tinybench is used. prepare() makes one Bench with one Task for the group, configured for
// exactly one iteration per run (iterations 1, time 0): an iteration is one replicate. The
// task's beforeEach hook builds a fresh device state (new domain, new file, the setup replayed:
// the live set of size N) and collects garbage, so neither is timed; the task function replays
// the K measured ops once; afterEach checks the work, outside the timer. tinybench's warmup
// phase runs the same hooks, so warmup iterations are complete untimed replicates. replicate()
// resets the task and runs it once; its single latency sample divided by K is the ns/op.
//
// Work checks. prepare() first probes: a strategy that lacks the workload's ioctl family, or
// whose setup fails (N beyond linux-gntalloc's 1024 grefs), is skipped with a reason. The
// probe's counts of ok / failed / skipped measured ops are the reference that every warmup and
// timed replicate must match; the caller compares them across strategies (checks.ts).

import { createHash } from 'node:crypto'
import { Bench } from 'tinybench'
import type { Task } from 'tinybench'
import { errnoName } from '../errno.js'
import { OpApplier, SKIPPED } from '../workloads/apply.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { StreamBinder } from '../workloads/bind.js'
import { getWorkload } from '../workloads/registry.js'
import { loadTraceWorkload } from '../workloads/trace-workload.js'
import type { DeviceOp } from '../workloads/types.js'
import { BenchIntegrityError, leftovers, semanticsKey } from './checks.js'
import type { DeviceState, StateRecipe, WorkCounts } from './device-state.js'
import { buildState, countsOf, countsSince, formatCounts, openState, sameCounts } from './device-state.js'
import type { OutcomeReport } from './outcome-cell.js'
import { runOutcomeCell } from './outcome-cell.js'
import { recipeFor } from './untimed-pass.js'

/** One (workload, N) group, as plain data (it crosses the worker boundary). */
export interface GroupSpec {
  readonly workload: string
  readonly size: number
  readonly seed: number
  readonly ops: number
  readonly wrapOffsetSpacePages: number
  /** Untimed warmup replicates, at least… */
  readonly warmupIterations: number
  /** …and until they (setup and batch) add up to this many milliseconds. */
  readonly warmupMs: number
  /** A trace file to time instead of a built-in workload (`workload` is then only its label). */
  readonly trace?: string
  /**
   * Force a collection before every timed replicate (needs --expose-gc). Off by default: on this
   * 2-core machine it doubled the batch time and scattered replicates (typical CV 68 % against
   * 9 % without it; `gntbench calibrate`, results/calibration.md).
   */
  readonly gcBeforeReplicate?: boolean
}

export type PrepareResult =
  | {
      readonly status: 'ready'
      /** Counts of the timed batch, identical in every replicate. */
      readonly reference: WorkCounts
      /** Strategies with equal semantics must have equal references. */
      readonly semantics: string
      readonly opsPerReplicate: number
      readonly setupOps: number
      /** sha-256 of the generated stream (before binding): equal hashes, equal work. */
      readonly streamHash: string
    }
  | { readonly status: 'skipped'; readonly reason: string }

export type OutcomeResult = ({ readonly status: 'outcome' } & OutcomeReport) | { readonly status: 'skipped'; readonly reason: string }

/** Why `spec` cannot run a workload of these sides, or null. */
export function sidesProblem(workload: Pick<BenchWorkload, 'sides'>, spec: string, supportsAlloc: boolean, supportsMap: boolean): string | null {
  if (workload.sides !== 'map' && !supportsAlloc) return `${spec} has no ALLOC_GREF (map side only); the workload needs the alloc side`
  if (workload.sides !== 'alloc' && !supportsMap) return `${spec} has no MAP_GRANT_REF (alloc side only); the workload needs the map side`
  return null
}

interface Prepared {
  readonly label: string
  readonly recipe: StateRecipe
  readonly reference: WorkCounts
  readonly drains: boolean
  readonly ops: number
  task: Task | null
  current: DeviceState | null
  /** Wall time of the current replicate's setup, in ms (warmup budget only). */
  setupMs: number
}

export class StrategyCellRunner {
  readonly spec: string
  private prepared: Prepared | null = null

  constructor(spec: string) {
    this.spec = spec
  }

  prepare(group: GroupSpec): PrepareResult {
    this.release()
    const { workload, recipe } = this.recipeOf(group)
    const label = `${group.workload} N=${group.size} on ${this.spec}`

    // The probe: one untimed replicate, setup op by op so a failure can be named.
    const probe = openState(recipe)
    const sides = sidesProblem(workload, this.spec, probe.strategy.policy.supportsAlloc, probe.strategy.policy.supportsMap)
    if (sides !== null) return { status: 'skipped', reason: sides }
    const setupProblem = replaySetup(probe.applier, probe.stream.setup)
    if (setupProblem !== null) return { status: 'skipped', reason: setupProblem }
    const afterSetup = countsOf(probe.applier)
    probe.applier.applyAll(probe.stream.measured)
    const reference = countsSince(probe.applier, afterSetup)
    if (workload.drains) {
      const held = leftovers(probe)
      if (held !== null) throw new BenchIntegrityError(`${label}: after the stream, close and one cleanup pass, still held: ${held}`)
    }
    const semantics = semanticsKey(probe.strategy)

    const bench = new Bench({
      name: label,
      iterations: 1,
      time: 0,
      warmup: true,
      warmupIterations: group.warmupIterations,
      warmupTime: group.warmupMs,
      throws: true,
      timestampProvider: 'hrtimeNow',
    })
    const collectGarbage = group.gcBeforeReplicate === true ? globalThis.gc : undefined
    const ops = recipe.binder.stream.measured.length
    const prepared: Prepared = { label, recipe, reference, drains: workload.drains, ops, task: null, current: null, setupMs: 0 }
    bench.add(
      label,
      () => {
        const state = prepared.current as DeviceState
        const start = performance.now()
        state.applier.applyAll(state.measured)
        // Charge the warmup budget with the whole replicate, setup included: both feed the JIT,
        // and a budget of batch time alone would mean hundreds of setups for a cheap batch.
        return { overriddenIterationCost: prepared.setupMs + (performance.now() - start) }
      },
      {
        beforeEach: (mode) => {
          const setupStart = performance.now()
          const state = buildState(prepared.recipe)
          prepared.setupMs = performance.now() - setupStart
          if (state.afterSetup.failed !== 0 || state.afterSetup.skipped !== 0) {
            throw new BenchIntegrityError(`${label}: the setup failed in a replicate but not in the probe`)
          }
          prepared.current = state
          // With gcBeforeReplicate, start every timed replicate from a collected heap, so no
          // earlier garbage is collected inside the timer. Warmup iterations skip it.
          if (mode === 'run' && collectGarbage !== undefined) collectGarbage()
        },
        afterEach: () => {
          const state = prepared.current
          prepared.current = null
          if (state === null) return
          const work = countsSince(state.applier, state.afterSetup)
          if (!sameCounts(work, prepared.reference)) {
            throw new BenchIntegrityError(`${label}: a replicate did ${formatCounts(work)}, the probe ${formatCounts(prepared.reference)}`)
          }
          if (prepared.drains) {
            const held = leftovers(state)
            if (held !== null) throw new BenchIntegrityError(`${label}: a replicate left ${held}`)
          }
        },
      },
    )
    const task = bench.getTask(label)
    if (task === undefined) throw new Error(`${label}: tinybench lost the task`)
    prepared.task = task
    this.prepared = prepared
    if (group.warmupIterations > 0 || group.warmupMs > 0) task.warmupSync()
    const streamHash = createHash('sha256').update(JSON.stringify(recipe.binder.stream)).digest('hex')
    return { status: 'ready', reference, semantics, opsPerReplicate: ops, setupOps: recipe.binder.stream.setup.length, streamHash }
  }

  /** One timed replicate of the prepared group: its ns/op. */
  replicate(): number {
    const prepared = this.prepared
    if (prepared === null) throw new Error(`${this.spec}: replicate() before prepare()`)
    const task = prepared.task
    if (task === null) throw new Error(`${prepared.label}: no tinybench task`)
    task.reset(false)
    task.runSync()
    const result = task.result
    if (result.state !== 'completed') {
      const cause = result.state === 'errored' ? `: ${result.error.message}` : ''
      throw new BenchIntegrityError(`${prepared.label}: the tinybench task ended ${result.state}${cause}`)
    }
    if (result.latency.samplesCount !== 1) throw new Error(`${prepared.label}: expected one tinybench sample per replicate, got ${result.latency.samplesCount}`)
    return (result.latency.mean * 1e6) / prepared.ops
  }

  /** Forget the prepared group (its stream and last state). */
  release(): void {
    this.prepared = null
  }

  /** Run an outcome workload once (untimed) and report what the allocator did. */
  outcome(group: GroupSpec): OutcomeResult {
    this.release()
    const { workload, recipe } = this.recipeOf(group)
    const problem = this.sidesOnly(workload, recipe)
    if (problem !== null) return { status: 'skipped', reason: problem }
    const report = runOutcomeCell(recipe)
    if (report.setupFailures > 0) {
      return { status: 'skipped', reason: `setup failed: ${report.setupFailures} ALLOC/MAP calls of the long-lived set did not succeed` }
    }
    return { status: 'outcome', ...report }
  }

  private recipeOf(group: GroupSpec): { workload: BenchWorkload; recipe: StateRecipe } {
    const workload =
      group.trace !== undefined
        ? loadTraceWorkload(group.trace)
        : getWorkload(group.workload, { wrapOffsetSpacePages: group.wrapOffsetSpacePages })
    const stream = workload.generate({ size: group.size, seed: group.seed, ops: group.ops })
    const recipe = recipeFor(this.spec, workload, new StreamBinder(stream), group.size, group.seed, group.ops)
    return { workload, recipe }
  }

  private sidesOnly(workload: BenchWorkload, recipe: StateRecipe): string | null {
    const { policy } = openState(recipe).strategy
    return sidesProblem(workload, this.spec, policy.supportsAlloc, policy.supportsMap)
  }
}

/** Replays a setup op by op; null when every op succeeded, else what failed first and how often. */
function replaySetup(applier: OpApplier, setup: readonly DeviceOp[]): string | null {
  let failed = 0
  let first = ''
  setup.forEach((op, index) => {
    const result = applier.apply(op)
    if (result >= 0) return
    if (failed === 0) first = `${op.kind} #${index} → ${result === SKIPPED ? 'skipped' : errnoName(result)}`
    failed++
  })
  return failed === 0 ? null : `setup failed: ${failed} of ${setup.length} ops did not succeed (first: ${first})`
}
