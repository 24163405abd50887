// A planted difference for calibration: a strategy that does a known, deterministic, proportional
// amount of EXTRA work on top of a real strategy, so `gntbench calibrate` can measure how often
// the harness detects a difference that is certainly there (its power).
//
// How it works. The wrapper forwards every call to the real strategy's stores unchanged and,
// for a fixed fraction f of those calls, repeats the lookup the call implies: findRun/findPage/
// findExact/findContaining are simply called again; insertRun and insert are followed by a
// lookup of what was just inserted; removeRun and remove are preceded by a lookup of what is
// about to go. Lookups are read-only, so the device's results, the applier's ok/failed/skipped
// counts and the strategy's semantics (policy, limits, quirks) stay exactly those of the real
// strategy; the runner's same-work check enforces this. The lookups walk the same structure
// over the same keys as the real call, so the extra time is proportional to the strategy's own
// cost: "+5 %" means 5 extra store lookups per 100 store calls. The allocator is passed through
// untouched (it has no read-only operation to repeat), a repeated lookup finds its path still in
// cache, and store lookups are only part of what an ioctl costs, so the time effect is well below
// f; and the wrapper's indirection costs something by itself. Calibration therefore also runs
// the wrapper at 0 % (the control, which measures the indirection) and reports the effects it
// MEASURED, against A and against the control, next to the nominal f.
//
// Which calls get a repeat is decided by an integer accumulator in basis points (Bresenham):
// after c calls exactly ⌊c·bp/10000⌋ repeats were made, identically in every replicate.
//
// Specs. A planted strategy is reached by name, so worker threads and child processes can build
// it: `planted.<bp>bp.n.<base>` when the base spec is a plain name, `planted.<bp>bp.h.<hex>` when
// it has '+' or ':' (not allowed in registry names). ensurePlantedRegistered(spec) registers the
// entry on demand in whichever thread needs it.

import type { CostCounters } from '../structures/types.js'
import { createStrategy, registerStrategy, strategyEntries } from '../strategies/registry.js'
import type { Gmap, GmapStore, Gref, GrefStore, Strategy, StrategyOptions } from '../strategies/types.js'

export const BASIS_POINTS = 10_000

/** What the wrapper did: the evidence that the planted work happened. */
export interface PlantedCounters {
  /** Store calls forwarded (insertRun, findRun, removeRun, findPage, insert, findExact, findContaining, remove). */
  storeCalls: number
  /** Extra lookups made: ⌊storeCalls · basisPoints / 10000⌋. */
  extraLookups: number
}

class Planter {
  readonly counters: PlantedCounters = { storeCalls: 0, extraLookups: 0 }
  private readonly basisPoints: number
  private accumulator = 0

  constructor(basisPoints: number) {
    this.basisPoints = basisPoints
  }

  /** Count one store call; true when this one gets an extra lookup. */
  due(): boolean {
    this.counters.storeCalls++
    this.accumulator += this.basisPoints
    if (this.accumulator < BASIS_POINTS) return false
    this.accumulator -= BASIS_POINTS
    this.counters.extraLookups++
    return true
  }
}

class PlantedGrefStore implements GrefStore {
  private readonly inner: GrefStore
  private readonly planter: Planter
  /** The extra lookups' output buffer: never the device's. */
  private readonly scratch: Gref[] = []

  constructor(inner: GrefStore, planter: Planter) {
    this.inner = inner
    this.planter = planter
  }

  get kind(): string {
    return this.inner.kind
  }

  get cost(): CostCounters {
    return this.inner.cost
  }

  get size(): number {
    return this.inner.size
  }

  insertRun(run: readonly Gref[]): number {
    const dropped = this.inner.insertRun(run)
    const first = run[0]
    if (this.planter.due() && first !== undefined) this.inner.findRun(first.page, run.length, this.scratch)
    return dropped
  }

  findRun(firstPage: number, pages: number, out: Gref[]): boolean {
    const found = this.inner.findRun(firstPage, pages, out)
    if (this.planter.due()) this.inner.findRun(firstPage, pages, this.scratch)
    return found
  }

  removeRun(firstPage: number, pages: number, out: Gref[]): boolean {
    if (this.planter.due()) this.inner.findRun(firstPage, pages, this.scratch)
    return this.inner.removeRun(firstPage, pages, out)
  }

  findPage(page: number): Gref | null {
    const found = this.inner.findPage(page)
    if (this.planter.due()) this.inner.findPage(page)
    return found
  }

  drain(out: Gref[]): void {
    this.inner.drain(out)
  }

  check(): void {
    this.inner.check()
  }
}

class PlantedGmapStore implements GmapStore {
  private readonly inner: GmapStore
  private readonly planter: Planter

