// What went wrong when an outside module failed inside a timed isolate. The isolate runs the
// module without the fault guard (strategies/strategy-fault.ts: a wrapper around every call would
// be timed with it), so a throw there arrives as a bare error — or a NaN as a batch whose answers
// differ from the probe's. This replays the same cell untimed, behind the guard, state after
// state, until the guard names the method and the op (or a time limit passes), and turns the
// failure into one line: "./mine.js: while timing gntshr N=8: allocator.alloc() threw Error: x
// (at measured op 12, 'alloc h3 …')".

import { isModuleSpec } from '../strategies/load-module.js'
import { describeThrown, setModuleGuard, stackOf, StrategyFault } from '../strategies/strategy-fault.js'
import { StreamBinder } from '../workloads/bind.js'
import { getWorkload } from '../workloads/registry.js'
import { formatOp } from '../workloads/trace-format.js'
import { loadTraceWorkload } from '../workloads/trace-workload.js'
import type { DeviceOp } from '../workloads/types.js'
import type { GroupSpec } from './probe.js'
import { openState } from '../workloads/device-state.js'
import { recipeFor } from './untimed-pass.js'

/** The most untimed states a diagnosis replays, and for how long at most. */
const DIAGNOSIS_STATES = 200
const DIAGNOSIS_MS = 3000

export interface DiagnosedFault {
  /** One line, starting with the module as the user named it. */
  readonly message: string
  /** The stack of what was thrown, for --debug. */
  readonly detail: string | null
}

/** A fault of `spec` (as the user named it; `name` is its registry name) on `group`, or null. */
function findFault(spec: string, name: string, group: GroupSpec): { fault: StrategyFault; where: string } | null {
  const workload = group.trace !== undefined ? loadTraceWorkload(group.trace) : getWorkload(group.workload, { wrapOffsetSpacePages: group.wrapOffsetSpacePages })
  const stream = workload.generate({ size: group.size, seed: group.seed, ops: group.ops })
  const recipe = recipeFor(name, workload, new StreamBinder(stream), group.size, group.seed, group.ops)
  const started = performance.now()
  setModuleGuard(true)
  try {
    for (let state = 0; state < DIAGNOSIS_STATES && performance.now() - started < DIAGNOSIS_MS; state++) {
      let phase = 'opening the file'
      let op: DeviceOp | null = null
      let index = 0
      try {
        const opened = openState(recipe)
        for (const [part, ops] of [['setup', opened.stream.setup], ['measured', opened.stream.measured]] as const) {
          phase = part
          for (index = 0; index < ops.length; index++) {
            op = ops[index] as DeviceOp
            const result = opened.applier.apply(op)
            if (!Number.isInteger(result)) {
              const fault = new StrategyFault(spec, 'the device', `answered ${result}, neither a page number nor an errno`, null)
              return { fault, where: `${phase} op ${index + 1}, '${formatOp(op)}'` }
            }
          }
        }
      } catch (error) {
        if (!(error instanceof StrategyFault)) throw error
        return { fault: error, where: op === null ? phase : `${phase} op ${index + 1}, '${formatOp(op)}'` }
      }
    }
    return null
  } finally {
    setModuleGuard(false)
  }
}

/**
 * One line for `error`, thrown while timing `spec` on `group`, or null when `spec` is not an
 * outside module (a built-in that throws is a bug of gntbench and keeps its stack).
 */
export function diagnoseTimedFailure(spec: string, name: string, group: GroupSpec, error: unknown): DiagnosedFault | null {
  if (!isModuleSpec(spec)) return null
  const cell = `while timing ${group.workload} N=${group.size}`
  if (error instanceof StrategyFault) return { message: `${spec}: ${cell}: ${error.withoutModule}`, detail: error.detail }
  let found: { fault: StrategyFault; where: string } | null = null
  try {
    found = findFault(spec, name, group)
  } catch {
    // The module failed the untimed replay in a way the guard does not name: report the first.
    found = null
  }
  if (found !== null) {
    return { message: `${spec}: ${cell}: ${found.fault.withoutModule} (found again untimed at ${found.where})`, detail: found.fault.detail ?? stackOf(error) }
  }
  const what = error instanceof Error && error.name === 'BenchIntegrityError' ? error.message : `threw ${describeThrown(error)}`
  const at = frameOf(stackOf(error), spec)
  return { message: `${spec}: ${cell}: ${what}${at === null ? '' : ` (at ${at})`}; an untimed replay did not fail again`, detail: stackOf(error) }
}

/** 'file:LINE:COL' of the first stack frame in the module's file (by its base name), or null. */
function frameOf(stack: string | null, spec: string): string | null {
  if (stack === null) return null
  const base = spec.split(/[\\/]/).pop() ?? spec
  for (const line of stack.split('\n')) {
    const match = /([^\s()/\\]+):(\d+):(\d+)\)?$/.exec(line.trim())
    if (match !== null && match[1] === base) return `${base}:${match[2]}:${match[3]}`
  }
  return null
}

