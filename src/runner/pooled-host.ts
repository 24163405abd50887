// A StrategyHost that spreads one strategy's replicates over K isolates (`--isolates K`): K worker
// threads, each prepared (probe + warmup) for every group, serving the group's replicates in turn.
// Why: replicates from one long-lived isolate share its JIT decisions and heap layout, and
// isolates differ persistently (`gntbench calibrate` measured a ~2 % shift between sets of
// workers), so R values from one isolate vary less than R independent ones would and the t-test
// under-estimates its standard error. With K isolates the clusters shrink to R/K values, and the
// spread between isolates enters the replicate variance where the t-test can see it; K = R makes
// every replicate its own isolate's. The price is K warmups per strategy per group.

import type { GroupSpec, OutcomeResult, PrepareResult } from './cell-runner.js'
import { BenchIntegrityError } from './checks.js'
import { formatCounts, sameCounts } from './device-state.js'
import type { StrategyHost } from './strategy-host.js'

export class PooledHost implements StrategyHost {
  readonly spec: string
  private readonly hosts: readonly StrategyHost[]
  private next = 0

  constructor(hosts: readonly StrategyHost[]) {
    const first = hosts[0]
    if (first === undefined) throw new Error('PooledHost: no hosts')
    this.spec = first.spec
    this.hosts = hosts
  }

  get isolates(): number {
    return this.hosts.length
  }

  async prepare(group: GroupSpec): Promise<PrepareResult> {
    let result: PrepareResult | null = null
    for (const host of this.hosts) {
      const prepared = await host.prepare(group)
      if (result === null) result = prepared
      else if (prepared.status !== result.status) {
        throw new BenchIntegrityError(`${this.spec}: its isolates disagree whether ${group.workload} N=${group.size} can run`)
      } else if (prepared.status === 'ready' && result.status === 'ready' && !sameCounts(prepared.reference, result.reference)) {
        throw new BenchIntegrityError(
          `${this.spec}: two isolates did different work on ${group.workload} N=${group.size} (${formatCounts(result.reference)} vs ${formatCounts(prepared.reference)})`,
        )
      }
      if (prepared.status === 'skipped') break
    }
    this.next = 0
    return result as PrepareResult
  }

  /** Replicates go to the isolates in turn, so each serves R/K of a group's replicates. */
  replicate(): Promise<number> {
    const host = this.hosts[this.next % this.hosts.length] as StrategyHost
    this.next++
    return host.replicate()
  }

  async release(): Promise<void> {
    for (const host of this.hosts) await host.release()
  }

  outcome(group: GroupSpec): Promise<OutcomeResult> {
    return (this.hosts[0] as StrategyHost).outcome(group)
  }

  async close(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.close()))
  }
}
