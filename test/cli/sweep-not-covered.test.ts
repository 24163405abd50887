// gntbench sweep --engine native/both: a strategy the C engine does not model is listed as a
// skipped cell with the reason, never dropped, and its JS arm is still timed. Every registry
// strategy is native today, so this file makes `rangeset` one the engine refuses (the way it
// refuses an outside module or an unknown policy field: NotCoveredByNativeError at resolution).

import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { nativeProblem } from '../native/availability.js'
import { captureIo } from './helpers.js'
import { main as sweepMain } from '../../src/cli/sweep.js'
import { readSweepFile } from '../../src/results/sweep-schema.js'
import type { Strategy } from '../../src/strategies/types.js'

vi.mock('../../src/native/resolved-strategy.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/native/resolved-strategy.js')>()
  return {
    ...original,
    resolveNativeStrategy: (strategy: Strategy) => {
      if (strategy.name === 'rangeset') throw new original.NotCoveredByNativeError('rangeset: refused by this test')
      return original.resolveNativeStrategy(strategy)
    },
  }
})

describe.skipIf(nativeProblem !== null)('gntbench sweep: cells the C engine does not model', () => {
  it('lists them as skipped with the reason, and times the rest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gntbench-sweep-not-covered-'))
    const argv = ['--quick', '--workload', 'churn', '--strategy', 'rbtree,rangeset', '--sizes', '8,32', '--isolates', '3', '--ops', '30', '--memory-repeats', '1', '--refine', '0']
    expect(await sweepMain([...argv, '--engine', 'both', '--out', out, '--name', 'nc'], captureIo(), { isolation: 'inline' })).toBe(0)
    const result = readSweepFile(join(out, 'nc.json'))
    const cells = result.workloads[0]?.cells ?? []
    expect(cells.map((c) => `${c.size}/${c.strategy}/${c.status}`)).toEqual([
      '8/rbtree@js/measured',
      '8/rbtree@native/measured',
      '8/rangeset@js/measured',
      '8/rangeset@native/skipped',
      '32/rbtree@js/measured',
      '32/rbtree@native/measured',
      '32/rangeset@js/measured',
      '32/rangeset@native/skipped',
    ])
    for (const cell of cells) {
      if (cell.status !== 'skipped') continue
      expect(cell.cause).toBe('unsupported')
      expect(cell.reason).toMatch(/not modelled by the native engine: rangeset: refused by this test/)
    }
    expect(readFileSync(join(out, 'nc.md'), 'utf8')).toContain('not modelled by the native engine')
  })
})
