// What a block says of the precision target (`--precision`): whether every interval of the cell
// came within ±P %, and if not, why its rounds stopped.
//
// The claim is read off the intervals the block prints; the run's stored flag only says whether
// it had a target. Runs before the stopping rule took the block's stand-in baseline
// (runner/plan.ts baselineAmong) stopped a cell whose wanted baseline was skipped (linux-gntalloc
// past its 1024-gref limit) at its minimum rounds and flagged the target as met, while the block,
// against the stand-in, was wider. Such a file still renders, and says so.

import type { ResultBlock } from '../results/run-schema.js'

const STOPS: Readonly<Record<Exclude<ResultBlock['stoppedBy'], 'precision'>, string>> = {
  budget: 'the time budget ran out',
  'max-isolates': 'the round limit was reached',
  minimum: 'the minimum rounds were run',
}

/** "; every interval within ±3%", "; NOT every interval within ±3% (… after 21 rounds)", or "" without a target. */
export function precisionClaim(block: Pick<ResultBlock, 'precisionReached' | 'stoppedBy' | 'rounds' | 'comparisons'>, targetPercent: number | null): string {
  if (block.precisionReached === null || targetPercent === null) return ''
  const within = block.comparisons.every((c) => c.precisionPercent <= targetPercent)
  if (within) return `; every interval within ±${targetPercent}%`
  const why =
    block.stoppedBy === 'precision'
      ? `stopped after ${block.rounds} rounds: the run's stopping rule took a skipped baseline's target as met, a fault since mended`
      : `${STOPS[block.stoppedBy]} after ${block.rounds} rounds`
  return `; NOT every interval within ±${targetPercent}% (${why})`
}
