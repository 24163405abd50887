// Entry of an isolate worker thread (isolate-host.ts): measures once, posts the reply, and is
// then terminated by the parent.

import { parentPort, workerData } from 'node:worker_threads'
import type { IsolateMessage } from './isolate-serve.js'
import { serveIsolate } from './isolate-serve.js'
import { setModuleGuard } from '../strategies/strategy-fault.js'

// Outside modules run unguarded here: the guard's wrapper would be timed with them (and no
// import probe: the host stops this whole isolate past its time limit).
setModuleGuard(false)

if (parentPort !== null) parentPort.postMessage(await serveIsolate(workerData as IsolateMessage))
