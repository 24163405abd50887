// The sweep and calibration validators: the committed files pass, and a wrong field is named by
// its path (a string where a number belongs, a count that is a fraction, stored means that
// disagree with the values, an unknown enum value).

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ResultFileError } from '../../src/results/validate.js'
import { validateCalibrationResult } from '../../src/results/calibration-schema.js'
import { validateSweepResult } from '../../src/results/sweep-schema.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
type Doc = Record<string, unknown> & { workloads: Record<string, unknown>[]; trials: Record<string, unknown>[] }
const sweep = (): Doc => JSON.parse(readFileSync(`${root}results/sweep.json`, 'utf8')) as Doc
const calibration = (): Doc => JSON.parse(readFileSync(`${root}results/calibration.json`, 'utf8')) as Doc

function messageOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof ResultFileError) return error.message
    throw error
  }
  throw new Error('expected a ResultFileError')
}

function measuredCell(doc: Doc): Record<string, unknown> {
  const cells = (doc.workloads[0] as Record<string, unknown>)['cells'] as Record<string, unknown>[]
  return cells.find((c) => c['status'] === 'measured') as Record<string, unknown>
}

describe('validateSweepResult', () => {
  it('accepts the committed sweep', () => {
    expect(validateSweepResult(sweep()).kind).toBe('sweep')
  })

  it.each([
    ['a string size', (d: Doc) => ((d.workloads[0] as Record<string, unknown>)['sizes'] = ['64']), /^workloads\[0\]\.sizes\[0\]: expected (an integer ≥ 1|a finite number), got "64"$/],
    ['a stored value that is not its isolate mean', (d: Doc) => ((measuredCell(d)['values'] as number[])[0] = 1), /^workloads\[0\]\.cells\[\d+\]\.values\[0\]: expected isolates\[0\]\.mean/],
    ['an unknown growth class', (d: Doc) => {
      const series = (((d.workloads[0] as Record<string, unknown>)['analysis'] as Record<string, unknown>)['series'] as Record<string, unknown>[])[0] as Record<string, unknown>
      ;(series['growth'] as Record<string, unknown>)['growthClass'] = 'quadratic'
    }, /^workloads\[0\]\.analysis\.series\[0\]\.growth\.growthClass: expected 'constant' \| .* got "quadratic"$/],
    ['a negative count of nodes', (d: Doc) => {
      const memory = ((d.workloads[0] as Record<string, unknown>)['memory'] as Record<string, unknown>[])[0] as Record<string, unknown>
      ;(memory['counts'] as Record<string, unknown>)['grefs'] = -1
    }, /^workloads\[0\]\.memory\[0\]\.counts\.grefs: expected an integer ≥ 0, got -1$/],
    ['another kind', (d: Doc) => (d['kind'] = 'calibration'), /^kind: expected 'sweep', got "calibration"$/],
  ])('names %s by its path', (_what, change, message) => {
    const doc = sweep()
    change(doc)
    expect(messageOf(() => validateSweepResult(doc))).toMatch(message)
  })
})

describe('validateCalibrationResult', () => {
  it('accepts the committed calibration', () => {
    expect(validateCalibrationResult(calibration()).kind).toBe('calibration')
  })

  it.each([
    ['a rate whose k exceeds n', (d: Doc) => (((d['summary'] as Record<string, unknown>)['falseDifference'] as Record<string, unknown>)['k'] = 10_000), /^summary\.falseDifference\.k: expected at most n/],
    ['an arm with fewer rounds than values', (d: Doc) => ((((d.trials[0] as Record<string, unknown>)['arms'] as Record<string, unknown>[])[0] as Record<string, unknown>)['rounds'] = [0]), /^trials\[0\]\.arms\[0\]\.rounds: expected one round per value/],
    ['a string p', (d: Doc) => ((((d.trials[0] as Record<string, unknown>)['comparisons'] as Record<string, unknown>[])[0] as Record<string, unknown>)['p'] = '0.5'), /^trials\[0\]\.comparisons\[0\]\.p: expected a finite number( ≥ 0 and ≤ 1)?, got "0\.5"$/],
    ['an unknown engine', (d: Doc) => ((d['config'] as Record<string, unknown>)['engine'] = 'wasm'), /^config\.engine: expected 'js' \| 'native', got "wasm"$/],
  ])('names %s by its path', (_what, change, message) => {
    const doc = calibration()
    change(doc)
    expect(messageOf(() => validateCalibrationResult(doc))).toMatch(message)
  })
})
