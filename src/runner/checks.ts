// The runner's proofs that a replicate did the intended work and left nothing behind. A timing
// is only worth comparing if every strategy did the same thing: the same operations succeeded,
// failed and were skipped. These checks run outside the timed region and never on timing.

import type { Strategy } from '../strategies/types.js'
import type { DeviceState } from '../workloads/device-state.js'

/** A replicate or strategy broke an invariant of the benchmark (nondeterminism, a leak, a mismatch). */
export class BenchIntegrityError extends Error {
  override name = 'BenchIntegrityError'
  /** A stack behind the one-line message (an outside module's throw), printed only with --debug. */
  detail: string | null = null
}

/**
 * Strategies with equal keys must give equal op outcomes for one stream: the same policy, limits
 * and quirks make the same calls succeed, whatever structures keep the books. (Presets differ in
 * policy, e.g. Linux gntalloc's global limit or cleanup triggers, so they form their own groups.)
 */
export function semanticsKey(strategy: Strategy): string {
  return JSON.stringify({ policy: strategy.policy, limits: strategy.limits, quirks: strategy.quirks }, (_key, value: unknown) =>
    value === Infinity ? 'Infinity' : value,
  )
}

/**
 * For workloads whose stream gives everything back: close the file, run one cleanup pass, and
 * describe what is still held (null when nothing is). Consumes the state.
 */
export function leftovers(state: Pick<DeviceState, 'device' | 'domain'>): string | null {
  state.device.close()
  state.domain.runCleanup()
  const stats = state.device.stats()
  const grants = state.domain.grantTable.inUse
  const held: string[] = []
  if (stats.grefs !== 0) held.push(`${stats.grefs} grefs in the store`)
  if (stats.gmaps !== 0) held.push(`${stats.gmaps} gmaps in the store`)
  if (stats.pendingCleanup !== 0) held.push(`${stats.pendingCleanup} records pending cleanup`)
  if (grants !== 0) held.push(`${grants} grant entries in use`)
  return held.length === 0 ? null : held.join(', ')
}
