// Our intrusive red-black tree (src/structures/rb-tree.ts) against the best JS ordered-map
// libraries — js-sdsl OrderedMap, bintrees RBTree, sorted-btree BTree — on insert, lookup,
// ceiling and delete at N = 1e3 … 1e6, with ministat-style verdicts and the project's performance bar
// (the README's "Our red-black tree against JavaScript libraries") checked cell by cell. Ours is the tree as `gntbench run` times it, from the timed
// build (src/runner/timed-build.ts, no cost counting); a fifth contender, the same tree with its
// counters, says what counting would cost if it were left in the timed code; a sixth, our
// maple-like B-tree (src/structures/range-btree.ts, issue 15), sits beside sorted-btree in the
// ministat blocks without taking part in the targets.
//
//   node --expose-gc --import tsx bench/structures-vs-libs.ts [--sizes 1e3,1e4,1e5,1e6]
//        [--replicates R] [--out results/structures-vs-libs] [--force] [--seed S]
//        [--warmup-rounds W] [--batch-ops B] [--confidence C] [--mode exact|ministat]
//
// Method (batch work per sample, shuffled rounds, every library as its README shows it, the
// machine recorded with every number):
//   * One replicate of a cell (contender, op, N) is one fresh batch: `copies` = ⌈B/N⌉ new
//     structures, each built from the same N keys, so a sample does ≥ B operations (≈20 ms at
//     N = 1e3) and a 1e6 sample is one whole tree. The replicate's value is ns per operation.
//   * Per contender and N the four phases run as a pipeline on the same batch: insert (build from
//     empty) → lookup (all hits) → ceiling (nfind of key − 1; keys are even) → delete (all). The
//     phases are separate tinybench tasks (one iteration each, timed by tinybench's hrtime
//     provider); gc() runs before each phase, outside the timer.
//   * Rounds: each round draws fresh keys per N from the seeded Prng and runs every (contender, N)
//     pipeline once, in an order shuffled per round, so drift and GC state are spread over all
//     contenders instead of landing on one. R rounds give R independent replicates per cell,
//     kept in the order measured.
//   * Warm-up: W discarded rounds at N ≤ 1e4 first (the code paths are the same at 1e6; an
//     unwarmed tree read 5× slow in an early run).
//   * Every phase returns a checksum (sum of the keys inserted/found/deleted), which must equal
//     copies × Σkeys for every contender, and the batch's total size is checked after insert and
//     after delete. A run whose checksums disagree is not written.
//
// Verdicts come from src/stats/compare.ts and src/report/ministat.ts (summaries from
// src/stats/summary.ts); nothing here computes statistics of its own beyond picking the binary
// tree with the lower median as "best" for target (b).

import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Bench } from 'tinybench'
import { writeAtomically } from '../src/results/atomic-write.js'
import type { RatioComparison } from '../src/stats/ratio.js'
import { compareRatio } from '../src/stats/ratio.js'
import { summarize } from '../src/stats/summary.js'
import type { Dataset, StatsMode, Verdict } from '../src/stats/types.js'
import { formatMinistat } from '../src/report/ministat.js'
import { Prng } from '../src/workloads/prng.js'
import type { Batch, ContenderKind, ContenderName } from './ordered-map-contenders.js'
import { CONTENDERS, contender } from './ordered-map-contenders.js'

export type Op = 'insert' | 'lookup' | 'ceiling' | 'delete'
export const OPS: readonly Op[] = ['insert', 'lookup', 'ceiling', 'delete']

export const SCHEMA = 'gntbench/structures-vs-libs/1'

export interface SuiteConfig {
  /** Key counts N. */
  sizes: readonly number[]
  /** Measured rounds R, i.e. replicates per cell. */
  replicates: number
  /** Discarded warm-up rounds, run at min(N, warmupMaxSize). */
  warmupRounds: number
  warmupMaxSize: number
  /** Operations per replicate at least: copies = max(1, ⌈batchOps / N⌉). */
  batchOps: number
  seed: number
  /** Contenders to run; `rbtree` is the baseline and must be included. */
  contenders: readonly ContenderName[]
  /** Two-sided confidence level in percent for every comparison. */
  confidence: number
  mode: StatsMode
}

export const DEFAULT_CONFIG: SuiteConfig = {
  sizes: [1e3, 1e4, 1e5, 1e6],
  // 10 rounds × (6 contenders × ≈5 s at 1e6 + ≈3 s below) ≈ 6–7 min on the 2-vCPU box.
  replicates: 10,
  warmupRounds: 2,
  warmupMaxSize: 1e4,
  batchOps: 2e5,
  seed: 0x5eed,
  contenders: ['rbtree', 'js-sdsl', 'bintrees', 'sorted-btree', 'rbtree-counted', 'maple-btree'],
  confidence: 95,
  mode: 'exact',
}

