import { describe, expect, it } from 'vitest'
import type { GroupSpec, OutcomeResult, PrepareResult } from '../../src/runner/cell-runner.js'
import { BenchIntegrityError } from '../../src/runner/checks.js'
import type { StrategyHost } from '../../src/runner/strategy-host.js'
import { runTimedGroup } from '../../src/runner/timed-group.js'
import { Prng } from '../../src/workloads/prng.js'

const GROUP: GroupSpec = { workload: 'qdisk-map', size: 8, seed: 1, ops: 10, wrapOffsetSpacePages: 1024, warmupIterations: 0, warmupMs: 0 }

/** A host that records the calls it gets; replicate() returns 100·id + call number. */
class FakeHost implements StrategyHost {
  readonly spec: string
  readonly calls: string[]
  private readonly id: number
  private readonly prepared: PrepareResult
  private replicates = 0
  released = 0

  constructor(spec: string, id: number, calls: string[], prepared: PrepareResult) {
    this.spec = spec
    this.id = id
    this.calls = calls
    this.prepared = prepared
  }

  async prepare(): Promise<PrepareResult> {
    return this.prepared
  }

  async replicate(): Promise<number> {
    this.calls.push(this.spec)
    return 100 * this.id + this.replicates++
  }

  async release(): Promise<void> {
    this.released++
  }

  async outcome(): Promise<OutcomeResult> {
    throw new Error('not used')
  }

  async close(): Promise<void> {}
}

const READY: PrepareResult = { status: 'ready', reference: { ok: 10, failed: 0, skipped: 0 }, semantics: 'same', opsPerReplicate: 10, setupOps: 4, streamHash: 'h' }

function hosts(calls: string[], prepared: readonly PrepareResult[]): FakeHost[] {
  return prepared.map((p, i) => new FakeHost(`s${i}`, i, calls, p))
}

describe('runTimedGroup', () => {
  it('runs every ready strategy once per round, in a shuffled order, and keeps values in measured order', async () => {
    const calls: string[] = []
    const group = hosts(calls, [READY, READY, READY, READY])
    const results = await runTimedGroup(GROUP, group, { replicates: 6, shuffle: new Prng(3) })
    const rounds = Array.from({ length: 6 }, (_, r) => calls.slice(4 * r, 4 * r + 4))
    for (const round of rounds) expect([...round].sort()).toEqual(['s0', 's1', 's2', 's3'])
    expect(new Set(rounds.map((round) => round.join())).size).toBeGreaterThan(1)
    for (const [i, result] of results.entries()) {
      expect(result.status).toBe('measured')
      if (result.status !== 'measured') continue
      expect(result.values).toEqual([0, 1, 2, 3, 4, 5].map((n) => 100 * i + n))
      expect(result.rounds).toEqual([0, 1, 2, 3, 4, 5])
      expect(result.positions.map((p, r) => rounds[r]?.[p])).toEqual(Array(6).fill(`s${i}`))
    }
    for (const host of group) expect(host.released).toBe(1)
  })

  it('gives the same interleaving for the same seed', async () => {
    const a: string[] = []
    const b: string[] = []
    await runTimedGroup(GROUP, hosts(a, [READY, READY, READY]), { replicates: 5, shuffle: new Prng(9) })
    await runTimedGroup(GROUP, hosts(b, [READY, READY, READY]), { replicates: 5, shuffle: new Prng(9) })
    expect(a).toEqual(b)
  })

  it('passes skipped strategies through with their reason and never times them', async () => {
    const calls: string[] = []
    const results = await runTimedGroup(GROUP, hosts(calls, [READY, { status: 'skipped', reason: 'map side only' }]), {
      replicates: 3,
      shuffle: new Prng(1),
    })
    expect(results[1]).toEqual({ strategy: 's1', status: 'skipped', reason: 'map side only' })
    expect(calls).toEqual(['s0', 's0', 's0'])
  })

  it('refuses strategies with the same semantics that did different work', async () => {
    const other: PrepareResult = { ...READY, reference: { ok: 9, failed: 1, skipped: 0 } }
    await expect(runTimedGroup(GROUP, hosts([], [READY, other]), { replicates: 3, shuffle: new Prng(1) })).rejects.toThrow(BenchIntegrityError)
    // Different semantics (another policy) may legitimately differ.
    const otherPolicy: PrepareResult = { ...other, semantics: 'other' }
    await expect(runTimedGroup(GROUP, hosts([], [READY, otherPolicy]), { replicates: 3, shuffle: new Prng(1) })).resolves.toHaveLength(2)
  })
})
