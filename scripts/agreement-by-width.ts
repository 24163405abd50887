// What verdict agreement two runs' intervals would allow if they were narrower: the question
// behind "two runs of one commit agree on ≥ 95 % of their verdicts" once the runs agree as often
// as their widths say (gntbench compare's "the intervals' widths allow about …"). Takes two run
// files, rebuilds each stored comparison's log-scale standard error from its interval and t df,
// scales every standard error by each factor, and prints what src/stats/expected-agreement.ts
// allows for the four-way family verdicts and for significance alone (no equivalence margin).
// A factor of 1 reproduces compare's own figures; 0.7 is about what twice the rounds would give.
//
//   node --import tsx scripts/agreement-by-width.ts OLD.json NEW.json [FACTOR ...]

import { readRunFile } from '../src/results/run-schema.js'
import type { RunResult } from '../src/results/run-schema.js'
import { expectedAgreement } from '../src/stats/expected-agreement.js'
import type { MeasuredLogRatio } from '../src/stats/expected-agreement.js'
import { tQuantile } from '../src/stats/student-t.js'

type Stored = RunResult['blocks'][number]['comparisons'][number]

function storedComparisons(run: RunResult): Map<string, Stored> {
  return new Map(run.blocks.flatMap((b) => b.comparisons.map((c) => [`${b.workload} N=${b.size} ${b.baseline ?? '-'} ${c.strategy}`, c] as const)))
}

function measured(c: Stored, factor: number, withMargin: boolean): MeasuredLogRatio {
  const logStandardError = (factor * Math.log(c.upper / c.lower)) / (2 * tQuantile(c.confidence, c.df))
  const base = { logRatio: Math.log(c.ratio), logStandardError, df: c.df }
  return withMargin ? { ...base, marginPercent: c.marginPercent } : base
}

const [oldPath, newPath, ...factorTexts] = process.argv.slice(2)
if (oldPath === undefined || newPath === undefined) {
  process.stderr.write('usage: agreement-by-width.ts OLD.json NEW.json [FACTOR ...]\n')
  process.exit(2)
}
const factors = factorTexts.length > 0 ? factorTexts.map(Number) : [1, 0.9, 0.8, 0.7, 0.6, 0.5]
if (!factors.every((f) => Number.isFinite(f) && f > 0)) {
  process.stderr.write(`agreement-by-width.ts: a FACTOR must be a number > 0 (got ${factorTexts.join(' ')})\n`)
  process.exit(2)
}
const oldRun = readRunFile(oldPath)
const newRun = readRunFile(newPath)
const before = storedComparisons(oldRun)
const after = storedComparisons(newRun)
const keys = [...before.keys()].filter((k) => after.has(k))
const alpha = [1 - oldRun.config.confidence / 100, 1 - newRun.config.confidence / 100] as const
process.stdout.write(`${keys.length} comparisons in both runs; what the widths allow, scaled:\nwidth factor  four-way  significance alone\n`)
for (const factor of factors) {
  const pairs = (withMargin: boolean): [MeasuredLogRatio, MeasuredLogRatio][] =>
    keys.map((k) => [measured(before.get(k) as Stored, factor, withMargin), measured(after.get(k) as Stored, factor, withMargin)])
  const fourWay = expectedAgreement(pairs(true), { alpha })
  const significance = expectedAgreement(pairs(false), { alpha })
  process.stdout.write(`${factor.toFixed(2).padStart(12)}  ${fourWay.toFixed(1).padStart(8)}  ${significance.toFixed(1).padStart(18)}\n`)
}
