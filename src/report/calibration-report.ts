// The report of `gntbench calibrate`: what the trials say about this machine's verdicts, in the
// terms of the criterion (false "Difference" ≤ 5 % per comparison, Wilson upper bound ≤ 6.5 %;
// planted +5 % found with power ≥ 0.8), then the planted sizes with the effect actually measured.

import type { CalibrationResult } from '../results/calibration-schema.js'
import type { EffectEstimate } from '../stats/calibration.js'
import type { RateInterval } from '../stats/rate-interval.js'
import { describeDesign, formatPercent } from './run-report.js'
import type { Column } from './text-table.js'
import { markdownTable, textTable } from './text-table.js'

function rate(r: RateInterval): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
  return `${pct(r.rate)} (${r.k}/${r.n}; ${r.confidence}% Wilson ${pct(r.lower)}–${pct(r.upper)})`
}

function effect(e: EffectEstimate): string {
  return `${formatPercent(e.percent)} [${formatPercent(e.lowerPercent)}, ${formatPercent(e.upperPercent)}]`
}

const PLANTED_COLUMNS: readonly Column[] = [
  { title: 'planted', align: 'right' },
  { title: 'trials', align: 'right' },
  { title: 'measured effect [CI]', align: 'right' },
  { title: 'power (called slower)', align: 'left' },
  { title: 'median ± precision', align: 'right' },
]

/**
 * Whether a calibration's samples replayed streams of their own. Its trials keep no isolates to
 * tell from, but calibrate always times a generated cell on one engine: on the C engine from
 * version 8 on, each sample of a round replays its own stream (runner/native-round.ts).
 */
function streamPerSample(c: CalibrationResult['config']): boolean {
  return c.engine === 'native' && Number(c.native?.version) >= 8
}

function lines(result: CalibrationResult, table: (columns: readonly Column[], rows: string[][]) => string): string[] {
  const c = result.config
  const s = result.summary
  const e = result.environment
  const m = result.machine
  const fdr = s.falseDifference
  const meets = fdr.rate <= 0.05 && fdr.upper <= 0.065
  const out = [
    `gntbench calibrate '${result.name}': ${e.date}, ${(e.durationMs / 60000).toFixed(1)} min; Node ${e.node}, ${e.cpu.model} × ${e.cpu.cores}; git ${e.gitCommit?.slice(0, 12) ?? 'unknown'}${e.gitDirty === true ? ' (uncommitted changes)' : ''}`,
    `cell: ${c.workload}, N = ${c.size}, strategy ${c.strategy}, K = ${c.ops}; ${c.trials} trials${c.planted.length > 0 ? `, planted ${c.planted.map((p) => `+${p}%`).join(', ')} in the first ${c.plantedTrials}` : ''}; seed ${c.seed}`,
    `design: ${describeDesign({ ...c.design, ops: c.ops, engine: c.engine, native: c.native }, streamPerSample(c))}; engine ${c.engine}${c.runDefaults ? ` — run's defaults${c.engine === 'native' ? ' (run --engine native)' : ''}` : " — NOT run's defaults"}`,
    `load: ${m.before.loadAverage[0].toFixed(2)} before; ${m.roundLoad.min.toFixed(2)}–${m.roundLoad.max.toFixed(2)} (median ${m.roundLoad.median.toFixed(2)}) at the rounds${m.busy === null ? '' : `; BUSY MACHINE: ${m.busy}`}`,
    '',
    `A/A, false "Difference" per comparison: ${rate(fdr)} — ${meets ? 'meets' : 'does NOT meet'} the criterion (≤ 5 %, upper bound ≤ 6.5 %)`,
    `A/A, per suite of ${s.familySize} comparisons after Holm: ${rate(s.familyWise)} of suites with any false "Difference"`,
    `A/A proven equivalent within ±${c.marginPercent}% (TOST): ${rate(s.equivalentAA)}`,
    `A/A effect over trials (should be 0): ${effect(s.aaEffect)}; median precision of a comparison ±${s.medianPrecisionPercent.toFixed(1)}%`,
    '',
  ]
  if (s.planted.length > 0) {
    out.push(
      table(
        PLANTED_COLUMNS,
        s.planted.map((p) => [`+${p.plantedPercent}%`, String(p.trials), effect(p.measured), rate(p.power), `±${p.medianPrecisionPercent.toFixed(1)}%`]),
      ).trimEnd(),
      '',
    )
  }
  return out
}

export function formatCalibrationText(result: CalibrationResult): string {
  return `${lines(result, textTable).join('\n')}\n`
}

export function formatCalibrationMarkdown(result: CalibrationResult): string {
  return `# gntbench calibrate: ${result.name}\n\n${lines(result, markdownTable)
    .map((line) => (line === '' || line.startsWith('|') ? line : `${line}  `))
    .join('\n')}\n`
}
