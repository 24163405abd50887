// "Does the verdict transfer?" — the same suite run on both engines (`gntbench run --engine both`),
// comparison by comparison: the JS model's ratio to the baseline and its family verdict beside the
// C engine's. A verdict transfers when both engines reach the same family verdict; the rows that
// do not are listed with the counted work (nodes visited + key comparisons per op, an untimed
// replay; identical in both languages), which says what the structures themselves do.

import type { JsonComparison, RunResult } from '../results/run-schema.js'
import { formatRatio, verdictText } from './run-report.js'
import type { Column } from './text-table.js'
import { markdownTable, textTable } from './text-table.js'

export interface TransferRow {
  readonly workload: string
  readonly size: number
  readonly strategy: string
  readonly baseline: string
  readonly js: JsonComparison
  readonly native: JsonComparison
  readonly transfers: boolean
}

/** Counted work per op of strategy and baseline, for a row that does not transfer (null: unknown). */
export type CountedWork = (row: TransferRow) => { strategy: number; baseline: number } | null

export function transferRows(js: RunResult, native: RunResult): TransferRow[] {
  const rows: TransferRow[] = []
  for (const block of js.blocks) {
    const other = native.blocks.find((b) => b.workload === block.workload && b.size === block.size && b.baseline === block.baseline)
    if (other === undefined || block.baseline === null) continue
    for (const c of block.comparisons) {
      const n = other.comparisons.find((x) => x.strategy === c.strategy)
      if (n === undefined) continue
      rows.push({ workload: block.workload, size: block.size, strategy: c.strategy, baseline: block.baseline, js: c, native: n, transfers: c.familyVerdict === n.familyVerdict })
    }
  }
  return rows
}

const COLUMNS: readonly Column[] = [
  { title: 'workload', align: 'left' },
  { title: 'N', align: 'right' },
  { title: 'strategy / baseline', align: 'left' },
  { title: 'JS change [CI]', align: 'right' },
  { title: 'JS verdict', align: 'left' },
  { title: 'C change [CI]', align: 'right' },
  { title: 'C verdict', align: 'left' },
  { title: 'counted work ratio', align: 'right' },
]

function table(rows: readonly TransferRow[], work: CountedWork, render: (columns: readonly Column[], rows: string[][]) => string): string {
  return render(
    COLUMNS,
    rows.map((r) => {
      const w = work(r)
      return [
        r.workload,
        String(r.size),
        `${r.strategy} / ${r.baseline}`,
        formatRatio(r.js),
        verdictText(r.js),
        formatRatio(r.native),
        verdictText(r.native),
        w === null ? 'n/a' : (w.strategy / w.baseline).toFixed(2),
      ]
    }),
  )
}

export function formatTransfer(rows: readonly TransferRow[], work: CountedWork, markdown = false): string {
  const kept = rows.filter((r) => r.transfers).length
  const differ = rows.filter((r) => !r.transfers)
  const direction = differ.filter((r) => (r.js.familyVerdict === 'faster' && r.native.familyVerdict === 'slower') || (r.js.familyVerdict === 'slower' && r.native.familyVerdict === 'faster')).length
  const head =
    `Does the verdict transfer? ${kept} of ${rows.length} comparisons reach the same family verdict in JS and in C; ` +
    `${differ.length} differ (${direction} in direction, the rest in significance or equivalence). The ones that differ, with the counted work (strategy ÷ baseline per op):`
  return `${head}\n\n${differ.length === 0 ? '(none)\n' : table(differ, work, markdown ? markdownTable : textTable)}`
}
