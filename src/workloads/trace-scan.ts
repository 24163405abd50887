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
  /** Where each op kind first occurs (line and column of its keyword). */
  readonly firstOf: ReadonlyMap<DeviceOpKind, { readonly line: number; readonly column: number }>
}

/** Read the whole trace once: syntax errors surface here, as UsageErrors, before anything runs. */
export async function scanTrace(file: string): Promise<TraceScan> {
  const reader = await openTrace(file)
  const kinds = new Set<DeviceOpKind>()
  const firstOf = new Map<DeviceOpKind, { line: number; column: number }>()
  let setupOps = 0
  let measuredOps = 0
  for await (const batch of reader.batches()) {
    for (const entry of batch) {
      if (!kinds.has(entry.op.kind)) firstOf.set(entry.op.kind, { line: entry.line, column: entry.column })
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
    firstOf,
  }
}

const ALLOC_SIDE: readonly DeviceOpKind[] = ['alloc', 'dealloc', 'foreignMap', 'foreignUnmap']
const MAP_SIDE: readonly DeviceOpKind[] = ['map', 'unmap', 'getOffset']

/** Where the first op of a family is (the earliest of its kinds), or null when the trace has none. */
export function firstOpOfSide(scan: TraceScan, side: 'alloc' | 'map'): { line: number; column: number; kind: DeviceOpKind } | null {
  let found: { line: number; column: number; kind: DeviceOpKind } | null = null
  for (const kind of side === 'alloc' ? ALLOC_SIDE : MAP_SIDE) {
    const at = scan.firstOf.get(kind)
    if (at !== undefined && (found === null || at.line < found.line)) found = { ...at, kind }
  }
  return found
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
