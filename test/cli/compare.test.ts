import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { captureIo } from './helpers.js'
import { runCli } from '../../src/cli/main.js'
import { UsageError } from '../../src/errors.js'
import type { MeasuredResultCell, ResultBlock, RunResult } from '../../src/results/run-schema.js'

/** A measured cell whose isolate means are `values` (rounds 0, 1, …). */
function measured(strategy: string, values: number[]): MeasuredResultCell {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return {
    workload: 'churn',
    size: 64,
    strategy,
    status: 'measured',
    unit: 'ns/op',
    opsPerBatch: 100,
    setupOps: 10,
    isolates: values.map((v, round) => ({
      round,
      position: 0,
      seed: round,
      statesPerSample: 1,
      warmupSamples: 2,
      samples: [v],
      gcCounts: [0],
      gcMs: [0],
      mean: v,
      work: { ok: 100, failed: 0, skipped: 0 },
      streamHash: `h${round}`,
    })),
    values,
    rounds: values.map((_, i) => i),
    summary: { n: values.length, min: Math.min(...values), max: Math.max(...values), median: mean, mean, stddev: 1 },
    components: { withinPercent: null, betweenPercent: null },
    gcSamples: 0,
    totalSamples: values.length,
  }
}

/** A schema-valid result: the cells, and one block against `baseline` (its comparisons are not read by compare). */
function result(name: string, cells: MeasuredResultCell[], baseline: string, options: { ops?: number; cpu?: string; busy?: string } = {}): RunResult {
  const block: ResultBlock = {
    workload: 'churn',
    size: 64,
    baseline,
    baselineNote: null,
    strategies: cells.map((c) => c.strategy),
    rounds: 5,
    loadAverages: [],
    precisionReached: null,
    stoppedBy: 'minimum',
    comparisons: cells
      .filter((c) => c.strategy !== baseline)
      .map((c) => ({
        strategy: c.strategy,
        method: 'paired-rounds',
        n: 5,
        df: 4,
        confidence: 95,
        ratio: 1,
        lower: 0.9,
        upper: 1.1,
        p: 1,
        holmP: 1,
        significant: false,
        verdict: 'no difference proven',
        familyVerdict: 'no difference proven',
        precisionPercent: 10,
        unpairedPrecisionPercent: null,
        marginPercent: 5,
        equivalenceP: 1,
        equivalenceHolmP: 1,
        isolatesForTarget: null,
      })),
  }
  return {
    schemaVersion: 2,
    tool: 'gntbench',
    name,
    environment: {
      node: 'v20.20.2',
      v8: '11.3',
      os: { platform: 'linux', release: '6', arch: 'x64' },
      cpu: { model: options.cpu ?? 'test cpu', cores: 2, speedMHz: null },
      memoryBytes: 1,
      date: '2026-11-21T00:00:00.000Z',
      durationMs: 1,
      gitCommit: null,
      gitDirty: null,
      commandLine: ['gntbench', 'run'],
      seed: 1,
      gcBetweenReplicates: false,
    },
    machine: { before: { loadAverage: [0.1, 0.1, 0.1], governor: null, frequencyMHz: null }, busy: options.busy ?? null },
    config: {
      workloads: ['churn'],
      strategies: null,
      baseline: null,
      sizes: null,
      isolates: 5,
      maxIsolates: 5,
      samples: 1,
      sampleMs: 10,
      warmupMs: 100,
      precisionPercent: null,
      marginPercent: 5,
      budgetSeconds: null,
      ops: options.ops ?? 100,
      seed: 1,
      confidence: 95,
      mode: 'exact',
      wrapOffsetSpacePages: 1024,
      quick: false,
      isolation: 'worker',
      engine: 'js',
      gcBeforeSample: 'minor',
    },
    workloads: [{ name: 'churn', summary: 's', sizeUnit: 'live gmaps', sides: 'map', measure: 'timed' }],
    cells,
    blocks: [block],
  }
}

