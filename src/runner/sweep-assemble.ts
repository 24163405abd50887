// Turns a sweep's raw records into its results file: per workload the analysis (series, growth
// fits of time and of counted work, pairwise comparisons, crossovers), the LP64 memory model of
// every untimed build, the heap-per-record fits, and the plain-words paragraph from `describe`
// (the report layer's wording, handed in by the command so the runner does not depend on it).

import { linearRegression, rSquared } from 'simple-statistics'
import { analyseWorkload } from '../stats/sweep-analysis.js'
import type { WorkloadAnalysis } from '../stats/sweep-analysis.js'
import { estimateMemory, layoutTable } from '../strategies/memory-layout.js'
import type { ResultEnvironment } from '../results/shared-schema.js'
import type { SweepMemoryRaw } from './sweep-bench.js'
import type { SweepRawWorkload } from './sweep-bench.js'
import type { SweepArm } from './sweep-plan.js'
import { sameEnginePairs, sweepArms } from './sweep-plan.js'
import type { SkippedFrom, SweepConfig, SweepHeapFit, SweepMemory, SweepResult, SweepWorkloadResult } from '../results/sweep-schema.js'
import { SWEEP_SCHEMA_VERSION } from '../results/sweep-schema.js'

/** Words the answer of one workload; the report layer's sweepParagraph, passed in by the command. */
export type Describe = (input: { analysis: WorkloadAnalysis; sizeUnit: string; skipped: readonly SkippedFrom[] }) => string

/**
 * Below this much growth a heap reading says more about V8 than about the records: compiled
 * code, feedback vectors and inline caches come and go by tens of KiB (a 16-record live set
 * read −4 KiB per record). Such readings are kept in the file but not averaged or fitted.
 */
export const HEAP_NOISE_FLOOR_BYTES = 1 << 20

/** Mean of the repeats after the first (which also feeds the JIT), or the first alone; NaN below the noise floor. */
export function heapMean(perRecord: readonly number[], records: number): number {
  const usable = (perRecord.length > 1 ? perRecord.slice(1) : perRecord).filter((v) => Number.isFinite(v))
  if (usable.length === 0) return Number.NaN
  const mean = usable.reduce((s, v) => s + v, 0) / usable.length
  return Math.abs(mean * records) < HEAP_NOISE_FLOOR_BYTES ? Number.NaN : mean
}

function memoryOf(raw: SweepMemoryRaw): SweepMemory {
  const model = estimateMemory(raw.kinds, raw.counts, raw.strategy)
  return {
    size: raw.size,
    strategy: raw.strategy,
    kinds: raw.kinds,
    counts: raw.counts,
    model: {
      totalBytes: model.totalBytes,
      structuralBytes: model.structuralBytes,
      bytesPerRecord: model.bytesPerRecord,
      bytesPerPage: model.bytesPerPage,
      structuralBytesPerRecord: model.structuralBytesPerRecord,
      totalBytesWithoutUnion: model.totalBytesWithoutUnion,
      lines: model.lines,
      unknownKinds: model.unknownKinds,
    },
    heapBytesPerRecord: raw.heapBytesPerRecord,
    heapBytesPerRecordMean: heapMean(raw.heapBytesPerRecord, raw.counts.grefs + raw.counts.gmaps),
    heapBytes: raw.heapBytes,
    footprintBytes: raw.footprintBytes,
  }
}

/** heap ≈ fixed + perRecord × records over the sizes of one strategy (needs two sizes). */
export function heapFit(strategy: string, memory: readonly SweepMemory[]): SweepHeapFit | null {
  const points = memory
    .filter((m) => m.strategy === strategy && Number.isFinite(m.heapBytesPerRecordMean))
    .map((m) => {
      const records = m.counts.grefs + m.counts.gmaps
      return [records, m.heapBytesPerRecordMean * records]
    })
  if (new Set(points.map(([r]) => r)).size < 2) return null
  const { m, b } = linearRegression(points)
  return {
    strategy,
    bytesPerRecord: m,
    fixedBytes: b,
    rSquared: rSquared(points, (x) => b + m * x),
    sizes: memory.filter((x) => x.strategy === strategy).map((x) => x.size),
  }
}

function skippedFrom(raw: SweepRawWorkload): SkippedFrom[] {
  const out: SkippedFrom[] = []
  for (const cell of raw.cells) {
    if (cell.status !== 'skipped' || out.some((s) => s.strategy === cell.strategy)) continue
    out.push({ strategy: cell.strategy, fromSize: cell.size, reason: cell.reason })
  }
  return out
}

/**
 * The memory records of the timed series: per strategy as measured, or with --engine both once
 * per arm, the native arm keeping the LP64 model but not the V8 heap (which is the TS model's).
 */
function memoryOfArms(raw: SweepRawWorkload, arms: readonly SweepArm[]): SweepMemory[] {
  const memory = raw.memory.map(memoryOf)
  if (arms.every((arm) => arm.label === arm.spec)) return memory
  return arms.flatMap((arm) =>
    memory
      .filter((m) => m.strategy === arm.spec)
      .map((m) => (arm.engine === 'js' ? { ...m, strategy: arm.label } : { ...m, strategy: arm.label, heapBytesPerRecord: [], heapBytesPerRecordMean: Number.NaN, heapBytes: Number.NaN })),
  )
}

function workloadResult(raw: SweepRawWorkload, config: SweepConfig, describe: Describe): SweepWorkloadResult {
  const arms = sweepArms(config.strategies, config.engine)
  const labels = arms.map((arm) => arm.label)
  const values = raw.cells.flatMap((c) => (c.status === 'measured' ? [{ size: c.size, strategy: c.strategy, values: c.values, rounds: c.rounds }] : []))
  // Counted work belongs to the strategy (the same op stream and structure in both languages).
  const counts = arms.flatMap((arm) =>
    raw.counters.filter((c) => c.strategy === arm.spec).map((c) => ({ size: c.size, strategy: arm.label, workPerOp: c.perOp.nodesVisited + c.perOp.keyCompares })),
  )
  const analysis = analyseWorkload(raw.workload.name, labels, values, counts, { confidence: config.confidence, mode: config.mode, pairs: sameEnginePairs(arms) })
  const memory = memoryOfArms(raw, arms)
  const heapFits = labels.flatMap((s) => {
    const fit = heapFit(s, memory)
    return fit === null ? [] : [fit]
  })
  // Cells in (N, series order), whatever order the sweep settled them in.
  const rank = (strategy: string): number => labels.indexOf(strategy)
  const cells = [...raw.cells].sort((x, y) => x.size - y.size || rank(x.strategy) - rank(y.strategy))
  return {
    name: raw.workload.name,
    summary: raw.workload.summary,
    sizeUnit: raw.workload.sizeUnit,
    sides: raw.workload.sides,
    sizes: raw.sizes,
    cells,
    counters: raw.counters,
    memory,
    heapFits,
    analysis,
    paragraph: describe({ analysis, sizeUnit: raw.workload.sizeUnit, skipped: skippedFrom(raw) }),
  }
}

export function assembleSweep(
  name: string,
  environment: ResultEnvironment,
  config: SweepConfig,
  raw: readonly SweepRawWorkload[],
  describe: Describe,
): SweepResult {
  return {
    schemaVersion: SWEEP_SCHEMA_VERSION,
    tool: 'gntbench',
    kind: 'sweep',
    name,
    environment,
    config,
    workloads: raw.map((w) => workloadResult(w, config, describe)),
    memoryLayouts: layoutTable(),
  }
}
