// What a sweep measures and its defaults (issue 5), and the rule that decides where a strategy
// stops: a cell is timed only if its projected wall time fits the per-cell budget and its
// projected heap fits the isolate. The O(N)-per-op strategies also build their live set in
// O(N²), so without the rule one list cell at N = 65,536 (≈ 35 s per state, ≈ 15 states per
// cell) would take longer than the rest of the sweep together.

import type { StatsMode } from '../stats/types.js'
import type { Engine } from '../results/shared-schema.js'

/** Which engine times a sweep's cells; 'both' times every strategy twice, once per engine. */
export type SweepEngine = Engine | 'both'

/** One timed series of a sweep: a strategy on one engine, under its label. */
export interface SweepArm {
  readonly label: string
  readonly spec: string
  readonly engine: Engine
}

/**
 * The timed series of a sweep, in strategy order. With one engine a series is labelled by its
 * spec alone (the engine is the file's); with both, each strategy appears twice, labelled
 * `<spec>@js` and `<spec>@native`.
 */
export function sweepArms(strategies: readonly string[], engine: SweepEngine): SweepArm[] {
  if (engine !== 'both') return strategies.map((spec) => ({ label: spec, spec, engine }))
  return strategies.flatMap((spec) => (['js', 'native'] as const).map((e) => ({ label: `${spec}@${e}`, spec, engine: e })))
}

/**
 * Which pairs of series a sweep compares (crossovers, bisection): series of the same engine.
 * Across engines a "crossover" would mix the structure with the language.
 */
export function sameEnginePairs(arms: readonly SweepArm[]): (a: string, b: string) => boolean {
  const engineOf = new Map(arms.map((arm) => [arm.label, arm.engine]))
  return (a, b) => engineOf.get(a) === engineOf.get(b)
}

export interface SweepPlanConfig {
  readonly workloads: readonly string[]
  readonly strategies: readonly string[]
  /** N per workload, ascending. */
  readonly sizes: Readonly<Record<string, readonly number[]>>
  /** Rounds of fresh isolates per cell, samples per isolate and their length, warm-up per isolate. */
  readonly isolates: number
  readonly samples: number
  readonly sampleMs: number
  readonly warmupMs: number
  readonly ops: number
  readonly seed: number
  readonly confidence: number
  readonly mode: StatsMode
  readonly cellBudgetSeconds: number
  readonly memoryRepeats: number
  /** Bisection steps per crossover: extra sizes measured between the grid points where the winner flips. */
  readonly refineSteps: number
  readonly heapLimitBytes: number
  readonly quick: boolean
  readonly isolation: 'worker' | 'inline'
  /** Which engine times the cells (default 'js'); the untimed pass (counters, heap) is always the TS model's. */
  readonly engine?: SweepEngine
}

/**
 * Record-store and lookup workloads (real users first), then the allocator stress. gntshr,
 * qdisk-map and vchan keep their live sets in the cleanup queue or at a handful of records, so
 * N hardly touches the structures; they can still be named with --workload.
 */
export const DEFAULT_SWEEP_WORKLOADS: readonly string[] = ['qdisk-persistent', 'lookup-heavy', 'churn']

/** The data structures under one neutral policy, so only the structure differs: the seeds' three and today's three. */
export const DEFAULT_SWEEP_STRATEGIES: readonly string[] = ['list', 'rbtree', 'rangeset', 'augtree', 'maple', 'xarray']

export const DEFAULT_SWEEP = {
  from: 16,
  /** Records (gmaps, grefs) … */
  to: 65_536,
  /** … and 2^20 when N counts pages. */
  toPages: 1 << 20,
  factor: 4,
  // Fewer rounds than run's: a sweep reads curves over many sizes, not one verdict per cell.
  isolates: 4,
  samples: 2,
  sampleMs: 10,
  warmupMs: 150,
  ops: 2000,
  // Enough for the tree to reach 2^20 live pages on a 2-core machine; the O(N) structures
  // stop between 4,096 and 65,536 either way.
  cellBudgetSeconds: 120,
  memoryRepeats: 3,
  refineSteps: 2,
} as const

export const QUICK_SWEEP = {
  from: 16,
  to: 4096,
  toPages: 4096,
  factor: 16,
  isolates: 3,
  samples: 2,
  sampleMs: 2,
  warmupMs: 20,
  ops: 500,
  cellBudgetSeconds: 10,
  memoryRepeats: 2,
  refineSteps: 1,
} as const

/** from, from·factor, … up to `to` (integers, deduplicated; `to` itself only if on the ladder). */
export function geometricSizes(from: number, to: number, factor: number): number[] {
  const out: number[] = []
  for (let n = from; n <= to * (1 + 1e-12); n *= factor) {
    const size = Math.round(n)
    if (out[out.length - 1] !== size) out.push(size)
  }
  return out
}

