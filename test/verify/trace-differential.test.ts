// The differential pass of replay: a recorded trace of every built-in workload replays
// identically on every registered strategy and preset that supports its ops; a strategy with a
// planted bug is caught at the right line with both answers; policy differences and capacity
// differences are left out rather than reported.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createStrategy, strategyEntries } from '../../src/strategies/registry.js'
import type { Strategy, StrategyOptions } from '../../src/strategies/types.js'
import { withGmapStore } from '../strategies/patched-stores.js'
import { allWorkloads } from '../../src/workloads/registry.js'
import { replayDifferential } from '../../src/verify/trace-differential.js'
import { scanTrace, sidesOf } from '../../src/workloads/trace-scan.js'
import { formatTrace } from '../../src/workloads/trace-format.js'

const dir = mkdtempSync(join(tmpdir(), 'gntbench-trace-differential-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const byName = (spec: string) => ({ name: spec, create: (options?: StrategyOptions) => createStrategy(spec, options) })

describe('replayDifferential on recorded workloads', () => {
  // A small offset space keeps the wrap study (which allocates until the space wraps) short.
  for (const workload of allWorkloads({ wrapOffsetSpacePages: 2 ** 12 })) {
    it(`${workload.name}: every strategy that supports its ops agrees on every line`, async () => {
      const params = { size: 60, seed: 11, ops: 600 }
      const stream = workload.generate(params)
      const offsetSpacePages = workload.strategyOptions(params).offsetSpacePages
      const grantTableEntries = workload.domainNeeds(params).grantTableEntries
      const settings = {
        ...(offsetSpacePages === undefined ? {} : { offsetSpacePages }),
        ...(grantTableEntries === undefined ? {} : { grantTableEntries }),
      }
      const file = write(`${workload.name}.trace`, formatTrace(stream, [], settings))
      const scan = await scanTrace(file)
      const sides = sidesOf(scan.kinds)
      const specs = strategyEntries()
        .filter((entry) => entry.kind !== 'allocator')
        .filter((entry) => {
          const { policy } = entry.create()
          return (!sides.alloc || policy.supportsAlloc) && (!sides.map || policy.supportsMap)
        })
        .map((entry) => entry.name)
      expect(specs.length).toBeGreaterThanOrEqual(3)
      const result = await replayDifferential(file, specs.map(byName), scan)
      expect(result.mismatch).toBeNull()
      expect(result.finalMismatch).toBeNull()
      expect(result.ops).toBe(stream.setup.length + stream.measured.length)
    })
  }
})

describe('replayDifferential on hand-written traces', () => {
  /** rbtree whose UNMAP lookup ignores the page count: a plausible bug. */
  const sloppyUnmap = {
    name: 'sloppy',
    create: (options?: StrategyOptions): Strategy => {
      const base = createStrategy('rbtree', options)
      return withGmapStore(base, { findExact: (first) => base.gmapStore.findExact(first, 0) })
    },
  }

  it('names the first line where a buggy strategy differs, with both answers', async () => {
    const file = write(
      'bug.trace',
      ['gntbench-trace 1 handles=2 vmas=1', 'map h0 domid=1 refs=8-11', 'mmap v0 h0 pages=4 rw', 'getoffset v0', 'unmap h0 pages=3', 'unmap h0 pages=4', ''].join('\n'),
    )
    const result = await replayDifferential(file, [byName('list'), sloppyUnmap], await scanTrace(file))
    expect(result.mismatch).toMatchObject({ line: 5, baseline: 'list', expected: 'EINVAL', lane: 'sloppy', got: 'OK' })
  })

  it('compares GET_OFFSET_FOR_VADDR by handle and count, not by offset', async () => {
    const file = write(
      'offsets.trace',
      ['gntbench-trace 1 handles=3 vmas=2', 'map h0 domid=1 refs=1-3', 'map h1 domid=1 refs=4', 'mmap v0 h1 pages=1 ro', 'mmap v1 h0 pages=3 rw', 'getoffset v1', 'getoffset v0', ''].join('\n'),
    )
    const result = await replayDifferential(file, ['list', 'rbtree', 'rangeset', 'freebsd'].map(byName), await scanTrace(file))
    expect(result.mismatch).toBeNull()
  })

  it('leaves out the lines where a preset’s policy legitimately differs', async () => {
    // UNMAP with count 0 is Linux gntdev's wildcard; FreeBSD (the generic policy) says EINVAL.
    // linux-gntdev:exact-fit: the preset has today's strict-gap quirk on, which would make the
    // lane 'loose'; its corrected variant differs from list in policy only.
    const file = write(
      'wildcard.trace',
      ['gntbench-trace 1 handles=1 vmas=1', 'map h0 domid=1 refs=1-2', 'unmap h0 pages=0', 'mmap v0 h0 pages=2 rw', 'unmap h0 pages=2', ''].join('\n'),
    )
    const result = await replayDifferential(file, [byName('list'), byName('linux-gntdev:exact-fit')], await scanTrace(file))
    expect(result.mismatch).toBeNull()
    expect(result.lanes).toEqual([{ lane: 'linux-gntdev:exact-fit', mode: 'policy', compared: 1, leftOut: 3 }])
  })

  it('notes, rather than fails, an allocator that runs out of offsets first', async () => {
    // A 4-page offset space: the bump counter never reuses, the list allocator does.
    const file = write(
      'capacity.trace',
      ['gntbench-trace 1 handles=3 offset-space=4', 'alloc h0 domid=1 pages=4 writable', 'dealloc h0 pages=4', 'alloc h1 domid=1 pages=2 writable', 'dealloc h1 pages=2', ''].join('\n'),
    )
    const result = await replayDifferential(file, [byName('list'), byName('list+bump')], await scanTrace(file))
    expect(result.mismatch).toBeNull()
    expect(result.notes).toMatchObject([{ lane: 'list+bump', reason: 'capacity', line: 4, expected: 'OK', got: 'EOVERFLOW' }])
  })
})
