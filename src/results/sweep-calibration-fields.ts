// Validators of the files `gntbench sweep` and `gntbench calibrate` write (sweep-schema.ts,
// calibration-schema.ts): every field checked for its type, finiteness and range, as
// result-fields.ts checks a run file, and the numbers stored twice checked against each other (a
// sweep cell's isolate means against its samples and values; a calibration arm's rounds against
// its values; a rate's k against its n). A statistic that was NaN or ±∞ when written is null in
// JSON (JSON has neither), so statistics may be null; counts, sizes and names may not.
//
// No command reads these files back yet; the validators say what a well-formed file is, the tests
// hold the committed files and fresh quick runs to them, and compare/report name such a file as
// what it is (result-schema.ts) instead of failing on its first missing run field.

import type { CalibrationResult } from './calibration-schema.js'
import type { Json } from './field-checks.js'
import { bool, checkFields, count, fail, fields, int, list, nonNegative, nullable, num, oneOf, percentOpen, positive, probability, str, U32 } from './field-checks.js'
import { checkEnvironment, checkIsolates, checkMachineBefore } from './result-fields.js'
import { ResultFileError } from './validate.js'
import type { SweepResult } from './sweep-schema.js'

type Check = (value: unknown, path: string) => unknown

/** A finite number, or null (NaN or ±∞ when the file was written). */
const stat: Check = nullable(num(Number.NEGATIVE_INFINITY))
const statNonNegative: Check = nullable(nonNegative)

function header(root: Json, kind: 'sweep' | 'calibration'): void {
  if (root['schemaVersion'] !== 2) fail('schemaVersion', '2', root['schemaVersion'])
  if (root['tool'] !== 'gntbench') fail('tool', "'gntbench'", root['tool'])
  if (root['kind'] !== kind) fail('kind', `'${kind}'`, root['kind'])
  str(root['name'], 'name')
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
    halfWidthFrom: oneOf(['residuals', 'replicates', 'none']),
    tailExponent: stat,
    powerLogRss: stat,
    logarithmic: shapeFit,
    linearWithFixedCost: shapeFit,
    growthClass: oneOf(['constant', 'logarithmic', 'sublinear', 'linear', 'superlinear']),
    reason: str,
  })
const summary = (v: unknown, p: string): Json => fields(v, p, { n: count, min: stat, max: stat, median: stat, mean: stat, stddev: statNonNegative })
const ratioComparison = (v: unknown, p: string): Json =>
  fields(v, p, {
    method: oneOf(['paired-rounds', 'welch-isolates']),
    n: count,
    df: stat,
    confidence: percentOpen,
    tCritical: stat,
    ratio: statNonNegative,
    lower: statNonNegative,
    upper: statNonNegative,
    logStandardError: statNonNegative,
    p: nullable(probability),
    significant: bool,
    verdict: oneOf(['faster', 'slower', 'no difference proven']),
    precisionPercent: statNonNegative,
    unpairedPrecisionPercent: statNonNegative,
    marginPercent: positive,
    equivalenceP: nullable(probability),
  })

function checkSweepWorkload(v: unknown, p: string): void {
  fields(v, p, {
    name: str,
    summary: str,
    sizeUnit: str,
    sides: oneOf(['alloc', 'map', 'both']),
    sizes: list(int(1)),
    cells: list((c, at) => {
      const cell = fields(c, at, { size: int(1), strategy: str, status: oneOf(['measured', 'skipped']) })
      if (cell['status'] === 'skipped') fields(cell, at, { cause: oneOf(['budget', 'memory', 'unsupported']), reason: str })
      else {
        oneOf(['ns/op'])(cell['unit'], `${at}.unit`)
        if (cell['refined'] !== undefined && cell['refined'] !== true) fail(`${at}.refined`, 'true or absent', cell['refined'])
        checkIsolates(cell, at)
      }
    }),
    counters: list((c, at) => fields(c, at, { size: int(1), strategy: str, ops: int(1), total: costCounters, perOp: costCounters, passMs: nonNegative })),
    memory: list((m, at) =>
      fields(m, at, {
        size: int(1),
        strategy: str,
        kinds: (k, kp) => fields(k, kp, { allocator: str, grefStore: str, gmapStore: str }),
        counts: (k, kp) => fields(k, kp, { grefs: count, gmaps: count, gmapPages: count, allocatorNodes: count, grefStoreNodes: count, gmapStoreNodes: count }),
        model: (k, kp) =>
          fields(k, kp, {
            totalBytes: statNonNegative,
            structuralBytes: statNonNegative,
            bytesPerRecord: statNonNegative,
            bytesPerPage: statNonNegative,
            structuralBytesPerRecord: statNonNegative,
            totalBytesWithoutUnion: statNonNegative,
            lines: list((l, lp) => fields(l, lp, { what: str, layout: str, count: count, bytesEach: nonNegative, bytes: nonNegative, structural: bool })),
            unknownKinds: list(str),
          }),
        heapBytesPerRecord: list(stat),
        heapBytesPerRecordMean: stat,
        heapBytes: stat,
        footprintBytes: statNonNegative,
      }),
    ),
    heapFits: list((h, at) => fields(h, at, { strategy: str, bytesPerRecord: stat, fixedBytes: stat, rSquared: stat, sizes: list(int(1)) })),
    analysis: (a, at) =>
      fields(a, at, {
        workload: str,
        confidence: percentOpen,
        commonRange: nullable((r, rp) => {
          const range = list(int(1))(r, rp)
          if (range.length !== 2 || (range[0] as number) > (range[1] as number)) fail(rp, 'a range [lo, hi] with lo ≤ hi', r)
        }),
        series: list((s, sp) =>
          fields(s, sp, {
            strategy: str,
            points: list((pt, pp) => fields(pt, pp, { size: int(1), summary, sem: statNonNegative, halfWidth: statNonNegative })),
            growth: nullable(growthFit),
            workGrowth: nullable(growthFit),
            commonGrowth: nullable((g, gp) => fields(g, gp, { exponent: stat, lower: stat, upper: stat, resamples: count })),
          }),
        ),
        pairs: list((pr, pp) =>
          fields(pr, pp, {
            a: str,
            b: str,
            perSize: list((x, xp) => fields(x, xp, { size: int(1), meanA: statNonNegative, meanB: statNonNegative, comparison: ratioComparison })),
            crossovers: (c, cp) =>
              fields(c, cp, {
                a: str,
                b: str,
                status: oneOf(['crossover', 'no crossover in range', 'no difference proven']),
                crossovers: list((x, xp) => fields(x, xp, { below: str, above: str, fromSize: int(1), toSize: int(1), estimate: stat })),
                winner: nullable(str),
                unprovenCrossings: list(stat),
              }),
          }),
        ),
      }),
    paragraph: str,
  })
}

