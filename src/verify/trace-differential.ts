// The differential pass of `gntbench replay`: every chosen strategy replays the whole trace in
// lockstep (lockstep.ts) while it is read, so a trace of any length runs in memory bounded by
// its handle and VMA tables, never by its length. The first line where two strategies that
// must agree do not is returned with both answers. The pre-scan that learns which op kinds a
// trace uses is workloads/trace-scan.ts.

import { Domain } from '../device/domain.js'
import { StrategyFault } from '../strategies/strategy-fault.js'
import { withinTimeLimit } from '../strategies/time-limit.js'
import type { StrategyFactory } from '../strategies/types.js'
import type { DivergenceNote, LaneSummary, Mismatch } from './lockstep.js'
import { Lane, Lockstep } from './lockstep.js'
import { openTrace } from '../workloads/trace-reader.js'
import type { TraceEntry } from '../workloads/trace-reader.js'
import type { TraceScan } from '../workloads/trace-scan.js'
import { strategyOptionsOf } from '../workloads/trace-scan.js'
import type { DeviceOp } from '../workloads/types.js'

export interface LaneStrategy {
  readonly name: string
  readonly create: StrategyFactory
}

export interface LineMismatch extends Mismatch {
  readonly line: number
}

export interface DifferentialResult {
  readonly ops: number
  /** First line where strategies that must agree did not; null when all agreed. */
  readonly mismatch: LineMismatch | null
  /** After the last line: a lane of the baseline's semantics holding different records. */
  readonly finalMismatch: { lane: string; baseline: string; expected: string; got: string } | null
  readonly lanes: readonly LaneSummary[]
  /** First divergence of each lane with other quirks or a smaller capacity (not failures). */
  readonly notes: readonly DivergenceNote[]
  /** An outside module's method threw or answered NaN on this line (the pass stopped there). */
  readonly fault: { readonly line: number; readonly column: number; readonly op: DeviceOp; readonly fault: StrategyFault } | null
}

/** Replay `file` on every strategy at once; strategies[0] is the baseline. Stops at the first mismatch. */
export async function replayDifferential(file: string, strategies: readonly LaneStrategy[], scan: TraceScan, onProgress?: (opsDone: number) => void): Promise<DifferentialResult> {
  const { header } = scan
  const trackGrantRefs = scan.kinds.has('foreignMap') || scan.kinds.has('foreignUnmap')
  const options = strategyOptionsOf(header)
  // Outside code runs within the time limit (strategies/time-limit.ts): the factories here, then
  // each batch of lines; a method that never returns is a fault at the line that called it.
  const label = strategies.map((s) => s.name).join(' or ')
  const lanes = withinTimeLimit(label, () =>
    strategies.map(({ name, create }) => {
      const domain = new Domain(header.grantTableEntries === undefined ? {} : { grantTableEntries: header.grantTableEntries })
      const strategy = create(options)
      const device = domain.open(strategy)
      return new Lane(name, device, domain.peer, { policy: strategy.policy, limits: strategy.limits, quirks: strategy.quirks }, header, trackGrantRefs)
    }),
  )
  const lockstep = new Lockstep(lanes, { tolerateCapacity: true })
  let ops = 0
  const ended = (found: Partial<Pick<DifferentialResult, 'mismatch' | 'finalMismatch' | 'fault'>>): DifferentialResult => ({
    ops,
    mismatch: null,
    finalMismatch: null,
    lanes: lockstep.summaries(),
    notes: lockstep.notes,
    fault: null,
    ...found,
  })
  const reader = await openTrace(file)
  // The line being stepped, for a fault (a method stopped by the time limit never returned to say).
  const at: { entry: TraceEntry | null } = { entry: null }
  const stepBatch = (batch: readonly TraceEntry[]): Mismatch | null => {
    for (const entry of batch) {
      at.entry = entry
      ops++
      const found = lockstep.step(entry.op, entry.line)
      if (found !== null) return found
    }
    return null
  }
  for await (const batch of reader.batches()) {
    let found
    try {
      found = withinTimeLimit(label, () => stepBatch(batch))
    } catch (error) {
      const entry = at.entry
      if (!(error instanceof StrategyFault) || entry === null) throw error
      await reader.close()
      return ended({ fault: { line: entry.line, column: entry.column, op: entry.op, fault: error } })
    }
    if (found !== null) {
      await reader.close()
      return ended({ mismatch: { ...found, line: at.entry?.line ?? 0 } })
    }
    onProgress?.(ops)
  }
  try {
    return ended({ finalMismatch: withinTimeLimit(label, () => lockstep.finalMismatch()) })
  } catch (error) {
    if (!(error instanceof StrategyFault)) throw error
    return ended({ fault: { line: 0, column: 1, op: { kind: 'close' }, fault: error } })
  }
}