/** One measured phase of one pipeline: the raw material of every statistic. */
export interface Replicate {
  /** Position among all measured phases of the run (0-based, in execution order). */
  seq: number
  /** Measured round (0-based); the replicate index of its cell. */
  round: number
  contender: ContenderName
  op: Op
  n: number
  /** Structures in the batch. */
  copies: number
  /** copies × n. */
  ops: number
  /** tinybench's latency sample for the whole phase, milliseconds. */
  ms: number
  nsPerOp: number
  /** Sum of the keys the phase inserted, found or deleted. */
  checksum: number
  /** What the checksum must be: copies × Σkeys. */
  expectedChecksum: number
  /** Total size of the batch after the phase. */
  sizeAfter: number
  expectedSizeAfter: number
}

export interface Environment {
  node: string
  v8: string
  os: string
  cpu: string
  cores: number
  memoryGiB: number
  date: string
  gitCommit: string
  /** True when tracked files differ from the commit (the code measured is not exactly it). */
  gitDirty: boolean
  command: string
  seed: number
  gcExposed: boolean
  /** os.loadavg() (1, 5, 15 min) when the run started: other work on the box adds noise. */
  loadAverageAtStart: number[]
  libraries: Record<string, string>
}

export interface SuiteRun {
  config: SuiteConfig
  /** copies per N. */
  copies: Record<string, number>
  /** Measured phases in execution order (warm-up excluded). */
  replicates: Replicate[]
  /** Phases (warm-up included) whose checksum or size was wrong; empty on a good run. */
  checksumFailures: Replicate[]
  /** True when every phase of every contender did exactly the expected work. */
  checksumsAgree: boolean
  /** Contender order per measured round, as run. */
  roundOrders: string[][]
  /** 1-minute load average after each measured round: a busy box explains a noisy round. */
  roundLoadAverages: number[]
  wallSeconds: number
}

/** Ours relative to one other contender: ratio = mean(ours) / mean(other). */
export interface RatioVerdict {
  against: ContenderName
  ratio: number
  /** Confidence interval of the ratio: the log-scale interval paired over rounds (src/stats/ratio.ts), as `run` uses. */
  ratioLow: number
  ratioHigh: number
  /** From ours' point of view: 'faster' means ours is faster. */
  verdict: Verdict
  comparison: RatioComparison
}

export type TargetStatus = 'holds' | 'misses' | 'unresolved'

export interface TargetCheck {
  target: 'a' | 'b' | 'c'
  op: Op
  n: number
  /** What the target requires, in words. */
  rule: string
  status: TargetStatus
  /** The comparisons the status rests on. */
  against: ContenderName[]
}

export interface CellAnalysis {
  op: Op
  n: number
  /** Ours first, then the libraries present, then our own B-tree if run (the ministat block's datasets). */
  datasets: Dataset[]
  medians: Partial<Record<ContenderName, number>>
  means: Partial<Record<ContenderName, number>>
  ministat: string
  /** Ours against each library, in CONTENDERS order. */
  vsLibraries: RatioVerdict[]
  /** js-sdsl or bintrees, whichever has the lower median here (null if neither ran). */
  bestBinaryTree: ContenderName | null
  /** rbtree-counted against rbtree: ratio > 1 means counting would cost time. */
  counterOverhead: RatioVerdict | null
}

export interface TargetSummary {
  /** (a) N ≤ 1e4, insert/lookup/ceiling: ours significantly faster than every library. */
  a: TargetStatus | null
  /** (b) every cell: ours at most 10 % slower than the best binary-tree library (CI upper bound ≤ 1.10). */
  b: TargetStatus | null
  /** (c) N = 1e6: ours ÷ sorted-btree ≤ 1.3 on lookup and ≤ 1.7 on ceiling (CI upper bound). */
  c: TargetStatus | null
  checks: TargetCheck[]
}

export interface SuiteAnalysis {
  /** False when there are fewer than 3 replicates (ministat's minimum); cells are then empty. */
  analysed: boolean
  cells: CellAnalysis[]
  targets: TargetSummary
}

export interface SuiteResult extends SuiteRun {
  schema: typeof SCHEMA
  environment: Environment
  analysis: SuiteAnalysis
}

// --- workload -----------------------------------------------------------------------------------

/** The keys of one (round, N): the same for every contender in the round. */
export interface Workload {
  n: number
  /** Insert order: N distinct even keys (random gaps of 2–8), shuffled. */
  keys: number[]
  /** The same keys in a second shuffle. */
  lookups: number[]
  /** key − 1 for every key, in a third shuffle: odd, never present, ceiling = key. */
  queries: number[]
  /** The same keys in a fourth shuffle. */
  deletes: number[]
  keySum: number
}

