// The raw records a sweep produces, before any analysis: timed cells (isolate means and isolates,
// as the runner measured them, or the reason a cell was not timed), the cost counters of the
// untimed replay, and the heap and live counts of the untimed builds. The results file
// (report/sweep-schema.ts) stores them as they are.

import type { CostCounters } from '../structures/types.js'
import type { IsolateRecord } from './measure-group.js'
import type { PassCounts } from './untimed-pass.js'

export interface SweepMeasuredCell {
  size: number
  strategy: string
  status: 'measured'
  unit: 'ns/op'
  opsPerBatch: number
  setupOps: number
  /** Isolate means (ns/op), one per round: the unit of replication. */
  values: number[]
  rounds: number[]
  /** Every isolate: round, seed, position, states per sample, raw samples and GC. */
  isolates: IsolateRecord[]
  /** Measured between two grid sizes to narrow a crossover (only the pair's two strategies). */
  refined?: true
}

export interface SweepSkippedCell {
  size: number
  strategy: string
  status: 'skipped'
  /** 'budget' (projected time), 'memory' (projected heap), 'unsupported' (sides, setup failure). */
  cause: 'budget' | 'memory' | 'unsupported'
  reason: string
}

export type SweepCell = SweepMeasuredCell | SweepSkippedCell

export interface SweepCounters {
  size: number
  strategy: string
  /** Measured ops replayed (K, as in a timed replicate). */
  ops: number
  /** Sum over the strategy's allocator, gref store and gmap store (shared counters once). */
  total: CostCounters
  perOp: CostCounters
  /** Wall time of the untimed setup + replay that counted, ms (what the budget projects from). */
  passMs: number
}

/** Heap and live counts of one cell, before the memory model is applied. */
export interface SweepMemoryRaw {
  size: number
  strategy: string
  kinds: { allocator: string; grefStore: string; gmapStore: string }
  counts: PassCounts
  /** Heap growth per live record of each repeat (the first repeat first). */
  heapBytesPerRecord: number[]
  /** Heap growth of the last repeat's setup, bytes. */
  heapBytes: number
  /** Heap the first untimed pass needed at once: streams + live set, bytes (what stops a sweep). */
  footprintBytes: number
}
