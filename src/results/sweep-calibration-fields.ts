// Validators of the files `gntbench sweep` and `gntbench calibrate` write (sweep-schema.ts,
// calibration-schema.ts): every field checked for its type, finiteness and range, as
// result-fields.ts checks a run file, and the numbers stored twice checked against each other (a
// sweep cell's isolate means against its samples and values; a calibration arm's rounds against
// its values; a rate's k against its n). A statistic that was NaN or ±∞ when written is null in
// JSON (JSON has neither), so statistics may be null; counts, sizes and names may not.
//
// sweep-schema.ts and calibration-schema.ts call these after their structure checks, so
// `gntbench report` renders only a file that passes both; `compare` names such a file as what it
// is (read.ts) instead of failing on its first missing run field.

import type { CalibrationResult } from './calibration-schema.js'
import { count, fields, int, list, nonNegative, nullable, num, percentOpen, positive, probability, U32, oneOfValues } from './field-checks.js'
import { RATIO_METHODS } from '../stats/ratio.js'
import type { Json } from './validate.js'
import { boolean, fail, string } from './validate.js'
import { checkEnvironment, checkIsolates, checkMachineBefore } from './result-fields.js'
import type { SweepResult } from './sweep-schema.js'

type Check = (value: unknown, path: string) => unknown

/** A finite number, or null (NaN or ±∞ when the file was written). */
const stat: Check = nullable(num(Number.NEGATIVE_INFINITY))
const statNonNegative: Check = nullable(nonNegative)

function header(root: Json, kind: 'sweep' | 'calibration'): void {
  if (root['schemaVersion'] !== 2) fail('schemaVersion', '2', root['schemaVersion'])
  if (root['tool'] !== 'gntbench') fail('tool', "'gntbench'", root['tool'])
  if (root['kind'] !== kind) fail('kind', `'${kind}'`, root['kind'])
  string(root['name'], 'name')
  checkEnvironment(root['environment'])
}

const costCounters = (v: unknown, p: string): Json => fields(v, p, { nodesVisited: nonNegative, keyCompares: nonNegative, nodesAllocated: nonNegative, nodesFreed: nonNegative, rotations: nonNegative })
const shapeFit = (v: unknown, p: string): Json => fields(v, p, { alpha: stat, beta: stat, logRss: stat })
const growthFit = (v: unknown, p: string): Json =>
  fields(v, p, {
    points: count,
    exponent: stat,
    intercept: stat,
    rSquared: stat,
    confidence: percentOpen,
    df: stat,
    exponentHalfWidth: stat,
    halfWidthFrom: oneOfValues(['residuals', 'replicates', 'none']),
    tailExponent: stat,
    powerLogRss: stat,
    logarithmic: shapeFit,
    linearWithFixedCost: shapeFit,
    growthClass: oneOfValues(['constant', 'logarithmic', 'sublinear', 'linear', 'superlinear']),
    reason: string,
  })
const summary = (v: unknown, p: string): Json => fields(v, p, { n: count, min: stat, max: stat, median: stat, mean: stat, stddev: statNonNegative })
const ratioComparison = (v: unknown, p: string): Json =>
  fields(v, p, {
    method: oneOfValues(RATIO_METHODS),
    n: count,
    df: stat,
    confidence: percentOpen,
    tCritical: stat,
    ratio: statNonNegative,
    lower: statNonNegative,
    upper: statNonNegative,
    logStandardError: statNonNegative,
    p: nullable(probability),
    significant: boolean,
    verdict: oneOfValues(['faster', 'slower', 'no difference proven']),
    precisionPercent: statNonNegative,
    unpairedPrecisionPercent: statNonNegative,
    marginPercent: positive,
    equivalenceP: nullable(probability),
  })

