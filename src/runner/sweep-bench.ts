// Runs a sweep (issue 5): for each workload, the live-set sizes N in ascending order; at each N
// first the untimed pass of every strategy in this thread (cost counters and heap, untimed-pass.ts,
// which also measures what one state costs), then the timed group of the strategies that fit
// the budget through the same measurement core as `gntbench run` (measure-group.ts: rounds of a
// fresh isolate per strategy on a fresh stream seed, tinybench as the timer). A strategy
// that stops (projected over the cell budget or the heap) stays stopped for larger N.
//
// --engine: the timed cells run on the TS model (js), on the C engine (native: the same bound
// op streams in native/, one fresh engine process per round with the strategies interleaved), or on both (each strategy is two
// arms, `<spec>@js` and `<spec>@native`, interleaved in the same rounds). The untimed pass is
// the TS model's either way: the counted work is the op stream's and the structure's, the same
// in both languages. A cell the C engine does not model is a skipped cell with the reason.

import { createStrategy } from '../strategies/registry.js'
import type { CostCounters } from '../structures/types.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import { StreamBinder } from '../workloads/bind.js'
import { Prng } from '../workloads/prng.js'
import { getWorkload } from '../workloads/registry.js'
import { sidesProblem } from './probe.js'
import { analyseWorkload } from '../stats/sweep-analysis.js'
import { compareRatio } from '../stats/ratio.js'
import { isolateSeries, measureGroup } from './measure-group.js'
import type { SweepCell, SweepCounters, SweepMeasuredCell } from '../results/sweep-schema.js'
import type { ComponentKinds, LiveCounts } from '../strategies/memory-layout.js'
import type { CellCost, SweepArm, SweepPlanConfig } from './sweep-plan.js'
import { projectFootprint, projectPassMs, sameEnginePairs, stopRule, sweepArms } from './sweep-plan.js'
import { collect, heapNow, recipeFor, untimedPass } from './untimed-pass.js'
import { DEFAULT_WRAP_SPACE } from './plan.js'
import { fnv1a } from './run-bench.js'

/** Heap and live counts of one cell, before the memory model is applied. */
export interface SweepMemoryRaw {
  size: number
  strategy: string
  kinds: ComponentKinds
  counts: LiveCounts
  /** Heap growth per live record of each repeat (the first repeat first). */
  heapBytesPerRecord: number[]
  /** Heap growth of the last repeat's setup, bytes. */
  heapBytes: number
  /** Heap the first untimed pass needed at once: streams + live set, bytes (what stops a sweep). */
  footprintBytes: number
}

export interface SweepRawWorkload {
  workload: BenchWorkload
  sizes: number[]
  cells: SweepCell[]
  counters: SweepCounters[]
  memory: SweepMemoryRaw[]
}

export interface SweepProgress {
  readonly workload: string
  readonly size: number
  /** 1-based index of the (workload, N) group and their number. */
  readonly group: number
  readonly groups: number
  readonly elapsedMs: number
  /** What is happening, e.g. 'untimed pass of list' or 'timing 3 strategies'. */
  readonly phase: string
}

export interface SweepHooks {
  readonly onProgress?: (progress: SweepProgress) => void
}

function perOp(total: CostCounters, ops: number): CostCounters {
  const d = ops > 0 ? ops : Number.NaN
  return {
    nodesVisited: total.nodesVisited / d,
    keyCompares: total.keyCompares / d,
    nodesAllocated: total.nodesAllocated / d,
    nodesFreed: total.nodesFreed / d,
    rotations: total.rotations / d,
  }
}

type Stop = { cause: 'budget' | 'memory' | 'unsupported'; reason: string; size: number }

/** What one workload's sizes share: its records, which arms stopped, their costs so far. */
interface WorkloadRun {
  readonly config: SweepPlanConfig
  readonly workload: BenchWorkload
  readonly raw: SweepRawWorkload
  /** The timed series: one per strategy, or two with --engine both. */
  readonly arms: readonly SweepArm[]
  /** By arm label: where and why it stopped being timed. */
  readonly stopped: Map<string, Stop>
  /** By strategy spec: the untimed pass's cost at each size. */
  readonly history: Map<string, CellCost[]>
  readonly progress: (size: number, phase: string) => void
}

