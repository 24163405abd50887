// A trace file seen as a BenchWorkload, so the benchmark runner (src/runner) can time a replay
// exactly as it times a generated workload: its generate() returns the trace's ops, its sides
// come from the op kinds it uses, and its strategy options and domain needs from the header.
// The timed pass needs the ops in arrays (a replicate replays the measured part again and
// again), so unlike the differential pass this loads the whole trace into memory.
//
// Grant refs are renumbered 0, 1, 2 … in order of first use: the runner binds a stream's refs as
// slots of one grant pool (bind.ts), whose size is the highest slot + 1, and a hand-written
// trace may name refs in the millions. The device only asks whether a ref is granted, so the
// renumbering changes no result.

import { readFileSync } from 'node:fs'
import type { ParsedTrace } from './trace-parser.js'
import { parseTrace } from './trace-parser.js'
import { UsageError } from '../errors.js'
import type { BenchWorkload, WorkloadSides } from './bench-workload.js'
import { sidesOf, strategyOptionsOf } from './trace-scan.js'
import type { DeviceOp, DeviceOpKind, OpStream } from './types.js'

/** `file` as a workload; generate() ignores its params (the trace fixes size, seed and ops). */
export function loadTraceWorkload(file: string): BenchWorkload {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error: unknown) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
    throw new UsageError(`${file}: cannot read trace${code === 'ENOENT' ? ': no such file' : code === '' ? '' : ` (${code})`}`)
  }
  const trace = parseTrace(text, file)
  const stream = withCompactRefs(trace)
  const kinds = new Set<DeviceOpKind>()
  for (const op of stream.setup) kinds.add(op.kind)
  for (const op of stream.measured) kinds.add(op.kind)
  const { alloc, map } = sidesOf(kinds)
  const sides: WorkloadSides = alloc && map ? 'both' : alloc ? 'alloc' : 'map'
  const options = strategyOptionsOf(trace.header)
  const grantTableEntries = trace.header.grantTableEntries
  return {
    name: `trace:${file}`,
    summary: `replay of ${file} (${stream.setup.length} setup ops, ${stream.measured.length} measured ops)`,
    sizeUnit: 'ops in the trace',
    sides,
    measure: 'timed',
    drains: false,
    domainNeeds: () => (grantTableEntries === undefined ? {} : { grantTableEntries }),
    strategyOptions: () => options,
    generate: () => stream,
  }
}

/** The trace's stream with grant refs renumbered from 0 in order of first use. */
function withCompactRefs(trace: ParsedTrace): OpStream {
  const slots = new Map<number, number>()
  const rewrite = (ops: readonly DeviceOp[]): DeviceOp[] =>
    ops.map((op) => {
      if (op.kind !== 'map') return op
      const grantRefs = op.grantRefs.map((ref) => {
        let slot = slots.get(ref)
        if (slot === undefined) slots.set(ref, (slot = slots.size))
        return slot
      })
      return { ...op, grantRefs }
    })
  return { setup: rewrite(trace.setup), measured: rewrite(trace.measured), handles: trace.handles, vmas: trace.vmas }
}
