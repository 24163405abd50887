// A StrategyHost whose every replicate runs in a fresh child process (`--isolation process`). A
// long-lived worker's replicates share its isolate, and isolates differ persistently (one worker's
// JIT settles on slower code than another's: `gntbench calibrate` measured a ~2 % shift between
// sets of workers), which makes replicates of one strategy more alike than independent draws and
// inflates false "Difference" verdicts. Here no two replicates share an isolate. It plugs into the
// runner's own runTimedGroup, so the interleaving is exactly the worker mode's; only where a
// replicate runs changes.
//
// prepare() probes in this process without warmup (the reference work counts, the semantics key,
// the op counts: cheap and untimed); replicate() spawns
//   node [--expose-gc, if this process has it] --import tsx <timed build>/src/runner/replicate-child.ts
// with { spec, group } on stdin, and checks that the child did the probe's work before trusting its
// ns/op. Children run one at a time: the parent only waits, so it does not compete for the CPU.

import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { resolveStrategySpec } from '../strategies/load-module.js'
import type { GroupSpec, OutcomeResult, PrepareResult } from './cell-runner.js'
import { StrategyCellRunner } from './cell-runner.js'
import { BenchIntegrityError } from './checks.js'
import type { WorkCounts } from './device-state.js'
import { formatCounts, sameCounts } from './device-state.js'
import type { ChildReply, ChildRequest } from './replicate-once.js'
import type { StrategyHost } from './strategy-host.js'
import { timedBuildUrl } from './timed-build.js'

const TSX_LOADER = createRequire(import.meta.url).resolve('tsx')

/** Run one child; resolves with its stdout, rejects with its stderr's first line. */
function runChild(entry: string, request: ChildRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    // The child collects garbage before its replicate exactly when this process could (it was
    // started with --expose-gc), so both isolation modes measure the same runner.
    const gcFlag = typeof globalThis.gc === 'function' ? ['--expose-gc'] : []
    const child = spawn(process.execPath, [...gcFlag, '--import', TSX_LOADER, entry], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout)
      else reject(new Error(`replicate child for ${request.spec} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n')[0] ?? ''}`))
    })
    child.stdin.end(JSON.stringify(request))
  })
}

export class ProcessHost implements StrategyHost {
  readonly spec: string
  private readonly entry: string
  private group: GroupSpec | null = null
  private reference: WorkCounts | null = null

  /** `childEntry`: the child's module; calibration passes one that registers planted strategies. */
  constructor(spec: string, childEntry: URL = timedBuildUrl('runner/replicate-child.ts')) {
    this.spec = spec
    this.entry = fileURLToPath(childEntry)
  }

  async prepare(group: GroupSpec): Promise<PrepareResult> {
    const probe = new StrategyCellRunner((await resolveStrategySpec(this.spec)).name)
    const prepared = probe.prepare({ ...group, warmupIterations: 0, warmupMs: 0 })
    probe.release()
    if (prepared.status === 'ready') {
      this.group = group
      this.reference = prepared.reference
    }
    return prepared
  }

  async replicate(): Promise<number> {
    const group = this.group
    const reference = this.reference
    if (group === null || reference === null) throw new Error(`${this.spec}: replicate() before prepare()`)
    const stdout = await runChild(this.entry, { spec: this.spec, group })
    const reply = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildReply
    if (!sameCounts(reply.reference, reference)) {
      throw new BenchIntegrityError(`${this.spec}: a child process did ${formatCounts(reply.reference)}, the probe ${formatCounts(reference)}`)
    }
    return reply.nsPerOp
  }

  async release(): Promise<void> {
    this.group = null
    this.reference = null
  }

  async outcome(group: GroupSpec): Promise<OutcomeResult> {
    return new StrategyCellRunner((await resolveStrategySpec(this.spec)).name).outcome(group)
  }

  async close(): Promise<void> {
    await this.release()
  }
}
