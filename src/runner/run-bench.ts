// Runs a whole benchmark: every (workload, N) group in order, timed groups through
// timed-group.ts and outcome groups (wrap) once per strategy, on one host per strategy that
// lives for the whole run. Reports progress after each group; returns the raw results, which
// assemble.ts turns into the results file.

import { getWorkload } from '../workloads/registry.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { Prng } from '../workloads/prng.js'
import type { GroupSpec, OutcomeResult } from './cell-runner.js'
import type { RunConfig } from './plan.js'
import { defaultStrategies, sizesFor } from './plan.js'
import { createHost } from './host-factory.js'
import type { StrategyHost } from './strategy-host.js'
import type { TimedCellResult } from './timed-group.js'
import { runTimedGroup } from './timed-group.js'

export type OutcomeCell = { readonly strategy: string } & OutcomeResult

export interface GroupResult {
  readonly workload: BenchWorkload
  readonly size: number
  readonly strategies: readonly string[]
  readonly timed: readonly TimedCellResult[]
  readonly outcomes: readonly OutcomeCell[]
}

export interface RunProgress {
  /** 1-based index of the group about to run. */
  readonly group: number
  readonly groups: number
  readonly label: string
  readonly elapsedMs: number
  /** Estimated time left, from the work done so far; null before any. */
  readonly remainingMs: number | null
}

export interface RunHooks {
  readonly onGroupStart?: (progress: RunProgress) => void
}

interface PlannedGroup {
  readonly workload: BenchWorkload
  readonly size: number
  readonly strategies: readonly string[]
  /** Relative cost, for the time estimate: strategies × (replicates + warmup) × a size factor. */
  readonly weight: number
}

function planGroups(config: RunConfig): PlannedGroup[] {
  const groups: PlannedGroup[] = []
  for (const name of config.workloads) {
    const workload = getWorkload(name, { wrapOffsetSpacePages: config.wrapOffsetSpacePages })
    const strategies = config.strategies ?? defaultStrategies(name)
    for (const size of sizesFor(workload, config)) {
      const perStrategy = workload.measure === 'timed' ? config.replicates + config.warmupIterations : 10
      groups.push({ workload, size, strategies, weight: strategies.length * perStrategy * Math.log2(size + 2) })
    }
  }
  return groups
}

export async function runBenchmark(config: RunConfig, hooks: RunHooks = {}): Promise<GroupResult[]> {
  const groups = planGroups(config)
  const specs = [...new Set(groups.flatMap((group) => group.strategies))]
  const hosts = new Map<string, StrategyHost>(specs.map((spec) => [spec, createHost(spec, config)]))
  const totalWeight = groups.reduce((sum, group) => sum + group.weight, 0)
  const started = performance.now()
  let doneWeight = 0
  const results: GroupResult[] = []
  try {
    for (let index = 0; index < groups.length; index++) {
      const group = groups[index] as PlannedGroup
      const elapsedMs = performance.now() - started
      hooks.onGroupStart?.({
        group: index + 1,
        groups: groups.length,
        label: `${group.workload.name} N=${group.size}`,
        elapsedMs,
        remainingMs: doneWeight > 0 ? (elapsedMs / doneWeight) * (totalWeight - doneWeight) : null,
      })
      const spec: GroupSpec = {
        workload: group.workload.name,
        size: group.size,
        seed: config.seed,
        ops: config.ops,
        wrapOffsetSpacePages: config.wrapOffsetSpacePages,
        warmupIterations: config.warmupIterations,
        warmupMs: config.warmupMs,
        ...(config.gcBetweenReplicates === true ? { gcBeforeReplicate: true } : {}),
      }
      const groupHosts = group.strategies.map((strategy) => hosts.get(strategy) as StrategyHost)
      if (group.workload.measure === 'timed') {
        // The interleaving order is seeded per group, so a group run alone shuffles identically.
        const shuffle = new Prng((config.seed ^ fnv1a(`${group.workload.name}:${group.size}`)) >>> 0)
        const timed = await runTimedGroup(spec, groupHosts, { replicates: config.replicates, shuffle })
        results.push({ workload: group.workload, size: group.size, strategies: group.strategies, timed, outcomes: [] })
      } else {
        const outcomes: OutcomeCell[] = []
        for (const host of groupHosts) outcomes.push({ strategy: host.spec, ...(await host.outcome(spec)) })
        results.push({ workload: group.workload, size: group.size, strategies: group.strategies, timed: [], outcomes })
      }
      doneWeight += group.weight
    }
  } finally {
    await Promise.all([...hosts.values()].map((host) => host.close()))
  }
  return results
}

/** FNV-1a, 32 bits: a stable number for a group's name. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash >>> 0
}
