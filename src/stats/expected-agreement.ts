// How many of two runs' verdicts would agree if both measured the same true ratios with the
// widths they had: a verdict near its interval's edge comes out "proven" in one run and not in
// the other by chance, and the narrower the intervals the rarer that is. So the agreement of two
// runs, taken alone, mixes trust with precision; set beside what the widths allow, it says
// whether the runs disagree more than their intervals admit.
//
// The simulation takes each comparison's true log ratio to be the two runs' inverse-variance
// pooled estimate (a plug-in, as in S. N. Goodman, "A comment on replication, p-values and
// evidence", Statistics in Medicine 11, 1992: the chance that a result replicates, computed with
// the observed effect as the truth), draws each run's estimate around it with the run's standard
// error, tests it with the run's t degrees of freedom, adjusts each run's family by Holm, and
// counts the comparisons whose verdicts match. A verdict is what a run's family gives
// (results/run-records.ts adjustFamily): faster or slower when the Holm-adjusted difference test
// rejects, else "equivalent" when the Holm-adjusted TOST within the comparison's margin does, else
// not proven — so that the count is set beside the runs' own four-way agreement, like with like.
// Seeded: the same inputs give the same answer.

import { holmAdjust } from './holm.js'
import { normalDeviates, seededUniform } from './seeded-uniform.js'
import { tostP } from './ratio.js'
import { tTwoSidedTail } from './student-t.js'

/** One comparison as measured by one run: its log ratio, the standard error of it, the t df, and its equivalence margin (none: never "equivalent"). */
export interface MeasuredLogRatio {
  readonly logRatio: number
  readonly logStandardError: number
  readonly df: number
  readonly marginPercent?: number
}

export interface ExpectedAgreementOptions {
  /** Two-sided level of each run's family tests (0.05 at 95 %), first run and second. */
  readonly alpha: readonly [number, number]
  readonly simulations?: number
  readonly seed?: number
  /** false: verdicts in significance alone — faster, slower or neither, no equivalence test (default true). */
  readonly equivalence?: boolean
}

function pooled(a: MeasuredLogRatio, b: MeasuredLogRatio): number {
  const wa = a.logStandardError > 0 ? 1 / a.logStandardError ** 2 : Infinity
  const wb = b.logStandardError > 0 ? 1 / b.logStandardError ** 2 : Infinity
  if (wa === Infinity && wb === Infinity) return (a.logRatio + b.logRatio) / 2
  if (wa === Infinity) return a.logRatio
  if (wb === Infinity) return b.logRatio
  return (wa * a.logRatio + wb * b.logRatio) / (wa + wb)
}

/** The TOST p of estimate x within the comparison's margin; 1 (never equivalent) without one, or when not tested. */
function equivalenceP(x: number, { logStandardError: se, df, marginPercent }: MeasuredLogRatio, tested: boolean): number {
  return !tested || marginPercent === undefined ? 1 : tostP(x, se, df, marginPercent)
}

const EQUIVALENT = 2

/** −1 faster, +1 slower, 2 equivalent, 0 not proven, for one simulated run of every comparison. */
function simulatedVerdicts(truth: readonly number[], run: readonly MeasuredLogRatio[], alpha: number, equivalence: boolean, normal: () => number, out: Int8Array): void {
  const estimates = truth.map((theta, k) => theta + (run[k] as MeasuredLogRatio).logStandardError * normal())
  const p = estimates.map((x, k) => {
    const { logStandardError: se, df } = run[k] as MeasuredLogRatio
    return se > 0 ? tTwoSidedTail(x / se, df) : x === 0 ? 1 : 0
  })
  const equivalent = holmAdjust(estimates.map((x, k) => equivalenceP(x, run[k] as MeasuredLogRatio, equivalence)))
  holmAdjust(p).forEach((adjusted, k) => {
    if (adjusted < alpha) out[k] = (estimates[k] as number) < 0 ? -1 : 1
    else out[k] = (equivalent[k] as number) < alpha ? EQUIVALENT : 0
  })
}

/** The mean number of comparisons (pairs[k] = the same comparison in run 1 and run 2) whose verdicts agree. */
export function expectedAgreement(pairs: readonly (readonly [MeasuredLogRatio, MeasuredLogRatio])[], options: ExpectedAgreementOptions): number {
  if (pairs.length === 0) return 0
  const simulations = options.simulations ?? 400
  const equivalence = options.equivalence ?? true
  const normal = normalDeviates(seededUniform(options.seed ?? 1))
  const truth = pairs.map(([a, b]) => pooled(a, b))
  const first = pairs.map(([a]) => a)
  const second = pairs.map(([, b]) => b)
  const v1 = new Int8Array(pairs.length)
  const v2 = new Int8Array(pairs.length)
  let same = 0
  for (let s = 0; s < simulations; s++) {
    simulatedVerdicts(truth, first, options.alpha[0], equivalence, normal, v1)
    simulatedVerdicts(truth, second, options.alpha[1], equivalence, normal, v2)
    for (let k = 0; k < pairs.length; k++) if (v1[k] === v2[k]) same++
  }
  return same / simulations
}
