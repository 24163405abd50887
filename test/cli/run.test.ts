import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nativeProblem } from '../native/availability.js'
import { captureIo, usageErrorOf } from './helpers.js'
import { main as runMain, parseRunArgs } from '../../src/cli/run.js'
import { DEFAULT_NATIVE_RUN, DEFAULT_RUN } from '../../src/runner/plan.js'
import type { MeasuredResultCell, OutcomeResultCell } from '../../src/results/run-schema.js'
import { validateRunResult } from '../../src/results/run-schema.js'



const TINY = ['--workload', 'qdisk-map,gntshr,wrap', '--strategy', 'list,rbtree,linux-gntalloc', '--sizes', '8', '--isolates', '3', '--samples', '2', '--sample-ms', '0.05', '--warmup-ms', '0', '--precision', 'off', '--ops', '40', '--offset-space', '256']

describe('gntbench run: the command line', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--isolates', '2'], '--isolates must be an integer in [3, 1000]'],
    [['--isolates'], '--isolates needs a value'],
    [['--isolates', '6', '--max-isolates', '4'], '--max-isolates (4) must be at least --isolates (6)'],
    [['--precision', '0'], '--precision must be a number in [0.1, 100]'],
    [['--sample-ms', 'x'], '--sample-ms must be a number'],
    [['--margin', '0'], '--margin must be a number in [0.1, 100]'],
    [['--replicates', '3'], "unknown option '--replicates'"],
    [['--sizes', '64,,8'], '--sizes takes a comma-separated list'],
    [['--sizes', '0'], '--sizes must be an integer'],
    [['--ops', 'many'], '--ops must be an integer'],
    [['--workload', 'nope'], "--workload: unknown workload 'nope'"],
    [['--strategy', 'avl'], "--strategy: unknown strategy 'avl'"],
    [['--baseline', 'avl'], "--baseline: unknown strategy 'avl'"],
    [['--confidence', '100'], '--confidence must be a percentage in (0, 100)'],
    [['--confidence', '97', '--ministat-compat'], '--confidence must be one of 80, 90, 95, 98, 99, 99.5'],
    [['--name', '../x'], '--name must be letters'],
    [['extra'], "unexpected argument 'extra'"],
    [['--isolation', 'thread'], "--isolation must be 'worker' or 'process'"],
  ])('%j is a one-line usage error naming the flag', async (argv, message) => {
    const error = await usageErrorOf(['run', ...argv])
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('\n')
  })

  it('exits 2 with one line on stderr from the real entry point', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--isolates', '1'], { encoding: 'utf8' })
    expect(child.status).toBe(2)
    expect(child.stdout).toBe('')
    const lines = child.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('npm warn'))
    expect(lines).toEqual(["gntbench run: --isolates must be an integer in [3, 1000], got '1'"])
  })

  it('fills in defaults, the quick suite and a timestamped name; --baseline joins --strategy', () => {
    const now = new Date('2026-11-21T09:30:05Z')
    const full = parseRunArgs([], now)
    const quick = parseRunArgs(['--quick', '--isolates', '4'], now)
    if (full === 'help' || quick === 'help') throw new Error('help')
    expect(full.name).toBe('bench-20261121-093005')
    expect(full.config.strategies).toBeNull()
    expect(full.config.mode).toBe('exact')
    expect(quick.name).toBe('quick-20261121-093005')
    expect(quick.config.sizes).toBeNull()
    expect(quick.config.quick).toBe(true)
    expect(quick.config.isolates).toBe(4)
    expect(full.config).toMatchObject({ isolates: 8, maxIsolates: 8, samples: 2, sampleMs: 10, precisionPercent: null, marginPercent: 5 })
    const off = parseRunArgs(['--precision', 'off'], now)
    if (off === 'help') throw new Error('help')
    expect(off.config.precisionPercent).toBeNull()
    const withBaseline = parseRunArgs(['--strategy', 'rbtree', '--baseline', 'list'], now)
    if (withBaseline === 'help') throw new Error('help')
    expect(withBaseline.config.strategies).toEqual(['list', 'rbtree'])
    expect(parseRunArgs(['--help'])).toBe('help')
  })

  it("gives each engine its own default design, and the same flags to both", () => {
    const native = parseRunArgs(['--engine', 'native'])
    const both = parseRunArgs(['--engine', 'both'])
    const set = parseRunArgs(['--engine', 'both', '--isolates', '6', '--budget', 'off'])
    if (native === 'help' || both === 'help' || set === 'help') throw new Error('help')
    expect(native.config).toMatchObject({ isolates: DEFAULT_NATIVE_RUN.isolates, maxIsolates: DEFAULT_NATIVE_RUN.maxIsolates, budgetSeconds: DEFAULT_NATIVE_RUN.budgetSeconds, sampleMs: 10, precisionPercent: 3 })
    expect(both.config).toMatchObject({ isolates: DEFAULT_RUN.isolates, maxIsolates: DEFAULT_RUN.maxIsolates, budgetSeconds: DEFAULT_RUN.budgetSeconds, precisionPercent: null })
    expect(both.designs.native).toMatchObject({ isolates: DEFAULT_NATIVE_RUN.isolates, maxIsolates: DEFAULT_NATIVE_RUN.maxIsolates })
    expect(set.designs.js).toMatchObject({ isolates: 6, maxIsolates: DEFAULT_RUN.maxIsolates, budgetSeconds: null })
    expect(set.designs.native).toMatchObject({ isolates: 6, maxIsolates: DEFAULT_NATIVE_RUN.maxIsolates, budgetSeconds: null })
  })
})

