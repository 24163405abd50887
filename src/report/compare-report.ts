// The report of `gntbench compare OLD NEW`: caveats first (what differs between the two runs),
// then one row per cell compared in both (relative: old and new ratio to the baseline; absolute:
// old and new ns/op; the change with its interval, Holm p and verdict), changed outcomes of the
// wrap study, the cells present in only one file, how far the host moved the same cells' speed,
// and how far the two runs' own verdicts agree.

import type { RunComparison } from '../results/compare-runs.js'
import { formatDrift, HOST_DRIFT_LIMIT_PERCENT } from '../results/host-drift.js'
import { formatMean, formatP, formatRatio } from './run-report.js'
import type { Column } from './text-table.js'
import { textTable } from './text-table.js'

function columns(mode: RunComparison['mode']): Column[] {
  const what = mode === 'relative' ? 'ratio to baseline' : 'ns/op'
  return [
    { title: 'workload', align: 'left' },
    { title: 'N', align: 'right' },
    { title: 'strategy', align: 'left' },
    { title: `old ${what}`, align: 'right' },
    { title: `new ${what}`, align: 'right' },
    { title: 'change [CI]', align: 'right' },
    { title: 'Holm p', align: 'right' },
    { title: 'verdict', align: 'left' },
  ]
}

export function formatCompareText(c: RunComparison, oldName: string, newName: string): string {
  const out: string[] = [`gntbench compare (${c.mode}): ${oldName} → ${newName}`]
  for (const caveat of c.caveats) out.push(`caveat: ${caveat}`)
  out.push('')
  if (c.cells.length > 0) {
    out.push(
      c.mode === 'relative'
        ? `change = new ratio (strategy ÷ its baseline) ÷ old ratio, with its ${c.confidence}% interval on the log scale; Holm-adjusted over all ${c.cells.length} cells; 'slower' (a regression) means the strategy lost ground against its baseline.`
        : `change = new geometric-mean ns/op ÷ old (Welch on log isolate means), ${c.confidence}% interval; Holm-adjusted over all ${c.cells.length} cells; 'slower' is a regression.`,
    )
    const value = (v: number): string => (c.mode === 'relative' ? v.toFixed(3) : formatMean(v))
    const rows = c.cells.map((cell) => [
      cell.workload,
      String(cell.size),
      c.mode === 'relative' ? `${cell.strategy} / ${cell.baseline ?? ''}` : cell.strategy,
      value(cell.before),
      value(cell.after),
      formatRatio(cell.comparison),
      formatP(cell.comparison.holmP),
      cell.comparison.familyVerdict,
    ])
    out.push(textTable(columns(c.mode), rows).trimEnd(), '')
  } else {
    out.push('no cell was compared in both files', '')
  }
  const changed = c.outcomes.filter((o) => o.before !== o.after)
  if (c.outcomes.length > 0) {
    out.push(changed.length === 0 ? `wrap outcomes: all ${c.outcomes.length} unchanged` : 'wrap outcomes that changed:')
    for (const o of changed) out.push(`  ${o.workload} N=${o.size} ${o.strategy}: ${o.before} → ${o.after}`)
    out.push('')
  }
  if (c.onlyOld.length > 0) out.push(`only in ${oldName}: ${c.onlyOld.join('; ')}`)
  if (c.onlyNew.length > 0) out.push(`only in ${newName}: ${c.onlyNew.join('; ')}`)
  const d = c.hostDrift
  if (d.medianPercent !== null && d.lowerQuartilePercent !== null && d.upperQuartilePercent !== null) {
    out.push(
      `host drift: the ${d.cells} cells in both runs moved a median ${formatDrift(d.medianPercent)} in ns/op (middle half ${formatDrift(d.lowerQuartilePercent)} to ` +
        `${formatDrift(d.upperQuartilePercent)}); ${d.beyondLimit ? 'beyond' : 'within'} ±${HOST_DRIFT_LIMIT_PERCENT}%, ${d.beyondLimit ? 'so the runs come from different host states' : 'one host state'}`,
    )
  }
  const a = c.agreement
  if (a !== null && a.comparisons > 0) {
    out.push(
      `agreement of the two runs' own verdicts: ${a.sameVerdict} of ${a.comparisons} the same (the intervals' widths allow about ${a.expectedSameVerdict.toFixed(1)}); ` +
        `in significance alone (faster, slower, neither) ${a.sameSignificance} (about ${a.expectedSameSignificance.toFixed(1)}); ` +
        `${a.outsideOther} of ${2 * a.comparisons} point estimates outside the other run's interval ` +
        `(chance alone: about ${a.expectedOutside.toFixed(1)})`,
    )
  }
  const faster = c.cells.filter((cell) => cell.comparison.familyVerdict === 'faster').length
  const verdicts = `${c.cells.length} cells compared: ${c.regressions} slower, ${faster} faster, ${c.cells.length - c.regressions - faster} without a proven change`
  out.push(d.beyondLimit ? `${verdicts} — from different host states, so not a finding about the code` : verdicts)
  return `${out.join('\n')}\n`
}
