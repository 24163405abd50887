// The probe of a cell: what both engines do before timing a strategy on one (workload, N, stream
// seed). It generates the round's stream, builds the strategy and replays the stream once untimed,
// setup op by op so a failure can be named: a strategy that lacks the workload's ioctl family, or
// whose setup fails (N beyond linux-gntalloc's 1024 grefs), is skipped with a reason, and the
// ok / failed / skipped counts of the measured ops are the reference work every timed batch must
// match (the JS isolate's in cell-runner.ts, the C engine's in native-round.ts). In two steps —
// openProbe (the strategy built, nothing replayed) and replayProbe — so that a native round can
// replay one strategy per device semantics.

import { createHash } from 'node:crypto'
import { errnoName } from '../errno.js'
import { createStrategy } from '../strategies/registry.js'
import type { OpApplier } from '../workloads/apply.js'
import { SKIPPED } from '../workloads/apply.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { StreamBinder } from '../workloads/bind.js'
import type { StateRecipe, WorkCounts } from '../workloads/device-state.js'
import { countsOf, countsSince, openState } from '../workloads/device-state.js'
import { getWorkload } from '../workloads/registry.js'
import { formatOp } from '../workloads/trace-format.js'
import { loadTraceWorkload } from '../workloads/trace-workload.js'
import type { DeviceOp, OpStream } from '../workloads/types.js'
import { BenchIntegrityError, leftovers, semanticsKey } from './checks.js'
import { recipeFor } from './untimed-pass.js'

/** One (workload, N, stream) as plain data (it crosses the worker and process boundaries). */
export interface GroupSpec {
  readonly workload: string
  readonly size: number
  /** Seed of the generated stream (the round's seed: every strategy of a round gets the same). */
  readonly seed: number
  readonly ops: number
  readonly wrapOffsetSpacePages: number
  /** A trace file to time instead of a built-in workload (`workload` is then only its label). */
  readonly trace?: string
}

/** Why `spec` cannot run a workload of these sides, or null. */
export function sidesProblem(workload: Pick<BenchWorkload, 'sides'>, spec: string, supportsAlloc: boolean, supportsMap: boolean): string | null {
  if (workload.sides !== 'map' && !supportsAlloc) return `${spec} has no ALLOC_GREF (map side only); the workload needs the alloc side`
  if (workload.sides !== 'alloc' && !supportsMap) return `${spec} has no MAP_GRANT_REF (alloc side only); the workload needs the map side`
  return null
}

/** A round's workload and its generated (unbound) stream: the same for every strategy of the round. */
export interface GeneratedGroup {
  readonly workload: BenchWorkload
  readonly stream: OpStream
}

/** Generate the stream of `group` (once per round: every arm replays the same one). */
export function generateGroup(group: GroupSpec): GeneratedGroup {
  const workload =
    group.trace !== undefined ? loadTraceWorkload(group.trace) : getWorkload(group.workload, { wrapOffsetSpacePages: group.wrapOffsetSpacePages })
  return { workload, stream: workload.generate({ size: group.size, seed: group.seed, ops: group.ops }) }
}

export function recipeOf(spec: string, group: GroupSpec, generated: GeneratedGroup = generateGroup(group)): { workload: BenchWorkload; recipe: StateRecipe } {
  const { workload, stream } = generated
  const recipe = recipeFor(spec, workload, new StreamBinder(stream), group.size, group.seed, group.ops)
  return { workload, recipe }
}

/** A strategy the probe found unable to run the cell, and why. */
type ProbeSkip = { readonly status: 'skipped'; readonly reason: string }

/** What the probe knows of a strategy that can run the cell. */
interface ProbedStrategy {
  readonly workload: BenchWorkload
  readonly recipe: StateRecipe
  readonly semantics: string
  readonly label: string
}

/** What the probe found: a reason to skip, or the reference work and what the samples need. */
export type ProbeResult = ProbeSkip | ({ readonly status: 'ready'; readonly reference: WorkCounts } & ProbedStrategy)

