// `gntbench compare OLD.json NEW.json`: did the relative standing of the strategies change
// between two runs (or, with --absolute, their ns/op)? Holm-adjusted verdicts per cell.
// --fail-on-regression exits 1 when any cell got slower after the adjustment (for CI), and 3
// when the runs were made in different host states (host-drift.ts), where identical code was
// called slower: such a gate neither passes nor fails, it cannot tell. An unreadable or foreign
// file, or two files with no cell in common, is one line and exit 2.

import { compareRuns } from '../results/compare-runs.js'
import { formatDrift, HOST_DRIFT_LIMIT_PERCENT } from '../results/host-drift.js'
import { readRunFile } from '../results/run-schema.js'
import { ResultFileError } from '../results/validate.js'
import { formatCompareText } from '../report/compare-report.js'
import { confidenceValue, parseCommandArgs } from './options.js'
import type { CliIo } from './main.js'
import { UsageError } from '../errors.js'

const COMMAND = 'gntbench compare'

export const COMPARE_USAGE = `usage: gntbench compare [options] OLD.json NEW.json

By default, for every (workload, N, strategy) compared with the same baseline in both results
files, compares the new ratio strategy ÷ baseline with the old one: "did the relative standing
change?" A change that slows every strategy alike cancels there; --absolute compares ns/op
instead (with a warning: it does not cancel). Every comparison is a ratio with a log-scale
interval; the family is Holm-adjusted. First lists what makes the runs less comparable (CPU,
cores, Node, design, seed, a busy machine, a host whose noise — the median within-isolate sample
CV — differed by half or more, a host whose state moved the same cells' ns/op by a median beyond
±3 %), then changed wrap outcomes, cells found in one file only, and how far the two runs' own
verdicts agree (all four, and in significance alone: faster, slower, neither) beside what their
intervals' widths allow. A host that moved does not
slow every strategy alike: between C runs of one commit 17–21 % apart, the ratios of strategies
more than twice as fast as their baseline rose a median 11–13 %, and 13–18 of 162 cells read
"slower".

options:
  --confidence C          two-sided confidence in percent (default 95)
  --absolute              compare ns/op of each cell instead of its ratio to the baseline
  --fail-on-regression    exit 1 when a cell got slower (after Holm's adjustment); exit 3, whatever
                          the verdicts, when the host's state moved the same cells beyond ±3 %
  --allow-host-drift      with --fail-on-regression: gate on the verdicts even then (when code
                          every strategy shares changed, which moves every cell too)
  --json                  print the comparison as JSON
  -h, --help              this text

Exit status: 0 compared (no regression, or no --fail-on-regression); 1 a regression with
--fail-on-regression; 3 with --fail-on-regression, runs from different host states (the table is
printed; nothing is concluded); 2 a bad option, a file that is unreadable, not a run's results
(a sweep or calibration file), or wrong in any field (the field's path is named), two files with
no cell in common, or --fail-on-regression with no timed cell in common.
`

const OPTIONS = {
  confidence: { type: 'string' },
  absolute: { type: 'boolean' },
  'fail-on-regression': { type: 'boolean' },
  'allow-host-drift': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

export async function main(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, { args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  if (values.help === true) {
    io.stdout(COMPARE_USAGE)
    return 0
  }
  if (positionals.length !== 2) throw new UsageError(`${COMMAND}: needs two results files, OLD.json NEW.json (got ${positionals.length})`)
  const [oldPath, newPath] = positionals as [string, string]
  if (values['allow-host-drift'] === true && values['fail-on-regression'] !== true) {
    throw new UsageError(`${COMMAND}: --allow-host-drift only changes what --fail-on-regression does; give both`)
  }
  const confidence = values.confidence === undefined ? 95 : confidenceValue(COMMAND, values.confidence, false)
  let oldRun
  let newRun
  try {
    oldRun = readRunFile(oldPath)
    newRun = readRunFile(newPath)
  } catch (error) {
    if (error instanceof ResultFileError) throw new UsageError(`${COMMAND}: ${error.message}`)
    throw error
  }
  const comparison = compareRuns(oldRun, newRun, { confidence, absolute: values.absolute === true })
  if (comparison.cells.length === 0 && comparison.outcomes.length === 0) {
    throw new UsageError(`${COMMAND}: ${oldPath} and ${newPath} have no cell in common (nothing to compare)`)
  }
  if (values['fail-on-regression'] === true && comparison.cells.length === 0) {
    // Only outcome (wrap) cells in common: a CI gate that passes because it checked nothing would lie.
    throw new UsageError(`${COMMAND}: ${oldPath} and ${newPath} have no timed cell in common, so --fail-on-regression has nothing to check`)
  }
  io.stdout(values.json === true ? `${JSON.stringify(comparison, null, 2)}\n` : formatCompareText(comparison, oldPath, newPath))
  const drift = comparison.hostDrift
  if (values['fail-on-regression'] === true && drift.beyondLimit && values['allow-host-drift'] !== true) {
    io.stderr(
      `${COMMAND}: not comparable: the same cells' ns/op moved a median ${formatDrift(drift.medianPercent ?? 0)} (beyond ±${HOST_DRIFT_LIMIT_PERCENT}%), ` +
        "so the host's state differed; rerun both in one state, or pass --allow-host-drift\n",
    )
    return 3
  }
  if (values['fail-on-regression'] === true && comparison.regressions > 0) {
    io.stderr(`${COMMAND}: ${comparison.regressions} cell(s) got slower (Holm-adjusted)\n`)
    return 1
  }
  return 0
}
