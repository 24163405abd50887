// Differential test of quirk variants whose effect is confined to placement at the page level,
// against ReferenceDevice under the same policy. The presets have their kernel's quirks on
// (freebsd, linux-gntdev, xen-rangeset are covered by differential-presets); here are the same
// quirks on the generic strategies and the presets' corrected variants (quirk off):
//   strict-gap          Linux first fit skips exact-size holes: other offsets, same semantics.
//   claim-no-merge      Xen claim_range leaves touching ranges unmerged: other nodes, same offsets.
//   int-page-index      Linux int index: wrong only in bytes, at the ioctl boundary (ioctl.test.ts).
//   truncated-compare   FreeBSD's comparator is a consistent order while every key lies within
//                       2^19 pages; the test asserts the stream stayed inside that window.
// Not here: bump-wrap, which by design hands out live offsets again (collisions); gntdev.test.ts
// covers how the device counts those.

import { describe, expect, it } from 'vitest'
import { createStrategy } from '../../src/strategies/registry.js'
import { DIFFERENTIAL_OPS, runDifferential } from './differential-runner.js'

const QUIRKED = [
  'freebsd',
  'freebsd:exact-compare',
  'rbtree:truncated-compare',
  'linux-gntdev:exact-fit',
  'list:strict-gap',
  'rbtree+augtree:strict-gap',
  'xarray+maple:strict-gap',
  'linux-gntdev:int-page-index',
  'rangeset:claim-no-merge',
  'xen-rangeset:claim-merge',
]

describe('differential: placement-only quirks', () => {
  for (const name of QUIRKED) {
    it(`${name}: ${DIFFERENTIAL_OPS} mixed operations agree with the reference`, () => {
      const result = runDifferential(name, DIFFERENTIAL_OPS)
      expect(result.problems).toEqual([])
      if (createStrategy(name).quirks.truncatedCompare) expect(result.maxSpanPages).toBeLessThan(2 ** 19)
    })
  }
})
