// A round of the native engine (`--engine native`): the C bookkeeping in native/, every strategy
// of the round in ONE fresh engine process, their samples interleaved in a shuffled order per
// cycle (native/src/sampler.c says why: this host's speed drifts between levels lasting hundreds
// of ms, and strategies timed side by side in time see the same level). The TS side probes each
// cell first (cell-runner.ts probeCell: skips, the reference work, the semantics key), hands the
// engine the same bound op streams and the fully resolved strategies (src/native/engine.ts), and
// takes back raw samples: k fresh states per sample, each built untimed and its batch timed with
// CLOCK_MONOTONIC, k fixed before each sample so that it holds about sampleMs of timed batches.
// The engine's work must equal the probe's op for op in ok / failed / skipped counts, or the run
// stops: a C result that disagrees with the model is never published. Statistics, reports and
// files are the TS code's, as for JS isolates.

import { NotCoveredByNativeError } from '../native/resolved-strategy.js'
import type { PreparedNativeRun } from '../native/engine.js'
import { nativeSpecsOf, prepareNativeRun, timePreparedRound } from '../native/engine.js'
import type { IsolateRequest, IsolateResult, ProbeResult } from './cell-runner.js'
import { probeCell, streamHashOf } from './cell-runner.js'
import { BenchIntegrityError } from './checks.js'
import { formatCounts, sameCounts } from '../workloads/device-state.js'

/**
 * Warm-up per strategy of a native round, ms at most (and at least 2 replicates, which size the
 * first sample); result files record it (config.native.warmupMs). C has no JIT to wait for: the
 * warm-up only fills the caches and the branch predictors with this cell's states, which a few
 * replicates do — and in an interleaved round the other strategies' samples evict them again
 * before each sample anyway. Measured with 20 ms: an arm's first sample was no slower than its
 * second (results/bench-20261206-134155-native.json: median log ratio +0.02 %, the first slower in
 * 50 % of 1,357 isolates), so 20 ms bought nothing over a few replicates and cost 200 ms per
 * round of ten strategies — a sixth of the C suite's time.
 */
export const NATIVE_WARMUP_MS = 5

/** One strategy of a round: its registry name and any planted extra work (calibration). */
export interface NativeRoundArm {
  readonly name: string
  readonly plantedPercent: number
}

interface Ready {
  readonly index: number
  readonly prepared: PreparedNativeRun
  readonly probed: Extract<ProbeResult, { status: 'ready' }>
}

/**
 * Measure the arms of one round in one engine process: the round's stream seed, sample count,
 * sample length and warm-up are the round's (`request`); each arm brings its planted percentage.
 * Returns one result per arm, in the arms' order.
 */
export function runNativeRound(arms: readonly NativeRoundArm[], request: Omit<IsolateRequest, 'plantedPercent'>): IsolateResult[] {
  const results: (IsolateResult | null)[] = arms.map(() => null)
  const ready: Ready[] = []
  arms.forEach((arm, index) => {
    const probed = probeCell(arm.name, request.group)
    if (probed.status === 'skipped') {
      results[index] = probed
      return
    }
    const { stream, strategy } = nativeSpecsOf(probed.recipe)
    try {
      ready.push({ index, prepared: prepareNativeRun(stream, strategy), probed })
    } catch (error) {
      if (!(error instanceof NotCoveredByNativeError)) throw error
      results[index] = { status: 'skipped', reason: `not modelled by the native engine: ${error.message}` }
    }
  })
  if (ready.length > 0) {
    const timings = timePreparedRound(
      ready.map((r) => ({ prepared: r.prepared, plantedPercent: arms[r.index]?.plantedPercent ?? 0 })),
      { sampleMs: request.sampleMs, samples: request.samples, warmupMs: Math.min(request.warmupMs, NATIVE_WARMUP_MS), seed: request.group.seed },
    )
    ready.forEach((r, i) => {
      const timing = timings[i]
      if (timing === undefined) throw new Error('native engine: a timing is missing')
      const { recipe, reference, semantics, label } = r.probed
      if (!sameCounts(timing.reference, reference)) {
        throw new BenchIntegrityError(`${label}: the native engine did ${formatCounts(timing.reference)}, the TS model ${formatCounts(reference)}`)
      }
      results[r.index] = {
        status: 'measured',
        reference,
        semantics,
        opsPerBatch: timing.opsPerReplicate,
        setupOps: recipe.binder.stream.setup.length,
        streamHash: streamHashOf(recipe),
        statesPerSample: Math.max(...timing.replicatesPerSample),
        warmupSamples: 0,
        samples: timing.samples.map((nsPerOp) => ({ nsPerOp, gcCount: 0, gcMs: 0 })),
      }
    })
  }
  return results.map((r) => {
    if (r === null) throw new Error('native round: an arm has no result')
    return r
  })
}