/** True when a workload's N counts pages (the allocator-side unit), e.g. 'live grefs (pages)'. */
export function countsPages(sizeUnit: string): boolean {
  return /pages/.test(sizeUnit)
}

/**
 * States a timed cell builds when one state is slower than a sample (the large N that the budget
 * is about): per isolate the probe, two warm-up samples and the timed samples, one state each.
 */
export function statesPerTimedCell(config: Pick<SweepPlanConfig, 'isolates' | 'samples'>): number {
  return config.isolates * (config.samples + 3)
}

/** One measurement of a cell's cost, for projecting the next size. */
export interface CellCost {
  size: number
  /** Wall time of one state: setup + measured replay, ms. */
  passMs: number
  /**
   * Heap one cell needs at once in this thread: the generated and the bound stream plus one
   * built live set, bytes (NaN when unknown, i.e. without --expose-gc).
   */
  footprintBytes: number
}

/** Setup is O(N·cost(N)): at least linear, at most cubic in practice; unknown → quadratic. */
const MIN_TIME_EXPONENT = 1
const MAX_TIME_EXPONENT = 3
const DEFAULT_TIME_EXPONENT = 2
/**
 * How many footprints a worker may hold at its peak. While the runner prepares a cell it builds
 * the live set several times (skip check, probe, warmups) and V8 collects the old ones lazily:
 * at N = 262,144 qdisk-persistent gmaps one footprint was 0.27 GB and the worker's heap reached
 * 0.65 GB before a collection; at N = 1,048,576 a 4 GiB worker ran out of heap, which aborts
 * the whole process and loses the sweep. Four footprints keep clear of that.
 */
const FOOTPRINTS_HELD = 4
/** Keep projected use below this share of the isolate's heap limit. */
const HEAP_SHARE = 0.8

/**
 * Below this a measured pass says little (timer, JIT warm-up, a collection can double it), so
 * nothing is projected from it: the pass is simply run, and the rule is applied to what it took.
 */
export const PROJECT_FROM_MS = 100

/** Projected wall ms of one state at `size` from the costs measured at smaller sizes, or null. */
export function projectPassMs(history: readonly CellCost[], size: number): number | null {
  const last = history[history.length - 1]
  if (last === undefined || last.passMs < PROJECT_FROM_MS) return null
  const prev = history[history.length - 2]
  let exponent = DEFAULT_TIME_EXPONENT
  // Only trust a slope between real durations.
  if (prev !== undefined && prev.passMs >= PROJECT_FROM_MS / 10 && last.size > prev.size) {
    exponent = Math.log(last.passMs / prev.passMs) / Math.log(last.size / prev.size)
  }
  exponent = Math.min(MAX_TIME_EXPONENT, Math.max(MIN_TIME_EXPONENT, exponent))
  return last.passMs * (size / last.size) ** exponent
}

/** Projected footprint at `size` (streams and live set are linear in N), or null when unknown. */
export function projectFootprint(history: readonly CellCost[], size: number): number | null {
  const last = history[history.length - 1]
  if (last === undefined || !Number.isFinite(last.footprintBytes)) return null
  return Math.max(0, last.footprintBytes) * (size / last.size)
}

export type StopDecision = { readonly stop: false } | { readonly stop: true; readonly cause: 'budget' | 'memory'; readonly reason: string }

function seconds(ms: number): string {
  const s = ms / 1000
  return s < 120 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : `${(s / 60).toFixed(1)} min`
}

/**
 * Whether a cell costing `passMs` per state and `footprintBytes` of heap (measured or
 * projected) may be timed. `projected` only changes the wording.
 */
export function stopRule(
  config: Pick<SweepPlanConfig, 'isolates' | 'samples' | 'cellBudgetSeconds' | 'heapLimitBytes' | 'memoryRepeats'>,
  passMs: number | null,
  footprintBytes: number | null,
  projected: boolean,
): StopDecision {
  const word = projected ? 'projected' : 'measured'
  if (footprintBytes !== null && footprintBytes * FOOTPRINTS_HELD > config.heapLimitBytes * HEAP_SHARE) {
    const gib = (b: number): string => `${(b / 2 ** 30).toFixed(2)} GiB`
    return {
      stop: true,
      cause: 'memory',
      reason: `${word} ${gib(footprintBytes)} of streams + live set × ${FOOTPRINTS_HELD} > ${Math.round(HEAP_SHARE * 100)} % of the ${gib(config.heapLimitBytes)} isolate heap`,
    }
  }
  if (passMs !== null) {
    const states = statesPerTimedCell(config) + config.memoryRepeats
    const cellMs = passMs * states
    if (cellMs > config.cellBudgetSeconds * 1000) {
      return {
        stop: true,
        cause: 'budget',
        reason: `${word} ${seconds(passMs)} per state × ${states} states ≈ ${seconds(cellMs)} > ${config.cellBudgetSeconds} s cell budget`,
      }
    }
  }
  return { stop: false }
}
