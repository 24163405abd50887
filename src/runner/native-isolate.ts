// An isolate of the native engine (`--engine native`): the C bookkeeping in native/, run as a
// fresh process per isolate, exactly as a JS isolate is a fresh worker. The TS side probes the
// cell first (cell-runner.ts probeCell: skips, the reference work, the semantics key), hands the
// engine the same bound op stream and the fully resolved strategy (src/native/engine.ts), and
// takes back raw samples: k fresh states per sample, each built untimed and its batch timed with
// CLOCK_MONOTONIC, k fixed before each sample so that it holds about sampleMs of timed batches. The engine's work must equal the probe's
// op for op in ok / failed / skipped counts, or the run stops: a C result that disagrees with the
// model is never published. Statistics, reports and files are the TS code's, as for JS isolates.

import { NotCoveredByNativeError } from '../native/resolved-strategy.js'
import { nativeSpecsOf, timeNativeDetailed } from '../native/engine.js'
import type { IsolateRequest, IsolateResult } from './cell-runner.js'
import { probeCell, streamHashOf } from './cell-runner.js'
import { BenchIntegrityError } from './checks.js'
import { formatCounts, sameCounts } from '../workloads/device-state.js'

/**
 * Warm-up of a native isolate, ms at most. C has no JIT to wait for: the warm-up only fills the
 * caches and the branch predictors with this cell's states, which a few replicates do.
 */
const NATIVE_WARMUP_MS = 20

export function runNativeIsolate(name: string, request: IsolateRequest): IsolateResult {
  const probed = probeCell(name, request.group)
  if (probed.status === 'skipped') return probed
  const { recipe, reference, semantics, label } = probed
  const { stream, strategy } = nativeSpecsOf(recipe)
  let timing
  try {
    timing = timeNativeDetailed(stream, strategy, {
      sampleMs: request.sampleMs,
      samples: request.samples,
      warmupMs: Math.min(request.warmupMs, NATIVE_WARMUP_MS),
      plantedPercent: request.plantedPercent,
      plantedSeed: request.group.seed,
    })
  } catch (error) {
    if (error instanceof NotCoveredByNativeError) return { status: 'skipped', reason: `not modelled by the native engine: ${error.message}` }
    throw error
  }
  if (!sameCounts(timing.reference, reference)) {
    throw new BenchIntegrityError(`${label}: the native engine did ${formatCounts(timing.reference)}, the TS model ${formatCounts(reference)}`)
  }
  return {
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
}
