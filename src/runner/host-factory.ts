// Where a run's replicates execute, in one place for run, sweep, replay and calibrate:
//   worker    one worker thread per strategy for the whole run;
//   process   a fresh child process per replicate (process-host.ts);
//   inline    this thread, on the counted sources (tests: deterministic work, meaningless times).
// Worker and process hosts load the timed build (timed-build.ts).

import { ProcessHost } from './process-host.js'
import type { StrategyHost } from './strategy-host.js'
import { InlineHost, WorkerHost } from './strategy-host.js'

export type Isolation = 'worker' | 'process' | 'inline'

export const ISOLATIONS: readonly Isolation[] = ['worker', 'process', 'inline']

export interface HostOptions {
  readonly isolation: Isolation
  /** Worker entry module (calibration registers its planted strategies in its own). */
  readonly workerEntry?: URL
  /** Child entry module for process isolation. */
  readonly childEntry?: URL
}

export function createHost(spec: string, options: HostOptions): StrategyHost {
  switch (options.isolation) {
    case 'inline':
      return new InlineHost(spec)
    case 'process':
      return new ProcessHost(spec, options.childEntry)
    case 'worker':
      return new WorkerHost(spec, options.workerEntry)
  }
}