export function makeWorkload(n: number, rng: Prng): Workload {
  const sorted: number[] = []
  let k = 0
  let keySum = 0
  for (let i = 0; i < n; i++) {
    k += 2 * rng.int(1, 4)
    sorted.push(k)
    keySum += k
  }
  const keys = rng.shuffle(sorted.slice())
  const lookups = rng.shuffle(sorted.slice())
  const queries = rng.shuffle(sorted.map((x) => x - 1))
  const deletes = rng.shuffle(sorted.slice())
  return { n, keys, lookups, queries, deletes, keySum }
}

export function copiesFor(n: number, batchOps: number): number {
  return Math.max(1, Math.ceil(batchOps / n))
}

// --- running ------------------------------------------------------------------------------------

function collectGarbage(): void {
  // With --expose-gc every phase starts from a collected heap, so one contender's garbage is not
  // charged to the next; without it (vitest) the run still works, only noisier.
  if (typeof globalThis.gc === 'function') globalThis.gc()
}

interface PhaseRecord {
  contender: ContenderName
  op: Op
  n: number
  copies: number
  checksum: number
  expectedChecksum: number
  sizeAfter: number
  expectedSizeAfter: number
  ms: number
}

/**
 * Runs one round: for every (contender, N) in `order`, the four phases on a fresh batch, each a
 * one-iteration tinybench task. Returns the phases in execution order.
 */
function runRound(
  name: string,
  order: readonly { contender: ContenderName; n: number }[],
  workloads: ReadonlyMap<number, Workload>,
  copiesOf: (n: number) => number,
): PhaseRecord[] {
  const bench = new Bench({
    name,
    // One iteration per task and no time budget: a task call is one whole phase (≥ batchOps
    // operations), and repeating it would need a fresh batch, which is the next round's job.
    iterations: 1,
    time: 0,
    // Warm-up is our own discarded rounds: tinybench's per-task warm-up would re-run a phase on
    // a batch the previous call already consumed (a second delete finds nothing).
    warmup: false,
    throws: true,
    timestampProvider: 'hrtimeNow',
    retainSamples: true,
  })
  const records: PhaseRecord[] = []
  for (const { contender: name, n } of order) {
    const c = contender(name)
    const w = workloads.get(n)
    if (w === undefined) throw new Error(`no workload for N = ${n}`)
    const copies = copiesOf(n)
    const expected = copies * w.keySum
    let batch: Batch | null = null
    let checksum = 0
    const phases: readonly [Op, () => number, number][] = [
      ['insert', () => (batch as Batch).insert(w.keys), copies * n],
      ['lookup', () => (batch as Batch).lookup(w.lookups), copies * n],
      ['ceiling', () => (batch as Batch).ceiling(w.queries), copies * n],
      ['delete', () => (batch as Batch).delete(w.deletes), 0],
    ]
    for (const [op, run, expectedSizeAfter] of phases) {
      const taskName = `${name}/${op}/${n}`
      bench.add(
        taskName,
        () => {
          checksum = run()
        },
        {
          // Without this tinybench calls the task once at add() to see whether it returns a
          // Promise: a phase run outside its pipeline, on no batch.
          async: false,
          beforeEach: () => {
            if (op === 'insert') batch = c.newBatch(copies)
            checksum = Number.NaN
            collectGarbage()
          },
          afterEach: () => {
            // Checked outside the timer; the sample itself is read from task.result after
            // runSync(), because tinybench fills `result` only once the task has finished.
            // tinybench runs afterEach in a `finally`, so a batch that never got built must not
            // throw here and mask the error that stopped it.
            const b: Batch | null = batch
            records.push({
              contender: name,
              op,
              n,
              copies,
              checksum,
              expectedChecksum: expected,
              sizeAfter: b === null ? Number.NaN : b.totalSize(),
              expectedSizeAfter,
              ms: Number.NaN,
            })
            if (op === 'delete') batch = null
          },
        },
      )
    }
  }
  const tasks = bench.runSync()
  if (tasks.length !== records.length) throw new Error(`round ${name}: ${tasks.length} tasks but ${records.length} phases recorded`)
  tasks.forEach((task, i) => {
    const result = task.result
    const record = records[i] as PhaseRecord
    if (result.state !== 'completed') throw new Error(`task ${task.name} ended ${result.state}`)
    if (task.name !== `${record.contender}/${record.op}/${record.n}`) throw new Error(`task order mismatch at ${task.name}`)
    record.ms = result.latency.mean
  })
  return records
}

export interface RunHooks {
  /** Progress lines (the CLI prints them on stderr). */
  progress?: (line: string) => void
}

