// Nothing wrong is published: before a strategy is timed on a cell, an untimed pass replays the
// cell's first stream (setup and measured ops as one sequence) through the conformance suite's
// properties (verify/conformance.ts), in this thread:
//   disjoint     every successful ALLOC and MAP gets integer pages inside the offset space that
//                overlap no live record, and the allocator counts exactly the pages handed out —
//                after every op, for every strategy;
//   invariants   allocator, gref store and gmap store check() hold — after every op for an
//                outside module; for the built-ins, which the test suite checks after every op of
//                its property and differential streams, after the setup and at the end.
// A violation stops the run with one line naming the strategy (or module), the op and the
// invariant; a strategy that returns page 0 for every ALLOC, or NaN, is never timed. The pass
// runs within the time limit of strategies/time-limit.ts: a method that never returns is stopped
// and named the same way.

import { disjointProperty, invariantsProperty } from '../verify/conformance.js'
import { createStrategy } from '../strategies/registry.js'
import { StrategyFault } from '../strategies/strategy-fault.js'
import { withinTimeLimit } from '../strategies/time-limit.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import type { OpStream } from '../workloads/types.js'
import { BenchIntegrityError } from './checks.js'

export interface VerifyInput {
  /** As the user named it (a module path or a spec), for the message. */
  readonly label: string
  /** The registry name to build. */
  readonly name: string
  readonly outside: boolean
  readonly workload: BenchWorkload
  readonly size: number
  readonly seed: number
  readonly ops: number
}

/** Throws BenchIntegrityError on the first violation. */
export function verifyBeforeTiming(input: VerifyInput): void {
  const params = { size: input.size, seed: input.seed, ops: input.ops }
  const stream: OpStream = input.workload.generate(params)
  const whole: OpStream = { ...stream, setup: [], measured: [...stream.setup, ...stream.measured] }
  const options = input.workload.strategyOptions(params)
  const create = (extra?: object) => createStrategy(input.name, { ...options, ...extra })
  const every = input.outside ? 1 : Math.max(1, stream.setup.length)
  for (const [property, failure] of [
    ['disjoint', () => disjointProperty(create, whole)],
    ['invariants', () => invariantsProperty(create, whole, every)],
  ] as const) {
    let found
    try {
      // Within the time limit: a method that never returns is named, not waited for.
      found = withinTimeLimit(input.label, failure)
    } catch (error) {
      // The factory itself threw, or a method did not return (the properties catch what the
      // methods throw).
      if (!(error instanceof StrategyFault)) throw error
      const fault = new BenchIntegrityError(`${input.label}: ${input.workload.name} N=${input.size}: ${error.withoutModule}; not timed`)
      fault.detail = error.detail
      throw fault
    }
    if (found !== null) {
      const where = found.index < stream.setup.length ? `setup op ${found.index + 1}` : `measured op ${found.index - stream.setup.length + 1}`
      // A method that threw or answered NaN is named as such; anything else is the invariant it broke.
      const what = found.fault === undefined ? `${property} violated: ${found.message}` : found.message
      const error = new BenchIntegrityError(`${input.label}: ${input.workload.name} N=${input.size}: ${where}: ${what}; not timed`)
      error.detail = found.fault?.detail ?? null
      throw error
    }
  }
}
