// The answer table the README shows, rendered from a results file alone (so a test can check
// that the README and the committed file agree): one row per workload, one column per size, and in
// each cell the fastest strategy's change against the block's baseline with its interval, then
// how the block's other verdicts came out (Holm-adjusted; '≈' = equivalent within the margin).

import { logAverage } from 'simple-statistics'
import type { MeasuredResultCell, RunResult } from '../results/run-schema.js'
import { formatRatio } from './run-report.js'
import { markdownTable } from './text-table.js'
import type { Column } from './text-table.js'

function sideText(sides: string): string {
  return sides === 'both' ? 'both sides' : `${sides} side`
}

/** The Markdown answer table of a run. */
export function formatAnswerTable(result: RunResult): string {
  const workloads = result.workloads.filter((w) => w.measure === 'timed')
  const rows: string[][] = []
  let widest = 0
  for (const w of workloads) {
    const blocks = result.blocks.filter((b) => b.workload === w.name).sort((a, b) => a.size - b.size)
    widest = Math.max(widest, blocks.length)
    const row: string[] = [`${w.name} (${sideText(w.sides)}; vs ${blocks[0]?.baseline ?? '—'})`]
    for (const block of blocks) {
      const size = block.size
      const at = `N = ${size.toLocaleString('en-US')}: `
      if (block.comparisons.length === 0) {
        row.push(`${at}—`)
        continue
      }
      const means = new Map(
        result.cells
          .filter((c): c is MeasuredResultCell => c.status === 'measured' && c.workload === w.name && c.size === size)
          .map((c) => [c.strategy, logAverage(c.values)]),
      )
      const best = [...block.comparisons].sort((a, b) => (means.get(a.strategy) ?? Infinity) - (means.get(b.strategy) ?? Infinity))[0]
      const baseMean = means.get(block.baseline ?? '') ?? Infinity
      const count = (verdict: string): number => block.comparisons.filter((c) => c.familyVerdict === verdict).length
      const tally = `${count('faster')} faster, ${count('slower')} slower, ${count('equivalent')} ≈, ${count('no difference proven')} unproven`
      if (best === undefined || (means.get(best.strategy) ?? Infinity) >= baseMean) {
        row.push(`${at}${block.baseline ?? '—'} fastest (${tally})`)
      } else {
        row.push(`${at}**${best.strategy}** ${formatRatio(best)} ${best.familyVerdict === 'faster' ? '' : `(${best.familyVerdict}) `}(${tally})`)
      }
    }
    rows.push(row)
  }
  const columns: Column[] = [{ title: 'workload (side; baseline)', align: 'left' }]
  for (let i = 0; i < widest; i++) columns.push({ title: i === 0 ? 'smallest N' : i === widest - 1 ? 'largest N' : 'N', align: 'left' })
  return markdownTable(columns, rows)
}
