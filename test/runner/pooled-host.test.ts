// A pool spreads a group's replicates over its isolates in turn, restarts the turn for every
// group, and refuses isolates that disagree about the work.

import { describe, expect, it } from 'vitest'
import type { GroupSpec, OutcomeResult, PrepareResult } from '../../src/runner/cell-runner.js'
import { BenchIntegrityError } from '../../src/runner/checks.js'
import { PooledHost } from '../../src/runner/pooled-host.js'
import type { StrategyHost } from '../../src/runner/strategy-host.js'

const GROUP: GroupSpec = { workload: 'churn', size: 8, seed: 1, ops: 40, wrapOffsetSpacePages: 256, warmupIterations: 0, warmupMs: 0 }

class FakeHost implements StrategyHost {
  readonly spec = 'list'
  prepared = 0
  closed = false
  readonly value: number
  readonly ok: number
  constructor(value: number, ok = 40) {
    this.value = value
    this.ok = ok
  }
  async prepare(): Promise<PrepareResult> {
    this.prepared++
    return { status: 'ready', reference: { ok: this.ok, failed: 0, skipped: 0 }, semantics: 's', opsPerReplicate: 40, setupOps: 8, streamHash: 'h' }
  }
  async replicate(): Promise<number> {
    return this.value
  }
  async release(): Promise<void> {}
  async outcome(): Promise<OutcomeResult> {
    return { status: 'skipped', reason: 'fake' }
  }
  async close(): Promise<void> {
    this.closed = true
  }
}

describe('PooledHost', () => {
  it('prepares every isolate and hands replicates out in turn, from the first isolate each group', async () => {
    const hosts = [new FakeHost(1), new FakeHost(2), new FakeHost(3)]
    const pool = new PooledHost(hosts)
    await pool.prepare(GROUP)
    const first = [await pool.replicate(), await pool.replicate(), await pool.replicate(), await pool.replicate()]
    expect(first).toEqual([1, 2, 3, 1])
    await pool.prepare(GROUP)
    expect(await pool.replicate()).toBe(1)
    expect(hosts.map((h) => h.prepared)).toEqual([2, 2, 2])
    await pool.close()
    expect(hosts.every((h) => h.closed)).toBe(true)
  })

  it('refuses isolates that did different work', async () => {
    const pool = new PooledHost([new FakeHost(1, 40), new FakeHost(2, 39)])
    await expect(pool.prepare(GROUP)).rejects.toThrow(BenchIntegrityError)
  })
})
