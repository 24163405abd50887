// The timed pass of `gntbench replay`. It must reuse the benchmark runner (src/runner: tinybench,
// one worker thread per strategy, interleaved seeded rounds) rather than time anything itself.
//
// PENDING. The runner's entry point takes a GroupSpec naming a built-in workload, which its
// worker regenerates from the workload registry; it has no way yet to take a trace, nor to load
// an outside strategy module inside its worker. Until it does, this pass reports itself as
// pending (it never prints timings it did not measure). The two additive hooks it needs are in
// the issue-6 report: GroupSpec.trace (recipeOf uses workloads/trace-workload.ts
// loadTraceWorkload(file) instead of getWorkload) and module specs in host-worker.ts
// (strategies/load-module.ts resolveStrategySpec before the runner is built).

import type { ResolvedStrategy } from '../strategies/load-module.js'
import type { TraceScan } from '../workloads/trace-differential.js'

export interface TimedReplayOptions {
  readonly file: string
  readonly scan: TraceScan
  readonly strategies: readonly ResolvedStrategy[]
  readonly replicates: number
  readonly seed: number
  readonly isTty: boolean
}

export interface TimedReplayResult {
  /** Lines for the text report. */
  readonly text: string
  /** The same for --json. */
  readonly json: unknown
}

export const TIMED_PASS_PENDING =
  'timed pass: pending — the benchmark runner cannot take a trace yet (needs GroupSpec.trace and module specs in its worker); only the differential pass ran'

export async function timeTrace(options: TimedReplayOptions): Promise<TimedReplayResult> {
  void options
  return { text: TIMED_PASS_PENDING, json: { status: 'pending', reason: TIMED_PASS_PENDING } }
}
