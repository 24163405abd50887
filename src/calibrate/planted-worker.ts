// Entry of a calibration worker thread: the runner's own worker (runner/host-worker.ts), after
// registering the planted strategy named in workerData, if any. A worker is a fresh isolate with
// a fresh registry, so the parent's registration does not reach it; this is the only difference
// from the worker `gntbench run` uses.

import { workerData } from 'node:worker_threads'
import { ensurePlantedRegistered } from './planted-strategy.js'

const spec: unknown = (workerData as { spec?: unknown } | null)?.spec
if (typeof spec === 'string') ensurePlantedRegistered(spec)
await import('../runner/host-worker.js')