/**
 * The probe: one untimed replay, setup op by op so a failure can be named. Both engines start
 * from it: the JS isolate (cell-runner.ts), and the native engine (native-round.ts), whose work
 * must match this reference. In two steps, so that a native round can replay one strategy per device
 * semantics (openProbe is cheap: the strategy built, nothing replayed).
 */
export function probeCell(spec: string, group: GroupSpec): ProbeResult {
  const opened = openProbe(spec, group)
  return opened.status === 'skipped' ? opened : replayProbe(opened)
}

/** A strategy of a cell, built but not replayed: what it is and whether it can run the workload. */
export type OpenedProbe = ProbeSkip | ({ readonly status: 'opened' } & ProbedStrategy)

/** Step one of the probe: the recipe, the sides check and the semantics key (checks.ts). */
export function openProbe(spec: string, group: GroupSpec, generated?: GeneratedGroup): OpenedProbe {
  const { workload, recipe } = recipeOf(spec, group, generated)
  const strategy = createStrategy(recipe.spec, recipe.strategyOptions)
  const sides = sidesProblem(workload, spec, strategy.policy.supportsAlloc, strategy.policy.supportsMap)
  if (sides !== null) return { status: 'skipped', reason: sides }
  return { status: 'opened', workload, recipe, semantics: semanticsKey(strategy), label: `${group.workload} N=${group.size} on ${spec}` }
}

/** Step two: the replay — a failed setup skips the cell, the measured ops give the reference work. */
export function replayProbe(opened: Extract<OpenedProbe, { status: 'opened' }>): ProbeResult {
  const { workload, recipe, semantics, label } = opened
  const probe = openState(recipe)
  const setupProblem = replaySetup(probe.applier, probe.stream.setup, label)
  if (setupProblem !== null) return { status: 'skipped', reason: setupProblem }
  const afterSetup = countsOf(probe.applier)
  probe.stream.measured.forEach((op, index) => {
    const result = probe.applier.apply(op)
    if (!Number.isInteger(result)) throw new BenchIntegrityError(`${label}: measured op ${index + 1} ('${formatOp(op)}') answered ${result}, neither a page number nor an errno`)
  })
  const reference = countsSince(probe.applier, afterSetup)
  if (workload.drains) {
    const held = leftovers(probe)
    if (held !== null) throw new BenchIntegrityError(`${label}: after the stream, close and one cleanup pass, still held: ${held}`)
  }
  return { status: 'ready', workload, recipe, reference, semantics, label }
}

/** sha-256 of a recipe's generated stream (before binding): equal hashes, equal work. */
export function streamHashOf(recipe: Pick<StateRecipe, 'binder'>): string {
  return streamHash(recipe.binder.stream)
}

/** The hash of a round's streams: a single stream's own, else sha-256 of theirs in sample order. */
export function roundStreamsHash(hashes: readonly string[]): string {
  return hashes.length === 1 ? (hashes[0] as string) : createHash('sha256').update(hashes.join('\n')).digest('hex')
}

/** sha-256 of a generated stream. */
export function streamHash(stream: OpStream): string {
  return createHash('sha256').update(JSON.stringify(stream)).digest('hex')
}

/** Replays a setup op by op; null when every op succeeded, else what failed first and how often. */
function replaySetup(applier: OpApplier, setup: readonly DeviceOp[], label: string): string | null {
  let failed = 0
  let first = ''
  setup.forEach((op, index) => {
    const result = applier.apply(op)
    // NaN or a fraction is no errno: a broken strategy, never a reason to skip the cell.
    if (!Number.isInteger(result)) throw new BenchIntegrityError(`${label}: setup op ${index + 1} ('${formatOp(op)}') answered ${result}, neither a page number nor an errno`)
    if (result >= 0) return
    if (failed === 0) first = `${op.kind} #${index} → ${result === SKIPPED ? 'skipped' : errnoName(result)}`
    failed++
  })
  return failed === 0 ? null : `setup failed: ${failed} of ${setup.length} ops did not succeed (first: ${first})`
}
