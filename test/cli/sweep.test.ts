// gntbench sweep: bad flags are one-line usage errors (exit 2); a tiny sweep writes the
// documented files (JSON with raw ordered replicates, exponents, crossovers, counters, memory;
// Markdown; HTML; one well-formed SVG per chart), and refuses to overwrite them without --force.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nativeProblem } from '../native/availability.js'
import { captureIo } from './helpers.js'
import { runCli } from '../../src/cli/main.js'
import { main as sweepMain, parseSweepArgs, sweepFiles } from '../../src/cli/sweep.js'
import { UsageError } from '../../src/errors.js'
import type { SweepResult } from '../../src/results/sweep-schema.js'
import { readSweepFile, validateSweepResult } from '../../src/results/sweep-schema.js'
import { allElements, parseXml } from '../report/xml-well-formed.js'

async function usageErrorOf(argv: string[]): Promise<UsageError> {
  try {
    await runCli(argv, captureIo())
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`)
}

describe('gntbench sweep: the command line', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--from'], '--from needs a value'],
    [['--from', '0'], '--from must be an integer'],
    [['--to', '8', '--from', '16'], '--to 8 is below --from 16'],
    [['--factor', '1'], '--factor must be a number > 1'],
    [['--factor', 'x'], '--factor must be a number > 1'],
    [['--from', '16', '--to', '20', '--factor', '4'], 'fewer than two sizes'],
    [['--sizes', '16,64', '--from', '16'], '--sizes cannot be combined with --from/--to/--factor'],
    [['--sizes', '16,,64'], '--sizes takes a comma-separated list'],
    [['--isolates', '2'], '--isolates must be an integer in [3, 1000]'],
    [['--budget', '0'], '--budget must be a number > 0'],
    [['--memory-repeats', '0'], '--memory-repeats must be an integer in [1, 100]'],
    [['--workload', 'nope'], "--workload: unknown workload 'nope'"],
    [['--workload', 'wrap'], "'wrap' is not timed"],
    [['--strategy', 'avl'], "--strategy: unknown strategy 'avl'"],
    [['--confidence', '100'], '--confidence must be a percentage in (0, 100)'],
    [['--name', '../x'], '--name must be letters'],
    [['--engine', 'rust'], "--engine must be 'js', 'native' or 'both', got 'rust'"],
  ])('%j is a one-line usage error naming the flag', async (argv, message) => {
    const error = await usageErrorOf(['sweep', ...argv])
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('\n')
  })

  it('exits 2 with one line on stderr from the real entry point', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sweep', '--factor', '0.5'], { encoding: 'utf8' })
    expect(child.status).toBe(2)
    expect(child.stdout).toBe('')
    expect(child.stderr.split('\n').filter((line) => line !== '')).toEqual(["gntbench sweep: --factor must be a number > 1, got '0.5'"])
  })

  it('builds the geometric ladder: 16 … 65,536 for records, … 2^20 where N counts pages', () => {
    const parsed = parseSweepArgs([], new Date('2026-11-21T09:30:05Z'))
    if (parsed === 'help') throw new Error('help')
    expect(parsed.name).toBe('sweep-20261121-093005')
    expect(parsed.config.sizes['qdisk-persistent']).toEqual([16, 64, 256, 1024, 4096, 16384, 65536])
    expect(parsed.config.sizes['lookup-heavy']).toEqual([16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576])
    expect(parsed.config.strategies).toEqual(['list', 'rbtree', 'rangeset', 'augtree', 'maple', 'xarray'])
    const custom = parseSweepArgs(['--from', '10', '--to', '1000', '--factor', '10', '--workload', 'churn'])
    if (custom === 'help') throw new Error('help')
    expect(custom.config.sizes).toEqual({ churn: [10, 100, 1000] })
    const listed = parseSweepArgs(['--sizes', '64,16', '--workload', 'churn'])
    if (listed === 'help') throw new Error('help')
    expect(listed.config.sizes).toEqual({ churn: [16, 64] })
    expect(parseSweepArgs(['-h'])).toBe('help')
  })
})

describe('gntbench sweep: a tiny sweep', () => {
  const TINY = ['--quick', '--workload', 'lookup-heavy,churn', '--strategy', 'list,rbtree', '--sizes', '8,32', '--isolates', '3', '--ops', '30', '--memory-repeats', '2']

  it('writes the JSON, Markdown, HTML and SVG files, and refuses to overwrite them without --force', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gntbench-sweep-'))
    const io = captureIo()
    expect(await sweepMain([...TINY, '--out', out, '--name', 'tiny', '--progress'], io, { isolation: 'inline' })).toBe(0)

    const expected = sweepFiles(out, 'tiny', ['lookup-heavy', 'churn']).map((path) => path.slice(out.length + 1))
    expect(readdirSync(out).sort()).toEqual([...expected].sort())

    const result = readSweepFile(join(out, 'tiny.json'))
    expect(result).toMatchObject({ schemaVersion: 2, tool: 'gntbench', kind: 'sweep', name: 'tiny' })
    expect(result.environment.commandLine.slice(0, 2)).toEqual(['gntbench', 'sweep'])
    expect(result.config).toMatchObject({ isolates: 3, ops: 30, strategies: ['list', 'rbtree'], sizes: { 'lookup-heavy': [8, 32], churn: [8, 32] }, isolation: 'inline' })
    for (const w of result.workloads) {
      expect(w.cells.map((c) => `${c.size}/${c.strategy}/${c.status}`)).toEqual(['8/list/measured', '8/rbtree/measured', '32/list/measured', '32/rbtree/measured'])
      for (const c of w.cells) if (c.status === 'measured') expect(c.rounds).toEqual([0, 1, 2])
      // Counters: one untimed replay per cell, deterministic, per op = total / ops.
      expect(w.counters).toHaveLength(4)
      for (const c of w.counters) expect(c.perOp.nodesVisited).toBeCloseTo(c.total.nodesVisited / c.ops, 10)
      // Memory: the model and the measured heap per record, for every cell.
      expect(w.memory).toHaveLength(4)
      for (const m of w.memory) {
        expect(m.model.bytesPerRecord).toBeGreaterThan(0)
        expect(m.heapBytesPerRecord).toHaveLength(2)
      }
      expect(w.analysis.series.map((s) => [s.strategy, s.points.length, s.growth?.points])).toEqual([
        ['list', 2, 2],
        ['rbtree', 2, 2],
      ])
      expect(w.analysis.pairs).toHaveLength(1)
      expect(w.analysis.pairs[0]?.perSize).toHaveLength(2)
      expect(['crossover', 'no crossover in range', 'no difference proven']).toContain(w.analysis.pairs[0]?.crossovers.status)
      expect(w.paragraph).toContain('Time per op grows with N')
    }
    expect(result.memoryLayouts.find((r) => r.name === 'struct range')?.bytes).toBe(32)

    const md = readFileSync(join(out, 'tiny.md'), 'utf8')
    expect(md).toContain('## The answer')
    expect(md).toContain('![churn: time per op')
    const html = readFileSync(join(out, 'tiny.html'), 'utf8')
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html.match(/<svg /g)).toHaveLength(6)
    for (const file of readdirSync(out).filter((f) => f.endsWith('.svg'))) {
      const svg = parseXml(readFileSync(join(out, file), 'utf8'))
      const series = allElements(svg).filter((e) => e.attributes.get('class') === 'series')
      expect(series.length, file).toBe(file.endsWith('-memory.svg') ? 3 : 2)
    }
    expect(io.out).toContain('exponent')
    expect(io.err).toMatch(/\[1\/4\] lookup-heavy N=8/)

    const again = await usageErrorOf(['sweep', ...TINY, '--out', out, '--name', 'tiny'])
    expect(again.message).toContain('already exists (use --force')
    const forced = captureIo()
    expect(await sweepMain([...TINY, '--out', out, '--name', 'tiny', '--force', '--json'], forced, { isolation: 'inline' })).toBe(0)
    expect(validateSweepResult(JSON.parse(forced.out)).kind).toBe('sweep')
  })
})

describe.skipIf(nativeProblem !== null)('gntbench sweep --engine', () => {
  const TINY = ['--quick', '--workload', 'churn', '--strategy', 'list,rbtree,maple', '--sizes', '8,32', '--isolates', '3', '--ops', '30', '--memory-repeats', '1', '--refine', '0']

  async function sweepJson(argv: string[]): Promise<SweepResult> {
    const out = mkdtempSync(join(tmpdir(), 'gntbench-sweep-engine-'))
    const io = captureIo()
    expect(await sweepMain([...TINY, ...argv, '--out', out, '--name', 'e'], io, { isolation: 'inline' })).toBe(0)
    return readSweepFile(join(out, 'e.json'))
  }

  it('native: the cells are timed in C and the file records the engine, compiler, version and flags', async () => {
    const result = await sweepJson(['--engine', 'native'])
    expect(result.config.engine).toBe('native')
    expect(result.config.native?.cflags).toContain('-O2')
    expect(result.config.native?.compiler.length).toBeGreaterThan(0)
    expect(result.config.native?.version).toMatch(/^\d+$/)
    const [w] = result.workloads
    expect(w?.cells.map((c) => `${c.size}/${c.strategy}/${c.status}`)).toEqual(['8/list/measured', '8/rbtree/measured', '8/maple/measured', '32/list/measured', '32/rbtree/measured', '32/maple/measured'])
    // Counters come from the TS model's untimed pass, one per (N, strategy).
    expect(w?.counters).toHaveLength(6)
  })

  it('both: every strategy twice, labelled by engine, in the same rounds; pairs within one engine', async () => {
    const result = await sweepJson(['--engine', 'both'])
    expect(result.config.engine).toBe('both')
    expect(result.config.native?.cflags).toContain('-O2')
    const [w] = result.workloads
    if (w === undefined) throw new Error('no workload')
    const labels = ['list@js', 'list@native', 'rbtree@js', 'rbtree@native', 'maple@js', 'maple@native']
    expect(w.cells.filter((c) => c.size === 8).map((c) => `${c.strategy}/${c.status}`)).toEqual(labels.map((l) => `${l}/measured`))
    for (const c of w.cells) if (c.status === 'measured') expect(c.rounds).toEqual([0, 1, 2])
    expect(w.analysis.series.map((s) => s.strategy)).toEqual(labels)
    // The counted work is the strategy's, whichever engine timed it.
    const work = (label: string): number | undefined => w.analysis.series.find((s) => s.strategy === label)?.workGrowth?.exponent
    expect(work('rbtree@native')).toBe(work('rbtree@js'))
    expect(w.analysis.pairs.map((p) => `${p.a}/${p.b}`).sort()).toEqual(
      ['list@js/rbtree@js', 'list@js/maple@js', 'rbtree@js/maple@js', 'list@native/rbtree@native', 'list@native/maple@native', 'rbtree@native/maple@native'].sort(),
    )
    // The V8 heap is the TS model's: the C series keeps the LP64 model only.
    for (const m of w.memory) {
      expect(m.model.bytesPerRecord).toBeGreaterThan(0)
      if (m.strategy.endsWith('@native')) expect(m.heapBytesPerRecord).toEqual([])
      else expect(m.heapBytesPerRecord).toHaveLength(1)
    }
  })
})
