// Every field of a run results file (run-schema.ts), checked for its type, finiteness and
// range, and the numbers that are stored twice checked against each other. validateRunResult
// checks the structure gntbench navigates; this checks everything the reports print or compute
// with, so a hand-edited or truncated file is one line naming the file and the field path
// ("cells[3].isolates[0].gcMs[1]: expected a number ≥ 0, got "x""), never a RangeError from deep
// inside a report.
//
// Stored means. A measured cell keeps its raw samples, each isolate's mean of them, the isolate
// means again as `values` (the unit of replication the statistics use) and their summary. A file
// in which these disagree was edited by hand or written by a broken tool: which number should a
// report believe? None — it is refused (exit 2), naming the first field that disagrees. The
// tolerance is a relative 1e-9 (the writer computes each from the same doubles).

import { count, fields, int, list, mean, nonNegative, nullable, num, percentOpen, positive, probability, sameNumber, U32, oneOfValues } from './field-checks.js'
import { RATIO_METHODS } from '../stats/ratio.js'
import type { Json } from './validate.js'
import { array, boolean, fail, object, string } from './validate.js'

/** machine.before: the load averages, governor and frequency before a run. */
export function checkMachineBefore(value: unknown, path: string): void {
  fields(value, path, {
    loadAverage: (l, at) => {
      const loads = list(nonNegative)(l, at)
      if (loads.length !== 3) fail(at, 'three load averages (1, 5, 15 minutes)', `${loads.length} numbers`)
    },
    governor: nullable(string),
    frequencyMHz: nullable(nonNegative),
  })
}

export function checkEnvironment(value: unknown): void {
  fields(value, 'environment', {
    node: string,
    v8: string,
    os: (v, p) => fields(v, p, { platform: string, release: string, arch: string }),
    cpu: (v, p) => fields(v, p, { model: string, cores: int(1), speedMHz: nullable(nonNegative) }),
    memoryBytes: nonNegative,
    date: (v, p) => {
      if (Number.isNaN(Date.parse(string(v, p)))) fail(p, 'an ISO 8601 date', v)
    },
    durationMs: nonNegative,
    gitCommit: nullable(string),
    gitDirty: nullable(boolean),
    commandLine: list(string),
    seed: int(0, U32),
    gcBetweenReplicates: boolean,
  })
}

function checkConfig(value: unknown): void {
  const config = fields(value, 'config', {
    workloads: list(string),
    strategies: nullable(list(string)),
    baseline: nullable(string),
    sizes: nullable(list(int(1))),
    isolates: int(2),
    maxIsolates: int(2),
    samples: int(1),
    sampleMs: positive,
    warmupMs: nonNegative,
    precisionPercent: nullable(num(0, 100, { minOpen: true })),
    marginPercent: num(0, 100, { minOpen: true }),
    budgetSeconds: nullable(positive),
    ops: int(1),
    seed: int(0, U32),
    confidence: percentOpen,
    mode: oneOfValues(['exact', 'ministat']),
    wrapOffsetSpacePages: int(1),
    quick: boolean,
    isolation: oneOfValues(['worker', 'process', 'inline']),
    engine: oneOfValues(['js', 'native', 'both']),
    gcBeforeSample: oneOfValues(['none', 'minor', 'major']),
  })
  if ((config['maxIsolates'] as number) < (config['isolates'] as number)) fail('config.maxIsolates', `at least config.isolates (${String(config['isolates'])})`, config['maxIsolates'])
  if (config['native'] !== undefined) {
    fields(config['native'], 'config.native', {
      compiler: string,
      cflags: list(string),
      version: string,
      warmupMs: (value, path) => (value === undefined ? undefined : nonNegative(value, path)),
    })
  }
}

const workCounts = (v: unknown, p: string): Json => fields(v, p, { ok: count, failed: count, skipped: count })

/**
 * A measured cell's isolates (run and sweep files alike): every field, one isolate per value, and
 * the stored means against the samples and values.
 */
export function checkIsolates(cell: Json, path: string): void {
  fields(cell, path, { opsPerBatch: int(1), setupOps: count, values: list(positive), rounds: list(count) })
  const values = cell['values'] as number[]
  const rounds = cell['rounds'] as number[]
  const isolates = array(cell['isolates'], `${path}.isolates`)
  if (isolates.length !== values.length) fail(`${path}.isolates`, `one isolate per value (${values.length})`, `${isolates.length} isolates`)
  if (rounds.length !== values.length) fail(`${path}.rounds`, `one round per value (${values.length})`, `${rounds.length} rounds`)
  isolates.forEach((entry, i) => {
    const at = `${path}.isolates[${i}]`
    const isolate = fields(entry, at, {
      round: count,
      position: count,
      seed: int(0, U32),
      statesPerSample: int(1),
      warmupSamples: count,
      samples: list(nonNegative),
      gcCounts: list(count),
      gcMs: list(nonNegative),
      mean: positive,
      work: workCounts,
      streamHash: string,
    })
    const samples = isolate['samples'] as number[]
    for (const key of ['gcCounts', 'gcMs']) {
      const n = (isolate[key] as unknown[]).length
      if (n !== samples.length) fail(`${at}.${key}`, `one entry per sample (${samples.length})`, `${n} entries`)
    }
    // The stored means must be the means of what is stored.
    const stored = isolate['mean'] as number
    if (!sameNumber(stored, mean(samples))) fail(`${at}.mean`, `the mean of its samples (${mean(samples)})`, stored)
    if (!sameNumber(values[i] as number, stored)) fail(`${path}.values[${i}]`, `isolates[${i}].mean (${stored})`, values[i])
    if (rounds[i] !== isolate['round']) fail(`${path}.rounds[${i}]`, `isolates[${i}].round (${String(isolate['round'])})`, rounds[i])
  })
}

