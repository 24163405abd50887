// One timed replicate in a fresh process (`--isolation process`): read { spec, group } as JSON on
// stdin, build the strategy's cell exactly as a worker does (StrategyCellRunner: probe, tinybench
// warmup, one timed batch) and print one JSON line on stdout: { nsPerOp, reference }. A fresh
// process has a fresh V8 heap, JIT and address-space layout, so whatever state one isolate drifts
// into cannot follow a strategy into its other replicates: the independence the t-test assumes,
// at the price of a process start and a warmup per replicate. The entries (replicate-child.ts,
// calibrate/planted-child.ts) differ only in how they make a spec known to this process's registry.
// Errors go to stderr with exit 1; the parent (process-host.ts) reports them.

import type { GroupSpec } from './cell-runner.js'
import { StrategyCellRunner } from './cell-runner.js'
import type { WorkCounts } from './device-state.js'

export interface ChildRequest {
  readonly spec: string
  readonly group: GroupSpec
}

export interface ChildReply {
  readonly nsPerOp: number
  readonly reference: WorkCounts
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8')
}

/** Serve one request; `register` makes the spec known here and returns the registry name to run. */
export async function serveOneReplicate(register: (spec: string) => Promise<string>): Promise<void> {
  const request = JSON.parse(await readStdin()) as ChildRequest
  const runner = new StrategyCellRunner(await register(request.spec))
  const prepared = runner.prepare(request.group)
  if (prepared.status === 'skipped') {
    process.stderr.write(`${request.spec}: skipped: ${prepared.reason}\n`)
    process.exitCode = 1
    return
  }
  const reply: ChildReply = { nsPerOp: runner.replicate(), reference: prepared.reference }
  process.stdout.write(`${JSON.stringify(reply)}\n`)
}
