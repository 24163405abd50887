// The run's schedule: every cell's rounds are taken in passes over all cells (one round of each
// per pass), inline on tiny cells. Asserts the order of the rounds, never a time.
import { describe, expect, it } from 'vitest'
import type { RunProgress } from '../../src/runner/run-bench.js'
import { runBenchmark } from '../../src/runner/run-bench.js'
import type { RunConfig } from '../../src/runner/plan.js'

const CONFIG: RunConfig = {
  workloads: ['churn', 'gntshr'],
  strategies: ['list', 'rbtree'],
  baseline: 'list',
  sizes: [8, 16],
  isolates: 3,
  maxIsolates: 3,
  samples: 2,
  sampleMs: 0.02,
  warmupMs: 0,
  precisionPercent: null,
  marginPercent: 5,
  budgetSeconds: null,
  ops: 30,
  seed: 1,
  confidence: 95,
  mode: 'exact',
  wrapOffsetSpacePages: 1024,
  quick: false,
  isolation: 'inline',
  gcBeforeSample: 'minor',
}

describe('runBenchmark', () => {
  it('verifies every cell first, then takes one round of every cell per pass', async () => {
    const seen: RunProgress[] = []
    const groups = await runBenchmark(CONFIG, { onProgress: (p) => seen.push(p) })
    expect(groups.map((g) => `${g.workload.name}:${g.size}`)).toEqual(['churn:8', 'churn:16', 'gntshr:8', 'gntshr:16'])
    for (const g of groups) expect(g.measurement?.rounds).toBe(3)
    const verified = seen.filter((p) => p.phase === 'verifying').map((p) => p.group)
    expect(verified).toEqual([1, 2, 3, 4])
    const lastVerify = seen.findIndex((p) => p.phase === 'verifying' && p.group === 4)
    const rounds = seen.filter((p) => p.phase.startsWith('round ') && p.phase.endsWith(', list')).map((p) => `${p.group}:${p.phase.split(',')[0]}`)
    // Pass by pass: round 1 of every cell, then round 2 of every cell, …
    expect(rounds).toEqual(['1:round 1', '2:round 1', '3:round 1', '4:round 1', '1:round 2', '2:round 2', '3:round 2', '4:round 2', '1:round 3', '2:round 3', '3:round 3', '4:round 3'])
    expect(seen.findIndex((p) => p.phase.startsWith('round '))).toBeGreaterThan(lastVerify)
    // No estimate before a round has run; one on every round's line after the first.
    expect(seen.filter((p) => p.phase === 'verifying').every((p) => p.remainingMs === null)).toBe(true)
    expect(seen.filter((p) => p.phase.startsWith('round ')).slice(1).every((p) => p.remainingMs !== null && p.remainingMs >= 0)).toBe(true)
  })

  it('stops adding rounds beyond the minimum once the budget is spent, and says so', async () => {
    const groups = await runBenchmark({ ...CONFIG, workloads: ['churn'], sizes: [8], maxIsolates: 6, precisionPercent: 0.1, budgetSeconds: 0.001 })
    expect(groups[0]?.measurement).toMatchObject({ rounds: 3, stoppedBy: 'budget' })
  })
})
