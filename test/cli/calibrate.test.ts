import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { captureIo, usageErrorOf } from './helpers.js'
import { main as calibrateMain, parseCalibrateArgs } from '../../src/cli/calibrate.js'
import { readCalibrationFile } from '../../src/results/calibration-schema.js'
import { busyReason } from '../../src/runner/machine-state.js'
import { DEFAULT_NATIVE_RUN, DEFAULT_RUN } from '../../src/runner/plan.js'

const TINY = ['--workload', 'lookup-heavy', '--size', '16', '--strategy', 'rbtree', '--trials', '3', '--planted-trials', '2', '--isolates', '3', '--precision', 'off', '--samples', '1', '--sample-ms', '0.05', '--warmup-ms', '0', '--ops', '30', '--planted', '10', '--family', '2']

describe('gntbench calibrate: the command line', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--trials', '0'], '--trials must be an integer in [1, 1000000]'],
    [['--isolates', 'x'], '--isolates must be an integer'],
    [['--size', '0'], '--size must be an integer'],
    [['--planted', '5,,10'], '--planted must be a number'],
    [['--planted', '5,5'], '--planted names a size twice'],
    [['--isolation', 'thread'], "--isolation must be 'worker' or 'process'"],
    [['--confidence', '100'], '--confidence must be a percentage'],
    [['--workload', 'wrap'], '--workload wrap is not timed'],
    [['--workload', 'nope'], "--workload: unknown workload 'nope'"],
    [['--strategy', 'avl'], "--strategy: unknown strategy 'avl'"],
    [['--name', '../x'], '--name must be letters'],
    [['--trials'], '--trials needs a value'],
    [['--design-effect', '1.5'], "unknown option '--design-effect'"],
  ])('%j is a one-line usage error naming the flag (exit 2)', async (argv, message) => {
    const error = await usageErrorOf(['calibrate', ...argv])
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('\n')
  })

  it("defaults to run's design, 400 trials, planted +2/+5/+10 % in the first 100", () => {
    const parsed = parseCalibrateArgs([], new Date('2026-12-06T10:00:00Z'))
    if (parsed === 'help') throw new Error('help')
    expect(parsed.config).toMatchObject({ trials: 400, plantedTrials: 100, planted: [2, 5, 10], ops: DEFAULT_RUN.ops })
    expect(parsed.config.design).toMatchObject({ isolates: DEFAULT_RUN.isolates, maxIsolates: DEFAULT_RUN.maxIsolates, precisionPercent: DEFAULT_RUN.precisionPercent, isolation: 'worker' })
    expect(parsed.name).toBe('calibration-20261206-100000')
    const native = parseCalibrateArgs(['--engine', 'native'])
    if (native === 'help') throw new Error('help')
    expect(native.config.design).toMatchObject({ isolates: DEFAULT_NATIVE_RUN.isolates, maxIsolates: DEFAULT_NATIVE_RUN.maxIsolates })
  })
})

describe('busyReason', () => {
  it('flags load before the run beyond the run itself, or rounds above the core count', () => {
    expect(busyReason(0.9, [1.0, 1.2], 2)).toBeNull()
    expect(busyReason(1.6, [], 2)).toMatch(/before the run/)
    expect(busyReason(0.2, [1, 2.5], 2)).toMatch(/during the run/)
  })
})

describe('gntbench calibrate: a tiny calibration', () => {
  it('runs A/A and planted arms through the measurement core and writes the summary and every trial', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gntbench-cal-'))
    const io = captureIo()
    expect(await calibrateMain([...TINY, '--allow-busy', '--out', out, '--name', 'c'], io)).toBe(0)
    const result = readCalibrationFile(join(out, 'c.json'))
    expect(result.kind).toBe('calibration')
    expect(result.trials).toHaveLength(3)
    expect(result.trials.map((t) => t.arms.map((a) => a.label))).toEqual([["A", "A'", '+10%'], ["A", "A'", '+10%'], ["A", "A'"]])
    for (const trial of result.trials) {
      expect(trial.rounds).toBe(3)
      for (const arm of trial.arms) expect(arm.values).toHaveLength(3)
      for (const c of trial.comparisons) expect(c.lower).toBeGreaterThan(0)
    }
    expect(result.summary.falseDifference.n).toBe(3)
    expect(result.summary.planted[0]).toMatchObject({ plantedPercent: 10, trials: 2 })
    expect(result.config.runDefaults).toBe(false)
    expect(io.out).toContain('A/A, false "Difference" per comparison:')
    expect(readFileSync(join(out, 'c.md'), 'utf8')).toContain('# gntbench calibrate: c')
    const again = await usageErrorOf(['calibrate', ...TINY, '--out', out, '--name', 'c'])
    expect(again.message).toContain('c.json already exists')
    expect(existsSync(join(out, 'c.md'))).toBe(true)
  }, 60_000)
})