/** The first wrong field of a sweep file, or null. */
function sweepFieldProblem(data: unknown): ReturnType<typeof checkFields> {
  return checkFields(() => {
    const root = fields(data, '', {})
    header(root, 'sweep')
    fields(root['config'], 'config', {
      workloads: list(str),
      strategies: list(str),
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
      mode: oneOf(['exact', 'ministat']),
      cellBudgetSeconds: positive,
      memoryRepeats: int(1),
      refineSteps: count,
      heapLimitBytes: positive,
      quick: bool,
      isolation: oneOf(['worker', 'process', 'inline']),
    })
    list(checkSweepWorkload)(root['workloads'], 'workloads')
    list((l, p) => fields(l, p, { name: str, fields: str, bytes: int(1), padding: count, source: str }))(root['memoryLayouts'], 'memoryLayouts')
  })
}

const rate = (v: unknown, p: string): Json => {
  const r = fields(v, p, { k: count, n: count, rate: nullable(probability), lower: probability, upper: probability, confidence: percentOpen, method: oneOf(['wilson', 'clopper-pearson']) })
  if ((r['k'] as number) > (r['n'] as number)) fail(`${p}.k`, `at most n (${String(r['n'])})`, r['k'])
  return r
}
const effect = (v: unknown, p: string): Json => fields(v, p, { percent: stat, lowerPercent: stat, upperPercent: stat })

/** The first wrong field of a calibration file, or null. */
function calibrationFieldProblem(data: unknown): ReturnType<typeof checkFields> {
  return checkFields(() => {
    const root = fields(data, '', {})
    header(root, 'calibration')
    fields(root['machine'], 'machine', {
      before: checkMachineBefore,
      busy: nullable(str),
      roundLoad: (v, p) => fields(v, p, { min: statNonNegative, median: statNonNegative, max: statNonNegative }),
    })
    fields(root['config'], 'config', {
      workload: str,
      size: int(1),
      strategy: str,
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
          isolation: oneOf(['worker', 'process', 'inline']),
          gcBeforeSample: oneOf(['none', 'minor', 'major']),
        }),
      confidence: percentOpen,
      marginPercent: positive,
      familySize: int(1),
      engine: oneOf(['js', 'native']),
      runDefaults: bool,
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
          const arm = fields(a, ap, { label: str, plantedPercent: num(Number.NEGATIVE_INFINITY), values: list(positive), rounds: list(count), withinPercent: statNonNegative, betweenPercent: statNonNegative })
          const n = (arm['values'] as unknown[]).length
          if ((arm['rounds'] as unknown[]).length !== n) fail(`${ap}.rounds`, `one round per value (${n})`, `${(arm['rounds'] as unknown[]).length} rounds`)
        }),
        comparisons: list((c, cp) =>
          fields(c, cp, {
            label: str,
            ratio: statNonNegative,
            lower: statNonNegative,
            upper: statNonNegative,
            p: nullable(probability),
            significant: bool,
            verdict: oneOf(['faster', 'slower', 'no difference proven']),
            equivalenceP: nullable(probability),
            precisionPercent: statNonNegative,
          }),
        ),
      })
    })(root['trials'], 'trials')
  })
}

function shown(value: unknown): string {
  if (value === undefined) return 'missing'
  // JSON.stringify answers undefined for a function or a symbol, which a parsed file never holds.
  const text = JSON.stringify(value) as string | undefined
  return text === undefined ? typeof value : text.slice(0, 40)
}

/** A sweep file, checked; ResultFileError naming the first wrong field. */
export function checkSweepFields(data: unknown): SweepResult {
  const problem = sweepFieldProblem(data)
  if (problem !== null) throw new ResultFileError(`${problem.path === '' ? 'result' : problem.path}: expected ${problem.expected}, got ${shown(problem.value)}`)
  return data as SweepResult
}

/** A calibration file, checked; ResultFileError naming the first wrong field. */
export function checkCalibrationFields(data: unknown): CalibrationResult {
  const problem = calibrationFieldProblem(data)
  if (problem !== null) throw new ResultFileError(`${problem.path === '' ? 'result' : problem.path}: expected ${problem.expected}, got ${shown(problem.value)}`)
  return data as CalibrationResult
}
