// Runs a whole benchmark: every (workload, N) group in order, timed groups through the
// measurement core (measure-group.ts: rounds of fresh isolates, one per strategy and round) and
// outcome groups (wrap) once per strategy in this thread. Reports progress after every isolate;
// returns the raw results, which assemble.ts turns into the results file.

import { isModuleSpec, resolveStrategySpec } from '../strategies/load-module.js'
import { getWorkload } from '../workloads/registry.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { Prng } from '../workloads/prng.js'
import type { OutcomeResult } from './cell-runner.js'
import { runOutcome } from './cell-runner.js'
import type { MeasureDesign } from '../results/shared-schema.js'
import type { GroupMeasurement } from './measure-group.js'
import { designValuesOf, measureGroup, roundSeed } from './measure-group.js'
import { defaultBaseline, defaultStrategies, sizesFor } from './plan.js'
import { verifyBeforeTiming } from './verify-pass.js'
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

export async function runBenchmark(config: RunConfig, hooks: RunHooks = {}): Promise<GroupResult[]> {
  const groups = planGroups(config)
  const design = designOf(config)
  // The estimate counts isolates at the minimum rounds; precision rounds add to it as they come.
  const plannedIsolates = groups.reduce((sum, g) => sum + (g.workload.measure === 'timed' ? g.strategies.length * config.isolates : 0), 0)
  const started = performance.now()
  let isolatesDone = 0
  const results: GroupResult[] = []
  for (let index = 0; index < groups.length; index++) {
    const group = groups[index] as PlannedGroup
    const label = `${group.workload.name} N=${group.size}`
    const report = (phase: string): void => {
      const elapsedMs = performance.now() - started
      hooks.onProgress?.({
        group: index + 1,
        groups: groups.length,
        label,
        phase,
        elapsedMs,
        remainingMs: isolatesDone > 0 ? (elapsedMs / isolatesDone) * Math.max(0, plannedIsolates - isolatesDone) : null,
      })
    }
    const base = { workload: group.workload.name, size: group.size, ops: config.ops, wrapOffsetSpacePages: config.wrapOffsetSpacePages }
    if (group.workload.measure === 'timed') {
      report('verifying')
      for (const spec of group.strategies) {
        const resolved = await resolveStrategySpec(spec)
        verifyBeforeTiming({ label: spec, name: resolved.name, outside: isModuleSpec(spec), workload: group.workload, size: group.size, seed: roundSeed(config.seed, group.workload.name, group.size, 0), ops: config.ops })
      }
      report('starting')
      // What is left of the run's budget, shared by the timed groups still to run.
      const timedLeft = groups.slice(index).filter((g) => g.workload.measure === 'timed').length
      const cellBudgetMs = config.budgetSeconds === null ? null : Math.max(0, config.budgetSeconds * 1000 - (performance.now() - started)) / timedLeft
      const measurement = await measureGroup(
        base,
        config.seed,
        group.strategies.map((spec) => ({ label: spec, spec, plantedPercent: 0, engine: config.engine ?? 'js' })),
        { ...design, cellBudgetMs },
        {
          baseline: config.baseline ?? defaultBaseline(group.workload.sides),
          // The interleaving is seeded per group, so a group run alone shuffles identically.
          shuffle: new Prng((config.seed ^ fnv1a(label)) >>> 0),
          hooks: {
            onIsolate: ({ round, arm }) => {
              isolatesDone++
              report(`round ${round + 1}, ${arm}`)
            },
          },
        },
      )
      results.push({ workload: group.workload, size: group.size, strategies: group.strategies, measurement, outcomes: [] })
    } else {
      report('outcomes')
      const outcomes: OutcomeCell[] = []
      for (const strategy of group.strategies) {
        const { name } = await resolveStrategySpec(strategy)
        outcomes.push({ strategy, ...runOutcome(name, { ...base, seed: config.seed }) })
      }
      results.push({ workload: group.workload, size: group.size, strategies: group.strategies, measurement: null, outcomes })
    }
  }
  return results
}