/** Runs warm-up and measured rounds; pure measurement, no statistics. */
export function runSuite(config: SuiteConfig, hooks: RunHooks = {}): SuiteRun {
  validateConfig(config)
  const started = performance.now()
  const master = new Prng(config.seed)
  const copiesOf = (n: number): number => copiesFor(n, config.batchOps)
  const replicates: Replicate[] = []
  const checksumFailures: Replicate[] = []
  const roundOrders: string[][] = []
  const roundLoadAverages: number[] = []
  const totalRounds = config.warmupRounds + config.replicates
  let seq = 0
  // One small populated batch per contender stays alive for the whole run. Without it, the gc()
  // before a phase collects the last instance of a contender's node class once its batch has
  // been deleted; V8 then drops that hidden class and deoptimises every function whose optimised
  // code embedded it ("reason: weak objects"), so every round would start on cold code. Seen
  // with --trace-deopt: 87 such deopts of the rbtree in 8 rounds at 1e3, 2 with this in place.
  const keepAliveKeys = makeWorkload(64, new Prng(config.seed ^ 0x6b656570)).keys
  const keepAlive = config.contenders.map((name) => {
    const batch = contender(name).newBatch(1)
    batch.insert(keepAliveKeys)
    return batch
  })

  for (let r = 0; r < totalRounds; r++) {
    const warm = r < config.warmupRounds
    const sizes = warm ? [...new Set(config.sizes.map((n) => Math.min(n, config.warmupMaxSize)))] : [...config.sizes]
    // Streams are forked in a fixed order (workloads by size, then the shuffle), so the keys and
    // the order of every round depend on the seed alone.
    const workloads = new Map<number, Workload>()
    for (const n of sizes) workloads.set(n, makeWorkload(n, master.fork()))
    const units = sizes.flatMap((n) => config.contenders.map((c) => ({ contender: c, n })))
    master.fork().shuffle(units)
    const roundStart = performance.now()
    const label = warm ? `warm-up ${r + 1}/${config.warmupRounds}` : `round ${r - config.warmupRounds + 1}/${config.replicates}`
    const records = runRound(label, units, workloads, copiesOf)
    for (const rec of records) {
      const rep: Replicate = {
        seq: warm ? -1 : seq++,
        round: warm ? -1 : r - config.warmupRounds,
        contender: rec.contender,
        op: rec.op,
        n: rec.n,
        copies: rec.copies,
        ops: rec.copies * rec.n,
        ms: rec.ms,
        nsPerOp: (rec.ms * 1e6) / (rec.copies * rec.n),
        checksum: rec.checksum,
        expectedChecksum: rec.expectedChecksum,
        sizeAfter: rec.sizeAfter,
        expectedSizeAfter: rec.expectedSizeAfter,
      }
      if (rep.checksum !== rep.expectedChecksum || rep.sizeAfter !== rep.expectedSizeAfter) checksumFailures.push(rep)
      if (!warm) replicates.push(rep)
    }
    const load = Math.round((os.loadavg()[0] ?? Number.NaN) * 100) / 100
    if (!warm) {
      roundOrders.push(units.map((u) => `${u.contender}@${u.n}`))
      roundLoadAverages.push(load)
    }
    hooks.progress?.(`${label}: ${((performance.now() - roundStart) / 1000).toFixed(1)} s (load ${load})`)
  }

  // Reading the keep-alive batches here is what keeps them reachable until the end.
  for (const batch of keepAlive) {
    if (batch.totalSize() !== keepAliveKeys.length) throw new Error('keep-alive batch lost keys')
  }
  const copies: Record<string, number> = {}
  for (const n of config.sizes) copies[String(n)] = copiesOf(n)
  return {
    config,
    copies,
    replicates,
    checksumFailures,
    checksumsAgree: checksumFailures.length === 0,
    roundOrders,
    roundLoadAverages,
    wallSeconds: (performance.now() - started) / 1000,
  }
}

function validateConfig(config: SuiteConfig): void {
  if (config.sizes.length === 0) throw new RangeError('no sizes')
  for (const n of config.sizes) if (!Number.isInteger(n) || n < 1) throw new RangeError(`size ${n} is not a positive integer`)
  if (!Number.isInteger(config.replicates) || config.replicates < 1) throw new RangeError('replicates must be a positive integer')
  if (!Number.isInteger(config.warmupRounds) || config.warmupRounds < 0) throw new RangeError('warm-up rounds must be ≥ 0')
  if (!(config.batchOps >= 1)) throw new RangeError('batch ops must be ≥ 1')
  if (!config.contenders.includes('rbtree')) throw new RangeError('the baseline contender rbtree must be included')
  if (new Set(config.contenders).size !== config.contenders.length) throw new RangeError('contenders repeat')
  // Keys grow by up to 8 per key; keep them small integers so every contender sees SMI keys.
  if (Math.max(...config.sizes) > 1e8) throw new RangeError('sizes above 1e8 are not supported')
}

