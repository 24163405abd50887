// Reading results files (results/validate.ts and the three schemas): every file is validated on
// read, and every problem is one line naming the file and the first bad field. The committed
// results files of run, sweep and calibrate pass their validators.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readCalibrationFile } from '../../src/results/calibration-schema.js'
import { readRunFile, validateRunResult } from '../../src/results/run-schema.js'
import { readSweepFile } from '../../src/results/sweep-schema.js'
import { ResultFileError } from '../../src/results/validate.js'

const dir = mkdtempSync(join(tmpdir(), 'gntbench-validate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A copy of a committed results file with one change, written to the temp directory. */
function broken(source: string, name: string, change: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(readFileSync(join('results', source), 'utf8')) as Record<string, unknown>
  change(data)
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(data))
  return path
}

describe('reading results files', () => {
  it('turns missing, non-JSON and foreign files into one-line ResultFileErrors', () => {
    expect(() => readRunFile(join(dir, 'none.json'))).toThrow(/none\.json: cannot read \(ENOENT\)/)
    writeFileSync(join(dir, 'bad.json'), '{')
    expect(() => readRunFile(join(dir, 'bad.json'))).toThrow(ResultFileError)
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ schemaVersion: 99 }))
    expect(() => readRunFile(join(dir, 'other.json'))).toThrow(/other\.json: schemaVersion: expected 2, got 99/)
    expect(() => readSweepFile(join(dir, 'other.json'))).toThrow(/other\.json: schemaVersion: expected 2, got 99/)
    expect(() => readCalibrationFile(join(dir, 'other.json'))).toThrow(/other\.json: schemaVersion: expected 2, got 99/)
  })

  it('names the first bad field of a run file', () => {
    expect(() => validateRunResult({ schemaVersion: 2, tool: 'gntbench', name: 3 })).toThrow('name: expected a string, got 3')
  })

  it('takes one stream seed per sample where an isolate records them, and names the field otherwise', () => {
    const withSeeds = (seeds: unknown) => (data: Record<string, unknown>) => {
      const cells = data['cells'] as { status: string; isolates?: Record<string, unknown>[] }[]
      const isolate = cells.find((c) => c.status === 'measured')?.isolates?.[0]
      if (isolate !== undefined) isolate['streamSeeds'] = seeds
    }
    expect(readRunFile(broken('bench-20261207-m2-a.json', 'seeds-ok.json', withSeeds([1, 2]))).cells.length).toBeGreaterThan(0)
    expect(() => readRunFile(broken('bench-20261207-m2-a.json', 'seeds-bad.json', withSeeds([1])))).toThrow(/streamSeeds: expected one stream seed per sample/)
  })

  it('reads the committed run, sweep and calibration files', () => {
    expect(readRunFile('results/bench-20261206-083444.json').blocks.length).toBeGreaterThan(0)
    expect(readSweepFile('results/sweep.json').workloads.length).toBeGreaterThan(0)
    expect(readCalibrationFile('results/calibration.json').trials.length).toBeGreaterThan(0)
  })

  it('refuses a file of another kind', () => {
    expect(() => readSweepFile('results/calibration.json')).toThrow(/calibration\.json: kind: expected 'sweep', got "calibration"/)
    expect(() => readCalibrationFile('results/sweep.json')).toThrow(/sweep\.json: kind: expected 'calibration', got "sweep"/)
  })

  it('names the file and the field of a broken sweep file', () => {
    const path = broken('sweep.json', 'sweep-broken.json', (data) => {
      const workloads = data['workloads'] as { cells: { values: unknown }[] }[]
      ;(workloads[1]?.cells[0] as { values: unknown }).values = 'fast'
    })
    expect(() => readSweepFile(path)).toThrow(`${path}: workloads[1].cells[0].values: expected an array, got "fast"`)
  })

  it('names the file and the field of a broken calibration file', () => {
    const path = broken('calibration.json', 'calibration-broken.json', (data) => {
      delete (data['config'] as Record<string, unknown>)['design']
    })
    expect(() => readCalibrationFile(path)).toThrow(`${path}: config.design: expected an object, got missing`)
  })
})
