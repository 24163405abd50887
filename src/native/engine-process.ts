// Running the engine binary: once to completion (check mode, the version, the tests' helpers),
// or as a child the caller awaits (a timed round of the measurement core), which a signal that
// stops the CLI kills with everything else the run started (exit-hooks.ts). Awaiting leaves
// the event loop free while C measures, so a SIGTERM or SIGHUP sent to gntbench stops a run at
// once rather than after the round; nothing runs in this process meanwhile (it waits on the
// child's pipes), so the round is timed as before.

import { spawn, spawnSync } from 'node:child_process'
import { onSignalExit } from '../exit-hooks.js'
import { ensureNativeEngine } from './build.js'

/** What one run of the engine printed, and how it ended (a signal reads as status 1, named in stderr). */
export interface EngineOutput {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

/** The engine failed while measuring (killed, or an error of its own): one line, exit 1. */
export class NativeEngineError extends Error {
  override name = 'NativeEngineError'
}

/** GNTBENCH_NATIVE_BINARY runs another build of the engine (e.g. one with sanitizers) instead. */
function engineBinary(): string {
  const override = process.env['GNTBENCH_NATIVE_BINARY']
  return override !== undefined && override !== '' ? override : ensureNativeEngine()
}

/** Run the engine to completion, `text` on its stdin. */
export function runEngine(args: readonly string[], text: string): EngineOutput {
  const binary = engineBinary()
  const r = spawnSync(binary, args, { input: text, encoding: 'utf8', maxBuffer: 1 << 30 })
  if (r.error !== undefined) throw new Error(`native engine: cannot run ${binary}: ${r.error.message}`)
  if (r.signal !== null) return { status: 1, stdout: r.stdout, stderr: `${r.stderr}killed by ${r.signal}`.trim() }
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr }
}

/**
 * How long a child killed by a signal waits before it is reported: a Ctrl-C reaches the whole
 * process group, the engine and gntbench alike, and gntbench's own handler must get its turn to
 * stop the run as stopped (128 + n) rather than report the engine as failed.
 */
const SIGNAL_GRACE_MS = 200

/** Run the engine as a child and await it; a signal that stops the CLI kills it (SIGKILL). */
export function runEngineAsync(args: readonly string[], text: string): Promise<EngineOutput> {
  const binary = engineBinary()
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const forget = onSignalExit(() => child.kill('SIGKILL'))
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    // An engine that exits before reading all of its input closes the pipe: its status says why.
    child.stdin.on('error', () => {})
    child.on('error', (error) => {
      forget()
      reject(new Error(`native engine: cannot run ${binary}: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      forget()
      const out = Buffer.concat(stdout).toString('utf8')
      const err = Buffer.concat(stderr).toString('utf8')
      if (signal === null) resolve({ status: code ?? 1, stdout: out, stderr: err })
      else setTimeout(() => resolve({ status: 1, stdout: out, stderr: `${err}killed by ${signal}`.trim() }), SIGNAL_GRACE_MS)
    })
    child.stdin.end(text)
  })
}
