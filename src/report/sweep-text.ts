// The answer of a sweep on the terminal: per workload and strategy the sizes timed, the growth
// exponent with its fit and class, the exponent of the counted work, then each workload's
// paragraph (`gntbench sweep` after a run, `gntbench report` from the file).

import type { SweepResult } from '../results/sweep-schema.js'
import { formatExponent, formatSize } from './sweep-paragraph.js'
import type { Column } from './text-table.js'
import { textTable } from './text-table.js'

/** The answer on the terminal: the exponent table, the crossovers and the paragraphs. */
export function formatSweepText(result: SweepResult): string {
  const columns: Column[] = [
    { title: 'workload', align: 'left' },
    { title: 'strategy', align: 'left' },
    { title: 'sizes timed', align: 'right' },
    { title: 'exponent', align: 'right' },
    { title: 'r²', align: 'right' },
    { title: 'class', align: 'left' },
    { title: 'work exponent', align: 'right' },
  ]
  const rows: string[][] = []
  for (const w of result.workloads) {
    for (const s of w.analysis.series) {
      const first = s.points[0]
      const last = s.points[s.points.length - 1]
      rows.push([
        w.name,
        s.strategy,
        first === undefined || last === undefined ? 'none' : `${formatSize(first.size)}…${formatSize(last.size)}`,
        s.growth === null ? 'n/a' : formatExponent(s.growth),
        s.growth === null ? 'n/a' : s.growth.rSquared.toFixed(3),
        s.growth === null ? 'n/a' : s.growth.growthClass,
        s.workGrowth === null ? 'n/a' : `N^${s.workGrowth.exponent.toFixed(2)}`,
      ])
    }
  }
  const paragraphs = result.workloads.map((w) => `${w.name} (N = ${w.sizeUnit}): ${w.paragraph}`)
  return `${textTable(columns, rows)}\n${paragraphs.join('\n\n')}\n`
}