export async function runSweep(config: SweepPlanConfig, hooks: SweepHooks = {}): Promise<SweepRawWorkload[]> {
  const groups = config.workloads.reduce((sum, name) => sum + (config.sizes[name]?.length ?? 0), 0)
  const started = performance.now()
  let group = 0
  const out: SweepRawWorkload[] = []
  for (const name of config.workloads) {
      const workload = getWorkload(name)
      const sizes = [...(config.sizes[name] ?? [])]
      const raw: SweepRawWorkload = { workload, sizes, cells: [], counters: [], memory: [] }
      out.push(raw)
      const run: WorkloadRun = {
        config,
        workload,
        raw,
        arms: sweepArms(config.strategies, config.engine ?? 'js'),
        stopped: new Map(),
        history: new Map(config.strategies.map((s) => [s, []])),
        progress: (size, phase) => hooks.onProgress?.({ workload: name, size, group, groups, elapsedMs: performance.now() - started, phase }),
      }
      for (const size of sizes) {
        group++
        // One call per size: its streams and states live in that call's frame only, so nothing
        // of the previous size is still reachable when this one measures its heap baseline.
        await sweepSize(run, size)
      }
      await refineCrossovers(run)
  }
  return out
}

/**
 * Narrow every crossover the grid found: at the geometric midpoint of the sizes where each of
 * the two strategies was last and first significantly faster, measure the two (fresh isolates,
 * as any cell), and keep the half where the winner flips; `refineSteps` times, or until the
 * midpoint's verdict is not significant or no integer size is left between.
 */
async function refineCrossovers(run: WorkloadRun): Promise<void> {
  const { config, workload, raw } = run
  if (config.refineSteps === 0) return
  const values = raw.cells.flatMap((c) => (c.status === 'measured' ? [{ size: c.size, strategy: c.strategy, values: c.values, rounds: c.rounds }] : []))
  const analysis = analyseWorkload(workload.name, run.arms.map((arm) => arm.label), values, [], { confidence: config.confidence, pairs: sameEnginePairs(run.arms) })
  for (const pair of analysis.pairs) {
    for (const crossover of pair.crossovers.crossovers) {
      let from = crossover.fromSize
      let to = crossover.toSize
      for (let step = 0; step < config.refineSteps; step++) {
        const mid = Math.round(Math.sqrt(from * to))
        if (mid <= from || mid >= to) break
        run.progress(mid, `refining the ${pair.a}/${pair.b} crossover`)
        const cells = (await timeCells(run, mid, run.arms.filter((arm) => arm.label === pair.a || arm.label === pair.b))).filter(
          (cell): cell is SweepMeasuredCell => cell.status === 'measured',
        )
        for (const cell of cells) raw.cells.push({ ...cell, refined: true })
        const [a, b] = [cells.find((c) => c.strategy === pair.a), cells.find((c) => c.strategy === pair.b)]
        if (a === undefined || b === undefined) break
        const c = compareRatio(a, b, { confidence: config.confidence })
        if (!c.significant) break
        const winner = c.ratio < 1 ? pair.b : pair.a
        if (winner === crossover.below) from = mid
        else to = mid
      }
    }
  }
}

/** Time `arms` at `size` through the measurement core (fresh isolates, rounds on fresh seeds). */
async function timeCells(run: WorkloadRun, size: number, arms: readonly SweepArm[]): Promise<SweepCell[]> {
  const { config, workload } = run
  const measurement = await measureGroup(
    { workload: workload.name, size, ops: config.ops, wrapOffsetSpacePages: DEFAULT_WRAP_SPACE },
    config.seed,
    arms.map((arm) => ({ label: arm.label, spec: arm.spec, plantedPercent: 0, engine: arm.engine })),
    {
      isolates: config.isolates,
      maxIsolates: config.isolates,
      samples: config.samples,
      sampleMs: config.sampleMs,
      warmupMs: config.warmupMs,
      precisionPercent: null,
      confidence: config.confidence,
      isolation: config.isolation,
      gcBeforeSample: 'minor',
    },
    { baseline: null, shuffle: new Prng((config.seed ^ fnv1a(`${workload.name}:${size}`)) >>> 0), hooks: { onIsolate: ({ round, arm }) => run.progress(size, `round ${round + 1}, ${arm}`) } },
  )
  return measurement.arms.map((arm): SweepCell =>
    arm.status === 'measured'
      ? { size, strategy: arm.label, status: 'measured', unit: 'ns/op', opsPerBatch: arm.opsPerBatch, setupOps: arm.setupOps, ...isolateSeries(arm), isolates: arm.isolates }
      : { size, strategy: arm.label, status: 'skipped', cause: 'unsupported', reason: arm.reason },
  )
}

