// Runs an outcome workload (wrap) once on one strategy and says what the offset allocator did,
// instead of how long it took (docs/kernel-model.md §4.3, §2.3, review D7293). A shadow map of every
// live page, kept beside the device, catches an allocator that hands out a page that is still
// live; the device's collision counter catches a store that dropped a record on a duplicate key.
// Nothing here is timed, so the checks run after every operation.

import { errnoName } from '../errno.js'
import type { DeviceOp } from '../workloads/types.js'
import type { AllocatorOutcome, OutcomeReport } from '../results/run-schema.js'
import type { StateRecipe } from '../workloads/device-state.js'
import { countsOf, openState } from '../workloads/device-state.js'

/** Which handle holds each offset page, as the allocator's answers say: overlaps are counted. */
class PageShadow {
  private readonly holder = new Map<number, number>()
  readonly pagesOf = new Map<number, number>()
  overlaps = 0

  claim(handle: number, first: number, pages: number): void {
    this.pagesOf.set(handle, pages)
    for (let page = first; page < first + pages; page++) {
      if (this.holder.has(page)) this.overlaps++
      this.holder.set(page, handle)
    }
  }

  release(handle: number, first: number, pages: number): void {
    for (let page = first; page < first + pages; page++) if (this.holder.get(page) === handle) this.holder.delete(page)
  }
}

export function runOutcomeCell(recipe: StateRecipe): OutcomeReport {
  const { device, strategy, applier, stream } = openState(recipe)
  const shadow = new PageShadow()
  let allocCalls = 0
  const allocFailures: Record<string, number> = {}
  let firstFailureAt: number | null = null
  let pagesAllocated = 0
  // Set inside the replay callback, where TypeScript's narrowing of the initial null does not follow.
  let pagesBeforeFailure = null as number | null
  let setupFailures = 0

  const step = (op: DeviceOp, index: number, measured: boolean): void => {
    const before = op.kind === 'dealloc' || op.kind === 'unmap' ? (applier.pageOf[op.handle] as number) : -1
    const result = applier.apply(op)
    switch (op.kind) {
      case 'alloc':
      case 'map': {
        allocCalls++
        const pages = op.kind === 'alloc' ? op.pages : op.grantRefs.length
        if (result >= 0) {
          shadow.claim(op.handle, result, pages)
          pagesAllocated += pages
        } else {
          if (!measured) setupFailures++
          const name = errnoName(result)
          allocFailures[name] = (allocFailures[name] ?? 0) + 1
          if (firstFailureAt === null && measured) {
            firstFailureAt = index
            pagesBeforeFailure = pagesAllocated
          }
        }
        break
      }
      case 'dealloc':
        if (result === 0 && before >= 0) shadow.release(op.handle, before + op.pageOffset, op.pages)
        break
      case 'unmap':
        if (result === 0 && before >= 0) shadow.release(op.handle, before, shadow.pagesOf.get(op.handle) ?? op.pages)
        break
      default:
        break
    }
  }

  stream.setup.forEach((op, index) => step(op, index, false))
  stream.measured.forEach((op, index) => step(op, index, true))

  const allocatorStats = strategy.allocator.stats()
  const collisions = device.stats().collisions
  const failed = Object.values(allocFailures).reduce((sum, n) => sum + n, 0)
  const outcome: AllocatorOutcome =
    shadow.overlaps > 0 || collisions > 0 ? 'overlapped' : failed > 0 ? 'failed cleanly' : allocatorStats.wrapped ? 'wrapped' : 'no wrap'
  return {
    outcome,
    allocatorKind: strategy.allocator.kind,
    allocCalls,
    allocFailures,
    firstFailureAt,
    pagesAllocatedBeforeFailure: pagesBeforeFailure ?? pagesAllocated,
    wrapped: allocatorStats.wrapped,
    overlaps: shadow.overlaps,
    collisions,
    leakedPages: allocatorStats.leakedPages,
    spanPages: allocatorStats.spanPages,
    setupFailures,
    work: countsOf(applier),
  }
}
