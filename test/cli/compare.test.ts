import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { captureIo } from './helpers.js'
import { runCli } from '../../src/cli/main.js'
import { UsageError } from '../../src/cli/usage-error.js'
import type { ResultCell, RunResult } from '../../src/runner/result-schema.js'


function measured(strategy: string, values: number[], streamHash = 'h1'): ResultCell {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return {
    workload: 'churn',
    size: 64,
    strategy,
    status: 'measured',
    unit: 'ns/op',
    opsPerReplicate: 100,
    setupOps: 10,
    streamHash,
    values,
    rounds: values.map((_, i) => i),
    positions: values.map(() => 0),
    work: { ok: 100, failed: 0, skipped: 0 },
    summary: { n: values.length, min: Math.min(...values), max: Math.max(...values), median: mean, mean, stddev: 1 },
  }
}

/** A small, schema-valid result with the given cells. */
function result(name: string, cells: ResultCell[], ops = 100, designEffect?: number): RunResult {
  return {
    schemaVersion: 1,
    tool: 'gntbench',
    name,
    environment: {
      node: 'v20.20.2',
      v8: '11.3',
      os: { platform: 'linux', release: '6', arch: 'x64' },
      cpu: { model: 'test cpu', cores: 2, speedMHz: null },
      memoryBytes: 1,
      date: '2026-11-21T00:00:00.000Z',
      durationMs: 1,
      gitCommit: null,
      gitDirty: null,
      commandLine: ['gntbench', 'run'],
      seed: 1,
      gcBetweenReplicates: true,
    },
    config: {
      workloads: ['churn'],
      strategies: null,
      baseline: null,
      sizes: null,
      replicates: 5,
      ops,
      seed: 1,
      confidence: 95,
      mode: 'exact',
      warmupIterations: 1,
      warmupMs: 0,
      wrapOffsetSpacePages: 1024,
      quick: false,
      isolation: 'worker',
      ...(designEffect === undefined ? {} : { designEffect }),
    },
    workloads: [{ name: 'churn', summary: 's', sizeUnit: 'live gmaps', sides: 'map', measure: 'timed' }],
    cells,
    blocks: [],
  }
}

function write(dir: string, name: string, data: unknown): string {
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(data))
  return path
}

describe('gntbench compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gntbench-compare-'))
  const old = write(dir, 'old.json', result('old', [measured('list', [100, 101, 99, 100, 102]), measured('rbtree', [50, 51, 49, 50, 50])]))
  const same = write(dir, 'same.json', result('same', [measured('list', [101, 100, 99, 102, 100]), measured('rbtree', [50, 49, 51, 50, 50])]))
  const slower = write(
    dir,
    'slower.json',
    result('slower', [measured('list', [130, 131, 129, 130, 132], 'h2'), measured('linux-gntdev', [1, 2, 3])], 200),
  )

  it('finds no difference between runs of the same numbers and exits 0 even with --fail-on-regression', async () => {
    const io = captureIo()
    expect(await runCli(['compare', '--fail-on-regression', old, same], io)).toBe(0)
    expect(io.out).toMatch(/churn\s+64\s+list\s+100\s+100\s+.*no difference proven/)
    expect(io.out).toContain('2 cells compared: 0 slower, 0 faster, 2 without a proven difference')
  })

  it('reports a significant slowdown as a regression, and --fail-on-regression exits 1', async () => {
    const io = captureIo()
    expect(await runCli(['compare', old, slower], io)).toBe(0)
    expect(io.out).toMatch(/list\s+100\s+130\s+\+29\.\d% ± \d+\.\d%\s+slower/)
    expect(io.out).toContain('caveat: ops per replicate (K) differs: 100 → 200')
    expect(io.out).toContain('caveat: the op stream of churn N=64 changed (workload generator, K or seed): its cells did different work')
    expect(io.out).toContain(`only in ${old}: churn N=64 rbtree`)
    expect(io.out).toContain(`only in ${slower}: churn N=64 linux-gntdev`)
    const failing = captureIo()
    expect(await runCli(['compare', '--fail-on-regression', old, slower], failing)).toBe(1)
    expect(failing.err).toBe('gntbench compare: 1 cell(s) got slower with significance\n')
  })

  it('prints the comparison as JSON', async () => {
    const io = captureIo()
    await runCli(['compare', '--json', old, slower], io)
    const parsed = JSON.parse(io.out) as { regressions: number; cells: { comparison: { verdict: string } }[] }
    expect(parsed.regressions).toBe(1)
    expect(parsed.cells[0]?.comparison.verdict).toBe('slower')
  })

  it("judges with the larger of the two runs' design effects (older files count as 1)", async () => {
    const wide = write(dir, 'wide.json', result('wide', [measured('list', [104, 105, 103, 104, 106]), measured('rbtree', [50, 51, 49, 50, 50])], 100, 9))
    const plain = captureIo()
    await runCli(['compare', '--json', old, write(dir, 'plain.json', result('plain', [measured('list', [104, 105, 103, 104, 106])]))], plain)
    const judgedPlain = JSON.parse(plain.out) as { designEffect: number; cells: { comparison: { verdict: string } }[] }
    expect(judgedPlain.designEffect).toBe(1)
    expect(judgedPlain.cells[0]?.comparison.verdict).toBe('slower')
    const io = captureIo()
    await runCli(['compare', '--json', old, wide], io)
    const judged = JSON.parse(io.out) as { designEffect: number; cells: { comparison: { verdict: string; designEffect: number } }[] }
    expect(judged.designEffect).toBe(9)
    expect(judged.cells[0]?.comparison).toMatchObject({ verdict: 'no difference proven', designEffect: 9 })
  })

  it.each([
    [[old], 'needs two results files'],
    [[old, join(dir, 'missing.json')], 'missing.json: cannot read (ENOENT)'],
    [[old, write(dir, 'foreign.json', { hello: 1 })], 'foreign.json: schemaVersion: expected 1, got missing'],
    [['--confidence', '0', old, same], '--confidence must be a percentage'],
    [['--nope', old, same], "unknown option '--nope'"],
  ])('%j is a one-line usage error', async (argv, message) => {
    const error = await runCli(['compare', ...argv], captureIo()).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).message).toContain(message)
    expect((error as UsageError).message).not.toContain('\n')
  })
})
