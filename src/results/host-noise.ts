// How noisy the host was during a run, from the run's own samples: the median over its measured
// cells of the within-isolate sample CV (the variance component between the samples of one
// isolate — for C, of one strategy in one engine process). On this 2-core guest the C suite reads
// 2–3 % with the host quiet and 5–10 % in a noisy spell. Two runs whose noise differs this much
// have intervals of different widths, and `compare` lists it as a caveat; whether the host's
// state also moved the cells' speed, and with it the ratios, is host-drift.ts's question (a noise
// difference alone did not: 6.6 % against 4.0 % in two runs of one commit, the same ratios).
// From C engine version 8 each sample of an isolate replays a stream of its own, so the same CV
// also carries how a strategy's own speed varies from stream to stream: it is no longer the host's
// noise alone (3.4 % against 2.8 % for version 6 in the same quiet spell), and it is comparable
// only between runs whose samples replayed streams alike.

import { median } from 'simple-statistics'
import type { RunResult } from './run-schema.js'

/** Median within-isolate sample CV over the run's measured cells, percent; null without any. */
export function hostNoisePercent(run: RunResult): number | null {
  const values: number[] = []
  for (const cell of run.cells) {
    if (cell.status === 'measured' && cell.components.withinPercent !== null) values.push(cell.components.withinPercent)
  }
  return values.length === 0 ? null : median(values)
}

/**
 * Whether the isolates' samples replayed one stream each, as the file records it: an isolate whose
 * samples replayed streams of their own lists their seeds (streamSeeds; C engine version 8 on,
 * except beside JS arms and for a trace).
 */
export function samplesShareStream(run: Pick<RunResult, 'cells'>): boolean {
  return !run.cells.some((cell) => cell.status === 'measured' && cell.isolates.some((isolate) => isolate.streamSeeds !== undefined))
}

/**
 * The caveat for two runs whose host noise differs by half or more (and by at least 1.5 points,
 * so that 2 % against 3 % is not flagged), or null.
 */
export function hostNoiseCaveat(oldRun: RunResult, newRun: RunResult): string | null {
  const before = hostNoisePercent(oldRun)
  const after = hostNoisePercent(newRun)
  if (before === null || after === null) return null
  if (samplesShareStream(oldRun) !== samplesShareStream(newRun)) {
    return (
      `the sample CVs (${before.toFixed(1)}% → ${after.toFixed(1)}%) do not compare the host's noise: ` +
      `in the ${samplesShareStream(oldRun) ? 'new' : 'old'} run each sample replayed a stream of its own`
    )
  }
  const low = Math.min(before, after)
  const high = Math.max(before, after)
  if (high < 1.5 * low || high - low < 1.5) return null
  return (
    `the host's noise differs: median within-isolate sample CV ${before.toFixed(1)}% → ${after.toFixed(1)}%; ` +
    'the intervals differ in width accordingly'
  )
}
