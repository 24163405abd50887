// `gntbench compare OLD.json NEW.json`: cell-by-cell difference of two benchmark results with a
// verdict per cell. --fail-on-regression exits 1 when any cell got slower with significance
// (for CI); an unreadable or foreign file is one line and exit 2.

import { compareRuns } from '../runner/compare-runs.js'
import { readResultFile } from '../runner/result-file.js'
import { ResultFileError } from '../runner/result-schema.js'
import { formatCompareText } from '../report/compare-report.js'
import type { CliIo } from './main.js'
import { parseCommandArgs } from './parse-args.js'
import { parseConfidence } from './run.js'
import { UsageError } from './usage-error.js'

const COMMAND = 'gntbench compare'

export const COMPARE_USAGE = `usage: gntbench compare [options] OLD.json NEW.json

For every (workload, N, strategy) measured in both results files, compares the new replicates
with the old ones (Δ = new − old) and says faster / slower / no difference proven. Also lists
changed wrap outcomes, cells found in one file only, and differences of K, seed, Node or CPU.

options:
  --confidence C          two-sided confidence in percent (default 95)
  --ministat-compat       Debian ministat statistics (C ∈ 80 90 95 98 99 99.5)
  --fail-on-regression    exit 1 when a cell got slower with significance
  --json                  print the comparison as JSON
  -h, --help              this text
`

const OPTIONS = {
  confidence: { type: 'string' },
  'ministat-compat': { type: 'boolean' },
  'fail-on-regression': { type: 'boolean' },
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
  const compat = values['ministat-compat'] === true
  const confidence = values.confidence === undefined ? 95 : parseConfidence(COMMAND, values.confidence, compat)
  let oldRun
  let newRun
  try {
    oldRun = readResultFile(oldPath)
    newRun = readResultFile(newPath)
  } catch (error) {
    if (error instanceof ResultFileError) throw new UsageError(`${COMMAND}: ${error.message}`)
    throw error
  }
  const comparison = compareRuns(oldRun, newRun, { confidence, mode: compat ? 'ministat' : 'exact' })
  io.stdout(values.json === true ? `${JSON.stringify(comparison, null, 2)}\n` : formatCompareText(comparison, oldPath, newPath))
  if (values['fail-on-regression'] === true && comparison.regressions > 0) {
    io.stderr(`${COMMAND}: ${comparison.regressions} cell(s) got slower with significance\n`)
    return 1
  }
  return 0
}
