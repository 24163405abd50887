// A time limit on an outside module's code run in this thread: a method that never returns (a
// `for (;;)` in alloc, a findRun that chases a cycle) would otherwise hang `check`, `replay` or
// run's verification pass with no line at all, and a hung command loses what it held (its lock
// on the result name, its temporary files). JavaScript cannot interrupt itself, so the work runs
// as a vm script with a `timeout`: Node's watchdog thread stops the isolate's execution when the
// limit passes, wherever it is — inside the module's own functions too — and the script call
// throws. The guard (strategy-fault.ts) notes which of the module's methods is running, so the
// line names it: `./mine.js: allocator.alloc() did not return within 60 s (a loop that never
// ends?)`. A stopped module's state is garbage; the command reports and exits (status 1).
//
// One watchdog per call of withinTimeLimit (a thread start, tens of microseconds), so callers
// put whole streams or trace batches inside, never a single op. Calls nest: an inner call runs
// under the outer one's limit.

import { createContext, Script } from 'node:vm'
import { StrategyFault, takeRunningCall } from './strategy-fault.js'

const DEFAULT_CALL_TIMEOUT_MS = 60_000

/** A time limit in ms from the environment variable `name` (a positive integer), else `fallbackMs`. */
export function limitFromEnv(name: string, fallbackMs: number, env: Readonly<Record<string, string | undefined>> = process.env): number {
  const text = env[name]
  const value = text === undefined ? Number.NaN : Number(text)
  return Number.isInteger(value) && value > 0 ? value : fallbackMs
}

/** How long outside code may run without returning: 60 s, or GNTBENCH_CALL_TIMEOUT_MS. */
export function callTimeoutMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  return limitFromEnv('GNTBENCH_CALL_TIMEOUT_MS', DEFAULT_CALL_TIMEOUT_MS, env)
}

/** '60 s' or '250 ms'. */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

interface Slot {
  work: (() => void) | null
}

let script: Script | null = null
let context: Slot | null = null
let depth = 0

/**
 * `work()`, stopped after `limitMs`: then a StrategyFault naming the module `label` and the
 * method of it that was running (or only the module, when its own unguarded code was).
 */
export function withinTimeLimit<T>(label: string, work: () => T, limitMs: number = callTimeoutMs()): T {
  if (depth > 0) return work()
  script ??= new Script('work()', { filename: 'gntbench-time-limit' })
  context ??= createContext({ work: null }) as Slot
  let result: T | undefined
  context.work = () => {
    result = work()
  }
  depth++
  try {
    script.runInContext(context, { timeout: limitMs })
  } catch (error) {
    if (isTimeout(error)) throw stalled(label, limitMs)
    throw error
  } finally {
    depth--
    context.work = null
  }
  return result as T
}

/** Node's timeout error (by its code: it may come from another realm than this one's Error). */
function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
}

function stalled(label: string, limitMs: number): StrategyFault {
  // The guard's finally blocks did not run (a stopped execution skips them), so the call noted
  // last is the one that was running.
  const call = takeRunningCall()
  const problem = `did not return within ${durationText(limitMs)} (a loop that never ends?)`
  return call === null ? new StrategyFault(label, '', `its code ${problem}`, null) : new StrategyFault(call.module, call.method, problem, null)
}
