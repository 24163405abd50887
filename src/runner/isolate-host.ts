// Where an isolate runs, in one place for run, sweep, replay and calibrate:
//   worker    a fresh worker thread per isolate (a new V8 isolate: its own JIT, heap and GC);
//   process   a fresh child process per isolate (also a fresh address-space layout);
//   inline    this thread, on the counted sources (tests: deterministic work, meaningless times).
// Worker and process isolates load the timed build (timed-build.ts): the sources without cost
// counting, bundled into one module so that an isolate starts in tens of milliseconds. Each does
// exactly one measureIsolate() call and is discarded. Only one isolate runs at a time: the parent
// only waits, so nothing competes with it for the CPU — and keeps the time: an isolate that has
// not answered within its limit (stallTimer) is stopped and its cell named (exit 1).
//
// Optimizing compilation is synchronous in every isolate (V8's --no-concurrent-recompilation).
// By default V8 compiles optimized code on a background thread and swaps it in when done, so how
// much of the warm-up ran optimized code depends on how busy the other core is: on this 2-core
// machine, with the second core loaded, isolates of one strategy differed by up to 2× (churn,
// N = 64, rbtree: 211–375 ns/op over 12 isolates; synchronous: 203–282). Synchronous compilation
// happens at the same point of the warm-up in every isolate, and inside the warm-up.

import { spawn } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { Worker } from 'node:worker_threads'
import { needsTsx } from '../strategies/load-module.js'
import { durationText, limitFromEnv } from '../strategies/time-limit.js'
import type { Isolation } from '../results/shared-schema.js'
import type { IsolateRequest, IsolateResult } from './cell-runner.js'
import { onSignalExit } from '../exit-hooks.js'
import { BenchIntegrityError } from './checks.js'
import type { IsolateMessage, IsolateReply } from './isolate-serve.js'
import { serveIsolate } from './isolate-serve.js'
import { timedBundlePath } from './timed-build.js'

export type { IsolateMessage, IsolateReply }

/** The error an isolate reported, rebuilt in this thread (integrity failures keep their class). */
function replyError(spec: string, reply: Extract<IsolateReply, { ok: false }>): Error {
  if (reply.errorName === 'BenchIntegrityError' || reply.errorName === 'StrategyFault') {
    // An outside module's fault is a problem found while measuring: one line, exit 1.
    const error = new BenchIntegrityError(reply.message)
    error.detail = reply.detail ?? null
    return error
  }
  return new Error(`${spec}: ${reply.message}`)
}

/**
 * A worker's code: the bundled entry, or — when the spec is an outside module that needs tsx's
 * loader (load-module.ts), and a worker does not inherit the parent's loader hooks on Node 20 — tsx
 * registered first.
 */
function workerSource(spec: string): string {
  const entry = JSON.stringify(pathToFileURL(timedBundlePath('isolate-worker')).href)
  if (!needsTsx(spec)) return `import(${entry})`
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  return `import(${tsxApi}).then((tsx) => { tsx.register(); return import(${entry}) })`
}

/** V8 flags are per process: set once, before the first worker isolate is made. */
let flagsSet = false
const ISOLATE_V8_FLAGS = ['--no-concurrent-recompilation'] as const

function inWorker(message: IsolateMessage): Promise<IsolateReply> {
  if (!flagsSet) {
    for (const flag of ISOLATE_V8_FLAGS) setFlagsFromString(flag)
    flagsSet = true
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource(message.spec), { eval: true, workerData: message })
    let settled = false
    const timer = stallTimer(message, () => {
      settled = true
      void worker.terminate()
    }, reject)
    worker.once('message', (reply: IsolateReply) => {
      settled = true
      clearTimeout(timer)
      resolve(reply)
      void worker.terminate()
    })
    worker.once('error', (error: Error) => {
      settled = true
      clearTimeout(timer)
      reject(error)
    })
    worker.once('exit', (code) => {
      clearTimeout(timer)
      if (!settled) reject(new Error(`the isolate of ${message.spec} exited (code ${code}) without a result`))
    })
  })
}

/**
 * How long one timed isolate may take: 300 s (GNTBENCH_ISOLATE_TIMEOUT_MS). An isolate of the
 * default suite takes about a second; one that takes minutes is running code that never returns —
 * an outside module's method looping forever on this round's stream, which the verification pass
 * (on the first round's stream, within strategies/time-limit.ts's limit) did not meet.
 */
const DEFAULT_ISOLATE_TIMEOUT_MS = 300_000

/** A timer that stops an isolate past its limit (`stop`) and fails it with one line (exit 1). */
function stallTimer(message: IsolateMessage, stop: () => void, reject: (error: Error) => void): NodeJS.Timeout {
  const limitMs = limitFromEnv('GNTBENCH_ISOLATE_TIMEOUT_MS', DEFAULT_ISOLATE_TIMEOUT_MS)
  const { workload, size } = message.request.group
  return setTimeout(() => {
    stop()
    reject(new BenchIntegrityError(`${message.spec}: ${workload} N=${size}: a timed isolate did not finish within ${durationText(limitMs)} (a method that never returns on this round's stream?)`))
  }, limitMs)
}

function inProcess(message: IsolateMessage): Promise<IsolateReply> {
  return new Promise((resolve, reject) => {
    // The child may collect garbage exactly when this process could (--expose-gc), so both
    // isolations measure the same runner.
    const gcFlag = typeof globalThis.gc === 'function' ? ['--expose-gc'] : []
    const tsx = needsTsx(message.spec) ? ['--import', fileURLToPath(import.meta.resolve('tsx'))] : []
    const child = spawn(process.execPath, [...gcFlag, ...ISOLATE_V8_FLAGS, ...tsx, timedBundlePath('isolate-child')], { stdio: ['pipe', 'pipe', 'pipe'] })
    // A signal that stops the run stops this isolate too, and so does its time limit.
    const forget = onSignalExit(() => child.kill('SIGKILL'))
    let stalled = false
    const timer = stallTimer(message, () => {
      stalled = true
      child.kill('SIGKILL')
    }, reject)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      forget()
      clearTimeout(timer)
      if (stalled) return
      const last = stdout.trim().split('\n').pop() ?? ''
      if (code === 0 && last !== '') resolve(JSON.parse(last) as IsolateReply)
      else reject(new Error(`the isolate process of ${message.spec} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n')[0] ?? ''}`))
    })
    child.stdin.end(JSON.stringify(message))
  })
}

/** Measure `spec` once in a fresh isolate of the given kind. */
export async function runIsolate(spec: string, request: IsolateRequest, isolation: Isolation): Promise<IsolateResult> {
  const message: IsolateMessage = { spec, request }
  const reply = isolation === 'inline' ? await serveIsolate(message) : isolation === 'worker' ? await inWorker(message) : await inProcess(message)
  if (!reply.ok) throw replyError(spec, reply)
  return reply.result
}