// --- analysis -----------------------------------------------------------------------------------

/** The libraries (binary trees and B+ tree) the targets compare against, in CONTENDERS order. */
function libraries(run: SuiteRun): ContenderName[] {
  return CONTENDERS.filter((c) => isLibrary(c.kind) && run.config.contenders.includes(c.name)).map((c) => c.name)
}

function isLibrary(kind: ContenderKind): boolean {
  return kind === 'binary-tree' || kind === 'b-tree'
}

function dataset(run: SuiteRun, name: ContenderName, op: Op, n: number): Dataset {
  const values = run.replicates
    .filter((r) => r.contender === name && r.op === op && r.n === n)
    .sort((x, y) => x.round - y.round)
    .map((r) => r.nsPerOp)
  return { name, values }
}

/**
 * Ours against `other`: the ratio ours ÷ other with the same interval as every gntbench comparison
 * (log scale, paired over the rounds, which interleave the contenders; datasets are in round order).
 */
function ratioAgainst(ours: Dataset, other: Dataset, config: SuiteConfig): RatioVerdict {
  const series = (d: Dataset) => ({ values: d.values, rounds: d.values.map((_v, round) => round) })
  const comparison = compareRatio(series(other), series(ours), { confidence: config.confidence })
  return { against: other.name as ContenderName, ratio: comparison.ratio, ratioLow: comparison.lower, ratioHigh: comparison.upper, verdict: comparison.verdict, comparison }
}

/** Status of "ratio ≤ bound" from a confidence interval: holds only when the whole interval is under it. */
function boundStatus(v: RatioVerdict, bound: number): TargetStatus {
  if (v.ratioHigh <= bound) return 'holds'
  if (v.ratioLow > bound) return 'misses'
  return 'unresolved'
}

function worst(statuses: readonly TargetStatus[]): TargetStatus | null {
  if (statuses.length === 0) return null
  if (statuses.includes('misses')) return 'misses'
  if (statuses.includes('unresolved')) return 'unresolved'
  return 'holds'
}

/** The project's bar for the tree (README), with the thresholds used. */
export const TARGET_RULES = {
  a: { maxN: 1e4, ops: ['insert', 'lookup', 'ceiling'] as readonly Op[] },
  b: { bound: 1.1 },
  c: { n: 1e6, bounds: { lookup: 1.3, ceiling: 1.7 } as Partial<Record<Op, number>> },
} as const

export function analyseSuite(run: SuiteRun, ministatWidth = 74): SuiteAnalysis {
  const cfg = run.config
  if (cfg.replicates < 3) return { analysed: false, cells: [], targets: { a: null, b: null, c: null, checks: [] } }
  const libs = libraries(run)
  const cells: CellAnalysis[] = []
  const checks: TargetCheck[] = []
  for (const n of cfg.sizes) {
    for (const op of OPS) {
      const ours = dataset(run, 'rbtree', op, n)
      const libData = libs.map((l) => dataset(run, l, op, n))
      // Our B-tree (issue 15) joins the ministat block beside sorted-btree; the targets ignore it.
      const ownBtrees = CONTENDERS.filter((c) => c.kind === 'ours-b-tree' && cfg.contenders.includes(c.name)).map((c) => dataset(run, c.name, op, n))
      const datasets = [ours, ...libData, ...ownBtrees]
      const all = [...datasets]
      const counted = cfg.contenders.includes('rbtree-counted') ? dataset(run, 'rbtree-counted', op, n) : null
      if (counted !== null) all.push(counted)
      const medians: Partial<Record<ContenderName, number>> = {}
      const means: Partial<Record<ContenderName, number>> = {}
      for (const d of all) {
        const summary = summarize(d.values, cfg.mode)
        medians[d.name as ContenderName] = summary.median
        means[d.name as ContenderName] = summary.mean
      }
      const vsLibraries = libData.map((d) => ratioAgainst(ours, d, cfg))
      const binary = vsLibraries.filter((v) => contender(v.against).kind === 'binary-tree')
      let best: RatioVerdict | null = null
      // The median picks the "best" library: on a busy box a few interrupted replicates move a
      // mean far enough to flip the choice, the median barely moves.
      for (const v of binary) if (best === null || (medians[v.against] as number) < (medians[best.against] as number)) best = v
      const ministat = formatMinistat(datasets, { width: ministatWidth, mode: cfg.mode, confidence: cfg.confidence, plot: 'single', tests: true, unit: 'ns/op' })
      cells.push({
        op,
        n,
        datasets,
        medians,
        means,
        ministat,
        vsLibraries,
        bestBinaryTree: best === null ? null : best.against,
        counterOverhead: counted === null ? null : ratioAgainst(counted, ours, cfg),
      })

      if (n <= TARGET_RULES.a.maxN && TARGET_RULES.a.ops.includes(op) && vsLibraries.length > 0) {
        const per = vsLibraries.map((v): TargetStatus => (v.verdict === 'faster' ? 'holds' : v.verdict === 'slower' ? 'misses' : 'unresolved'))
        checks.push({
          target: 'a',
          op,
          n,
          rule: 'ours significantly faster than every library',
          status: worst(per) as TargetStatus,
          against: vsLibraries.map((v) => v.against),
        })
      }
      if (best !== null) {
        checks.push({
          target: 'b',
          op,
          n,
          rule: `ours ÷ ${best.against} ≤ ${TARGET_RULES.b.bound} (CI upper bound)`,
          status: boundStatus(best, TARGET_RULES.b.bound),
          against: [best.against],
        })
      }
      const cBound = TARGET_RULES.c.bounds[op]
      const vsBtree = vsLibraries.find((v) => v.against === 'sorted-btree')
      if (n === TARGET_RULES.c.n && cBound !== undefined && vsBtree !== undefined) {
        checks.push({
          target: 'c',
          op,
          n,
          rule: `ours ÷ sorted-btree ≤ ${cBound} (CI upper bound)`,
          status: boundStatus(vsBtree, cBound),
          against: ['sorted-btree'],
        })
      }
    }
  }
  const of = (t: TargetCheck['target']): TargetStatus | null => worst(checks.filter((c) => c.target === t).map((c) => c.status))
  return { analysed: true, cells, targets: { a: of('a'), b: of('b'), c: of('c'), checks } }
}

