// The sweep's untimed pass over one (workload, N, strategy) cell (issue 5, items 5 and 6b): build
// the live set exactly as a timed replicate does, measure how much V8 heap it took, then replay
// the same measured ops once with the structures' cost counters reset and read them. Counting
// is kept out of the timed runs this way, and the numbers are deterministic: the same stream on
// the same strategy gives the same counts on any machine.
//
// Heap: both readings follow forced full collections (node --expose-gc; without it the heap
// figures are NaN, never guesses), the first after the file is open and the stream bound, the
// second after the setup, so the difference is what the live set itself holds: records, index
// and allocator nodes, VMAs, notify records. heapUsed plus arrayBuffers, since a structure may
// keep typed arrays. Everything runs inside one function call, so no earlier state can stay
// reachable from a stack slot and distort the baseline.

import { errnoName } from '../errno.js'
import type { ComponentKinds, LiveCounts } from '../strategies/memory-layout.js'
import type { CostCounters } from '../structures/types.js'
import { newCostCounters, resetCost } from '../structures/types.js'
import type { Strategy } from '../strategies/types.js'
import { OpApplier, SKIPPED } from '../workloads/apply.js'
import type { BenchWorkload } from '../workloads/bench-workload.js'
import type { StreamBinder } from '../workloads/bind.js'
import type { StateRecipe } from '../workloads/device-state.js'
import { openState } from '../workloads/device-state.js'

export interface UntimedPassResult {
  /** null when the setup did not fully succeed (then nothing else is meaningful). */
  setupFailure: string | null
  kinds: ComponentKinds
  counts: LiveCounts
  /** Counter totals over the measured ops; null when not asked for. */
  measuredCost: CostCounters | null
  measuredOps: number
  /** Heap growth of the setup, bytes (NaN without --expose-gc). */
  heapBytes: number
  /** Heap in use after the setup and a full collection, bytes (NaN without --expose-gc). */
  heapAfterSetup: number
  /** Wall time of setup + measured replay, ms (collections excluded). */
  passMs: number
}

/** What a timed replicate would build for this cell: the same recipe the cell runner makes. */
export function recipeFor(spec: string, workload: BenchWorkload, binder: StreamBinder, size: number, seed: number, ops: number): StateRecipe {
  const params = { size, seed, ops }
  const stream = binder.stream
  return {
    spec,
    strategyOptions: workload.strategyOptions(params),
    domainNeeds: workload.domainNeeds(params),
    binder,
    trackGrantRefs: OpApplier.needsGrantRefs(stream.setup) || OpApplier.needsGrantRefs(stream.measured),
  }
}

/** The distinct counter objects of a strategy (Linux gntdev's map list is allocator and store at once). */
export function costObjects(strategy: Strategy): CostCounters[] {
  const out: CostCounters[] = []
  for (const cost of [strategy.allocator.cost, strategy.grefStore.cost, strategy.gmapStore.cost]) if (!out.includes(cost)) out.push(cost)
  return out
}

export function sumCosts(costs: readonly CostCounters[]): CostCounters {
  const total = newCostCounters()
  for (const c of costs) {
    total.nodesVisited += c.nodesVisited
    total.keyCompares += c.keyCompares
    total.nodesAllocated += c.nodesAllocated
    total.nodesFreed += c.nodesFreed
    total.rotations += c.rotations
  }
  return total
}

/** Force full collections; false when gc is not exposed. */
export function collect(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) return false
  // Two passes: the first may only make objects with finalizers or weak refs collectable.
  gc()
  gc()
  return true
}

/** heapUsed + arrayBuffers, bytes. */
export function heapNow(): number {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** Store-owned nodes still held: allocated minus freed since open (before any reset). */
function heldNodes(cost: CostCounters): number {
  return Math.max(0, cost.nodesAllocated - cost.nodesFreed)
}

/** Build the live set, measure its heap, and (with `count`) replay the measured ops counting. */
export function untimedPass(recipe: StateRecipe, count: boolean): UntimedPassResult {
  collect()
  const { strategy, device, applier, stream } = openState(recipe)
  const canMeasure = collect()
  const before = heapNow()
  const start = performance.now()
  let failure: string | null = null
  for (let i = 0; i < stream.setup.length; i++) {
    const result = applier.apply(stream.setup[i] as (typeof stream.setup)[number])
    if (result < 0 && failure === null) failure = `setup op #${i} (${(stream.setup[i] as { kind: string }).kind}) → ${result === SKIPPED ? 'skipped' : errnoName(result)}`
  }
  let elapsed = performance.now() - start
  collect()
  const after = heapNow()
  const heapBytes = canMeasure ? after - before : Number.NaN

  const stats = device.stats()
  const alloc = strategy.allocator.stats()
  const gmapStoreIsAllocator = (strategy.gmapStore as unknown) === (strategy.allocator as unknown)
  const counts: LiveCounts = {
    grefs: stats.grefs,
    gmaps: stats.gmaps,
    gmapPages: stats.gmaps > 0 ? Math.max(0, alloc.livePages - stats.grefs) : 0,
    allocatorNodes: alloc.nodes,
    grefStoreNodes: heldNodes(strategy.grefStore.cost),
    gmapStoreNodes: gmapStoreIsAllocator ? 0 : heldNodes(strategy.gmapStore.cost),
  }

  let measuredCost: CostCounters | null = null
  if (count && failure === null) {
    const costs = costObjects(strategy)
    for (const c of costs) resetCost(c)
    const t = performance.now()
    applier.applyAll(stream.measured)
    elapsed += performance.now() - t
    measuredCost = sumCosts(costs)
  }
  return {
    setupFailure: failure,
    kinds: { allocator: strategy.allocator.kind, grefStore: strategy.grefStore.kind, gmapStore: strategy.gmapStore.kind },
    counts,
    measuredCost,
    measuredOps: stream.measured.length,
    heapBytes,
    heapAfterSetup: canMeasure ? after : Number.NaN,
    passMs: elapsed,
  }
}
