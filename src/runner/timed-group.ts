// Times one (workload, N) group: every strategy on the same seeded stream, R independent
// replicates each (one replicate = one fresh device state + one timed batch of K ops → one
// ns/op value). Round by round the strategies are visited in a freshly shuffled, seeded order,
// so slow drift of the machine (frequency, other load) spreads over all of them instead of
// biasing whichever ran last. Values are kept in the order measured, with round and position.

import type { Prng } from '../workloads/prng.js'
import type { GroupSpec } from './cell-runner.js'
import { BenchIntegrityError } from './checks.js'
import type { WorkCounts } from './device-state.js'
import { formatCounts, sameCounts } from './device-state.js'
import type { StrategyHost } from './strategy-host.js'

export interface MeasuredCell {
  readonly strategy: string
  readonly status: 'measured'
  /** ns/op of each replicate, in the order measured. */
  readonly values: number[]
  /** Round of each value (0-based). */
  readonly rounds: number[]
  /** Position of the strategy in that round's shuffled order (0-based). */
  readonly positions: number[]
  /** Ops in one replicate's timed batch (K; a draining workload appends its final unmaps). */
  readonly opsPerReplicate: number
  readonly setupOps: number
  /** sha-256 of the generated stream. */
  readonly streamHash: string
  /** What the timed batch did, identical in every replicate. */
  readonly work: WorkCounts
}

export interface SkippedCell {
  readonly strategy: string
  readonly status: 'skipped'
  readonly reason: string
}

export type TimedCellResult = MeasuredCell | SkippedCell

export interface TimedGroupOptions {
  readonly replicates: number
  /** Shuffles the strategy order of each round. */
  readonly shuffle: Prng
  /** Called after every timed replicate (progress). */
  readonly onReplicate?: () => void
}

interface Ready {
  readonly host: StrategyHost
  readonly reference: WorkCounts
  readonly semantics: string
  readonly cell: MeasuredCell
}

export async function runTimedGroup(group: GroupSpec, hosts: readonly StrategyHost[], options: TimedGroupOptions): Promise<TimedCellResult[]> {
  const results: TimedCellResult[] = []
  const ready: Ready[] = []
  try {
    for (const host of hosts) {
      const prepared = await host.prepare(group)
      if (prepared.status === 'skipped') {
        results.push({ strategy: host.spec, status: 'skipped', reason: prepared.reason })
        continue
      }
      const cell: MeasuredCell = {
        strategy: host.spec,
        status: 'measured',
        values: [],
        rounds: [],
        positions: [],
        opsPerReplicate: prepared.opsPerReplicate,
        setupOps: prepared.setupOps,
        streamHash: prepared.streamHash,
        work: prepared.reference,
      }
      results.push(cell)
      ready.push({ host, reference: prepared.reference, semantics: prepared.semantics, cell })
    }
    checkSameWork(group, ready)

    for (let round = 0; round < options.replicates; round++) {
      const order = options.shuffle.shuffle([...ready])
      for (let position = 0; position < order.length; position++) {
        const { host, cell } = order[position] as Ready
        cell.values.push(await host.replicate())
        cell.rounds.push(round)
        cell.positions.push(position)
        options.onReplicate?.()
      }
    }
  } finally {
    for (const { host } of ready) await host.release()
  }
  return results
}

/** Strategies with the same device semantics must have done exactly the same work. */
function checkSameWork(group: GroupSpec, ready: readonly Ready[]): void {
  const first = new Map<string, Ready>()
  for (const entry of ready) {
    const other = first.get(entry.semantics)
    if (other === undefined) first.set(entry.semantics, entry)
    else if (!sameCounts(other.reference, entry.reference)) {
      throw new BenchIntegrityError(
        `${group.workload} N=${group.size}: ${other.host.spec} and ${entry.host.spec} share a device policy but did different work ` +
          `(${formatCounts(other.reference)} vs ${formatCounts(entry.reference)})`,
      )
    }
  }
}