function checkSweepWorkload(v: unknown, p: string): void {
  fields(v, p, {
    name: string,
    summary: string,
    sizeUnit: string,
    sides: oneOfValues(['alloc', 'map', 'both']),
    sizes: list(int(1)),
    cells: list((c, at) => {
      const cell = fields(c, at, { size: int(1), strategy: string, status: oneOfValues(['measured', 'skipped']) })
      if (cell['status'] === 'skipped') fields(cell, at, { cause: oneOfValues(['budget', 'memory', 'unsupported']), reason: string })
      else {
        oneOfValues(['ns/op'])(cell['unit'], `${at}.unit`)
        if (cell['refined'] !== undefined && cell['refined'] !== true) fail(`${at}.refined`, 'true or absent', cell['refined'])
        checkIsolates(cell, at)
      }
    }),
    counters: list((c, at) => fields(c, at, { size: int(1), strategy: string, ops: int(1), total: costCounters, perOp: costCounters, passMs: nonNegative })),
    memory: list((m, at) =>
      fields(m, at, {
        size: int(1),
        strategy: string,
        kinds: (k, kp) => fields(k, kp, { allocator: string, grefStore: string, gmapStore: string }),
        counts: (k, kp) => fields(k, kp, { grefs: count, gmaps: count, gmapPages: count, allocatorNodes: count, grefStoreNodes: count, gmapStoreNodes: count }),
        model: (k, kp) =>
          fields(k, kp, {
            totalBytes: statNonNegative,
            structuralBytes: statNonNegative,
            bytesPerRecord: statNonNegative,
            bytesPerPage: statNonNegative,
            structuralBytesPerRecord: statNonNegative,
            totalBytesWithoutUnion: statNonNegative,
            lines: list((l, lp) => fields(l, lp, { what: string, layout: string, count: count, bytesEach: nonNegative, bytes: nonNegative, structural: boolean })),
            unknownKinds: list(string),
          }),
        heapBytesPerRecord: list(stat),
        heapBytesPerRecordMean: stat,
        heapBytes: stat,
        footprintBytes: statNonNegative,
      }),
    ),
    heapFits: list((h, at) => fields(h, at, { strategy: string, bytesPerRecord: stat, fixedBytes: stat, rSquared: stat, sizes: list(int(1)) })),
    analysis: (a, at) =>
      fields(a, at, {
        workload: string,
        confidence: percentOpen,
        commonRange: nullable((r, rp) => {
          const range = list(int(1))(r, rp)
          if (range.length !== 2 || (range[0] as number) > (range[1] as number)) fail(rp, 'a range [lo, hi] with lo ≤ hi', r)
        }),
        series: list((s, sp) =>
          fields(s, sp, {
            strategy: string,
            points: list((pt, pp) => fields(pt, pp, { size: int(1), summary, sem: statNonNegative, halfWidth: statNonNegative })),
            growth: nullable(growthFit),
            workGrowth: nullable(growthFit),
            commonGrowth: nullable((g, gp) => fields(g, gp, { exponent: stat, lower: stat, upper: stat, resamples: count })),
          }),
        ),
        pairs: list((pr, pp) =>
          fields(pr, pp, {
            a: string,
            b: string,
            perSize: list((x, xp) => fields(x, xp, { size: int(1), meanA: statNonNegative, meanB: statNonNegative, comparison: ratioComparison })),
            crossovers: (c, cp) =>
              fields(c, cp, {
                a: string,
                b: string,
                status: oneOfValues(['crossover', 'no crossover in range', 'no difference proven']),
                crossovers: list((x, xp) => fields(x, xp, { below: string, above: string, fromSize: int(1), toSize: int(1), estimate: stat })),
                winner: nullable(string),
                unprovenCrossings: list(stat),
              }),
          }),
        ),
      }),
    paragraph: string,
  })
}

