// The counted work per measured op of one strategy on a cell's first stream (nodes visited + key
// comparisons, from the untimed pass with the structures' own counters): identical in every
// language and on every machine, so it says what the structure does when two engines' times
// disagree.

import { StreamBinder } from '../workloads/bind.js'
import { getWorkload } from '../workloads/registry.js'
import { roundSeed } from './measure-group.js'
import { recipeFor, untimedPass } from './untimed-pass.js'

export function countedWorkPerOp(spec: string, workloadName: string, size: number, baseSeed: number, ops: number): number | null {
  const workload = getWorkload(workloadName)
  const seed = roundSeed(baseSeed, workloadName, size, 0)
  const stream = workload.generate({ size, seed, ops })
  const pass = untimedPass(recipeFor(spec, workload, new StreamBinder(stream), size, seed, ops), true)
  if (pass.measuredCost === null || pass.measuredOps === 0) return null
  return (pass.measuredCost.nodesVisited + pass.measuredCost.keyCompares) / pass.measuredOps
}
