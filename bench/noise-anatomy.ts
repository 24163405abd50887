// Where the noise of this machine is: one cell (lookup-heavy, N = 512, rbtree) on ONE fixed
// stream, so nothing varies but the process (or isolate) and time. Kalibera & Jones plan the
// repetitions from exactly such a pilot: the variance at each level decides where to repeat.
//
//   node --expose-gc --import tsx bench/noise-anatomy.ts [--processes 20] [--out results] [--force]
//
// Five measurements, each through the engines `gntbench run` uses:
//   * C, P fresh engine processes × 10 samples of 10 ms: the spread of the process means
//     (between), of the samples in one process (within), and of each process's minimum and median
//     sample — a robust estimator would only help if the slow samples were rare excursions;
//   * C, one process × 200 samples of 10 ms: the time series (how long a slow episode lasts);
//   * JS, P/2 fresh worker isolates × 6 samples of 10 ms, and one isolate × 100 samples;
//   * C, pairing: P rounds of CELL.strategy against PAIRED_WITH on the same stream, either in
//     two processes one after the other or in ONE process with their samples interleaved (what
//     `--engine native` does per round): the round-to-round spread of the log ratio in each.
// Writes <out>/noise-anatomy.{json,md}; refuses to overwrite without --force.

import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { mean as simpleMean, median as simpleMedian, sampleStandardDeviation } from 'simple-statistics'
import { nativeSpecsOf, timeNativeDetailed, timeNativeRound } from '../src/native/engine.js'
import { writeAtomically } from '../src/results/atomic-write.js'
import { collectEnvironment } from '../src/runner/environment.js'
import { runIsolate } from '../src/runner/isolate-host.js'
import { machineState } from '../src/runner/machine-state.js'
import { recipeFor } from '../src/runner/untimed-pass.js'
import { StreamBinder } from '../src/workloads/bind.js'
import { getWorkload } from '../src/workloads/registry.js'

const CELL = { workload: 'lookup-heavy', size: 512, strategy: 'rbtree', seed: 12345, ops: 2000 } as const
/** The other strategy of the pairing measurement. */
const PAIRED_WITH = 'list'


interface Spread {
  readonly units: number
  readonly samplesPerUnit: number
  readonly meanNsPerOp: number
  /** CV of the unit means, %. */
  readonly betweenCvPercent: number
  /** Median over units of the CV of their samples, %. */
  readonly withinCvPercent: number
  readonly minCvPercent: number
  readonly medianCvPercent: number
}

interface Series {
  readonly samples: number[]
  readonly medianNsPerOp: number
  /** Share of samples more than 20 % above the median. */
  readonly slowShare: number
  /** Longest run of consecutive such samples. */
  readonly longestSlowRun: number
}

const mean = (a: readonly number[]): number => simpleMean([...a])
const median = (a: readonly number[]): number => simpleMedian([...a])
/** Coefficient of variation, %: sample sd over the mean. */
const cv = (a: readonly number[]): number => (100 * sampleStandardDeviation([...a])) / mean(a)

function spread(units: readonly (readonly number[])[]): Spread {
  const means = units.map(mean)
  return {
    units: units.length,
    samplesPerUnit: units[0]?.length ?? 0,
    meanNsPerOp: mean(means),
    betweenCvPercent: cv(means),
    withinCvPercent: median(units.map(cv)),
    minCvPercent: cv(units.map((u) => Math.min(...u))),
    medianCvPercent: cv(units.map(median)),
  }
}

function series(samples: number[]): Series {
  const m = median(samples)
  let run = 0
  let longest = 0
  for (const x of samples) {
    run = x > 1.2 * m ? run + 1 : 0
    longest = Math.max(longest, run)
  }
  return { samples, medianNsPerOp: m, slowShare: samples.filter((x) => x > 1.2 * m).length / samples.length, longestSlowRun: longest }
}

function nativeSpecs(strategy: string): ReturnType<typeof nativeSpecsOf> {
  const workload = getWorkload(CELL.workload)
  const stream = workload.generate({ size: CELL.size, seed: CELL.seed, ops: CELL.ops })
  return nativeSpecsOf(recipeFor(strategy, workload, new StreamBinder(stream), CELL.size, CELL.seed, CELL.ops))
}

function nativeSamples(samples: number, strategy: string = CELL.strategy): number[] {
  const specs = nativeSpecs(strategy)
  return timeNativeDetailed(specs.stream, specs.strategy, { sampleMs: 10, samples, warmupMs: 20 }).samples
}

interface Pairing {
  readonly rounds: number
  readonly samplesPerStrategy: number
  /** Geometric mean of CELL.strategy ÷ PAIRED_WITH over the rounds. */
  readonly ratio: number
  /** Round-to-round sd of the log ratio, as a percentage. */
  readonly sdLogRatioPercent: number
}

function pairing(logRatios: readonly number[], samples: number): Pairing {
  return { rounds: logRatios.length, samplesPerStrategy: samples, ratio: Math.exp(mean(logRatios)), sdLogRatioPercent: 100 * sampleStandardDeviation([...logRatios]) }
}