// --- environment and output ---------------------------------------------------------------------

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

function git(args: readonly string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

function packageVersion(name: string): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8'))
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') return pkg.version
  } catch {
    // fall through: a missing version is reported, not fatal
  }
  return 'unknown'
}

export function captureEnvironment(command: string, seed: number): Environment {
  const cpus = os.cpus()
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    date: new Date().toISOString(),
    gitCommit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    gitDirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    command,
    seed,
    gcExposed: typeof globalThis.gc === 'function',
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    libraries: Object.fromEntries(['js-sdsl', 'bintrees', 'sorted-btree', 'tinybench'].map((p) => [p, packageVersion(p)])),
  }
}

const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a')
const sizeLabel = (n: number): string => {
  const e = Math.log10(n)
  return Number.isInteger(e) ? `1e${e}` : String(n)
}

function ratioCell(v: RatioVerdict): string {
  return `${fmt(v.ratio, 2)} [${fmt(v.ratioLow, 2)}, ${fmt(v.ratioHigh, 2)}] ${v.verdict === 'no difference proven' ? '≈' : v.verdict}`
}

/** The Markdown report: environment, targets, medians, ratios, counter overhead, ministat blocks. */
export function renderMarkdown(result: SuiteResult): string {
  const { environment: env, config: cfg, analysis } = result
  const lines: string[] = []
  lines.push('# Red-black tree vs JS ordered-map libraries', '')
  lines.push(
    `Our intrusive red-black tree (src/structures/rb-tree.ts) against js-sdsl OrderedMap, bintrees RBTree and sorted-btree BTree; ` +
      `bench/structures-vs-libs.ts, schema \`${SCHEMA}\`. Values are ns per operation; ratios are ours ÷ library ` +
      `(below 1: ours faster) with the ${cfg.confidence} % confidence interval from src/stats/compare.ts (${cfg.mode} mode).`,
    '',
  )
  lines.push('## Environment', '')
  lines.push('| | |', '|---|---|')
  lines.push(`| node / V8 | ${env.node} / ${env.v8} |`)
  lines.push(`| OS | ${env.os} |`)
  lines.push(`| CPU | ${env.cpu} × ${env.cores} (${env.memoryGiB} GiB) |`)
  lines.push(`| date | ${env.date} |`)
  lines.push(`| git | ${env.gitCommit}${env.gitDirty ? ' (working tree modified)' : ''} |`)
  lines.push(`| command | \`${env.command}\` |`)
  lines.push(`| seed | ${env.seed} |`)
  lines.push(`| gc exposed | ${env.gcExposed ? 'yes' : 'no (results noisier)'} |`)
  lines.push(
    `| load average | ${env.loadAverageAtStart.join(' / ')} at start (1/5/15 min); after each round: ${result.roundLoadAverages.join(', ')} (${env.cores} cores) |`,
  )
  lines.push(`| libraries | ${Object.entries(env.libraries).map(([k, v]) => `${k} ${v}`).join(', ')} |`)
  lines.push(
    `| design | ${cfg.replicates} replicates per cell, ${cfg.warmupRounds} warm-up rounds at N ≤ ${sizeLabel(cfg.warmupMaxSize)}; ` +
      `structures per replicate: ${cfg.sizes.map((n) => `${sizeLabel(n)}: ${result.copies[String(n)] ?? '?'}`).join(', ')}; ` +
      `wall time ${fmt(result.wallSeconds, 0)} s |`,
  )
  lines.push(`| checksums | ${result.checksumsAgree ? 'all phases did exactly the expected work' : `${result.checksumFailures.length} FAILURES`} |`)
  lines.push('')
  const busiest = Math.max(...env.loadAverageAtStart.slice(0, 1), ...result.roundLoadAverages)
  if (busiest > env.cores) {
    // Other processes competing for the cores interrupt phases at random and give bimodal
    // replicates; the t-tests then mostly say "unresolved". Said up front so nobody cites it.
    lines.push(
      `> **Busy machine:** the 1-minute load average reached ${busiest} on ${env.cores} cores during this run. ` +
        'Replicates interrupted by other work inflate means and variances; rerun on a quiet machine before citing verdicts.',
      '',
    )
  }

  if (!analysis.analysed) {
    lines.push('Fewer than 3 replicates per cell: no statistics (ministat needs at least 3).', '')
    return lines.join('\n')
  }

  const names = [...new Set(analysis.cells.flatMap((c) => Object.keys(c.medians)))] as ContenderName[]
  lines.push('## Targets', '')
  const status = (s: TargetStatus | null): string => s ?? 'not checked'
  lines.push(`* **(a)** beat every library on insert, lookup and ceiling at N ≤ 1e4: **${status(analysis.targets.a)}**`)
  lines.push(`* **(b)** within 10 % of the best binary-tree library (js-sdsl or bintrees), every N and op: **${status(analysis.targets.b)}**`)
  lines.push(`* **(c)** at 1e6, ours ÷ sorted-btree ≤ 1.3 on lookup and ≤ 1.7 on ceiling: **${status(analysis.targets.c)}**`)
  lines.push('')
  const missed = analysis.targets.checks.filter((c) => c.status !== 'holds')
  if (missed.length > 0) {
    lines.push('Cells where a target does not hold:', '')
    for (const c of missed) lines.push(`* (${c.target}) ${c.op} @ ${sizeLabel(c.n)}: ${c.status} — ${c.rule}`)
    lines.push('')
  }
  lines.push(
    '"holds" needs the whole confidence interval on the right side of the bound (for (a): a significant "faster" ' +
      'against every library); "unresolved" means the interval straddles it.',
    '',
  )

  lines.push('## Medians (ns/op)', '')
  lines.push(`| op | N | ${names.join(' | ')} |`, `|---|---|${names.map(() => '---:').join('|')}|`)
  for (const c of analysis.cells) lines.push(`| ${c.op} | ${sizeLabel(c.n)} | ${names.map((nm) => fmt(c.medians[nm] ?? Number.NaN, 0)).join(' | ')} |`)
  lines.push('')

  lines.push('## Ours ÷ each library (mean ratio, CI, verdict for ours)', '')
  const libNames = analysis.cells[0]?.vsLibraries.map((v) => v.against) ?? []
  lines.push(`| op | N | ${libNames.join(' | ')} | best binary tree | targets |`, `|---|---|${libNames.map(() => '---').join('|')}|---|---|`)
  for (const c of analysis.cells) {
    const t = analysis.targets.checks
      .filter((x) => x.op === c.op && x.n === c.n)
      .map((x) => `${x.target}: ${x.status}`)
      .join(', ')
    lines.push(`| ${c.op} | ${sizeLabel(c.n)} | ${c.vsLibraries.map(ratioCell).join(' | ')} | ${c.bestBinaryTree ?? '—'} | ${t || '—'} |`)
  }
  lines.push('')

  if (analysis.cells.some((c) => c.counterOverhead !== null)) {
    lines.push('## What the cost counters would cost (rbtree-counted ÷ rbtree)', '')
    lines.push('Same tree, same run, interleaved. `gntbench run` times the timed build (src/runner/timed-build.ts), so none of this is in its numbers.', '')
    lines.push('| op | N | ratio [CI] verdict for the counted tree |', '|---|---|---|')
    for (const c of analysis.cells) if (c.counterOverhead !== null) lines.push(`| ${c.op} | ${sizeLabel(c.n)} | ${ratioCell(c.counterOverhead)} |`)
    lines.push('')
  }

  lines.push('## ministat blocks (ns/op; x = rbtree is the baseline)', '')
  for (const c of analysis.cells) {
    lines.push(`### ${c.op}, N = ${sizeLabel(c.n)}`, '', '```', c.ministat.trimEnd(), '```', '')
  }
  return lines.join('\n')
}