function checkMeasured(cell: Json, path: string): void {
  checkIsolates(cell, path)
  fields(cell, path, {
    gcSamples: count,
    totalSamples: count,
    components: (v, p) => fields(v, p, { withinPercent: nullable(nonNegative), betweenPercent: nullable(nonNegative) }),
    summary: (v, p) => fields(v, p, { n: count, min: nullable(num(0)), max: nullable(num(0)), median: nullable(num(0)), mean: nullable(num(0)), stddev: nullable(num(0)) }),
  })
  const values = cell['values'] as number[]
  if ((cell['gcSamples'] as number) > (cell['totalSamples'] as number)) fail(`${path}.gcSamples`, `at most totalSamples (${String(cell['totalSamples'])})`, cell['gcSamples'])
  const summary = cell['summary'] as Json
  if (summary['n'] !== values.length) fail(`${path}.summary.n`, `the number of values (${values.length})`, summary['n'])
  const sorted = [...values].sort((a, b) => a - b)
  const expected: [string, number][] = [
    ['mean', mean(values)],
    ['min', sorted[0] as number],
    ['max', sorted[sorted.length - 1] as number],
  ]
  for (const [key, want] of expected) {
    const got = summary[key]
    if (typeof got !== 'number' || !sameNumber(got, want)) fail(`${path}.summary.${key}`, `the ${key} of values (${want})`, got)
  }
  const median = summary['median']
  if (typeof median !== 'number' || median < (sorted[0] as number) || median > (sorted[sorted.length - 1] as number)) {
    fail(`${path}.summary.median`, 'a median within the values', median)
  }
}

function checkOutcome(cell: Json, path: string): void {
  fields(cell, path, {
    outcome: oneOfValues(['overlapped', 'failed cleanly', 'wrapped', 'no wrap']),
    allocatorKind: string,
    allocCalls: count,
    allocFailures: (v, p) => {
      for (const [key, n] of Object.entries(object(v, p))) count(n, `${p}.${key}`)
    },
    firstFailureAt: nullable(count),
    pagesAllocatedBeforeFailure: nonNegative,
    wrapped: boolean,
    overlaps: count,
    collisions: count,
    leakedPages: nonNegative,
    spanPages: nonNegative,
    setupFailures: count,
    work: workCounts,
  })
}

function checkCells(value: unknown): void {
  list((v, p) => {
    const cell = fields(v, p, { workload: string, size: int(1), strategy: string, status: oneOfValues(['measured', 'skipped', 'outcome']) })
    if (cell['status'] === 'measured') checkMeasured(cell, p)
    else if (cell['status'] === 'outcome') checkOutcome(cell, p)
    else string(cell['reason'], `${p}.reason`)
  })(value, 'cells')
}

function checkBlocks(value: unknown): void {
  list((v, p) => {
    const block = fields(v, p, {
      workload: string,
      size: int(1),
      baseline: nullable(string),
      baselineNote: nullable(string),
      strategies: list(string),
      rounds: count,
      loadAverages: list(nonNegative),
      precisionReached: nullable(boolean),
      stoppedBy: oneOfValues(['minimum', 'precision', 'max-isolates', 'budget']),
    })
    const comparisons = list((c, at) =>
      fields(c, at, {
        strategy: string,
        method: oneOfValues(RATIO_METHODS),
        n: int(1),
        df: positive,
        confidence: percentOpen,
        ratio: positive,
        lower: positive,
        upper: positive,
        p: probability,
        holmP: probability,
        significant: boolean,
        verdict: oneOfValues(['faster', 'slower', 'no difference proven']),
        familyVerdict: oneOfValues(['faster', 'slower', 'equivalent', 'no difference proven']),
        precisionPercent: nonNegative,
        unpairedPrecisionPercent: nullable(nonNegative),
        marginPercent: positive,
        equivalenceP: probability,
        equivalenceHolmP: probability,
        isolatesForTarget: nullable(int(1)),
      }),
    )(block['comparisons'], `${p}.comparisons`)
    const strategies = block['strategies'] as string[]
    comparisons.forEach((c, i) => {
      const at = `${p}.comparisons[${i}]`
      if (!strategies.includes(c['strategy'] as string)) fail(`${at}.strategy`, `one of the block's strategies (${strategies.join(', ')})`, c['strategy'])
      const lower = c['lower'] as number
      const ratio = c['ratio'] as number
      const upper = c['upper'] as number
      if (!(lower <= ratio && ratio <= upper)) fail(`${at}.ratio`, `inside its interval [${lower}, ${upper}]`, ratio)
    })
  })(value, 'blocks')
}

/** Every field of a run results file, checked; ResultFileError naming the first wrong one. `root` passed validateRunResult's structure checks. */
export function checkRunFields(root: Readonly<Record<string, unknown>>): void {
  fields(root, '', { name: string })
  checkEnvironment(root['environment'])
  fields(root['machine'], 'machine', { before: checkMachineBefore, busy: nullable(string) })
  checkConfig(root['config'])
  list((v, p) => fields(v, p, { name: string, summary: string, sizeUnit: string, sides: oneOfValues(['alloc', 'map', 'both']), measure: oneOfValues(['timed', 'outcome']) }))(root['workloads'], 'workloads')
  checkCells(root['cells'])
  checkBlocks(root['blocks'])
}
