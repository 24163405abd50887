// The report of `gntbench calibrate`, from a calibration result alone: what was measured and
// where (with the load average, since other processes are part of the noise), the A/A false
// "Difference" rates, the planted differences' power, the noise and independence diagnostics,
// the power calculation, and the advice in words. Text for the terminal, Markdown for the .md.

import type { CalibrationAnalysis, RateEstimate, VerdictTest } from '../calibrate/analysis.js'
import type { CalibrationResult } from '../calibrate/calibration-schema.js'
import type { Column } from './text-table.js'
import { markdownTable, textTable } from './text-table.js'
import { describeDesignEffect, describeIsolation } from './run-report.js'

type Table = (columns: readonly Column[], rows: readonly (readonly string[])[]) => string

function pct(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)}%` : 'n/a'
}

function rate(r: RateEstimate): string {
  return `${pct(r.rate * 100)} (${r.k}/${r.n})`
}

function interval(r: RateEstimate, which: 'wilson' | 'exact'): string {
  const [lo, hi] = r[which]
  return `${pct(lo * 100)}–${pct(hi * 100)}`
}

const TEST_NAMES: Readonly<Record<VerdictTest, string>> = {
  student: "pooled Student's t",
  welch: "Welch's t",
  auto: 'auto (what `run` uses)',
}

function header(result: CalibrationResult): string[] {
  const { environment: env, config, load } = result
  const isolate =
    config.isolate === 'process'
      ? describeIsolation('process')
      : `${describeIsolation('worker', 'dataset')}, fresh every ${config.trialsPerHost} trial${config.trialsPerHost === 1 ? '' : 's'}`
  return [
    `gntbench calibrate '${result.name}': ${env.date}, Node ${env.node} (V8 ${env.v8}), ${env.cpu.model} × ${env.cpu.cores}, ${env.os.platform} ${env.os.release}`,
    `git ${env.gitCommit?.slice(0, 12) ?? 'unknown'}${env.gitDirty === true ? ' (dirty)' : ''}; seed ${env.seed}; command: ${env.commandLine.join(' ')}`,
    `load average (1 min): ${load.start[0]?.toFixed(2) ?? '?'} at start, ${load.end[0]?.toFixed(2) ?? '?'} at end; over trials min ${load.trialMin.toFixed(2)}, median ${load.trialMedian.toFixed(2)}, max ${load.trialMax.toFixed(2)} (${env.cpu.cores} cores)`,
    `cell: ${config.workload} N=${config.size} on ${config.strategy}; ${config.trials} trials × R = ${config.replicates} replicates × K = ${result.opsPerReplicate} ops; ` +
      `warmup ≥ ${config.warmupIterations} replicates / ${config.warmupMs} ms; ${config.confidence}% confidence; ${isolate}; ` +
      `${config.runDefaults ? "`run`'s default R, K and warmup" : 'NOT `run`\'s defaults'}; GC before each replicate: ${env.gcBetweenReplicates ? 'yes' : 'no'}; ${Math.round(env.durationMs / 1000)} s`,
    ...(result.reanalysis === undefined
      ? []
      : [
          `re-analysed from the saved trials ${result.reanalysis.date} by git ${result.reanalysis.gitCommit?.slice(0, 12) ?? 'unknown'}${result.reanalysis.gitDirty === true ? ' (dirty)' : ''}: ` +
            `${result.reanalysis.commandLine.join(' ')}`,
        ]),
  ]
}

function sections(result: CalibrationResult, table: Table, heading: (text: string) => string): string[] {
  const a: CalibrationAnalysis = result.analysis
  const out: string[] = []
  out.push(heading(`A/A: the same strategy as two datasets (nominal false-Difference rate ${pct(a.nominalFalsePositivePercent)})`))
  out.push(
    table(
      [
        { title: 'test', align: 'left' },
        { title: 'false "Difference"', align: 'right' },
        { title: 'Wilson 95% CI', align: 'right' },
        { title: 'exact 95% CI', align: 'right' },
      ],
      (['student', 'welch', 'auto'] as const).map((test) => {
        const r = a.aa.differences[test]
        return [TEST_NAMES[test], rate(r), interval(r, 'wilson'), interval(r, 'exact')]
      }),
    ),
  )
  const d = a.aa.designEffect
  out.push(
    `Verdicts judged as \`run\` judges them with ${describeDesignEffect(d)}; ` +
      `the plain t-test (auto, design effect 1) gives ${rate(a.aa.plainAuto)} (Wilson ${interval(a.aa.plainAuto, 'wilson')}); ` +
      `design effect at which these trials stay within the nominal ${pct(a.nominalFalsePositivePercent)}: ` +
      `${a.aa.designEffectNeeded === null ? 'none up to 4' : `about ${a.aa.designEffectNeeded}`}\n`,
  )
  if (a.control !== null) {
    out.push(heading('Control: the planted wrapper with no extra work, against A'))
    out.push(
      `${a.control.label}: measured ${pct(a.control.measuredPercent.mean, 2)} ± ${pct(a.control.measuredPercent.halfWidth, 2)} (the indirection alone); ` +
        `"Difference" in ${rate(a.control.differences)} of trials\n`,
    )
  }
  if (a.planted.length > 0) {
    out.push(heading('Planted differences: +p% extra store lookups against A (power = detected as slower; effect = geometric mean of the ratios of means)'))
    out.push(
      table(
        [
          { title: 'planted', align: 'left' },
          { title: 'measured effect ± 95% CI', align: 'right' },
          { title: 'vs control', align: 'right' },
          { title: 'power (auto)', align: 'right' },
          { title: 'Wilson 95% CI', align: 'right' },
          { title: 'power (Student)', align: 'right' },
          { title: 'power (Welch)', align: 'right' },
          { title: 'predicted', align: 'right' },
          { title: 'wrong way', align: 'right' },
        ],
        a.planted.map((p) => [
          p.label,
          `${pct(p.measuredPercent.mean, 2)} ± ${pct(p.measuredPercent.halfWidth, 2)}`,
          p.measuredVsControlPercent === null ? '—' : `${pct(p.measuredVsControlPercent.mean, 2)} ± ${pct(p.measuredVsControlPercent.halfWidth, 2)}`,
          rate(p.power.auto),
          interval(p.power.auto, 'wilson'),
          pct(p.power.student.rate * 100),
          pct(p.power.welch.rate * 100),
          pct(p.predictedPower * 100),
          String(p.wrongDirection),
        ]),
      ),
    )
  }
  const n = a.noise
  out.push(heading('Noise'))
  out.push(
    [
      `per-cell CV, all cells: median ${pct(n.cvPercent.median)}, 90th percentile ${pct(n.cvPercent.p90)}, 95th ${pct(n.cvPercent.p95)}, max ${pct(n.cvPercent.max)}`,
      `A and A' cells: median (typical) ${pct(n.typicalCvPercent)}, 90th percentile ${pct(n.p90CvPercent)}, root-mean-square ${pct(n.pooledCvPercent)}`,
      `A/A difference of means over trials (in % of A's grand mean): sd ${pct(n.aaDifferenceSdPercent, 2)} observed vs ${pct(n.aaDifferenceSdExpectedPercent, 2)} expected from the within-cell variances → ` +
        `variance inflation VIF = ${n.varianceInflation.toFixed(2)} (p = ${n.varianceInflationP.toPrecision(2)}; 1 = independent replicates); ` +
        `over the ${n.stableTrials} trials without a stability warning: VIF = ${n.varianceInflationStable.toFixed(2)} (p = ${n.varianceInflationStableP.toPrecision(2)})`,
      `A' against A over all trials (geometric mean of the ratios of means): ${pct(n.aaMeanDifferencePercent.mean, 2)} ± ${pct(n.aaMeanDifferencePercent.halfWidth, 2)} (a label or order bias would show here)`,
      n.hostEffect === null
        ? 'host effect: not tested (one set of hosts)'
        : `host effect (ln of the A′/A median ratio between ${n.hostEffect.generations} sets of hosts vs within): F(${n.hostEffect.df1}, ${n.hostEffect.df2}) = ${n.hostEffect.f.toFixed(2)}, ` +
          `p = ${n.hostEffect.p.toPrecision(2)}; between-set shift sd ≈ ${pct(n.hostEffect.betweenSdPercent, 2)}`,
      '',
    ].join('\n'),
  )
  const ind = a.independence
  out.push(heading('Independence of replicates (in the order measured)'))
  out.push(
    [
      `cells with a trend (Spearman, 5%): ${rate(ind.drifting)}, CI ${interval(ind.drifting, 'wilson')} (nominal 5%); mean ρ = ${ind.meanRho.toFixed(3)} (p = ${ind.meanRhoP.toPrecision(2)})`,
      `cells with positive lag-1 autocorrelation (5%): ${rate(ind.autocorrelated)}, CI ${interval(ind.autocorrelated, 'wilson')} (nominal ≈ 2.5%); mean r₁ = ${ind.meanLag1.toFixed(3)} vs ${ind.lag1Null.toFixed(3)} if independent (p = ${ind.meanLag1P.toPrecision(2)})`,
      `by round (median % above the cell median): ${ind.roundProfilePercent.map((v) => v.toFixed(1)).join(' ')}`,
      `by position in the round: ${ind.positionProfilePercent.map((v) => v.toFixed(1)).join(' ')}`,
      '',
    ].join('\n'),
  )
  const s = a.stability
  out.push(heading('The `run` warning ("result may be unstable")'))
  out.push(
    [
      `cells warned about: ${rate(s.warnedCells)}`,
      `A/A false "Difference" when neither cell is warned: ${rate(s.falsePositiveUnwarned)}, CI ${interval(s.falsePositiveUnwarned, 'wilson')}; when one is: ${rate(s.falsePositiveWarned)}, CI ${interval(s.falsePositiveWarned, 'wilson')}`,
      '',
    ].join('\n'),
  )
  const p = a.power
  out.push(heading('Power calculation'))
  out.push(
    [
      `two-sample t-test, R = ${p.replicates} per strategy, df = ${2 * p.replicates - 2}, ${p.confidence}% two-sided, power ${p.targetPower}: noncentral t with δ = d·√(R/(2D)), design effect D = ${a.aa.designEffect};`,
      `smallest detectable effect d = ${p.mdeEffectSize.toFixed(3)} σ → × typical CV ${pct(a.noise.typicalCvPercent)} = ${pct(p.mdePercent)}; ` +
        `× 90th-percentile CV ${pct(a.noise.p90CvPercent)} = ${pct(p.mdeP90Percent)}; from the A/A spread (e + 0.84·sd of the A/A difference) instead: ${pct(p.mdeEmpiricalPercent)}`,
      `replicates needed at the typical CV (smallest R with power ≥ 0.8): ${p.replicatesFor.map((r) => `${r.differencePercent}% → ${r.replicates ?? '> 10⁶'}`).join(', ')}`,
      '',
    ].join('\n'),
  )
  out.push(heading('Advice'))
  out.push(a.advice.map((line) => `* ${line}`).join('\n') + '\n')
  return out
}

export function formatCalibrationText(result: CalibrationResult): string {
  return [...header(result), '', ...sections(result, textTable, (text) => `== ${text} ==`)].join('\n')
}

export function formatCalibrationMarkdown(result: CalibrationResult): string {
  return [
    `# Calibration '${result.name}'`,
    '',
    ...header(result).map((line) => `${line}  `),
    '',
    ...sections(result, markdownTable, (text) => `## ${text}\n`),
  ].join('\n')
}
