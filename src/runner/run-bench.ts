// Runs a whole benchmark: every (workload, N) group, timed groups through the measurement core
// (measure-group.ts: rounds of fresh isolates, one per strategy and round; the cells' rounds taken
// in passes over all cells) and outcome groups (wrap) once per strategy in this thread. Reports
// progress after every isolate; returns the raw results, which assemble.ts turns into the
// results file.

import { isModuleSpec, resolveStrategySpec } from '../strategies/load-module.js'
import { getWorkload } from '../workloads/registry.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { Prng } from '../workloads/prng.js'
import type { OutcomeResult } from './cell-runner.js'
import { runOutcome } from './cell-runner.js'
import type { MeasureDesign } from '../results/shared-schema.js'
import type { GroupMeasurement } from './measure-group.js'
import { CellSession, designValuesOf, roundSeed } from './measure-group.js'
import { defaultBaseline, defaultStrategies, sizesFor } from './plan.js'
import { verifyBeforeTiming } from './verify-pass.js'
import { timeLeftMs } from './time-left.js'
import type { RunConfig } from './plan.js'

export type OutcomeCell = { readonly strategy: string } & OutcomeResult

export interface GroupResult {
  readonly workload: BenchWorkload
  readonly size: number
  readonly strategies: readonly string[]
  /** The block's baseline, when it is not the run's (replay --engine both: one per engine). */
  readonly baseline?: string | null
  /** Timed groups: what the core measured; null for outcome groups. */
  readonly measurement: GroupMeasurement | null
  readonly outcomes: readonly OutcomeCell[]
}

export interface RunProgress {
  /** 1-based index of the group running, and the number of groups. */
  readonly group: number
  readonly groups: number
  readonly label: string
  /** What is happening in the group, e.g. 'round 3, rbtree'. */
  readonly phase: string
  readonly elapsedMs: number
  /** Estimated time left, from the isolates done so far; null before any. */
  readonly remainingMs: number | null
}

export interface RunHooks {
  readonly onProgress?: (progress: RunProgress) => void
}

interface PlannedGroup {
  readonly workload: BenchWorkload
  readonly size: number
  readonly strategies: readonly string[]
}

function planGroups(config: RunConfig): PlannedGroup[] {
  const groups: PlannedGroup[] = []
  for (const name of config.workloads) {
    const workload = getWorkload(name, { wrapOffsetSpacePages: config.wrapOffsetSpacePages })
    const strategies = config.strategies ?? defaultStrategies(name)
    for (const size of sizesFor(workload, config)) groups.push({ workload, size, strategies })
  }
  return groups
}

export function designOf(config: RunConfig): MeasureDesign {
  return {
    ...designValuesOf(config),
    confidence: config.confidence,
    isolation: config.isolation,
    gcBeforeSample: config.gcBeforeSample,
  }
}

/** FNV-1a, 32 bits: a stable number for a group's name (seeds its shuffles). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash >>> 0
}

/**
 * The rounds, in passes: each pass runs one round of every cell that wants one, so a cell's rounds
 * are spread over the whole run and a noisy minute of the host falls on a round of many cells
 * rather than on every round of a few (the intervals then carry the host's changes over the run,
 * which a cell timed within a few seconds could not show). Rounds beyond the minimum are added
 * while one more ends before `deadline` (performance.now() time; null: none) at that cell's pace.
 */
async function runPasses(sessions: readonly CellSession[], deadline: number | null): Promise<void> {
  for (let ran = true; ran; ) {
    ran = false
    for (const session of sessions) {
      if (session.nextStop() !== null) continue
      if (deadline !== null && session.pastMinimum && performance.now() + session.meanRoundMs > deadline) {
        session.stop('budget')
        continue
      }
      await session.runRound()
      ran = true
    }
  }
}

export async function runBenchmark(config: RunConfig, hooks: RunHooks = {}): Promise<GroupResult[]> {
  const groups = planGroups(config)
  const design = designOf(config)
  // The estimate counts isolates at the minimum rounds; precision rounds add to it as they come.
  const plannedIsolates = groups.reduce((sum, g) => sum + (g.workload.measure === 'timed' ? g.strategies.length * config.isolates : 0), 0)
  const started = performance.now()
  const deadline = config.budgetSeconds === null ? null : started + config.budgetSeconds * 1000
  const beyondMinimum = config.precisionPercent !== null && config.maxIsolates > config.isolates
  let roundsSince: number | null = null
  let isolatesDone = 0
  const report = (index: number, label: string, phase: string): void => {
    const now = performance.now()
    hooks.onProgress?.({
      group: index + 1,
      groups: groups.length,
      label,
      phase,
      elapsedMs: now - started,
      remainingMs: timeLeftMs({ nowMs: now, roundsSinceMs: roundsSince, isolatesDone, plannedIsolates, deadlineMs: beyondMinimum ? deadline : null }),
    })
  }

  // First, in plan order: every timed cell's strategies verified untimed (a broken strategy stops
  // the run before anything is timed), every outcome group run: per group its cell session
  // (timed) or its outcomes (wrap).
  const planned: { session: CellSession | null; outcomes: OutcomeCell[] }[] = []
  for (let index = 0; index < groups.length; index++) {
    const group = groups[index] as PlannedGroup
    const label = `${group.workload.name} N=${group.size}`
    const base = { workload: group.workload.name, size: group.size, ops: config.ops, wrapOffsetSpacePages: config.wrapOffsetSpacePages }
    if (group.workload.measure === 'timed') {
      report(index, label, 'verifying')
      for (const spec of group.strategies) {
        const resolved = await resolveStrategySpec(spec)
        verifyBeforeTiming({ label: spec, name: resolved.name, outside: isModuleSpec(spec), workload: group.workload, size: group.size, seed: roundSeed(config.seed, group.workload.name, group.size, 0), ops: config.ops })
      }
      const session = new CellSession(
        base,
        config.seed,
        group.strategies.map((spec) => ({ label: spec, spec, plantedPercent: 0, engine: config.engine ?? 'js' })),
        design,
        {
          baseline: config.baseline ?? defaultBaseline(group.workload.sides),
          // The interleaving is seeded per group, so a group run alone shuffles identically.
          shuffle: new Prng((config.seed ^ fnv1a(label)) >>> 0),
          hooks: {
            onIsolate: ({ round, arm }) => {
              isolatesDone++
              report(index, label, `round ${round + 1}, ${arm}`)
            },
          },
        },
      )
      planned.push({ session, outcomes: [] })
    } else {
      report(index, label, 'outcomes')
      const cells: OutcomeCell[] = []
      for (const strategy of group.strategies) {
        const { name } = await resolveStrategySpec(strategy)
        cells.push({ strategy, ...runOutcome(name, { ...base, seed: config.seed }) })
      }
      planned.push({ session: null, outcomes: cells })
    }
  }

  const sessions = planned.flatMap((p) => (p.session === null ? [] : [p.session]))
  roundsSince = performance.now()
  await runPasses(sessions, deadline)
  return groups.map((group, index) => {
    const { session, outcomes } = planned[index] as (typeof planned)[number]
    return { workload: group.workload, size: group.size, strategies: group.strategies, measurement: session === null ? null : session.finish(), outcomes }
  })
}