/** Stop every arm of `spec` that still runs, with one skipped cell each. */
function stopArms(run: WorkloadRun, size: number, spec: string, stop: Stop, note = ''): void {
  for (const arm of run.arms) {
    if (arm.spec !== spec || run.stopped.has(arm.label)) continue
    run.stopped.set(arm.label, stop)
    run.raw.cells.push({ size, strategy: arm.label, status: 'skipped', cause: stop.cause, reason: `${stop.reason}${note}` })
  }
}

/** Strategies that may run at `size` (some arm not stopped earlier, on the right side, projected to fit). */
function admitted(run: WorkloadRun, size: number): string[] {
  const { config, workload, raw, stopped, history } = run
  const out: string[] = []
  for (const spec of config.strategies) {
    let live = false
    for (const arm of run.arms) {
      if (arm.spec !== spec) continue
      const earlier = stopped.get(arm.label)
      if (earlier === undefined) live = true
      else raw.cells.push({ size, strategy: arm.label, status: 'skipped', cause: earlier.cause, reason: `stopped at N = ${earlier.size}: ${earlier.reason}` })
    }
    if (!live) continue
    const { policy } = createStrategy(spec)
    const sides = sidesProblem(workload, spec, policy.supportsAlloc, policy.supportsMap)
    const costs = history.get(spec) ?? []
    const ahead = sides !== null ? null : stopRule(config, projectPassMs(costs, size), projectFootprint(costs, size), true)
    const stop: Stop | null = sides !== null ? { cause: 'unsupported', reason: sides, size } : ahead?.stop === true ? { cause: ahead.cause, reason: ahead.reason, size } : null
    if (stop !== null) {
      stopArms(run, size, spec, stop)
      continue
    }
    out.push(spec)
  }
  return out
}

async function sweepSize(run: WorkloadRun, size: number): Promise<void> {
  const { config, workload, raw, stopped, history } = run
  const candidates = admitted(run, size)
  // Nothing to do: do not even generate the stream, which at large N is itself big.
  if (candidates.length === 0) return

  // The footprint of a cell counts from here: the streams, then one live set.
  const baseline = collect() ? heapNow() : Number.NaN
  const binder = new StreamBinder(workload.generate({ size, seed: config.seed, ops: config.ops }))
  const timed: string[] = []
  for (const spec of candidates) {
    const skip = (stop: Stop, note = ''): void => stopArms(run, size, spec, stop, note)
    run.progress(size, `untimed pass of ${spec}`)
    const recipe = recipeFor(spec, workload, binder, size, config.seed, config.ops)
    const first = untimedPass(recipe, true)
    if (first.setupFailure !== null || first.measuredCost === null) {
      skip({ cause: 'unsupported', reason: `setup failed: ${first.setupFailure ?? 'unknown'}`, size })
      continue
    }
    raw.counters.push({ size, strategy: spec, ops: first.measuredOps, total: first.measuredCost, perOp: perOp(first.measuredCost, first.measuredOps), passMs: first.passMs })
    const footprintBytes = first.heapAfterSetup - baseline
    history.get(spec)?.push({ size, passMs: first.passMs, footprintBytes })
    const records = first.counts.grefs + first.counts.gmaps
    const perRecord = (bytes: number): number => (records > 0 ? bytes / records : Number.NaN)
    const memory: SweepMemoryRaw = {
      size,
      strategy: spec,
      kinds: first.kinds,
      counts: first.counts,
      heapBytesPerRecord: [perRecord(first.heapBytes)],
      heapBytes: first.heapBytes,
      footprintBytes,
    }
    raw.memory.push(memory)

    const now = stopRule(config, first.passMs, Number.isFinite(footprintBytes) ? footprintBytes : null, false)
    if (now.stop) {
      skip({ cause: now.cause, reason: now.reason, size }, '; counters and memory come from its untimed pass')
      continue
    }
    for (let repeat = 1; repeat < config.memoryRepeats; repeat++) {
      const again = untimedPass(recipe, false)
      memory.heapBytesPerRecord.push(perRecord(again.heapBytes))
      memory.heapBytes = again.heapBytes
    }
    timed.push(spec)
  }
  if (timed.length === 0) return

  const arms = run.arms.filter((arm) => timed.includes(arm.spec) && !stopped.has(arm.label))
  run.progress(size, `timing ${arms.map((arm) => arm.label).join(', ')}`)
  for (const cell of await timeCells(run, size, arms)) {
    if (cell.status === 'skipped') stopped.set(cell.strategy, { cause: 'unsupported', reason: cell.reason, size })
    raw.cells.push(cell)
  }
}
