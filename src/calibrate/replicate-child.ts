// Entry of a one-replicate child process (`gntbench calibrate --isolate process`): reads one
// cell spec as JSON on stdin ({ spec, group }), builds the strategy's cell exactly as a runner
// worker does (StrategyCellRunner: probe, tinybench warmup, GC, one timed batch), and prints one
// JSON line on stdout: { nsPerOp, reference }. A fresh process has a fresh V8 heap, JIT and
// address-space layout, so whatever state one process drifts into cannot follow the strategy
// into its other replicates: that is the independence this mode buys, at ~1 s of start-up each.
// Errors go to stderr with exit 1; the parent reports them.

import type { GroupSpec } from '../runner/cell-runner.js'
import { StrategyCellRunner } from '../runner/cell-runner.js'
import { ensurePlantedRegistered } from './planted-strategy.js'

export interface ChildRequest {
  readonly spec: string
  readonly group: GroupSpec
}

export interface ChildReply {
  readonly nsPerOp: number
  readonly reference: { ok: number; failed: number; skipped: number }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8')
}

const request = JSON.parse(await readStdin()) as ChildRequest
ensurePlantedRegistered(request.spec)
const runner = new StrategyCellRunner(request.spec)
const prepared = runner.prepare(request.group)
if (prepared.status === 'skipped') {
  process.stderr.write(`${request.spec}: skipped: ${prepared.reason}\n`)
  process.exitCode = 1
} else {
  const reply: ChildReply = { nsPerOp: runner.replicate(), reference: prepared.reference }
  process.stdout.write(`${JSON.stringify(reply)}\n`)
}
