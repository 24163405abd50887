// Differential test of the kernel presets against ReferenceDevice. A preset differs from the
// neutral (FreeBSD) policy on purpose — one side only (ENOTTY for the other), limits, the Linux
// count-0 wildcard, ENOENT instead of EINVAL, other cleanup triggers. Rather than skip the
// operations where policies differ, the reference is given the preset's own policy and limits
// (ReferenceDevice implements every DevicePolicy knob), so every operation is compared; each
// test names the fields in which the preset departs from the neutral policy. Policy knobs that no
// preset uses are run through the same comparison at the end.

import { describe, expect, it } from 'vitest'
import { REFERENCE_LIMITS, REFERENCE_POLICY } from '../../src/device/reference-strategy.js'
import { ENOENT, errnoName } from '../../src/errno.js'
import { createStrategy, strategyNames } from '../../src/strategies/registry.js'
import type { DeviceLimits, DevicePolicy, Strategy } from '../../src/strategies/types.js'
import { DIFFERENTIAL_OPS, expectedKinds, runDifferential } from './differential-runner.js'

function departures(strategy: Strategy): string {
  const parts: string[] = []
  for (const key of Object.keys(REFERENCE_POLICY) as (keyof DevicePolicy)[]) {
    const mine = strategy.policy[key]
    const neutral = REFERENCE_POLICY[key]
    if (JSON.stringify(mine) === JSON.stringify(neutral)) continue
    parts.push(`${key}=${key.endsWith('Errno') ? errnoName(-(mine as number)) : JSON.stringify(mine)}`)
  }
  for (const key of Object.keys(REFERENCE_LIMITS) as (keyof DeviceLimits)[]) {
    if (strategy.limits[key] !== REFERENCE_LIMITS[key]) parts.push(`${key}=${strategy.limits[key]}`)
  }
  return parts.length === 0 ? 'neutral policy' : parts.join(', ')
}

describe('differential: kernel presets vs a reference under the same policy', () => {
  const presets = strategyNames('preset')

  it('covers the four kernel presets', () => {
    expect(presets).toEqual(expect.arrayContaining(['linux-gntdev', 'linux-gntalloc', 'freebsd', 'xen-rangeset']))
  })

  for (const name of presets) {
    const strategy = createStrategy(name)
    const { supportsAlloc, supportsMap } = strategy.policy
    it(`${name} [${departures(strategy)}]: ${DIFFERENTIAL_OPS} mixed operations agree`, () => {
      const result = runDifferential(name, DIFFERENTIAL_OPS)
      expect(result.problems).toEqual([])
      expect([...result.succeededKinds]).toEqual(expect.arrayContaining(expectedKinds(supportsAlloc, supportsMap)))
      if (!supportsAlloc || !supportsMap) expect(result.errnos['ENOTTY']).toBeGreaterThan(0)
      if (strategy.policy.unmapMissingErrno !== REFERENCE_POLICY.unmapMissingErrno || strategy.policy.notifyMissingErrno !== REFERENCE_POLICY.notifyMissingErrno) {
        expect(result.errnos['ENOENT']).toBeGreaterThan(0)
      }
    })
  }
})

describe('differential: policy knobs no preset uses', () => {
  const variants: { name: string; base: string; policy: Partial<DevicePolicy>; limits?: Partial<DeviceLimits>; enospc?: boolean }[] = [
    { name: 'old gntalloc: deferred grefs count against a limit of 256', base: 'linux-gntalloc', policy: { deferredCountsAgainstLimit: true }, limits: { globalGrefLimit: 256 } },
    { name: 'Linux PV: one VMA per gmap', base: 'linux-gntdev', policy: { gmapSingleMapping: true } },
    { name: 'rbtree cleaning at every trigger, 8 pages per call', base: 'rbtree', policy: { cleanupOn: ['alloc', 'dealloc', 'map', 'unmap', 'munmap', 'close'] }, limits: { maxPagesPerCall: 8 } },
    { name: 'rangeset with no cleanup trigger but close', base: 'rangeset', policy: { cleanupOn: ['close'], grefSingleMapping: false } },
    { name: 'today\'s gntalloc: dead grefs still mmapped count against a limit of 48', base: 'linux-gntalloc', policy: {}, limits: { globalGrefLimit: 48 }, enospc: true },
    {
      name: 'rbtree under every Linux rule at once, a limit of 48 and a leaking ALLOC',
      base: 'rbtree',
      policy: {
        gmapReadonlyChecks: true,
        gmapEventWithoutMmap: true,
        unmapIndexShifts: true,
        notifyLookupFirst: true,
        deallocCleansOnFailure: true,
        mmapMissingErrno: ENOENT,
        grefLimitCountsMmapped: true,
        failedAllocLeaksOffsets: true,
        cleanupOn: ['unmap', 'munmap', 'close'],
      },
      limits: { globalGrefLimit: 48 },
      enospc: true,
    },
  ]
  for (const variant of variants) {
    it(`${variant.base} — ${variant.name}`, () => {
      const make = (): Strategy => {
        const base = createStrategy(variant.base)
        return { ...base, policy: { ...base.policy, ...variant.policy }, limits: { ...base.limits, ...variant.limits } }
      }
      const result = runDifferential(`${variant.base}/${variant.name}`, DIFFERENTIAL_OPS / 2, undefined, make)
      expect(result.problems).toEqual([])
      if (variant.enospc === true) expect(result.errnos['ENOSPC']).toBeGreaterThan(0)
    })
  }
})
