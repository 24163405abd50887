// The results file of `gntbench sweep` (results/<name>.json), schema version 1. One file holds
// everything the answer rests on, so the report can be regenerated from it alone:
//
//   schemaVersion, tool, kind: 'sweep', name
//   environment   as in a run file (Node, V8, OS, CPU, memory, git commit, command line, seed)
//   config        workloads, strategies, sizes per workload, R, K, seed, confidence, mode,
//                 warmup, the per-cell time budget, memory repeats, the isolate heap limit
//   workloads[]   per workload:
//     cells       one per (N, strategy): 'measured' with the raw replicate ns/op values in the
//                 order measured (+ round and position), or 'skipped' with the reason
//     counters    per (N, strategy): deterministic cost counters of one untimed replay of the
//                 same measured ops, totals and per op
//     memory      per (N, strategy): live counts, the LP64 model's bytes, and the measured JS
//                 heap bytes per record of each repeat
//     heapFits    per strategy: heap bytes ≈ fixed + perRecord × records over the sizes
//     analysis    series (mean, CI per N), growth fits, pairwise comparisons, crossovers
//     paragraph   the plain-words answer
//   memoryLayouts the LP64 layouts the model uses, with their sizes
//
// JSON has no NaN or Infinity: JSON.stringify writes them as null.

import type { StatsMode } from '../stats/types.js'
import type { WorkloadAnalysis } from '../stats/sweep-analysis.js'
import type { ResultEnvironment } from './run-schema.js'
import type { SweepCell, SweepCounters } from '../runner/sweep-cells.js'
import type { PassCounts } from '../runner/untimed-pass.js'

export const SWEEP_SCHEMA_VERSION = 2

export interface SweepConfig {
  workloads: string[]
  strategies: string[]
  /** Live-set sizes N per workload. */
  sizes: Record<string, number[]>
  /** Rounds of fresh isolates per cell; samples per isolate, their length and the warm-up, ms. */
  isolates: number
  samples: number
  sampleMs: number
  warmupMs: number
  ops: number
  seed: number
  confidence: number
  mode: StatsMode
  /** A cell whose projected wall time exceeds this is skipped (and so are larger N). */
  cellBudgetSeconds: number
  /** Heap measurements per cell (the first one also counts the costs). */
  memoryRepeats: number
  /** Bisection steps per crossover. */
  refineSteps: number
  /** V8's heap limit of one isolate (main thread and each worker), bytes. */
  heapLimitBytes: number
  quick: boolean
  isolation: 'worker' | 'inline'
}

export type { SweepCell, SweepCounters }

/** The `kind` of each component of a strategy ('list', 'rbtree', 'rangeset', 'bump', …). */
export interface SweepComponentKinds {
  allocator: string
  grefStore: string
  gmapStore: string
}

/** One line of the LP64 model (strategies/memory-layout.ts): count × bytes of one layout. */
export interface SweepMemoryLine {
  what: string
  layout: string
  count: number
  bytesEach: number
  bytes: number
  /** Decided by the data-structure choice (links, index and allocator nodes). */
  structural: boolean
}

/** A C layout the model uses, with its LP64 sizeof. */
export interface SweepLayoutRow {
  name: string
  fields: string
  bytes: number
  padding: number
  source: string
}

/** Where a strategy stopped being timed in one workload (first skipped N), for the answer's wording. */
export interface SkippedFrom {
  strategy: string
  fromSize: number
  reason: string
}

export interface SweepMemory {
  size: number
  strategy: string
  kinds: SweepComponentKinds
  counts: PassCounts
  model: {
    totalBytes: number
    structuralBytes: number
    bytesPerRecord: number
    bytesPerPage: number
    structuralBytesPerRecord: number
    totalBytesWithoutUnion: number
    lines: SweepMemoryLine[]
    unknownKinds: string[]
  }
  /** Measured V8 heap growth per live record of each repeat (heapUsed + arrayBuffers). */
  heapBytesPerRecord: number[]
  heapBytesPerRecordMean: number
  /** Heap growth of the setup (the last repeat), bytes. */
  heapBytes: number
  /** Streams + live set held at once by the first untimed pass, bytes: what the memory stop scales. */
  footprintBytes: number
}

export interface SweepHeapFit {
  strategy: string
  /** Slope of heap bytes against live records over the sizes: the marginal cost of a record. */
  bytesPerRecord: number
  fixedBytes: number
  rSquared: number
  sizes: number[]
}

export interface SweepWorkloadResult {
  name: string
  summary: string
  sizeUnit: string
  sides: 'alloc' | 'map' | 'both'
  sizes: number[]
  cells: SweepCell[]
  counters: SweepCounters[]
  memory: SweepMemory[]
  heapFits: SweepHeapFit[]
  analysis: WorkloadAnalysis
  paragraph: string
}

export interface SweepResult {
  schemaVersion: typeof SWEEP_SCHEMA_VERSION
  tool: 'gntbench'
  kind: 'sweep'
  name: string
  environment: ResultEnvironment
  config: SweepConfig
  workloads: SweepWorkloadResult[]
  memoryLayouts: SweepLayoutRow[]
}