function write(dir: string, name: string, data: unknown): string {
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(data))
  return path
}

describe('gntbench compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gntbench-compare-'))
  const base = [100, 104, 98, 101, 103]
  const old = write(dir, 'old.json', result('old', [measured('list', base), measured('rbtree', base.map((v) => v / 2))], 'list'))
  // The whole machine 30 % slower, every cell alike: the relative standing is unchanged.
  const drifted = write(dir, 'drifted.json', result('drifted', [measured('list', base.map((v) => v * 1.3)), measured('rbtree', base.map((v, i) => ((v * 1.3) / 2) * (1 + ([0.01, -0.01, 0.02, -0.02, 0][i] ?? 0))))], 'list', { busy: 'load average 3.1' }))
  // rbtree lost ground against list: 40 % slower relative to it.
  const regressed = write(dir, 'regressed.json', result('regressed', [measured('list', base), measured('rbtree', base.map((v) => (v / 2) * 1.4 + (v % 2)))], 'list', { ops: 200, cpu: 'other cpu' }))

  it('compares relative standing by default: machine drift cancels, and the caveats say what differs', async () => {
    const io = captureIo()
    expect(await runCli(['compare', '--fail-on-regression', old, drifted], io)).toBe(0)
    expect(io.out).toContain('gntbench compare (relative)')
    expect(io.out).toMatch(/rbtree \/ list\s+0\.500\s+0\.5\d\d\s+/)
    expect(io.out).toContain('caveat: the new run was made on a busy machine: load average 3.1')
    expect(io.out).toContain('1 cells compared: 0 slower')
  })

  it("lists a host whose noise differed (median within-isolate CV) as a caveat, and not a small difference", async () => {
    const noisy = (run: RunResult, withinPercent: number): RunResult => ({
      ...run,
      cells: run.cells.map((c) => (c.status === 'measured' ? { ...c, components: { withinPercent, betweenPercent: 1 } } : c)),
    })
    const quiet = write(dir, 'quiet.json', noisy(result('quiet', [measured('list', base), measured('rbtree', base.map((v) => v / 2))], 'list'), 2.2))
    const alsoQuiet = write(dir, 'also-quiet.json', noisy(result('also-quiet', [measured('list', base), measured('rbtree', base.map((v) => v / 2))], 'list'), 3.1))
    const spell = write(dir, 'spell.json', noisy(result('spell', [measured('list', base), measured('rbtree', base.map((v) => v / 2))], 'list'), 6.9))
    const io = captureIo()
    expect(await runCli(['compare', quiet, spell], io)).toBe(0)
    expect(io.out).toContain("caveat: the host's noise differs: median within-isolate sample CV 2.2% → 6.9%")
    const calm = captureIo()
    expect(await runCli(['compare', quiet, alsoQuiet], calm)).toBe(0)
    expect(calm.out).not.toContain("the host's noise differs")
  })

  it("lists intervals made differently (Stein's alone, guarded) as a caveat, and not the same ones", async () => {
    const made = (run: RunResult, method: 'paired-two-stage' | 'paired-two-stage-guarded'): RunResult => ({
      ...run,
      blocks: run.blocks.map((b) => ({ ...b, comparisons: b.comparisons.map((c) => ({ ...c, method, df: 11 })) })),
    })
    const pair = (): RunResult => result('stein', [measured('list', base), measured('rbtree', base.map((v) => v / 2))], 'list')
    const stein = write(dir, 'stein.json', made(pair(), 'paired-two-stage'))
    const guarded = write(dir, 'guarded.json', made(pair(), 'paired-two-stage-guarded'))
    const io = captureIo()
    expect(await runCli(['compare', stein, guarded], io)).toBe(0)
    expect(io.out).toContain('caveat: interval (stats/ratio.ts) differs: ["paired-two-stage"] → ["paired-two-stage-guarded"]')
    const same = captureIo()
    expect(await runCli(['compare', guarded, guarded], same)).toBe(0)
    expect(same.out).not.toContain('interval (stats/ratio.ts) differs')
  })

  it('--absolute sees the drift in every cell, and warns that it would', async () => {
    const io = captureIo()
    expect(await runCli(['compare', '--absolute', old, drifted], io)).toBe(0)
    expect(io.out).toContain('caveat: absolute ns/op')
    expect(io.out).toMatch(/2 cells compared: 2 slower/)
  })

  it('reports a strategy losing ground as a regression; --fail-on-regression exits 1', async () => {
    const io = captureIo()
    expect(await runCli(['compare', old, regressed], io)).toBe(0)
    expect(io.out).toMatch(/rbtree \/ list\s+0\.500\s+0\.70\d\s+\+4\d\.\d% \[\+\d+\.\d%, \+\d+\.\d%\].*slower/)
    expect(io.out).toContain('caveat: CPU differs: "test cpu" → "other cpu"')
    expect(io.out).toContain('caveat: ops per state (K) differs: 100 → 200')
    const failing = captureIo()
    expect(await runCli(['compare', '--fail-on-regression', old, regressed], failing)).toBe(1)
    expect(failing.err).toBe('gntbench compare: 1 cell(s) got slower (Holm-adjusted)\n')
    const json = captureIo()
    await runCli(['compare', '--json', old, regressed], json)
    const parsed = JSON.parse(json.out) as { regressions: number; cells: { comparison: { familyVerdict: string; lower: number } }[] }
    expect(parsed.regressions).toBe(1)
    expect(parsed.cells[0]?.comparison.familyVerdict).toBe('slower')
    expect(parsed.cells[0]?.comparison.lower).toBeGreaterThan(0)
  })

  // Nine strategies, the fast ones half the baseline's time: enough cells for the host-drift check.
  const names = ['list', 'rbtree', 'rangeset', 'augtree', 'maple', 'xarray', 'freebsd', 'xen-rangeset', 'linux-gntdev']
  const suite = (name: string, scale: (strategy: string) => number): string =>
    write(dir, `${name}.json`, result(name, names.map((s, i) => measured(s, base.map((v, round) => ((v * scale(s)) / (s === 'list' ? 1 : 2)) * (1 + ((round + i) % 3) * 0.002)))), 'list'))
  const quietSuite = suite('suite-quiet', () => 1)
  // A slower host state: the list 10 % slower, the fast strategies 40 % (the shape seen between a quiet and a noisy spell).
  const spellSuite = suite('suite-spell', (s) => (s === 'list' ? 1.1 : 1.4))
  // One strategy's code got 40 % slower, every other cell unchanged: no drift.
  const changedSuite = suite('suite-changed', (s) => (s === 'maple' ? 1.4 : 1))

  it('measures the host drift over the cells of both runs, and --fail-on-regression exits 3 when the host moved', async () => {
    const io = captureIo()
    expect(await runCli(['compare', '--fail-on-regression', quietSuite, spellSuite], io)).toBe(3)
    expect(io.out).toMatch(/host drift: the 9 cells in both runs moved a median \+40\.0% in ns\/op \(middle half \+40\.0% to \+40\.0%\); beyond ±3%/)
    expect(io.out).toContain(`caveat: the host's state differs: the same cells ran a median +40.0% in ns/op`)
    expect(io.out).toContain('8 cells compared: 8 slower, 0 faster, 0 without a proven change — from different host states, so not a finding about the code')
    expect(io.err).toBe("gntbench compare: not comparable: the same cells' ns/op moved a median +40.0% (beyond ±3%), so the host's state differed; rerun both in one state, or pass --allow-host-drift\n")
    const allowed = captureIo()
    expect(await runCli(['compare', '--fail-on-regression', '--allow-host-drift', quietSuite, spellSuite], allowed)).toBe(1)
    const json = captureIo()
    expect(await runCli(['compare', '--json', quietSuite, spellSuite], json)).toBe(0)
    const parsed = JSON.parse(json.out) as { hostDrift: { cells: number; medianPercent: number; beyondLimit: boolean } }
    expect(parsed.hostDrift.cells).toBe(9)
    expect(parsed.hostDrift.medianPercent).toBeCloseTo(40, 6)
    expect(parsed.hostDrift.beyondLimit).toBe(true)
  })

  it("a change to one strategy's code is a regression, not drift: the median over the cells stays put", async () => {
    const io = captureIo()
    expect(await runCli(['compare', '--fail-on-regression', quietSuite, changedSuite], io)).toBe(1)
    expect(io.out).toMatch(/host drift: the 9 cells in both runs moved a median \+0\.0% .*within ±3%, one host state/)
    expect(io.out).not.toContain("the host's state differs")
    // The fixture's stored verdicts are all 'no difference proven' (8 the same); beside them, what the widths allow.
    expect(io.out).toMatch(/agreement of the two runs' own verdicts: 8 of 8 the same \(the intervals' widths allow about \d\.\d\); /)
    expect(io.out).toMatch(/maple \/ list\s+0\.50\d\s+0\.70\d\s+.*slower/)
    expect(io.err).toBe('gntbench compare: 1 cell(s) got slower (Holm-adjusted)\n')
  })

  it('counts agreement in significance alone beside the four-way count: "equivalent" and "not proven" are both neither', async () => {
    const relabelled = JSON.parse(readFileSync(quietSuite, 'utf8')) as RunResult
    const [block] = relabelled.blocks
    const first = block?.comparisons[0]
    if (block === undefined || first === undefined) throw new Error('fixture without a comparison')
    const blocks = [{ ...block, comparisons: [{ ...first, familyVerdict: 'equivalent' as const }, ...block.comparisons.slice(1)] }]
    const relabelledSuite = write(dir, 'suite-relabelled.json', { ...relabelled, blocks })
    const io = captureIo()
    await runCli(['compare', quietSuite, relabelledSuite], io)
    expect(io.out).toMatch(/own verdicts: 7 of 8 the same \(the intervals' widths allow about \d\.\d\); in significance alone \(faster, slower, neither\) 8 \(about \d\.\d\); /)
    const json = captureIo()
    await runCli(['compare', '--json', quietSuite, relabelledSuite], json)
    const parsed = JSON.parse(json.out) as { agreement: { sameVerdict: number; sameSignificance: number; expectedSameSignificance: number } }
    expect(parsed.agreement).toMatchObject({ sameVerdict: 7, sameSignificance: 8 })
    expect(parsed.agreement.expectedSameSignificance).toBeGreaterThan(0)
  })

  it('says when too few cells are in common to tell the host from the change', async () => {
    const io = captureIo()
    await runCli(['compare', old, regressed], io)
    expect(io.out).toContain("caveat: the host's drift is not known: the ops per state differ (100 → 200)")
    const few = captureIo()
    await runCli(['compare', old, drifted], few)
    expect(few.out).toContain("caveat: the host's drift is not known: only 2 timed cell(s) in common: too few to tell a change of the host")
    expect(io.out).not.toContain('host drift:')
  })

  it.each([
    [[old], 'needs two results files'],
    [[old, join(dir, 'missing.json')], 'missing.json: cannot read (ENOENT)'],
    [[old, write(dir, 'foreign.json', { hello: 1 })], 'foreign.json: schemaVersion: expected 2, got missing'],
    [[old, write(dir, 'v1.json', { schemaVersion: 1 })], 'schemaVersion: 1 is the old design'],
    [[old, write(dir, 'other.json', { ...result('o', [measured('rangeset', base), measured('freebsd', base)], 'rangeset') })], 'have no cell in common'],
    [['--confidence', '0', old, drifted], '--confidence must be a percentage'],
    [['--nope', old, drifted], "unknown option '--nope'"],
    [['--allow-host-drift', old, drifted], '--allow-host-drift only changes what --fail-on-regression does'],
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
