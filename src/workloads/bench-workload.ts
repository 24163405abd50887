// What the benchmark runner needs to know about a workload beyond its op stream: which ioctl
// families it issues (so a cell on a one-sided preset is skipped, not crashed), whether it is
// timed or only reports an outcome, and the domain and strategy settings it must run under.

import type { StrategyOptions } from '../strategies/types.js'
import type { Workload, WorkloadParams } from './types.js'

/**
 * 'alloc': ALLOC_GREF/DEALLOC_GREF (gntalloc, FreeBSD gntdev); 'map': MAP/UNMAP_GRANT_REF
 * (gntdev); 'both': one file issues both, which only FreeBSD's merged device accepts.
 */
export type WorkloadSides = 'alloc' | 'map' | 'both'

/**
 * Default sizes of most workloads: 64 (a typical file: tens of records, §6), 512 (a busy one:
 * a 16-page qdisk ring holds 512 requests) and 4096 (stress, where O(n) and O(log n) part).
 */
export const STANDARD_SIZES: readonly number[] = [64, 512, 4096]

/** Domain settings a workload needs; undefined fields keep the Domain's defaults. */
export interface DomainNeeds {
  /** Entries of our grant table (the resource ALLOC_GREF consumes). */
  grantTableEntries?: number
}

export interface BenchWorkload extends Workload {
  readonly sides: WorkloadSides
  /**
   * 'timed': R independent replicates of K measured ops, reported in ns/op. 'outcome': run once
   * per strategy and report what the allocator did (wrapped, overlapped, failed cleanly).
   */
  readonly measure: 'timed' | 'outcome'
  /**
   * The measured part gives back everything it took (it ends with the peer unmapping and the
   * program unmapping and deallocating), so after a replicate the runner can demand an empty
   * device: no grefs, no gmaps, nothing pending once cleanup ran.
   */
  readonly drains: boolean
  /**
   * Sizes N of the default suite, smallest first (the quick suite takes the first): a realistic
   * size, a busy one and a stress size for the workload's unit (docs/kernel-model.md §6). Absent:
   * STANDARD_SIZES.
   */
  readonly defaultSizes?: readonly number[]
  domainNeeds(params: WorkloadParams): DomainNeeds
  strategyOptions(params: WorkloadParams): StrategyOptions
}

/** What most workloads share: timed, the standard sizes, not drained, no domain or strategy needs. */
export const TIMED_DEFAULTS = {
  measure: 'timed',
  defaultSizes: STANDARD_SIZES,
  drains: false,
  domainNeeds: (): DomainNeeds => ({}),
  strategyOptions: (): StrategyOptions => ({}),
} as const satisfies Partial<BenchWorkload>
