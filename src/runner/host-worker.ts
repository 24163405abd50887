// Entry of a strategy's worker thread (strategy-host.ts): answers the parent's requests with one
// StrategyCellRunner, one at a time. Errors travel back as data; the parent rethrows them.

import { parentPort, workerData } from 'node:worker_threads'
import { resolveStrategySpec } from '../strategies/load-module.js'
import { StrategyCellRunner } from './cell-runner.js'
import type { HostRequest, HostResponse, HostValue } from './strategy-host.js'

function isSpecData(data: unknown): data is { spec: string } {
  return typeof data === 'object' && data !== null && typeof (data as { spec?: unknown }).spec === 'string'
}

if (parentPort !== null && isSpecData(workerData)) {
  const port = parentPort
  const spec = workerData.spec
  // An outside strategy module is loaded and registered in this isolate before the runner is
  // built; the parent's requests wait in the port's queue until the listener below is attached.
  const { name } = await resolveStrategySpec(spec)
  const runner = new StrategyCellRunner(name)
  port.on('message', (request: HostRequest) => {
    let response: HostResponse
    try {
      let value: HostValue
      switch (request.kind) {
        case 'prepare':
          value = runner.prepare(request.group)
          break
        case 'replicate':
          value = runner.replicate()
          break
        case 'release':
          runner.release()
          value = null
          break
        case 'outcome':
          value = runner.outcome(request.group)
          break
      }
      response = { id: request.id, ok: true, value }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error))
      response = { id: request.id, ok: false, errorName: failure.name, message: failure.message, stack: failure.stack ?? '' }
    }
    port.postMessage(response)
  })
}
