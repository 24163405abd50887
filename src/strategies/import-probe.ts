// An outside module's top-level code, tried first in a worker thread with a time limit. A module
// whose top-level code loops forever (`while (true) {}` at the top, or a loop in something it
// imports) would hang this thread at `import()`, where no timer can fire: the limit must be kept
// from another thread, and only a worker can be stopped mid-loop (Worker.terminate). So the
// worker imports it first; when that import settles — loaded or failed, either way — the worker
// is dropped and this thread imports the module itself (load-module.ts), where a failure is
// reported with its line and column. The module's top-level code therefore runs once more than
// before, as it already does in every timed isolate.

import { Worker } from 'node:worker_threads'
import { UsageError } from '../errors.js'
import { durationText } from './time-limit.js'

/**
 * Resolves when a worker's import of `url` has settled; a UsageError naming `spec` when it has
 * not within `timeoutMs`. `tsxApi`: the URL of tsx's loader API when the module needs it (a
 * worker does not inherit this thread's loader hooks on Node 20).
 */
export function probeImport(url: string, spec: string, timeoutMs: number, tsxApi: string | null): Promise<void> {
  const register = tsxApi === null ? 'Promise.resolve()' : `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.register())`
  const source = [
    "const { parentPort } = require('node:worker_threads')",
    "const settled = () => parentPort.postMessage('settled')",
    `${register}.then(() => import(${JSON.stringify(url)})).then(settled, settled)`,
  ].join('\n')
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, stdout: true, stderr: true })
    const done = (error: UsageError | null): void => {
      clearTimeout(timer)
      void worker.terminate()
      if (error === null) resolve()
      else reject(error)
    }
    // Whatever ends the worker ends the probe: its answer, an error of its own, or its exit.
    worker.once('message', () => done(null))
    worker.once('error', () => done(null))
    worker.once('exit', () => done(null))
    const timer = setTimeout(() => {
      done(new UsageError(`${spec}: cannot load: its import did not finish within ${durationText(timeoutMs)} (top-level code that loops forever, or an await that never settles?)`))
    }, timeoutMs)
  })
}
