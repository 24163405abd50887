// The report of `gntbench compare OLD NEW`: caveats first (what differs between the two runs),
// then one row per cell measured in both (old and new mean, Δ ± CI, verdict), changed outcomes
// of the wrap study, and the cells present in only one file.

import type { RunComparison } from '../runner/compare-runs.js'
import { formatMean, formatRelative } from './run-report.js'
import type { Column } from './text-table.js'
import { textTable } from './text-table.js'

const COLUMNS: readonly Column[] = [
  { title: 'workload', align: 'left' },
  { title: 'N', align: 'right' },
  { title: 'strategy', align: 'left' },
  { title: 'old ns/op', align: 'right' },
  { title: 'new ns/op', align: 'right' },
  { title: 'Δ new vs old ± CI', align: 'right' },
  { title: 'verdict', align: 'left' },
]

export function formatCompareText(c: RunComparison, oldName: string, newName: string): string {
  const out: string[] = [`gntbench compare: ${oldName} → ${newName}`]
  for (const caveat of c.caveats) out.push(`caveat: ${caveat}`)
  out.push('')
  if (c.cells.length > 0) {
    const level = Number.isInteger(c.confidence) ? `${c.confidence}.0%` : `${c.confidence}%`
    out.push(
      `Δ = new mean ns/op − old, ± the half-width of its ${level} confidence interval (${c.mode} statistics, design effect ${c.designEffect}), both in % of the old mean; ` +
        `'slower' (a regression) or 'faster' exactly when that interval excludes 0.`,
    )
    const rows = c.cells.map((cell) => [
      cell.workload,
      String(cell.size),
      cell.strategy,
      formatMean(cell.oldMean),
      formatMean(cell.newMean),
      formatRelative(cell.comparison, cell.oldMean),
      cell.comparison.verdict,
    ])
    out.push(textTable(COLUMNS, rows).trimEnd(), '')
  } else {
    out.push('no cell was measured in both files', '')
  }
  const changed = c.outcomes.filter((o) => o.before !== o.after)
  if (c.outcomes.length > 0) {
    out.push(changed.length === 0 ? `wrap outcomes: all ${c.outcomes.length} unchanged` : 'wrap outcomes that changed:')
    for (const o of changed) out.push(`  ${o.workload} N=${o.size} ${o.strategy}: ${o.before} → ${o.after}`)
    out.push('')
  }
  if (c.onlyOld.length > 0) out.push(`only in ${oldName}: ${c.onlyOld.join('; ')}`)
  if (c.onlyNew.length > 0) out.push(`only in ${newName}: ${c.onlyNew.join('; ')}`)
  const faster = c.cells.filter((cell) => cell.comparison.verdict === 'faster').length
  out.push(`${c.cells.length} cells compared: ${c.regressions} slower, ${faster} faster, ${c.cells.length - c.regressions - faster} without a proven difference`)
  return `${out.join('\n')}\n`
}
