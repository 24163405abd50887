// Entry of an isolate child process (`--isolation process`, isolate-host.ts): reads one
// IsolateMessage as JSON on stdin, measures once, prints the reply as one JSON line.

import type { IsolateMessage } from './isolate-serve.js'
import { serveIsolate } from './isolate-serve.js'
import { setModuleGuard } from '../strategies/strategy-fault.js'

// Outside modules run unguarded here: the guard's wrapper would be timed with them (and no
// import probe: the host stops this whole isolate past its time limit).
setModuleGuard(false)

const chunks: Buffer[] = []
for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as IsolateMessage
process.stdout.write(`${JSON.stringify(await serveIsolate(message))}\n`)
