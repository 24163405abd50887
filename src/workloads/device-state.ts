// One freshly built device state: a new domain and peer, a new open file whose bookkeeping is
// the strategy under test, the stream bound to that peer's grants, and the live set of size N
// built by replaying the stream's setup. Every replicate starts from one of these, so replicates
// share nothing but the stream (docs/kernel-model.md §8.1 for what a state holds).

import { Domain } from '../device/domain.js'
import type { GntDev } from '../device/gntdev.js'
import { createStrategy } from '../strategies/registry.js'
import type { Strategy, StrategyOptions } from '../strategies/types.js'
import { OpApplier } from './apply.js'
import type { StreamBinder } from './bind.js'
import type { DomainNeeds } from './bench-workload.js'
import { PEER_DOMID } from './stream-builder.js'
import type { DeviceOp, OpStream } from './types.js'

/** What one replicate did: the applier's counters over a stretch of operations. */
export interface WorkCounts {
  ok: number
  failed: number
  skipped: number
}

/** How to build states for one (workload, N, strategy) cell. */
export interface StateRecipe {
  readonly spec: string
  readonly strategyOptions: StrategyOptions
  readonly domainNeeds: DomainNeeds
  readonly binder: StreamBinder
  /** The stream has foreign mappings, so the applier must remember our grant refs. */
  readonly trackGrantRefs: boolean
}

export interface DeviceState {
  readonly domain: Domain
  readonly strategy: Strategy
  readonly device: GntDev
  readonly applier: OpApplier
  readonly measured: readonly DeviceOp[]
  /** Counters after the setup, before the measured part. */
  readonly afterSetup: WorkCounts
}

export function countsOf(applier: OpApplier): WorkCounts {
  return { ok: applier.ok, failed: applier.failed, skipped: applier.skipped }
}

export function countsSince(applier: OpApplier, before: WorkCounts): WorkCounts {
  return { ok: applier.ok - before.ok, failed: applier.failed - before.failed, skipped: applier.skipped - before.skipped }
}

export function sameCounts(a: WorkCounts, b: WorkCounts): boolean {
  return a.ok === b.ok && a.failed === b.failed && a.skipped === b.skipped
}

export function formatCounts(c: WorkCounts): string {
  return `${c.ok} ok / ${c.failed} failed / ${c.skipped} skipped`
}

/** A state before its setup ran: the stream is bound to this state's peer. */
export interface OpenedState {
  readonly domain: Domain
  readonly strategy: Strategy
  readonly device: GntDev
  readonly applier: OpApplier
  readonly stream: OpStream
}

/** A new domain, file and strategy, with the stream bound but nothing replayed yet. */
export function openState(recipe: StateRecipe): OpenedState {
  const domain = new Domain({
    peerDomid: PEER_DOMID,
    ...(recipe.domainNeeds.grantTableEntries === undefined ? {} : { grantTableEntries: recipe.domainNeeds.grantTableEntries }),
  })
  const strategy = createStrategy(recipe.spec, recipe.strategyOptions)
  const device = domain.open(strategy)
  const stream = recipe.binder.bind(domain.peer)
  const applier = new OpApplier(device, domain.peer, stream, recipe.trackGrantRefs)
  return { domain, strategy, device, applier, stream }
}

/** openState, then the setup replayed in one go (the benchmark path). */
export function buildState(recipe: StateRecipe): DeviceState {
  const { domain, strategy, device, applier, stream } = openState(recipe)
  applier.applyAll(stream.setup)
  return { domain, strategy, device, applier, measured: stream.measured, afterSetup: countsOf(applier) }
}
