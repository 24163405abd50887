#!/usr/bin/env node
// Launcher for `npx gntbench`: runs the TypeScript CLI through tsx with no build step.
// --expose-gc lets the memory measurements force a collection.
//
// Signals. The CLI runs in a child process, so a signal sent to this launcher's PID alone (what
// `kill PID`, CI cancellation and systemd send) must reach it: SIGINT, SIGTERM and SIGHUP are
// forwarded, and the launcher then dies of the same signal the child died of (exit status
// 128 + n to a shell), so nothing keeps running after the launcher is gone.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const tsxLoader = require.resolve('tsx')
const main = join(here, '..', 'src', 'cli', 'main.ts')
const child = spawn(process.execPath, ['--expose-gc', '--import', tsxLoader, main, ...process.argv.slice(2)], { stdio: 'inherit' })

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP']
for (const signal of FORWARDED) process.on(signal, () => child.kill(signal))

child.on('error', (error) => {
  process.stderr.write(`gntbench: cannot start node: ${error.message}\n`)
  process.exit(2)
})
child.on('exit', (code, signal) => {
  if (signal !== null) {
    // Die of the same signal: remove our handler first so the default action (termination) runs.
    for (const s of FORWARDED) process.removeAllListeners(s)
    process.kill(process.pid, signal)
    return
  }
  process.exit(code ?? 0)
})
