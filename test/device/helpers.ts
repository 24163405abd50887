// Shared helpers of the device tests: open a file of a registry strategy in a fresh domain, and
// build strategies whose allocator is scripted (to force collisions) or whose policy is tweaked.

import { Domain } from '../../src/device/domain.js'
import type { DomainOptions } from '../../src/device/domain.js'
import type { GntDev } from '../../src/device/gntdev.js'
import { createReferenceStrategy } from '../../src/device/reference-strategy.js'
import { newCostCounters } from '../../src/structures/types.js'
import { createStrategy } from '../../src/strategies/registry.js'
import type { AllocatorStats, DeviceLimits, DevicePolicy, OffsetAllocator, Strategy, StrategyOptions } from '../../src/strategies/types.js'

export interface Opened {
  domain: Domain
  dev: GntDev
}

export function openFile(spec: string, options?: StrategyOptions, domainOptions?: DomainOptions): Opened {
  const domain = new Domain(domainOptions)
  return { domain, dev: domain.open(createStrategy(spec, options)) }
}

/** A registry strategy with some policy or limit fields replaced. */
export function tweaked(spec: string, policy: Partial<DevicePolicy>, limits?: Partial<DeviceLimits>): Strategy {
  const base = createStrategy(spec)
  return { ...base, policy: { ...base.policy, ...policy }, limits: { ...base.limits, ...limits } }
}

/** An allocator that always hands out the same page: every second insert collides. */
export class SamePageAllocator implements OffsetAllocator {
  readonly kind = 'same-page'
  readonly cost = newCostCounters()
  readonly page: number
  constructor(page: number) {
    this.page = page
  }
  alloc(): number {
    return this.page
  }
  free(): void {}
  stats(): AllocatorStats {
    return { livePages: 0, nodes: 0, spanPages: 0, wrapped: false, leakedPages: 0 }
  }
  check(): void {}
}

export function collidingStrategy(page: number): Strategy {
  return { ...createReferenceStrategy(), allocator: new SamePageAllocator(page) }
}

/** Grant `pages` fresh pages from the peer and return their refs. */
export function peerGrants(domain: Domain, pages: number): number[] {
  const refs: number[] = []
  domain.peer.grantPages(pages, refs)
  return refs
}
