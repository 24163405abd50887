// `gntbench report FILE`: render a results file of `gntbench run` (or `replay --json`'s timed
// part) again, from the file alone: the whole report as text or Markdown, or only the answer
// table that the README embeds (--table answer). A sweep or calibration file (its `kind` says
// which) is rendered as its command renders it. The README's tables are this command's output
// for the committed files, and a test keeps them in step.

import type { AnyResult } from '../results/read.js'
import { readResultsFile } from '../results/read.js'
import { ResultFileError } from '../results/validate.js'
import { formatAnswerTable } from '../report/answer-table.js'
import { formatCalibrationMarkdown, formatCalibrationText } from '../report/calibration-report.js'
import { sweepDocument } from '../report/sweep-document.js'
import { renderMarkdown } from '../report/sweep-markdown.js'
import { formatSweepText } from '../report/sweep-text.js'
import { formatTransfer, transferRows } from '../report/transfer-table.js'
import { parseCommandArgs } from './options.js'
import { countedWorkOf } from './run.js'
import { formatRunMarkdown, formatRunText } from '../report/run-report.js'
import type { CliIo } from './main.js'
import { UsageError } from '../errors.js'

const COMMAND = 'gntbench report'

export const REPORT_USAGE = `usage: gntbench report [options] FILE.json

Renders a results file of \`gntbench run\` from the file alone; a file of \`gntbench sweep\` or
\`gntbench calibrate\` as that command renders it.

options:
  --format F        text (default) or md
  --table answer    only the answer table (Markdown): per workload and size, the fastest strategy's
                    change against the baseline with its interval, and the block's verdict counts
  --transfer C.json only the verdict-transfer table (Markdown) of FILE (the JS run) against C.json
                    (the same suite with --engine native), with the counted work
  -h, --help        this text

Exit status: 0 rendered; 2 a bad option, or a file that is unreadable, not a run's results (a
sweep or calibration file) or wrong in a field (its path is named, e.g. cells[3].values[0]).
`

const OPTIONS = {
  format: { type: 'string' },
  table: { type: 'string' },
  transfer: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export async function main(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, { args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  if (values.help === true) {
    io.stdout(REPORT_USAGE)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`${COMMAND}: needs one results file (got ${positionals.length})`)
  const format = values.format ?? 'text'
  if (format !== 'text' && format !== 'md') throw new UsageError(`${COMMAND}: --format must be 'text' or 'md', got '${format}'`)
  if (values.table !== undefined && values.table !== 'answer') throw new UsageError(`${COMMAND}: --table must be 'answer', got '${values.table}'`)
  const read = (path: string, flag: string): AnyResult => {
    try {
      return readResultsFile(path)
    } catch (error) {
      if (error instanceof ResultFileError) throw new UsageError(`${COMMAND}: ${flag}${error.message}`)
      throw error
    }
  }
  const file = read(positionals[0] as string, '')
  if (file.kind !== 'run') {
    if (values.transfer !== undefined || values.table !== undefined) throw new UsageError(`${COMMAND}: --table and --transfer take a run file, not a ${file.kind} file`)
    if (file.kind === 'sweep') io.stdout(format === 'md' ? renderMarkdown(sweepDocument(file.result)) : formatSweepText(file.result))
    else io.stdout(format === 'md' ? formatCalibrationMarkdown(file.result) : formatCalibrationText(file.result))
    return 0
  }
  const result = file.result
  if (values.transfer !== undefined) {
    const native = read(values.transfer, '--transfer: ')
    if (native.kind !== 'run') throw new UsageError(`${COMMAND}: --transfer: ${values.transfer} is a ${native.kind} file, not a run file`)
    io.stdout(formatTransfer(transferRows(result, native.result), countedWorkOf(result.config), true))
  } else if (values.table === 'answer') io.stdout(formatAnswerTable(result))
  else io.stdout(format === 'md' ? formatRunMarkdown(result) : formatRunText(result, { width: io.isTty && io.columns !== undefined ? Math.max(40, io.columns - 2) : 74 }))
  return 0
}