/** Round by round: the two strategies in separate processes, then interleaved in one. */
function nativePairing(rounds: number, samples: number): { separate: Pairing; interleaved: Pairing } {
  const separate: number[] = []
  const interleaved: number[] = []
  const a = nativeSpecs(CELL.strategy)
  const b = nativeSpecs(PAIRED_WITH)
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [CELL.strategy, PAIRED_WITH] : [PAIRED_WITH, CELL.strategy]
    const alone = new Map(order.map((spec) => [spec, mean(nativeSamples(samples, spec))]))
    separate.push(Math.log((alone.get(CELL.strategy) as number) / (alone.get(PAIRED_WITH) as number)))
    const [x, y] = timeNativeRound(
      [
        { ...a, plantedPercent: 0 },
        { ...b, plantedPercent: 0 },
      ],
      { sampleMs: 10, samples, warmupMs: 20, seed: r },
    )
    interleaved.push(Math.log(mean(x?.samples ?? []) / mean(y?.samples ?? [])))
  }
  return { separate: pairing(separate, samples), interleaved: pairing(interleaved, samples) }
}

async function jsSamples(samples: number): Promise<number[]> {
  const request = {
    group: { workload: CELL.workload, size: CELL.size, seed: CELL.seed, ops: CELL.ops, wrapOffsetSpacePages: 2 ** 16 },
    samples,
    sampleMs: 10,
    warmupMs: 200,
    plantedPercent: 0,
    gcBeforeSample: 'minor' as const,
  }
  const result = await runIsolate(CELL.strategy, request, 'worker')
  if (result.status !== 'measured') throw new Error(`${CELL.strategy}: ${result.reason}`)
  return result.samples.map((s) => s.nsPerOp)
}

function row(engine: string, s: Spread): string {
  const f = (x: number): string => `${x.toFixed(1)} %`
  return `| ${engine} | ${s.units} × ${s.samplesPerUnit} | ${s.meanNsPerOp.toFixed(1)} | ${f(s.betweenCvPercent)} | ${f(s.withinCvPercent)} | ${f(s.minCvPercent)} | ${f(s.medianCvPercent)} |`
}

function seriesLine(engine: string, s: Series): string {
  return `- ${engine}, one process × ${s.samples.length} samples of 10 ms: median ${s.medianNsPerOp.toFixed(1)} ns/op; ${(100 * s.slowShare).toFixed(0)} % of samples more than 20 % above it; the longest such episode ${s.longestSlowRun} samples in a row.`
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { processes: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } } })
  const processes = Number(values.processes ?? '20')
  if (!Number.isInteger(processes) || processes < 4) throw new Error('--processes must be an integer ≥ 4')
  const out = values.out ?? 'results'
  const startedAt = new Date()
  const before = machineState()
  const c: number[][] = []
  for (let i = 0; i < processes; i++) c.push(nativeSamples(10))
  const cSeries = series(nativeSamples(200))
  const js: number[][] = []
  for (let i = 0; i < processes / 2; i++) js.push(await jsSamples(6))
  const jsSeries = series(await jsSamples(100))
  const pairs = nativePairing(processes, 6)
  const result = {
    kind: 'noise-anatomy',
    environment: collectEnvironment({ startedAt, durationMs: Date.now() - startedAt.getTime(), commandLine: process.argv.slice(1), seed: CELL.seed }),
    machine: { before, after: machineState() },
    cell: CELL,
    c: { spread: spread(c), series: cSeries },
    js: { spread: spread(js), series: jsSeries },
    pairing: { strategies: [CELL.strategy, PAIRED_WITH], ...pairs },
  }
  const md = [
    '# Where the noise is (bench/noise-anatomy.ts)',
    '',
    `${CELL.workload}, N = ${CELL.size}, ${CELL.strategy}, one fixed stream (seed ${CELL.seed}, K = ${CELL.ops}); commit ${result.environment.gitCommit ?? '?'}${result.environment.gitDirty === true ? ' (uncommitted changes)' : ''}; load ${before.loadAverage[0]} before, ${result.machine.after.loadAverage[0]} after.`,
    '',
    '| engine | units × samples | mean ns/op | between units (CV of means) | within a unit (median CV) | CV of unit minima | CV of unit medians |',
    '|---|---|---|---|---|---|---|',
    row('C (a process per unit)', result.c.spread),
    row('JS (a worker isolate per unit)', result.js.spread),
    '',
    seriesLine('C', cSeries),
    seriesLine('JS', jsSeries),
    '',
    `Pairing in C, ${CELL.strategy} ÷ ${PAIRED_WITH} on the same stream, ${pairs.separate.rounds} rounds × ${pairs.separate.samplesPerStrategy} samples of 10 ms per strategy:`,
    '',
    '| design | ratio (geometric mean) | round-to-round sd of the log ratio |',
    '|---|---|---|',
    `| two processes, one after the other | ${pairs.separate.ratio.toFixed(3)} | ${pairs.separate.sdLogRatioPercent.toFixed(1)} % |`,
    `| one process, samples interleaved | ${pairs.interleaved.ratio.toFixed(3)} | ${pairs.interleaved.sdLogRatioPercent.toFixed(1)} % |`,
    '',
  ].join('\n')
  writeAtomically(join(out, 'noise-anatomy.json'), `${JSON.stringify(result, null, 2)}\n`, values.force === true)
  writeAtomically(join(out, 'noise-anatomy.md'), md, values.force === true)
  process.stdout.write(md)
}

await main()