/** Every field of a sweep file, checked; ResultFileError naming the first wrong one. */
export function checkSweepFields(data: unknown): SweepResult {
  const root = fields(data, '', {})
  header(root, 'sweep')
  fields(root['config'], 'config', {
    workloads: list(string),
    strategies: list(string),
    sizes: (v, p) => {
      for (const [workload, sizes] of Object.entries(fields(v, p, {}))) list(int(1))(sizes, `${p}.${workload}`)
    },
    isolates: int(2),
    samples: int(1),
    sampleMs: positive,
    warmupMs: nonNegative,
    ops: int(1),
    seed: int(0, U32),
    confidence: percentOpen,
    mode: oneOfValues(['exact', 'ministat']),
    cellBudgetSeconds: positive,
    memoryRepeats: int(1),
    refineSteps: count,
    heapLimitBytes: positive,
    quick: boolean,
    isolation: oneOfValues(['worker', 'process', 'inline']),
  })
  list(checkSweepWorkload)(root['workloads'], 'workloads')
  list((l, p) => fields(l, p, { name: string, fields: string, bytes: int(1), padding: count, source: string }))(root['memoryLayouts'], 'memoryLayouts')
  return data as SweepResult
}

const rate = (v: unknown, p: string): Json => {
  const r = fields(v, p, { k: count, n: count, rate: nullable(probability), lower: probability, upper: probability, confidence: percentOpen, method: oneOfValues(['wilson', 'clopper-pearson']) })
  if ((r['k'] as number) > (r['n'] as number)) fail(`${p}.k`, `at most n (${String(r['n'])})`, r['k'])
  return r
}
const effect = (v: unknown, p: string): Json => fields(v, p, { percent: stat, lowerPercent: stat, upperPercent: stat })

/** Every field of a calibration file, checked; ResultFileError naming the first wrong one. */
export function checkCalibrationFields(data: unknown): CalibrationResult {
  const root = fields(data, '', {})
  header(root, 'calibration')
  fields(root['machine'], 'machine', {
    before: checkMachineBefore,
    busy: nullable(string),
    roundLoad: (v, p) => fields(v, p, { min: statNonNegative, median: statNonNegative, max: statNonNegative }),
  })
  fields(root['config'], 'config', {
    workload: string,
    size: int(1),
    strategy: string,
    trials: int(1),
    planted: list(num(Number.NEGATIVE_INFINITY)),
    plantedTrials: count,
    ops: int(1),
    seed: int(0, U32),
    design: (v, p) =>
      fields(v, p, {
        isolates: int(2),
        maxIsolates: int(2),
        samples: int(1),
        sampleMs: positive,
        warmupMs: nonNegative,
        precisionPercent: nullable(positive),
        isolation: oneOfValues(['worker', 'process', 'inline']),
        gcBeforeSample: oneOfValues(['none', 'minor', 'major']),
      }),
    confidence: percentOpen,
    marginPercent: positive,
    familySize: int(1),
    engine: oneOfValues(['js', 'native']),
    runDefaults: boolean,
  })
  fields(root['summary'], 'summary', {
    falseDifference: rate,
    familySize: int(1),
    familyWise: rate,
    equivalentAA: rate,
    aaEffect: effect,
    medianPrecisionPercent: statNonNegative,
    planted: list((v, p) => fields(v, p, { plantedPercent: num(Number.NEGATIVE_INFINITY), trials: count, power: rate, measured: effect, medianPrecisionPercent: statNonNegative })),
  })
  list((t, tp) => {
    fields(t, tp, {
      trial: count,
      seed: int(0, U32),
      rounds: count,
      loadAverages: list(nonNegative),
      arms: list((a, ap) => {
        const arm = fields(a, ap, { label: string, plantedPercent: num(Number.NEGATIVE_INFINITY), values: list(positive), rounds: list(count), withinPercent: statNonNegative, betweenPercent: statNonNegative })
        const n = (arm['values'] as unknown[]).length
        if ((arm['rounds'] as unknown[]).length !== n) fail(`${ap}.rounds`, `one round per value (${n})`, `${(arm['rounds'] as unknown[]).length} rounds`)
      }),
      comparisons: list((c, cp) =>
        fields(c, cp, {
          label: string,
          ratio: statNonNegative,
          lower: statNonNegative,
          upper: statNonNegative,
          p: nullable(probability),
          significant: boolean,
          verdict: oneOfValues(['faster', 'slower', 'no difference proven']),
          equivalenceP: nullable(probability),
          precisionPercent: statNonNegative,
        }),
      ),
    })
  })(root['trials'], 'trials')
  return data as CalibrationResult
}
