// What a run measures, and its defaults: the suite `npm run bench` runs, the quick suite, the
// strategies each workload gets, and the baseline each block is compared against.

import type { StatsMode } from '../stats/types.js'
import type { Engine, GcMode, Isolation } from '../results/shared-schema.js'
import type { DesignValues } from './measure-group.js'
import type { BenchWorkload, WorkloadSides } from '../workloads/bench-workload.js'
import { STANDARD_SIZES } from '../workloads/bench-workload.js'
import { WRAP_OFFSET_SPACE_PAGES } from '../workloads/wrap.js'

export interface RunConfig extends DesignValues {
  readonly workloads: readonly string[]
  /** null: each workload's default strategies (defaultStrategies). */
  readonly strategies: readonly string[] | null
  /** null: each block's default baseline (defaultBaseline). */
  readonly baseline: string | null
  /** null: each workload's default sizes (quick: only the first of them). */
  readonly sizes: readonly number[] | null
  /** Equivalence margin (TOST), percent. */
  readonly marginPercent: number
  /** Wall time the whole run may take, seconds: rounds beyond the minimum are added only while they fit. null: no limit. */
  readonly budgetSeconds: number | null
  readonly ops: number
  readonly seed: number
  readonly confidence: number
  readonly mode: StatsMode
  readonly wrapOffsetSpacePages: number
  readonly quick: boolean
  /** Where isolates run (isolate-host.ts): worker threads (the default), processes, or inline (tests). */
  readonly isolation: Isolation
  /** The collection before every timed sample (--gc-before-sample; cell-runner.ts GcMode). */
  readonly gcBeforeSample: GcMode
  /** Which engine runs the bookkeeping (measure-group.ts); default 'js'. */
  readonly engine?: Engine
}

/**
 * The generic strategies of the seeds, the structures a kernel developer would reach for today
 * (augmented red-black tree, maple-like B-tree, XArray) and every kernel preset; presets a
 * workload cannot run are skipped with a note.
 */
export const DEFAULT_STRATEGIES: readonly string[] = ['list', 'rbtree', 'rangeset', 'augtree', 'maple', 'xarray', 'linux-gntdev', 'linux-gntalloc', 'freebsd', 'xen-rangeset']

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
 * The baseline a cell is compared against: the one wanted when it was measured, else the first
 * measured strategy (null: none was). The precision rule that ends a cell's rounds and the block
 * that reports the cell must take the same one: when the wanted one was skipped (linux-gntalloc
 * past its 1024-gref limit), the rule used to find no baseline, take the target as met and stop
 * the cell at its minimum rounds, while the block compared against the stand-in.
 */
export function baselineAmong(wanted: string, measured: readonly string[]): string | null {
  return measured.includes(wanted) ? wanted : (measured[0] ?? null)
}

/**
 * The design of `gntbench run` in JS (README, "How a verdict is made"). Each (workload, N) cell
 * runs a fixed 8 rounds of fresh isolates (the budget only limits rounds beyond the minimum, so it
 * binds only with a larger --max-isolates) — each warming up for 200 ms (the probe included) and
 * taking 2 samples of ≥ 10 ms. No precision target: JS intervals on this machine are ten percent
 * or more wide, so a ±3 % target never stopped a cell early, and with one the comparison would
 * have to be Stein's two-stage one (stats/ratio.ts) on the first rounds' sd — 4 degrees of
 * freedom with 5 of them, where a fixed 8 rounds give 7. 200 ms: with synchronous optimization
 * (isolate-host.ts), 50 ms of warm-up left compilation inside the timed samples (churn N = 64: 5–10× slower, the second sample slower
 * than the first); 200 and 400 ms gave the same values. `gntbench calibrate` checks what these
 * settings resolve (results/calibration-*.md).
 */
export const DEFAULT_RUN = {
  isolates: 8,
  maxIsolates: 8,
  samples: 2,
  sampleMs: 10,
  warmupMs: 200,
  precisionPercent: null,
  ops: 2000,
  budgetSeconds: 330,
} as const

/**
 * The design of `npm run bench` on the C engine (`--engine native`), where a round is cheap and
 * its strategies are interleaved in one process (native-round.ts): at least 12 rounds, up to 30
 * while a comparison is wider than ±3 % and one more round fits a 270 s budget. Why many rounds:
 * the family's verdicts are Holm-adjusted over ~160 comparisons, so a cell's verdict needs its
 * paired t far in the tail — with 8 rounds (7 degrees of freedom) that critical value is ~6.6
 * against ~4.7 with 16, and effects of 8–16 % flipped between two runs of the same commit on how
 * well a 7-df sd happened to come out (results/bench-20261206-141452-native-vs-repeat.txt). Why 12
 * at least: with the target, the comparison is Stein's two-stage one (stats/ratio.ts), whose sd and
 * df are those of the first 12 rounds; on the committed suites of the 8–30 design, an sd of the
 * first 8 rounds would have changed 4–6 of 162 verdicts between two runs, one of the first 12 about
 * one. The warm-up is the engine's own (NATIVE_WARMUP_MS), not warmupMs.
 */
export const DEFAULT_NATIVE_RUN = {
  ...DEFAULT_RUN,
  isolates: 12,
  maxIsolates: 30,
  precisionPercent: 3,
  budgetSeconds: 270,
} as const

/** `--quick`: each workload's smallest default size, 3 rounds, short samples, a 2^16-page wrap space. */
export const QUICK_RUN = {
  isolates: 3,
  maxIsolates: 3,
  samples: 2,
  sampleMs: 2,
  warmupMs: 20,
  precisionPercent: null,
  ops: 500,
  budgetSeconds: null,
  wrapOffsetSpacePages: 2 ** 16,
} as const

/** The preset of a command's design flags: the quick suite, or the default suite of the engine. */
export function runPreset(engine: Engine, quick = false): typeof DEFAULT_RUN | typeof DEFAULT_NATIVE_RUN | typeof QUICK_RUN {
  if (quick) return QUICK_RUN
  return engine === 'native' ? DEFAULT_NATIVE_RUN : DEFAULT_RUN
}

/** The sizes a workload runs at under `config`. */
export function sizesFor(workload: Pick<BenchWorkload, 'defaultSizes'>, config: Pick<RunConfig, 'sizes' | 'quick'>): readonly number[] {
  if (config.sizes !== null) return config.sizes
  const defaults = workload.defaultSizes ?? STANDARD_SIZES
  return config.quick ? defaults.slice(0, 1) : defaults
}

export const DEFAULT_SEED = 1
export const DEFAULT_WRAP_SPACE = WRAP_OFFSET_SPACE_PAGES
