import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { captureIo } from './helpers.js'
import { main as calibrateMain, parseCalibrateArgs } from '../../src/cli/calibrate.js'
import { runCli } from '../../src/cli/main.js'
import { UsageError } from '../../src/cli/usage-error.js'
import type { CalibrationResult } from '../../src/calibrate/calibration-schema.js'
import { DEFAULT_RUN } from '../../src/runner/plan.js'

async function usageErrorOf(argv: string[]): Promise<UsageError> {
  try {
    await runCli(argv, captureIo())
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`)
}

const TINY = ['--workload', 'lookup-heavy', '--size', '16', '--strategy', 'rbtree', '--trials', '4', '--replicates', '3', '--ops', '30', '--warmup-iterations', '1', '--warmup-ms', '0', '--planted', '10']

describe('gntbench calibrate: the command line', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--trials', '2'], '--trials must be an integer in [3, 1000000]'],
    [['--replicates', 'x'], '--replicates must be an integer'],
    [['--size', '0'], '--size must be an integer'],
    [['--planted', '5,,10'], '--planted takes percentages'],
    [['--planted', '0'], '--planted takes percentages'],
    [['--planted', '5,5'], '--planted names a size twice'],
    [['--isolation', 'thread'], "--isolation must be 'worker' or 'process'"],
    [['--design-effect', 'x'], '--design-effect must be a number in [1, 10]'],
    [['--confidence', '100'], '--confidence must be a percentage'],
    [['--workload', 'wrap'], '--workload wrap is not timed'],
    [['--workload', 'nope'], "--workload: unknown workload 'nope'"],
    [['--strategy', 'avl'], "--strategy: unknown strategy 'avl'"],
    [['--name', '../x'], '--name must be letters'],
    [['--trials'], '--trials needs a value'],
    [['--trials-per-host', '0'], '--trials-per-host must be an integer in [1, 1000000]'],
  ])('%j is a one-line usage error naming the flag (exit 2)', async (argv, message) => {
    const error = await usageErrorOf(['calibrate', ...argv])
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('\n')
  })

  it("defaults to run's replicates, ops and warmup, 200 trials (40 with --isolation process)", () => {
    const parsed = parseCalibrateArgs([])
    if (parsed === 'help') throw new Error('help')
    expect(parsed.config).toMatchObject({
      trials: 200,
      replicates: DEFAULT_RUN.replicates,
      ops: DEFAULT_RUN.ops,
      warmupIterations: DEFAULT_RUN.warmupIterations,
      warmupMs: DEFAULT_RUN.warmupMs,
      planted: [2, 5, 10],
      hosts: 'worker',
      designEffect: 1.5,
      trialsPerHost: 10,
    })
    const process = parseCalibrateArgs(['--isolation', 'process'])
    if (process === 'help') throw new Error('help')
    expect(process.config).toMatchObject({ trials: 40, hosts: 'process', designEffect: 1 })
    expect(parseCalibrateArgs(['--planted', 'none'])).toMatchObject({ config: { planted: [] } })
  })
})

describe('gntbench calibrate: a tiny calibration (inline hosts)', () => {
  it('writes the documented JSON fields and the Markdown, and refuses to overwrite without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-calibrate-'))
    const io = captureIo()
    expect(await calibrateMain([...TINY, '--out', dir, '--name', 'tiny', '--json'], io, { hosts: 'inline' })).toBe(0)
    const result = JSON.parse(readFileSync(join(dir, 'tiny.json'), 'utf8')) as CalibrationResult
    expect(JSON.parse(io.out)).toEqual(result)
    expect(result).toMatchObject({ schemaVersion: 1, tool: 'gntbench', kind: 'calibration', name: 'tiny' })
    expect(Object.keys(result.environment)).toEqual(
      expect.arrayContaining(['node', 'v8', 'cpu', 'date', 'gitCommit', 'commandLine', 'seed', 'gcBetweenReplicates']),
    )
    expect(result.environment.cpu.cores).toBeGreaterThan(0)
    expect(result.load.start).toHaveLength(3)
    expect(result.config).toMatchObject({ workload: 'lookup-heavy', size: 16, strategy: 'rbtree', trials: 4, replicates: 3, ops: 30, isolate: 'none', trialsPerHost: 10, runDefaults: false })
    expect(result.trials.map((t) => t.generation)).toEqual([0, 0, 0, 0])
    expect(result.datasets.map((d) => d.label)).toEqual(['A', "A'", '+0% (wrapper)', '+10%'])
    expect(result.datasets.map((d) => d.role)).toEqual(['A', "A'", 'control', 'planted'])
    expect(result.trials).toHaveLength(4)
    for (const trial of result.trials) {
      expect(trial.values).toHaveLength(4)
      for (const values of trial.values) expect(values).toHaveLength(3)
    }
    const a = result.analysis
    expect(a.aa.differences.student.n).toBe(4)
    expect(a.aa.differences.auto.wilson).toHaveLength(2)
    expect(a.planted[0]?.power.auto.n).toBe(4)
    expect(typeof a.planted[0]?.predictedPower).toBe('number')
    expect(a.planted).toHaveLength(1)
    expect(a.control?.differences.n).toBe(4)
    expect(a.power.replicatesFor.map((r) => r.differencePercent)).toEqual([2, 5, 10, 20, 30])
    expect(a.advice.length).toBeGreaterThan(0)
    const markdown = readFileSync(join(dir, 'tiny.md'), 'utf8')
    expect(markdown).toContain('## A/A')
    expect(markdown).toContain('load average')

    // --from re-analyses the saved raw trials without measuring: the same analysis comes back.
    const again = captureIo()
    expect(await calibrateMain(['--from', join(dir, 'tiny.json'), '--out', dir, '--name', 'tiny-again', '--json'], again)).toBe(0)
    expect((JSON.parse(again.out) as CalibrationResult).analysis).toEqual(result.analysis)
    const bad = join(dir, 'tiny.md')
    await expect(calibrateMain(['--from', bad, '--out', dir, '--name', 'x'], captureIo())).rejects.toThrow(UsageError)

    await expect(calibrateMain([...TINY, '--out', dir, '--name', 'tiny'], captureIo(), { hosts: 'inline' })).rejects.toThrow(/already exists/)
    expect(await calibrateMain([...TINY, '--out', dir, '--name', 'tiny', '--force'], captureIo(), { hosts: 'inline' })).toBe(0)
    expect(existsSync(join(dir, 'tiny.md'))).toBe(true)
  })

  it('prints the report in text by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-calibrate-'))
    const io = captureIo()
    expect(await calibrateMain([...TINY, '--planted', 'none', '--out', dir], io, { hosts: 'inline' })).toBe(0)
    expect(io.out).toContain('== A/A')
    expect(io.out).toContain('false "Difference"')
    expect(io.err).toContain('trial 4/4')
    expect(existsSync(join(dir, 'calibration.json'))).toBe(true)
  })
})