describe('gntbench run: a tiny benchmark', () => {
  it('writes a valid results file and report, and refuses to overwrite it without --force', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gntbench-run-'))
    const io = captureIo()
    expect(await runMain([...TINY, '--out', out, '--name', 'tiny', '--progress'], io, { isolation: 'inline' })).toBe(0)

    const json = JSON.parse(readFileSync(join(out, 'tiny.json'), 'utf8')) as unknown
    const result = validateRunResult(json)
    expect(result.name).toBe('tiny')
    expect(result.environment.node).toBe(process.version)
    expect(result.environment.commandLine.slice(0, 2)).toEqual(['gntbench', 'run'])
    expect(result.config).toMatchObject({ sizes: [8], isolates: 3, samples: 2, ops: 40, seed: 1, mode: 'exact', isolation: 'inline' })

    const measured = result.cells.filter((cell): cell is MeasuredResultCell => cell.status === 'measured')
    // qdisk-map: list, rbtree (gntalloc skipped); gntshr: all three.
    expect(measured.map((cell) => `${cell.workload}/${cell.strategy}`).sort()).toEqual(
      ['gntshr/linux-gntalloc', 'gntshr/list', 'gntshr/rbtree', 'qdisk-map/list', 'qdisk-map/rbtree'].sort(),
    )
    for (const cell of measured) {
      expect(cell.values).toHaveLength(3)
      expect(cell.rounds).toEqual([0, 1, 2])
      expect(cell.summary.n).toBe(3)
      expect(cell.opsPerBatch).toBe(40)
      expect(cell.isolates.map((i) => i.samples.length)).toEqual([2, 2, 2])
    }
    const skipped = result.cells.find((cell) => cell.workload === 'qdisk-map' && cell.strategy === 'linux-gntalloc')
    expect(skipped?.status).toBe('skipped')
    const outcomes = result.cells.filter((cell): cell is OutcomeResultCell => cell.status === 'outcome')
    expect(outcomes.find((cell) => cell.strategy === 'linux-gntalloc')?.outcome).toBe('failed cleanly')

    // qdisk-map's default baseline (linux-gntdev) was not run: the first strategy stands in, with a note.
    const qdisk = result.blocks.find((block) => block.workload === 'qdisk-map')
    expect(qdisk?.baseline).toBe('list')
    expect(qdisk?.baselineNote).toContain('linux-gntdev was not run')
    expect(qdisk?.comparisons.map((c) => c.strategy)).toEqual(['rbtree'])
    expect(result.blocks.find((block) => block.workload === 'gntshr')?.strategies).toEqual(['linux-gntalloc', 'list', 'rbtree'])

    expect(io.out).toContain('x linux-gntalloc')
    expect(io.out).toContain('Summary: geometric mean ns/op')
    // The machine line carries the host's noise from the run's own samples (compare uses it too).
    expect(io.out).toMatch(/load before the run .*; host noise \(median within-isolate sample CV\) \d+\.\d%/)
    expect(io.out).toMatch(/Ratio to x at 95% confidence: /)
    // Every interval is a ratio inside (0, ∞), the same in the JSON as in the report.
    for (const c of result.blocks.flatMap((b) => b.comparisons)) {
      expect(c.lower).toBeGreaterThan(0)
      expect(c.holmP).toBeGreaterThanOrEqual(c.p)
      expect(io.out).toContain(`${c.ratio.toPrecision(4)} [${c.lower.toPrecision(4)}, ${c.upper.toPrecision(4)}]`)
    }
    expect(io.err).toMatch(/\[1\/3\] qdisk-map N=8/)
    expect(readFileSync(join(out, 'tiny.md'), 'utf8')).toContain('## gntshr, N = 8 shared pages')

    const again = await usageErrorOf(['run', ...TINY, '--out', out, '--name', 'tiny'])
    expect(again.message).toContain('tiny.json already exists (use --force')
    expect(await runMain([...TINY, '--out', out, '--name', 'tiny', '--force', '--json'], captureIo(), { isolation: 'inline' })).toBe(0)
    expect(existsSync(join(out, 'tiny.md'))).toBe(true)
  })

  it('runs each strategy in fresh worker threads, one per round', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gntbench-run-'))
    const argv = ['--workload', 'churn', '--strategy', 'list,rbtree', '--sizes', '8', '--isolates', '3', '--samples', '2', '--sample-ms', '0.05', '--warmup-ms', '0', '--ops', '40', '--out', out, '--name', 'w']
    expect(await runMain(argv, captureIo())).toBe(0)
    const result = validateRunResult(JSON.parse(readFileSync(join(out, 'w.json'), 'utf8')))
    expect(result.config.isolation).toBe('worker')
    expect(result.cells.every((cell) => cell.status === 'measured')).toBe(true)
  })

  it.each([
    [[], 'worker', 'each strategy in a fresh worker thread per round'],
    [['--isolation', 'process'], 'process', 'each strategy in a fresh child process per round'],
  ])('%j: the isolation is recorded and reported', async (flags, isolation, words) => {
    const out = mkdtempSync(join(tmpdir(), 'gntbench-run-'))
    const argv = ['--quick', '--workload', 'churn', '--strategy', 'list,rbtree', '--sizes', '8', '--ops', '40', '--out', out, '--name', 'p', ...flags]
    expect(await runMain(argv, captureIo())).toBe(0)
    const result = validateRunResult(JSON.parse(readFileSync(join(out, 'p.json'), 'utf8')))
    expect(result.config).toMatchObject({ isolation })
    expect(result.cells.every((cell) => cell.status === 'measured' && cell.values.length === 3)).toBe(true)
    expect(readFileSync(join(out, 'p.md'), 'utf8')).toContain(words)
  }, 60_000)
})

