// The raw records a sweep produces, before any analysis: timed cells (ordered replicate values,
// as the runner measured them, or the reason a cell was not timed), the cost counters of the
// untimed replay, and the heap and live counts of the untimed builds. The results file
// (report/sweep-schema.ts) stores them as they are.

import type { CostCounters } from '../structures/types.js'
import type { WorkCounts } from './device-state.js'
import type { PassCounts } from './untimed-pass.js'

export interface SweepMeasuredCell {
  size: number
  strategy: string
  status: 'measured'
  unit: 'ns/op'
  opsPerReplicate: number
  setupOps: number
  /** ns/op per replicate, in the order measured. */
  values: number[]
  rounds: number[]
  positions: number[]
  work: WorkCounts
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
