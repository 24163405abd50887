// What verdict agreement two runs' intervals would allow if they were narrower: the question
// behind "two runs of one commit agree on ≥ 95 % of their verdicts" once the runs agree as often
// as their widths say (gntbench compare's "the intervals' widths allow about …"). Takes compare's
// own log ratios of the two runs (results/compare-runs.ts commonLogRatios), scales every standard
// error by each factor, and prints what stats/expected-agreement.ts allows for the four-way
// family verdicts and for significance alone. A factor of 1 reproduces compare's own figures;
// 0.7 is about what twice the rounds would give.
//
//   node --import tsx scripts/agreement-by-width.ts OLD.json NEW.json [FACTOR ...]

import { commonLogRatios } from '../src/results/compare-runs.js'
import { readRunFile } from '../src/results/run-schema.js'
import { expectedAgreement } from '../src/stats/expected-agreement.js'
import type { MeasuredLogRatio } from '../src/stats/expected-agreement.js'

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
// compare's default confidence; its agreement tests each run at the run's own.
const pairs = commonLogRatios(oldRun, newRun, 95)
const alpha = [1 - oldRun.config.confidence / 100, 1 - newRun.config.confidence / 100] as const
const scaled = (m: MeasuredLogRatio, factor: number): MeasuredLogRatio => ({ ...m, logStandardError: factor * m.logStandardError })
process.stdout.write(`${pairs.length} comparisons in both runs; what the widths allow, scaled:\nwidth factor  four-way  significance alone\n`)
for (const factor of factors) {
  const narrower = pairs.map(([a, b]): [MeasuredLogRatio, MeasuredLogRatio] => [scaled(a, factor), scaled(b, factor)])
  const fourWay = expectedAgreement(narrower, { alpha })
  const significance = expectedAgreement(narrower, { alpha, equivalence: false })
  process.stdout.write(`${factor.toFixed(2).padStart(12)}  ${fourWay.toFixed(1).padStart(8)}  ${significance.toFixed(1).padStart(18)}\n`)
}