describe('gntbench run --engine', () => {
  it("refuses an unknown engine in one line", async () => {
    const error = await usageErrorOf(['run', '--engine', 'rust'])
    expect(error.message).toBe("gntbench run: --engine must be 'js', 'native' or 'both', got 'rust'")
  })

  it.skipIf(nativeProblem !== null)('times the suite in C with --engine native, recording the engine, and skips what C does not model', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gntbench-run-'))
    const module = './examples/btree-strategy.ts'
    const argv = ['--quick', '--engine', 'native', '--workload', 'churn', '--strategy', `list,rbtree,maple,${module}`, '--sizes', '8', '--ops', '40', '--out', out, '--name', 'n']
    const io = captureIo()
    expect(await runMain(argv, io)).toBe(0)
    const result = validateRunResult(JSON.parse(readFileSync(join(out, 'n.json'), 'utf8')))
    expect(result.config.engine).toBe('native')
    expect(result.config.native?.cflags).toContain('-O2')
    expect(result.cells.filter((c) => c.status === 'measured').map((c) => c.strategy).sort()).toEqual(['list', 'maple', 'rbtree'])
    const skipped = result.cells.find((c) => c.strategy === module)
    expect(skipped?.status === 'skipped' && skipped.reason).toMatch(/outside strategy module has no native engine/)
    expect(io.out).toContain('engine: C (native/')
    const report = readFileSync(join(out, 'n.md'), 'utf8')
    expect(result.config.native?.warmupMs).toBe(5)
    expect(report).toContain('every strategy in ONE fresh C engine process per round, samples interleaved (≤ 5 ms warm-up each)')
    expect(report).toContain('rounds × one engine process holding every strategy')
  }, 60_000)
})
