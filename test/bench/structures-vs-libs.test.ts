// The structures-vs-libraries suite's core on a tiny size: every contender must do exactly the
// same work (checksums), the result must carry the documented fields, outputs are written
// atomically and never overwritten without force, and ours is the timed build's tree with the
// counted tree as the control. No timing assertions: on a shared box they would only test the neighbours.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CONTENDERS } from '../../bench/ordered-map-contenders.js'
import type { SuiteConfig, SuiteResult } from '../../bench/structures-vs-libs.js'
import {
  analyseSuite,
  captureEnvironment,
  DEFAULT_CONFIG,
  makeWorkload,
  OPS,
  OutputExistsError,
  renderMarkdown,
  runSuite,
  SCHEMA,
  writeOutputs,
} from '../../bench/structures-vs-libs.js'
import { Prng } from '../../src/workloads/prng.js'

const TINY: SuiteConfig = { ...DEFAULT_CONFIG, sizes: [100], replicates: 3, warmupRounds: 1, batchOps: 500 }

describe('makeWorkload()', () => {
  it('draws distinct even keys, odd ceiling queries one below them, and the same keys for the same seed', () => {
    const w = makeWorkload(1000, new Prng(9))
    const again = makeWorkload(1000, new Prng(9))
    expect(again).toEqual(w)
    const sorted = [...w.keys].sort((a, b) => a - b)
    expect(new Set(w.keys).size).toBe(1000)
    for (const k of w.keys) expect(k % 2).toBe(0)
    expect([...w.lookups].sort((a, b) => a - b)).toEqual(sorted)
    expect([...w.deletes].sort((a, b) => a - b)).toEqual(sorted)
    expect([...w.queries].sort((a, b) => a - b)).toEqual(sorted.map((k) => k - 1))
    expect(w.keySum).toBe(sorted.reduce((s, k) => s + k, 0))
  })
})

describe('runSuite() on N = 100', () => {
  const run = runSuite(TINY)

  it('has every contender do exactly the expected work in every phase', () => {
    expect(run.checksumFailures).toEqual([])
    expect(run.checksumsAgree).toBe(true)
    for (const r of run.replicates) {
      expect(r.checksum).toBe(r.expectedChecksum)
      expect(r.sizeAfter).toBe(r.expectedSizeAfter)
    }
  })

  it('gets the same checksum from every contender for the same round and op', () => {
    for (let round = 0; round < TINY.replicates; round++) {
      for (const op of OPS) {
        const sums = run.replicates.filter((r) => r.round === round && r.op === op).map((r) => r.checksum)
        expect(sums).toHaveLength(TINY.contenders.length)
        expect(new Set(sums).size).toBe(1)
      }
    }
  })

  it('records one replicate per (contender, op, N, round), in execution order', () => {
    expect(run.replicates).toHaveLength(TINY.contenders.length * OPS.length * TINY.replicates)
    expect(run.replicates.map((r) => r.seq)).toEqual(run.replicates.map((_, i) => i))
    for (const r of run.replicates) {
      expect(r.copies).toBe(5) // ⌈500 / 100⌉
      expect(r.ops).toBe(500)
      expect(r.nsPerOp).toBeGreaterThan(0)
      expect(r.nsPerOp).toBe((r.ms * 1e6) / r.ops)
    }
    expect(run.roundOrders).toHaveLength(TINY.replicates)
    expect(run.roundLoadAverages).toHaveLength(TINY.replicates)
    expect(run.copies).toEqual({ '100': 5 })
  })

  it('analyses every (op, N) cell with ours as the ministat baseline', () => {
    const analysis = analyseSuite(run)
    expect(analysis.analysed).toBe(true)
    expect(analysis.cells.map((c) => c.op)).toEqual([...OPS])
    for (const cell of analysis.cells) {
      expect(cell.datasets.map((d) => d.name)).toEqual(['rbtree', 'js-sdsl', 'bintrees', 'sorted-btree', 'maple-btree'])
      for (const d of cell.datasets) expect(d.values).toHaveLength(TINY.replicates)
      expect(cell.ministat.length).toBeGreaterThan(0)
      expect(cell.vsLibraries.map((v) => v.against)).toEqual(['js-sdsl', 'bintrees', 'sorted-btree'])
      for (const v of cell.vsLibraries) {
        expect(v.ratioLow).toBeLessThanOrEqual(v.ratio)
        expect(v.ratioHigh).toBeGreaterThanOrEqual(v.ratio)
        expect(['faster', 'slower', 'no difference proven']).toContain(v.verdict)
      }
      expect(['js-sdsl', 'bintrees']).toContain(cell.bestBinaryTree)
      expect(cell.counterOverhead?.against).toBe('rbtree')
    }
    // N = 100 is ≤ 1e4, so (a) is checked on three ops and (b) on all four; (c) needs N = 1e6.
    expect(analysis.targets.checks.filter((c) => c.target === 'a')).toHaveLength(3)
    expect(analysis.targets.checks.filter((c) => c.target === 'b')).toHaveLength(4)
    expect(analysis.targets.c).toBeNull()
    expect(['holds', 'misses', 'unresolved']).toContain(analysis.targets.a)
  })

  it('declines to analyse fewer than 3 replicates (ministat needs 3 points)', () => {
    const short = runSuite({ ...TINY, replicates: 2, warmupRounds: 0 })
    expect(short.checksumsAgree).toBe(true)
    expect(analyseSuite(short)).toEqual({ analysed: false, cells: [], targets: { a: null, b: null, c: null, checks: [] } })
  })

  describe('outputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-svl-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    const result: SuiteResult = { schema: SCHEMA, environment: captureEnvironment('test', TINY.seed), ...run, analysis: analyseSuite(run) }

    it('writes JSON with the documented fields and a Markdown report', () => {
      const base = join(dir, 'first')
      expect(writeOutputs(base, result, false)).toEqual([`${base}.json`, `${base}.md`])
      const json: unknown = JSON.parse(readFileSync(`${base}.json`, 'utf8'))
      expect(json).toMatchObject({ schema: SCHEMA, checksumsAgree: true, config: { sizes: [100], replicates: 3 } })
      const env = (json as SuiteResult).environment
      for (const key of ['node', 'v8', 'os', 'cpu', 'cores', 'date', 'gitCommit', 'command', 'seed'] as const) expect(env[key]).toBeDefined()
      expect((json as SuiteResult).replicates).toHaveLength(run.replicates.length)
      const md = readFileSync(`${base}.md`, 'utf8')
      expect(md).toContain('## Targets')
      expect(md).toContain('## ministat blocks')
      expect(md).toBe(`${renderMarkdown(result)}\n`)
    })

    it('refuses to overwrite without force and overwrites with it', () => {
      const base = join(dir, 'second')
      writeFileSync(`${base}.md`, 'keep me')
      expect(() => writeOutputs(base, result, false)).toThrow(OutputExistsError)
      expect(readFileSync(`${base}.md`, 'utf8')).toBe('keep me')
      writeOutputs(base, result, true)
      expect(readFileSync(`${base}.md`, 'utf8')).not.toBe('keep me')
    })
  })
})

describe('the counted tree', () => {
  it('is one of the contenders, as the control', () => {
    expect(CONTENDERS.find((c) => c.name === 'rbtree-counted')?.kind).toBe('control')
  })
})
