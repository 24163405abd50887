// Differential test of issue 15's strategies (MODERN_STRATEGIES: augmented tree, maple-like
// B-tree, XArray, and composites) against ReferenceDevice under the neutral policy — check() of
// every structure after every operation, see differential-runner.ts — and a second, stricter
// comparison: the O(log n) allocators follow Linux's low-end first fit, so on the same seeded
// stream every operation must return exactly what the O(n) list strategy returns, offsets
// included, with and without the strict-gap quirk.

import { describe, expect, it } from 'vitest'
import { Domain } from '../../src/device/domain.js'
import { REFERENCE_POLICY } from '../../src/device/reference-strategy.js'
import { MODERN_STRATEGIES, createStrategy } from '../../src/strategies/registry.js'
import { OpApplier } from '../../src/workloads/apply.js'
import { DIFFERENTIAL_OPS, expectedKinds, hashName, runDifferential } from './differential-runner.js'
import { differentialProfile, randomOpStream } from '../../src/verify/op-streams.js'

/** Every op's result on `spec`, for one seeded stream. */
function results(spec: string, seed: number, ops: number): number[] {
  const domain = new Domain()
  const device = domain.open(createStrategy(spec))
  const stream = randomOpStream(seed, differentialProfile(ops, { alloc: true, map: true }))
  for (const ref of stream.grantedRefs) domain.peer.grantRef(ref)
  const applier = new OpApplier(device, domain.peer, stream, OpApplier.needsGrantRefs(stream.measured))
  return stream.measured.map((op) => applier.apply(op))
}

describe('differential: issue-15 strategies vs the neutral reference', () => {
  it('MODERN_STRATEGIES names augtree, maple and xarray, and every spec builds', () => {
    expect(MODERN_STRATEGIES).toEqual(expect.arrayContaining(['augtree', 'maple', 'xarray']))
    for (const spec of MODERN_STRATEGIES) expect(createStrategy(spec).name).toBe(spec)
  })

  it('maple is fused: one tree is the allocator and the gmap store', () => {
    const s = createStrategy('maple')
    expect(s.allocator).toBe(s.gmapStore)
    expect(s.grefStore.kind).toBe('xarray')
  })

  for (const name of [...MODERN_STRATEGIES, 'maple:strict-gap', 'augtree:strict-gap']) {
    it(`${name}: ${DIFFERENTIAL_OPS} mixed operations agree with the reference`, () => {
      expect(createStrategy(name).policy).toEqual(REFERENCE_POLICY)
      const result = runDifferential(name, DIFFERENTIAL_OPS)
      expect(result.problems).toEqual([])
      expect([...result.succeededKinds]).toEqual(expect.arrayContaining(expectedKinds(true, true)))
    })
  }
})

describe('differential: the O(log n) first fits return exactly the list first fit', () => {
  const pairs: [string, string][] = [
    ['list', 'augtree'],
    ['list', 'maple'],
    ['list', 'xarray'],
    ['list', 'list+augtree'],
    ['list', 'xarray+maple'],
    ['list:strict-gap', 'augtree:strict-gap'],
    ['list:strict-gap', 'maple:strict-gap'],
  ]
  for (const [oracle, spec] of pairs) {
    it(`${spec} returns what ${oracle} returns, op by op`, () => {
      const seed = hashName(spec)
      const want = results(oracle, seed, DIFFERENTIAL_OPS)
      const got = results(spec, seed, DIFFERENTIAL_OPS)
      const first = got.findIndex((r, i) => r !== want[i])
      expect(first, `first divergence at op ${first}: ${oracle} ${want[first]}, ${spec} ${got[first]}`).toBe(-1)
      // The stream did hand out offsets.
      expect(got.filter((r) => r > 0).length).toBeGreaterThan(500)
    })
  }
})
