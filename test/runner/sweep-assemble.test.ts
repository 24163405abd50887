// Heap per record as the sweep reports it: the first repeat is left out of the mean (it also
// feeds the JIT), readings under the noise floor are not used, and the fit over sizes recovers
// the marginal bytes of a record without the fixed costs.

import { describe, expect, it } from 'vitest'
import { HEAP_NOISE_FLOOR_BYTES, heapFit, heapMean } from '../../src/runner/sweep-assemble.js'
import type { SweepMemory } from '../../src/results/sweep-schema.js'

function memory(size: number, records: number, perRecord: number): SweepMemory {
  return {
    size,
    strategy: 'rbtree',
    kinds: { allocator: 'rbtree', grefStore: 'rbtree', gmapStore: 'rbtree' },
    counts: { grefs: records, gmaps: 0, gmapPages: 0, allocatorNodes: 1, grefStoreNodes: 0, gmapStoreNodes: 0 },
    model: { totalBytes: 0, structuralBytes: 0, bytesPerRecord: 0, bytesPerPage: 0, structuralBytesPerRecord: 0, totalBytesWithoutUnion: 0, lines: [], unknownKinds: [] },
    heapBytesPerRecord: [perRecord],
    heapBytesPerRecordMean: perRecord,
    heapBytes: perRecord * records,
    footprintBytes: perRecord * records,
  }
}

describe('heapMean()', () => {
  it('averages the repeats after the first', () => {
    expect(heapMean([900, 170, 166], 1 << 16)).toBe(168)
    expect(heapMean([170], 1 << 16)).toBe(170)
  })
  it('gives NaN under the noise floor', () => {
    expect(heapMean([300, -4040], 17)).toBeNaN()
    expect(heapMean([0, HEAP_NOISE_FLOOR_BYTES / 1024], 1024)).toBe(1024)
  })
})

describe('heapFit()', () => {
  it('recovers the slope of heap against records with the fixed part apart', () => {
    // 168 B per record plus 64 KiB that does not grow.
    const sizes = [4096, 16384, 65536]
    const fit = heapFit('rbtree', sizes.map((n) => memory(n, n, 168 + 65536 / n)))
    expect(fit?.bytesPerRecord).toBeCloseTo(168, 9)
    expect(fit?.fixedBytes).toBeCloseTo(65536, 6)
    expect(fit?.rSquared).toBeCloseTo(1, 12)
    expect(heapFit('rbtree', [memory(4096, 4096, 168)])).toBeNull()
  })
})
