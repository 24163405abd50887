// The "result may be unstable" lines of the run report: for each measured cell of a block whose
// isolate means fail the stability check (stats/stability.ts: CV above the calibrated threshold, an
// extreme far from the mean, or a trend over the run), one WARNING line and the reasons, then
// one hint per block. Built from the results file alone, so an old file warns the same way.

import type { MeasuredResultCell, ResultBlock, ResultConfig, RunResult } from '../results/run-schema.js'
import { minimumDetectableEffect } from '../stats/power.js'
import { MAX_CV_PERCENT, stabilityWarnings } from '../stats/stability.js'

/** Warning lines for one (workload, N) block; empty when every cell is stable. */
export function stabilityNotes(
  result: Pick<RunResult, 'cells'> & { readonly config: Pick<ResultConfig, 'isolates' | 'confidence'> },
  block: Pick<ResultBlock, 'workload' | 'size'>,
): string[] {
  const lines: string[] = []
  const cells = result.cells.filter(
    (cell): cell is MeasuredResultCell => cell.status === 'measured' && cell.workload === block.workload && cell.size === block.size,
  )
  for (const cell of cells) {
    const warnings = stabilityWarnings(cell.values)
    if (warnings.length === 0) continue
    lines.push(`WARNING: ${cell.strategy}: the result may be unstable`, ...warnings.map((w) => `* ${w.message}`))
  }
  if (lines.length > 0) {
    // The t-test power calculation: at I isolates, 80 % power at the run's confidence needs
    // a difference of d·CV; at the threshold CV that is the smallest difference such a cell resolves.
    const { isolates, confidence } = result.config
    const d = minimumDetectableEffect(isolates, 0.8, confidence)
    lines.push(
      `Verdicts involving these cells are weak: at ${isolates} isolates a cell resolves only differences of about ${d.toFixed(1)} × its CV ` +
        `(${(d * MAX_CV_PERCENT).toFixed(0)}% at the ${MAX_CV_PERCENT}% threshold). Rerun on a quieter machine or with more --isolates; ` +
        `\`gntbench calibrate\` says what this machine can resolve.`,
    )
  }
  return lines
}
