// Where a strategy's cells run. The benchmark gives every strategy its own worker thread (a
// separate V8 isolate: its own JIT feedback, heap and GC), and the parent drives all of them one
// call at a time, so only one thread works at any moment and the interleaving order stays the
// parent's. Workers load the timed build (timed-build.ts), the sources without cost counting.
// InlineHost runs the same StrategyCellRunner in this thread on the counted sources, for tests
// and for the rare caller that wants no threads.

import { Worker } from 'node:worker_threads'
import type { GroupSpec, OutcomeResult, PrepareResult } from './cell-runner.js'
import { StrategyCellRunner } from './cell-runner.js'
import { BenchIntegrityError } from './checks.js'
import { timedBuildUrl } from './timed-build.js'

export interface StrategyHost {
  readonly spec: string
  prepare(group: GroupSpec): Promise<PrepareResult>
  replicate(): Promise<number>
  release(): Promise<void>
  outcome(group: GroupSpec): Promise<OutcomeResult>
  close(): Promise<void>
}

/** Requests to a worker; each is answered by one HostResponse with the same id. */
export type HostRequest =
  | { readonly id: number; readonly kind: 'prepare'; readonly group: GroupSpec }
  | { readonly id: number; readonly kind: 'replicate' }
  | { readonly id: number; readonly kind: 'release' }
  | { readonly id: number; readonly kind: 'outcome'; readonly group: GroupSpec }

/** What a request returns: prepare → PrepareResult, replicate → ns/op, release → null, outcome → OutcomeResult. */
export type HostValue = PrepareResult | OutcomeResult | number | null

export type HostResponse =
  | { readonly id: number; readonly ok: true; readonly value: HostValue }
  | { readonly id: number; readonly ok: false; readonly errorName: string; readonly message: string; readonly stack: string }

export class InlineHost implements StrategyHost {
  readonly spec: string
  private readonly runner: StrategyCellRunner

  constructor(spec: string) {
    this.spec = spec
    this.runner = new StrategyCellRunner(spec)
  }

  async prepare(group: GroupSpec): Promise<PrepareResult> {
    return this.runner.prepare(group)
  }

  async replicate(): Promise<number> {
    return this.runner.replicate()
  }

  async release(): Promise<void> {
    this.runner.release()
  }

  async outcome(group: GroupSpec): Promise<OutcomeResult> {
    return this.runner.outcome(group)
  }

  async close(): Promise<void> {
    this.runner.release()
  }
}

interface Pending {
  resolve: (value: HostValue) => void
  reject: (error: Error) => void
}

/**
 * The worker is started through tsx's API (tsImport), because the sources are TypeScript run
 * without a build step and a worker does not inherit the parent's loader hooks on Node 20.
 */
function workerSource(entryUrl: URL): string {
  const tsxApi = import.meta.resolve('tsx/esm/api')
  const entry = entryUrl.href
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`
}

export class WorkerHost implements StrategyHost {
  readonly spec: string
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private failure: Error | null = null

  /**
   * `entry`: the worker module, by default the runner's worker in the timed build (timed-build.ts:
   * no cost counting in the timed code); calibration passes one that registers its planted
   * strategies first.
   */
  constructor(spec: string, entry: URL = timedBuildUrl('runner/host-worker.ts')) {
    this.spec = spec
    this.worker = new Worker(workerSource(entry), { eval: true, workerData: { spec } })
    this.worker.on('message', (response: HostResponse) => this.settle(response))
    this.worker.on('error', (error: Error) => this.failAll(error))
    this.worker.on('exit', (code) => this.failAll(new Error(`the worker of ${spec} exited (code ${code})`)))
  }

  prepare(group: GroupSpec): Promise<PrepareResult> {
    return this.call({ id: this.nextId++, kind: 'prepare', group }) as Promise<PrepareResult>
  }

  replicate(): Promise<number> {
    return this.call({ id: this.nextId++, kind: 'replicate' }) as Promise<number>
  }

  async release(): Promise<void> {
    await this.call({ id: this.nextId++, kind: 'release' })
  }

  outcome(group: GroupSpec): Promise<OutcomeResult> {
    return this.call({ id: this.nextId++, kind: 'outcome', group }) as Promise<OutcomeResult>
  }

  async close(): Promise<void> {
    this.failure ??= new Error(`the worker of ${this.spec} was closed`)
    await this.worker.terminate()
  }

  private call(request: HostRequest): Promise<HostValue> {
    if (this.failure !== null) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject })
      this.worker.postMessage(request)
    })
  }

  private settle(response: HostResponse): void {
    const pending = this.pending.get(response.id)
    if (pending === undefined) return
    this.pending.delete(response.id)
    if (response.ok) {
      pending.resolve(response.value)
      return
    }
    const error = response.errorName === 'BenchIntegrityError' ? new BenchIntegrityError(response.message) : new Error(response.message)
    error.stack = response.stack
    pending.reject(error)
  }

  private failAll(error: Error): void {
    this.failure ??= error
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }
}
