// Fuzz of the page-level API with numbers no kernel can receive (issue 13, item 9): random
// streams mix valid operations with fractional, NaN and ±Infinity page numbers, counts and
// addresses. Every operation with a non-integer argument must throw PageNumberError and change
// nothing (device and allocator stats identical); every operation with integer arguments must
// return a result without throwing. The structures' check() runs after every operation.
// Before the guard, a fraction made a rangeset lookup answer undefined (DEALLOC and mmap then
// threw TypeErrors) and NaN, equal to everything under the trees' comparator, hit a live gmap.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Domain } from '../../src/device/domain.js'
import type { GntDev } from '../../src/device/gntdev.js'
import { PageNumberError } from '../../src/device/types.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { peerGrants } from './helpers.js'

const SPECS = ['list', 'rbtree', 'rangeset', 'freebsd', 'freebsd:exact-compare', 'xen-rangeset', 'linux-gntdev', 'linux-gntalloc']

/** A page-level argument: an index into the pages seen so far, a small integer, or a bad number. */
const arg = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('seen' as const), i: fc.nat(), delta: fc.integer({ min: -1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('int' as const), value: fc.integer({ min: -2, max: 40 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bad' as const),
      value: fc.oneof(fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.double({ noInteger: true, noDefaultInfinity: true, min: -8, max: 64 })),
      offset: fc.boolean(),
    }),
  },
)
type Arg = typeof arg extends fc.Arbitrary<infer T> ? T : never

const op = fc.record({
  kind: fc.constantFrom('alloc', 'dealloc', 'map', 'unmap', 'mmap', 'munmap', 'getOffset', 'notify'),
  a: arg,
  b: arg,
  writable: fc.boolean(),
})

function resolve(value: Arg, seen: readonly number[]): number {
  if (value.kind === 'int') return value.value
  if (value.kind === 'bad') return value.offset && seen.length > 0 ? (seen[0] as number) + value.value : value.value
  if (seen.length === 0) return value.delta
  return (seen[value.i % seen.length] as number) + value.delta
}

function snapshot(dev: GntDev): string {
  return JSON.stringify([dev.stats(), dev.strategy.allocator.stats(), dev.domain.liveGrefs, dev.domain.grantTable.inUse])
}

function check(dev: GntDev): void {
  dev.strategy.allocator.check()
  dev.strategy.grefStore.check()
  dev.strategy.gmapStore.check()
}

describe('page-level API fuzz: non-integer numbers throw PageNumberError, change nothing', () => {
  for (const spec of SPECS) {
    it(spec, () => {
      let thrown = 0
      fc.assert(
        fc.property(fc.array(op, { minLength: 40, maxLength: 120 }), (ops) => {
          const domain = new Domain()
          const dev = domain.open(createStrategy(spec))
          const pages: number[] = [] // first pages handed out
          const vaddrs: number[] = []
          for (const o of ops) {
            const counts = o.kind === 'alloc' || o.kind === 'map'
            const a = resolve(o.a, o.kind === 'munmap' || o.kind === 'getOffset' ? vaddrs : pages)
            const bRaw = resolve(o.b, [])
            const b = o.b.kind === 'bad' ? bRaw : Math.max(1, Math.abs(bRaw) % 9)
            // The page-level arguments each operation takes (MAP's count is an array length).
            const args = o.kind === 'alloc' ? [b] : o.kind === 'map' ? [] : o.kind === 'munmap' || o.kind === 'getOffset' || o.kind === 'notify' ? [a] : [a, b]
            const guarded = args.some((x) => !Number.isInteger(x))
            const before = snapshot(dev)
            const run = (): number => {
              switch (o.kind) {
                case 'alloc':
                  return dev.allocGref(1, b, o.writable, null)
                case 'dealloc':
                  return dev.deallocGref(a, b)
                case 'map':
                  // A count is an array length and cannot be a fraction; the page is what can.
                  return dev.mapGrantRef(1, peerGrants(domain, Number.isInteger(b) ? b : 1))
                case 'unmap':
                  return dev.unmapGrantRef(a, b)
                case 'mmap':
                  return dev.mmap(a, b, o.writable)
                case 'munmap':
                  return dev.munmap(a)
                case 'getOffset':
                  return dev.getOffsetForVaddr(a, { firstPage: 0, pages: 0 })
                case 'notify':
                  return dev.setUnmapNotify(a, 0, 2, 1)
              }
            }
            if (guarded) {
              thrown++
              expect(run).toThrow(PageNumberError)
              expect(snapshot(dev)).toBe(before)
            } else {
              const result = run()
              expect(Number.isInteger(result)).toBe(true)
              if (result >= 0 && counts) pages.push(result)
              if (result > 0 && o.kind === 'mmap') vaddrs.push(result)
            }
            check(dev)
          }
        }),
        { seed: 0x9a6e + spec.length, numRuns: 40 },
      )
      expect(thrown).toBeGreaterThan(100)
    })
  }
})
