// The host's state during a run, in the words of a report's machine line, read from the run's
// own values: its noise (results/host-noise.ts; on this guest the C suite reads 2–3 % quiet and
// 5–10 % in a noisy spell, which moves some ratios as well as the widths) and its drift within
// the run (results/host-drift.ts withinRunDrift: the later rounds against the earlier ones, set
// against random splits of the rounds).

import { describeWithinRunDrift, withinRunDrift } from '../results/host-drift.js'
import { hostNoisePercent, samplesShareStream } from '../results/host-noise.js'
import type { RunResult } from '../results/run-schema.js'

/** "; host noise (…) 10.2%; host drift within the run +1.0% (…)", or "" for what a run cannot tell. */
export function hostStateText(result: RunResult): string {
  const noise = hostNoisePercent(result)
  const drift = withinRunDrift(result)
  const noiseText =
    noise === null
      ? ''
      : samplesShareStream(result)
        ? `; host noise (median within-isolate sample CV) ${noise.toFixed(1)}%`
        : `; median within-isolate sample CV ${noise.toFixed(1)}% (each sample its own stream: the streams' spread with the host's noise)`
  if (drift === null) return noiseText
  return `${noiseText}; host drift within the run ${describeWithinRunDrift(drift)}${drift.changed ? ': the host changed state during the run' : ''}`
}