/** Writes `${base}.json` and `${base}.md`, each through a temporary file and a rename. */
export function writeOutputs(base: string, result: SuiteResult, force: boolean): string[] {
  const targets = [`${base}.json`, `${base}.md`]
  if (!force) {
    const existing = targets.filter((p) => existsSync(p))
    if (existing.length > 0) throw new OutputExistsError(existing)
  }
  const bodies = [`${JSON.stringify(result, null, 2)}\n`, `${renderMarkdown(result)}\n`]
  mkdirSync(dirname(base), { recursive: true })
  targets.forEach((path, i) => writeAtomically(path, bodies[i] as string, force))
  return targets
}

export class OutputExistsError extends Error {
  override name = 'OutputExistsError'
  constructor(paths: readonly string[]) {
    super(`refusing to overwrite ${paths.join(' and ')} (use --force)`)
  }
}

// --- command line -------------------------------------------------------------------------------

function parseSizes(text: string): number[] {
  return text.split(',').map((s) => {
    const n = Number(s.trim())
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`--sizes: ${JSON.stringify(s)} is not a positive integer`)
    return n
  })
}

function parseInteger(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name}: ${JSON.stringify(text)} is not an integer ≥ ${min}`)
  return n
}

export function main(argv: readonly string[]): number {
  let values
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        sizes: { type: 'string' },
        replicates: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean', default: false },
        seed: { type: 'string' },
        'warmup-rounds': { type: 'string' },
        'batch-ops': { type: 'string' },
        confidence: { type: 'string' },
        mode: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values
  } catch (err) {
    process.stderr.write(`structures-vs-libs: ${(err as Error).message}\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(
      'usage: node --expose-gc --import tsx bench/structures-vs-libs.ts [--sizes 1e3,1e4,1e5,1e6] [--replicates R]\n' +
        '       [--out results/structures-vs-libs] [--force] [--seed S] [--warmup-rounds W] [--batch-ops B]\n' +
        '       [--confidence 95] [--mode exact|ministat]\n',
    )
    return 0
  }
  let config: SuiteConfig
  try {
    const mode = values.mode ?? DEFAULT_CONFIG.mode
    if (mode !== 'exact' && mode !== 'ministat') throw new RangeError(`--mode: ${mode} is not exact or ministat`)
    config = {
      ...DEFAULT_CONFIG,
      sizes: values.sizes === undefined ? DEFAULT_CONFIG.sizes : parseSizes(values.sizes),
      replicates: parseInteger('replicates', values.replicates, DEFAULT_CONFIG.replicates, 3),
      seed: parseInteger('seed', values.seed, DEFAULT_CONFIG.seed, 0),
      warmupRounds: parseInteger('warmup-rounds', values['warmup-rounds'], DEFAULT_CONFIG.warmupRounds, 0),
      batchOps: parseInteger('batch-ops', values['batch-ops'], DEFAULT_CONFIG.batchOps, 1),
      confidence: values.confidence === undefined ? DEFAULT_CONFIG.confidence : Number(values.confidence),
      mode,
    }
    validateConfig(config)
  } catch (err) {
    process.stderr.write(`structures-vs-libs: ${(err as Error).message}\n`)
    return 2
  }
  const base = values.out ?? 'results/structures-vs-libs'
  if (!values.force) {
    const existing = [`${base}.json`, `${base}.md`].filter((p) => existsSync(p))
    // Checked before the run as well as at write time: a refusal after ten minutes of work helps nobody.
    if (existing.length > 0) {
      process.stderr.write(`structures-vs-libs: ${new OutputExistsError(existing).message}\n`)
      return 1
    }
  }
  if (typeof globalThis.gc !== 'function') process.stderr.write('structures-vs-libs: warning: run with node --expose-gc for a collected heap before each phase\n')

  const script = relative(process.cwd(), fileURLToPath(import.meta.url))
  const command = ['node', ...process.execArgv, script, ...argv].join(' ')
  const environment = captureEnvironment(command, config.seed)
  const run = runSuite(config, { progress: (line) => process.stderr.write(`${line}\n`) })
  if (!run.checksumsAgree) {
    for (const f of run.checksumFailures.slice(0, 20)) {
      process.stderr.write(
        `checksum failure: ${f.contender} ${f.op} N=${f.n}: checksum ${f.checksum} (want ${f.expectedChecksum}), size ${f.sizeAfter} (want ${f.expectedSizeAfter})\n`,
      )
    }
    process.stderr.write('structures-vs-libs: some contender did not do the work; nothing written\n')
    return 1
  }
  const result: SuiteResult = { schema: SCHEMA, environment, ...run, analysis: analyseSuite(run) }
  try {
    const written = writeOutputs(base, result, values.force)
    process.stderr.write(`wrote ${written.join(', ')} (${fmt(run.wallSeconds, 0)} s)\n`)
  } catch (err) {
    process.stderr.write(`structures-vs-libs: ${(err as Error).message}\n`)
    return 1
  }
  return 0
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2))
}
