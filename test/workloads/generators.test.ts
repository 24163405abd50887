import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { BenchWorkload } from '../../src/workloads/bench-workload.js'
import { allWorkloads } from '../../src/workloads/registry.js'
import type { DeviceOp, OpStream } from '../../src/workloads/types.js'
import { createWrapWorkload } from '../../src/workloads/wrap.js'

const PARAMS = { size: 24, seed: 7, ops: 300 }
/** A small offset space keeps the wrap stream short (it runs through twice the space). */
const WORKLOADS: readonly BenchWorkload[] = [...allWorkloads().filter((w) => w.name !== 'wrap'), createWrapWorkload(1024)]

// Golden hashes: a change here changes every benchmark result, so it must be deliberate
// (a workload's shape changed, or the Prng did). Update with the values the test prints.
const GOLDEN: Readonly<Record<string, string>> = {
  'qdisk-persistent': 'c8c4d2fab915fe87',
  'qdisk-map': 'c04c8b51db967e7b',
  gntshr: '35074898c73f2e46',
  vchan: 'ce8ef27495fa4667',
  churn: '8015e8282f9ca7b2',
  'lookup-heavy': 'f9276e0e27d59381',
  shortage: 'df3d9b4d9f005f15',
  wrap: '73a5d64d7b0dfdda',
}

function hashOf(stream: OpStream): string {
  return createHash('sha256').update(JSON.stringify(stream)).digest('hex').slice(0, 16)
}

const ALLOC_KINDS = new Set<DeviceOp['kind']>(['alloc', 'dealloc', 'foreignMap', 'foreignUnmap'])
const MAP_KINDS = new Set<DeviceOp['kind']>(['map', 'unmap', 'getOffset'])

/** Every handle and VMA slot is created once, before it is used, and inside the declared tables. */
function checkWellFormed(stream: OpStream): void {
  const handles = new Set<number>()
  const vmas = new Set<number>()
  for (const op of [...stream.setup, ...stream.measured]) {
    switch (op.kind) {
      case 'alloc':
      case 'map':
        expect(handles.has(op.handle), `handle ${op.handle} created twice`).toBe(false)
        expect(op.handle).toBeLessThan(stream.handles)
        handles.add(op.handle)
        break
      case 'mmap':
        expect(handles.has(op.handle), `mmap of unknown handle ${op.handle}`).toBe(true)
        expect(vmas.has(op.vma)).toBe(false)
        expect(op.vma).toBeLessThan(stream.vmas)
        expect(op.pages).toBeGreaterThan(0)
        vmas.add(op.vma)
        break
      case 'munmap':
      case 'getOffset':
        expect(vmas.has(op.vma), `${op.kind} of unknown VMA ${op.vma}`).toBe(true)
        break
      case 'close':
        break
      default:
        expect(handles.has(op.handle), `${op.kind} of unknown handle ${op.handle}`).toBe(true)
    }
  }
}

describe.each(WORKLOADS.map((w) => [w.name, w] as const))('workload %s', (_name, workload) => {
  const stream = workload.generate(PARAMS)

  it('gives the same stream for the same seed (golden hash)', () => {
    expect(workload.generate(PARAMS)).toEqual(stream)
    expect(hashOf(stream), `golden hash of ${workload.name}`).toBe(GOLDEN[workload.name])
  })

  it('gives a different stream for another seed', () => {
    expect(hashOf(workload.generate({ ...PARAMS, seed: 8 }))).not.toBe(hashOf(stream))
  })

  it('is well formed: handles and VMA slots are created once, before use', () => {
    checkWellFormed(stream)
  })

  it('uses only the ioctls of its declared sides', () => {
    const kinds = new Set([...stream.setup, ...stream.measured].map((op) => op.kind))
    if (workload.sides === 'map') for (const kind of ALLOC_KINDS) expect(kinds.has(kind), kind).toBe(false)
    if (workload.sides === 'alloc') for (const kind of MAP_KINDS) expect(kinds.has(kind), kind).toBe(false)
    if (workload.sides === 'both') expect(kinds.has('alloc') && kinds.has('map')).toBe(true)
  })

  it('builds a live set in the setup and measures exactly K ops (timed workloads)', () => {
    expect(stream.setup.length).toBeGreaterThan(0)
    if (workload.measure !== 'timed') return
    if (workload.drains) expect(stream.measured.length).toBeGreaterThanOrEqual(PARAMS.ops)
    else expect(stream.measured.length).toBe(PARAMS.ops)
  })
})

describe('workload sizes', () => {
  it('alloc workloads hold exactly N live pages after the setup', () => {
    for (const name of ['gntshr', 'lookup-heavy', 'shortage']) {
      const workload = WORKLOADS.find((w) => w.name === name) as BenchWorkload
      const pages = workload
        .generate({ size: 100, seed: 3, ops: 10 })
        .setup.reduce((sum, op) => sum + (op.kind === 'alloc' ? op.pages : 0), 0)
      expect(pages, name).toBe(100)
    }
  })

  it('qdisk requests map 1–11 grants and the ring 1–16 pages', () => {
    for (const name of ['qdisk-map', 'qdisk-persistent']) {
      const stream = (WORKLOADS.find((w) => w.name === name) as BenchWorkload).generate({ size: 200, seed: 5, ops: 2000 })
      const maps = [...stream.setup, ...stream.measured].filter((op): op is Extract<DeviceOp, { kind: 'map' }> => op.kind === 'map')
      const [ring, ...requests] = maps
      expect(ring?.grantRefs.length).toBeGreaterThanOrEqual(1)
      expect(ring?.grantRefs.length).toBeLessThanOrEqual(16)
      for (const request of requests) {
        expect(request.grantRefs.length).toBeGreaterThanOrEqual(1)
        expect(request.grantRefs.length).toBeLessThanOrEqual(11)
      }
    }
  })

  it('wrap allocates at least twice its offset space in the measured part', () => {
    const stream = createWrapWorkload(4096).generate({ size: 8, seed: 1, ops: 1 })
    const pages = stream.measured.reduce((sum, op) => sum + (op.kind === 'alloc' ? op.pages : 0), 0)
    expect(pages).toBeGreaterThanOrEqual(2 * 4096)
    expect(createWrapWorkload(4096).strategyOptions({ size: 8, seed: 1, ops: 1 })).toEqual({ offsetSpacePages: 4096 })
  })

  it('shortage sizes the grant table to N plus the headroom and ends with every foreign mapping gone', () => {
    const workload = WORKLOADS.find((w) => w.name === 'shortage') as BenchWorkload
    expect(workload.domainNeeds({ size: 50, seed: 1, ops: 1 })).toEqual({ grantTableEntries: 8 + 50 + 32 })
    const stream = workload.generate({ size: 50, seed: 1, ops: 500 })
    let balance = 0
    for (const op of stream.measured) {
      if (op.kind === 'foreignMap') balance += op.pages
      if (op.kind === 'foreignUnmap') balance -= op.pages
    }
    expect(balance).toBe(0)
  })
})