  constructor(inner: GmapStore, planter: Planter) {
    this.inner = inner
    this.planter = planter
  }

  get kind(): string {
    return this.inner.kind
  }

  get cost(): CostCounters {
    return this.inner.cost
  }

  get size(): number {
    return this.inner.size
  }

  insert(gmap: Gmap): Gmap | null {
    const collision = this.inner.insert(gmap)
    if (this.planter.due()) this.inner.findExact(gmap.firstPage, gmap.pages)
    return collision
  }

  findExact(firstPage: number, pages: number): Gmap | null {
    const found = this.inner.findExact(firstPage, pages)
    if (this.planter.due()) this.inner.findExact(firstPage, pages)
    return found
  }

  findContaining(page: number): Gmap | null {
    const found = this.inner.findContaining(page)
    if (this.planter.due()) this.inner.findContaining(page)
    return found
  }

  remove(gmap: Gmap): void {
    if (this.planter.due()) this.inner.findExact(gmap.firstPage, gmap.pages)
    this.inner.remove(gmap)
  }

  drain(out: Gmap[]): void {
    this.inner.drain(out)
  }

  check(): void {
    this.inner.check()
  }
}

export type PlantedStrategy = Strategy & { readonly planted: PlantedCounters; readonly basisPoints: number }

/** `inner` with `basisPoints`/10000 extra store lookups per store call (see the file comment). */
export function plantExtraWork(inner: Strategy, basisPoints: number): PlantedStrategy {
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > BASIS_POINTS) {
    throw new RangeError(`planted work must be an integer number of basis points in [0, ${BASIS_POINTS}], got ${basisPoints}`)
  }
  const planter = new Planter(basisPoints)
  return {
    name: `${inner.name}+planted${basisPoints}bp`,
    allocator: inner.allocator,
    grefStore: new PlantedGrefStore(inner.grefStore, planter),
    gmapStore: new PlantedGmapStore(inner.gmapStore, planter),
    quirks: inner.quirks,
    limits: inner.limits,
    policy: inner.policy,
    planted: planter.counters,
    basisPoints,
  }
}

/** Percent (up to two decimals, 0 < p ≤ 100) to basis points; RangeError otherwise. */
export function percentToBasisPoints(percent: number): number {
  const bp = Math.round(percent * 100)
  if (!(percent > 0 && percent <= 100) || Math.abs(bp - percent * 100) > 1e-6) {
    throw new RangeError(`a planted difference must be a percentage in (0, 100] with at most two decimals, got ${percent}`)
  }
  return bp
}

const CLEAN_NAME = /^[a-z0-9][a-z0-9._-]*$/
const PLANTED_NAME = /^planted\.(\d+)bp\.([nh])\.(.+)$/

/**
 * The registry name of `base` with `percent` % planted extra lookups. 0 is the CONTROL: the
 * wrapper with no extra lookups, which measures what the indirection alone costs.
 */
export function plantedSpec(base: string, percent: number): string {
  const bp = percent === 0 ? 0 : percentToBasisPoints(percent)
  return CLEAN_NAME.test(base) ? `planted.${bp}bp.n.${base}` : `planted.${bp}bp.h.${Buffer.from(base, 'utf8').toString('hex')}`
}

/** The base spec and basis points of a planted name, or null when `spec` is not one. */
export function parsePlantedSpec(spec: string): { base: string; basisPoints: number } | null {
  const match = PLANTED_NAME.exec(spec)
  if (match === null) return null
  const basisPoints = Number(match[1])
  const encoded = match[3] as string
  if (match[2] === 'n') return { base: encoded, basisPoints }
  if (!/^(?:[0-9a-f]{2})+$/.test(encoded)) return null
  return { base: Buffer.from(encoded, 'hex').toString('utf8'), basisPoints }
}

/**
 * Make `spec` resolvable by createStrategy in this thread when it is a planted name (a no-op for
 * any other spec, or when already registered). Throws UnknownStrategyError for a bad base.
 */
export function ensurePlantedRegistered(spec: string): void {
  const parsed = parsePlantedSpec(spec)
  if (parsed === null) return
  if (strategyEntries().some((entry) => entry.name === spec && entry.kind !== 'allocator')) return
  const { base, basisPoints } = parsed
  createStrategy(base) // fail now, with the registry's own message, if the base is unknown
  registerStrategy({
    name: spec,
    kind: 'strategy',
    summary: `calibration control: ${base} plus ${basisPoints / 100}% extra store lookups`,
    follows: '',
    create: (options?: StrategyOptions) => plantExtraWork(createStrategy(base, options), basisPoints),
  })
}
