// What a run measures, and its defaults: the suite `npm run bench` runs, the quick suite, the
// strategies each workload gets, and the baseline each block is compared against.

import type { StatsMode } from '../stats/types.js'
import type { Isolation } from './host-factory.js'
import type { BenchWorkload, WorkloadSides } from '../workloads/bench-workload.js'
import { STANDARD_SIZES } from '../workloads/bench-workload.js'
import { WRAP_OFFSET_SPACE_PAGES } from '../workloads/wrap.js'

export interface RunConfig {
  readonly workloads: readonly string[]
  /** null: each workload's default strategies (defaultStrategies). */
  readonly strategies: readonly string[] | null
  /** null: each block's default baseline (defaultBaseline). */
  readonly baseline: string | null
  /** null: each workload's default sizes (quick: only the first of them). */
  readonly sizes: readonly number[] | null
  readonly replicates: number
  readonly ops: number
  readonly seed: number
  readonly confidence: number
  readonly mode: StatsMode
  readonly warmupIterations: number
  readonly warmupMs: number
  readonly wrapOffsetSpacePages: number
  readonly quick: boolean
  /** Where replicates run (host-factory.ts): worker threads (the default), a process each, or inline (tests). */
  readonly isolation: Isolation
  /**
   * Multiplies the variance of every comparison's difference (Kish's design effect, see
   * DEFAULT_DESIGN_EFFECT); 1 = the plain t-test. Always 1 in ministat-compat mode.
   */
  readonly designEffect: number
  /** Force a GC before every timed replicate (--gc-between-replicates); default off, see GroupSpec. */
  readonly gcBetweenReplicates?: boolean
}

/** The generic strategies and every kernel preset; presets a workload cannot run are skipped with a note. */
export const DEFAULT_STRATEGIES: readonly string[] = ['list', 'rbtree', 'rangeset', 'linux-gntdev', 'linux-gntalloc', 'freebsd', 'xen-rangeset']

/** Extra default strategies per workload: the wrap study also shows the bump counter wrapping. */
const EXTRA_STRATEGIES: Readonly<Record<string, readonly string[]>> = {
  wrap: ['linux-gntalloc:bump-wrap'],
}

export function defaultStrategies(workload: string): string[] {
  return [...DEFAULT_STRATEGIES, ...(EXTRA_STRATEGIES[workload] ?? [])]
}

/**
 * The kernel a workload's side lives in today is the baseline: Linux gntdev's list for map
 * workloads, Linux gntalloc's list for alloc workloads. A workload that needs both sides on one
 * file has no Linux device, so the generic `list` strategy (Linux-style lists under the neutral
 * policy) stands in for "what Linux does".
 */
export function defaultBaseline(sides: WorkloadSides): string {
  if (sides === 'map') return 'linux-gntdev'
  if (sides === 'alloc') return 'linux-gntalloc'
  return 'list'
}

/**
 * The suite of `npm run bench` (with each workload's default sizes). Warmup is per group: at
 * least 10 untimed replicates and 500 ms. `gntbench calibrate` found 3 replicates / 100 ms too
 * little for a fresh worker (typical CV 84 % in the first group against 8 % with 10 / 500 ms).
 */
export const DEFAULT_RUN = {
  replicates: 10,
  ops: 2000,
  warmupIterations: 10,
  warmupMs: 500,
} as const

/**
 * The design effect `run` applies by default, per isolation. In worker isolation a strategy's R
 * replicates share one worker isolate and one prepared group, and what that isolate's JIT settled
 * on shifts all R alike, so the replicates are clustered, not independent, and the t-test's
 * standard error is too small. Kish's design effect corrects exactly this: the variance of the
 * difference of means is multiplied by D (the interval widened by √D, df unchanged).
 * `gntbench calibrate` measured, on the 2-core development machine at these defaults, the A/A
 * variance inflation at 1.0–1.8 and false "Difference" rates of 4.5–8.0 % with D = 1 (pooled
 * 6.5 % over 800 trials); with D = 1.5 the same trials give 1.0–4.5 % (pooled 2.75 %), and a run
 * measured after D was chosen 3.0 % (results/calibration*.md; README, "How much to trust a
 * verdict"). A fresh child process per replicate makes replicates independent: D
 * = 1 there. `--design-effect` overrides; calibrate reports the D this machine needs.
 */
export const DEFAULT_DESIGN_EFFECT = {
  worker: 1.5,
  process: 1,
  inline: 1,
} as const

/** `--quick`: each workload's smallest default size, 5 replicates (ministat needs 3), a 2^16-page wrap space. */
export const QUICK_RUN = {
  replicates: 5,
  ops: 500,
  warmupIterations: 2,
  warmupMs: 30,
  wrapOffsetSpacePages: 2 ** 16,
} as const

/** The sizes a workload runs at under `config`. */
export function sizesFor(workload: Pick<BenchWorkload, 'defaultSizes'>, config: Pick<RunConfig, 'sizes' | 'quick'>): readonly number[] {
  if (config.sizes !== null) return config.sizes
  const defaults = workload.defaultSizes ?? STANDARD_SIZES
  return config.quick ? defaults.slice(0, 1) : defaults
}

export const DEFAULT_SEED = 1
export const DEFAULT_WRAP_SPACE = WRAP_OFFSET_SPACE_PAGES
