// A trace file as a BenchWorkload (the shape the runner times): ops, sides and settings come
// from the trace, and grant refs are renumbered densely without changing what replays.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadTraceWorkload } from '../../src/workloads/trace-workload.js'

const dir = mkdtempSync(join(tmpdir(), 'gntbench-trace-workload-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadTraceWorkload', () => {
  it('serves the trace as a timed workload with its header settings and dense grant refs', () => {
    const file = join(dir, 'both.trace')
    writeFileSync(
      file,
      [
        'gntbench-trace 1 handles=3 vmas=1 offset-space=4096 grant-table=64',
        'map h0 domid=1 refs=5000000,9',
        'measured',
        'alloc h1 domid=1 pages=1 writable',
        'map h2 domid=1 refs=9,77',
        'mmap v0 h2 pages=2 rw',
        '',
      ].join('\n'),
    )
    const workload = loadTraceWorkload(file)
    const stream = workload.generate({ size: 0, seed: 0, ops: 0 })
    expect(workload.sides).toBe('both')
    expect(workload.measure).toBe('timed')
    expect(workload.strategyOptions({ size: 0, seed: 0, ops: 0 })).toEqual({ offsetSpacePages: 4096 })
    expect(workload.domainNeeds({ size: 0, seed: 0, ops: 0 })).toEqual({ grantTableEntries: 64 })
    expect(stream.setup).toEqual([{ kind: 'map', handle: 0, domid: 1, grantRefs: [0, 1] }])
    expect(stream.measured[1]).toEqual({ kind: 'map', handle: 2, domid: 1, grantRefs: [1, 2] })
    expect(stream.measured).toHaveLength(3)
  })

  it('reports a missing file in one line', () => {
    expect(() => loadTraceWorkload(join(dir, 'nope.trace'))).toThrow(`${join(dir, 'nope.trace')}: cannot read trace: no such file`)
  })
})
