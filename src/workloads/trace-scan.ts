// The pre-scan of a trace file: one pass that validates its syntax before any strategy runs
// (errors surface as UsageErrors), learns which op kinds it uses (so that `gntbench replay` picks
// the strategies that support them) and counts its setup and measured ops; also the strategy
// options its header asks for.

import type { StrategyOptions } from '../strategies/types.js'
import type { TraceHeader } from './trace-format.js'
import { openTrace } from './trace-reader.js'
import type { DeviceOpKind } from './types.js'

/** What a first pass over a trace learned. */
export interface TraceScan {
  readonly header: TraceHeader
  readonly kinds: ReadonlySet<DeviceOpKind>
  readonly setupOps: number
  readonly measuredOps: number
  /** The trace has a `measured` directive (otherwise every op is measured). */
  readonly hasMeasuredDirective: boolean
}

/** Read the whole trace once: syntax errors surface here, as UsageErrors, before anything runs. */
export async function scanTrace(file: string): Promise<TraceScan> {
  const reader = await openTrace(file)
  const kinds = new Set<DeviceOpKind>()
  let setupOps = 0
  let measuredOps = 0
  for await (const batch of reader.batches()) {
    for (const entry of batch) {
      kinds.add(entry.op.kind)
      if (entry.measured) measuredOps++
      else setupOps++
    }
  }
  const hasMeasuredDirective = reader.sawMeasuredDirective
  return {
    header: reader.header,
    kinds,
    setupOps: hasMeasuredDirective ? setupOps : 0,
    measuredOps: hasMeasuredDirective ? measuredOps : setupOps,
    hasMeasuredDirective,
  }
}

/** The ioctl families a trace needs: 'alloc' (ALLOC/DEALLOC, foreign maps of our grefs), 'map'. */
export function sidesOf(kinds: ReadonlySet<DeviceOpKind>): { alloc: boolean; map: boolean } {
  return {
    alloc: kinds.has('alloc') || kinds.has('dealloc') || kinds.has('foreignMap') || kinds.has('foreignUnmap'),
    map: kinds.has('map') || kinds.has('unmap') || kinds.has('getOffset'),
  }
}

/** Strategy options and domain settings a trace's header asks for. */
export function strategyOptionsOf(header: TraceHeader): StrategyOptions {
  return header.offsetSpacePages === undefined ? {} : { offsetSpacePages: header.offsetSpacePages }
}
