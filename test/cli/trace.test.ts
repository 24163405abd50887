// The trace commands end to end: record writes a trace that parses back to the workload's ops
// (stdout or an atomically written file that is never clobbered without --force); replay runs
// the differential pass and names the line of a mismatch (exit 1); check passes the worked
// example and prints a small failing trace for a broken module; bad input is exit 2 with one
// line on stderr and no stack.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parseTrace } from '../../src/workloads/trace-parser.js'
import { nativeProblem } from '../native/availability.js'
import type { CliIo } from '../../src/cli/main.js'
import { runCli } from '../../src/cli/main.js'
import { main as replayMain } from '../../src/cli/replay.js'
import { UsageError } from '../../src/errors.js'
import type { RunResult } from '../../src/results/run-schema.js'
import { getWorkload } from '../../src/workloads/registry.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'gntbench-cli-trace-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Captured {
  code: number
  stdout: string
  stderr: string
}

async function cli(argv: string[]): Promise<Captured> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTty: false, cwd: root }
  const code = await runCli(argv, io)
  return { code, stdout, stderr }
}

async function usageError(argv: string[]): Promise<UsageError> {
  const error = await cli(argv).catch((e: unknown) => e)
  if (!(error instanceof UsageError)) throw new Error(`expected a UsageError, got ${String(error)}`)
  return error
}

/** The real binary, for exit codes and stderr as a user sees them. */
function gntbench(args: string[]): Captured {
  const child = spawnSync(process.execPath, [join(root, 'bin/gntbench.js'), ...args], { cwd: root, encoding: 'utf8' })
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr }
}

describe('gntbench record', () => {
  it('writes a workload to stdout as a trace that parses back to its ops', async () => {
    const run = await cli(['record', '--workload', 'qdisk-map', '--size', '12', '--seed', '5', '--ops', '80'])
    expect(run.code).toBe(0)
    const trace = parseTrace(run.stdout, 'stdout')
    const stream = getWorkload('qdisk-map').generate({ size: 12, seed: 5, ops: 80 })
    expect(trace.setup).toEqual(stream.setup)
    expect(trace.measured).toEqual(stream.measured)
    expect(run.stdout).toContain('# recorded by: gntbench record --workload qdisk-map --size 12 --seed 5 --ops 80')
  })

  it('writes -o FILE, refuses to overwrite it without --force, and overwrites with it', async () => {
    const file = join(dir, 'gntshr.trace')
    expect((await cli(['record', '--workload', 'gntshr', '--size', '4', '--ops', '10', '-o', file])).code).toBe(0)
    const first = readFileSync(file, 'utf8')
    const error = await usageError(['record', '--workload', 'gntshr', '--size', '9', '-o', file])
    expect(error.message).toBe(`gntbench record: ${file} already exists (use --force to overwrite it)`)
    expect(readFileSync(file, 'utf8')).toBe(first)
    expect((await cli(['record', '--workload', 'gntshr', '--size', '9', '--ops', '10', '-o', file, '--force'])).code).toBe(0)
    expect(readFileSync(file, 'utf8')).not.toBe(first)
    expect(readdirSync(dir).filter((name) => name.startsWith('.tmp-'))).toEqual([])
  })

  it('rejects bad options in one line and writes nothing', async () => {
    const file = join(dir, 'never.trace')
    expect((await usageError(['record', '--workload', 'nosuch', '--size', '4', '-o', file])).message).toMatch(/^gntbench record: unknown workload 'nosuch' \(known: /)
    expect((await usageError(['record', '--workload', 'churn', '--size', 'many', '-o', file])).message).toBe("gntbench record: --size must be an integer in [1, 262144], got 'many'")
    expect((await usageError(['record', '--workload', 'churn'])).message).toBe('gntbench record: --size is required')
    expect(readdirSync(dir)).not.toContain('never.trace')
  })
})

describe('gntbench replay', () => {
  it('replays a recorded trace identically on the default strategies', async () => {
    const file = join(dir, 'vchan.trace')
    await cli(['record', '--workload', 'vchan', '--size', '20', '--ops', '300', '-o', file])
    const run = await cli(['replay', file, '--differential-only'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^replay .*vchan\.trace: [\d,]+ ops \([\d,]+ setup, 300 measured\) on list, rbtree, rangeset, freebsd, xen-rangeset\n/)
    expect(run.stdout).toContain('differential: every line agrees across 5 strategies (baseline list)')
  })

  it('accepts an outside module anywhere in --strategy, and reports as JSON', async () => {
    const file = join(dir, 'churn.trace')
    await cli(['record', '--workload', 'churn', '--size', '30', '--ops', '200', '-o', file])
    const run = await cli(['replay', file, '--strategy', 'rbtree,./examples/btree-strategy.ts', '--json', '--differential-only'])
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as { strategies: { name: string }[]; differential: { agree: boolean } }
    expect(report.strategies.map((s) => s.name)).toEqual(['rbtree', 'btree'])
    expect(report.differential.agree).toBe(true)
  })

  it('names the line and both answers of a mismatch, and exits 1', async () => {
    const module = join(dir, 'sloppy-unmap.mjs')
    const registry = JSON.stringify(join(root, 'src/strategies/registry.ts'))
    writeFileSync(
      module,
      `import { createStrategy as make } from ${registry}\n` +
        `export function createStrategy(o) {\n  const s = make('rbtree', o); const g = s.gmapStore\n` +
        `  const store = Object.create(g); store.findExact = (first) => g.findExact(first, 0)\n` +
        `  return { ...s, name: 'sloppy', gmapStore: store }\n}\n`,
    )
    const trace = join(dir, 'wrong-count.trace')
    writeFileSync(trace, 'gntbench-trace 1 handles=1\nmap h0 domid=1 refs=8-11\n# the wrong count must fail\nunmap h0 pages=3\n')
    const run = await cli(['replay', trace, '--strategy', `list,${module}`])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`${trace}:4: mismatch on 'unmap h0 pages=3': list → EINVAL, sloppy → OK`)
  })

  it('reports a malformed trace as file:line:col before running anything', async () => {
    const trace = join(dir, 'typo.trace')
    writeFileSync(trace, 'gntbench-trace 1 handles=2 vmas=1\nalloc h0 domid=1 pages=1 writable\nmmap v0 h0+0 pages=1 rx\n')
    expect((await usageError(['replay', trace])).message).toBe(`${trace}:3:22: expected one of pages=, rw, ro, got 'rx'`)
  })

  it('exits 2 with exactly one line on stderr and no stack (real binary)', () => {
    const trace = join(dir, 'typo2.trace')
    writeFileSync(trace, 'gntbench-trace 1 handles=1\nalloc h1 domid=1 pages=1 writable\n')
    const run = gntbench(['replay', trace])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`${trace}:2:7: expected a handle below h1 (header handles=1), got 'h1'\n`)
  })
})

describe.skipIf(nativeProblem !== null)('gntbench replay --engine', () => {
  /** A short timed pass, isolates inline: behaviour only, no timing is asserted. */
  const SHORT = { samples: 2, sampleMs: 1, warmupMs: 5, precisionPercent: null, isolation: 'inline' } as const

  async function replayJson(argv: string[]): Promise<RunResult> {
    const trace = join(dir, 'engine.trace')
    await cli(['record', '--workload', 'churn', '--size', '8', '--ops', '40', '-o', trace, '--force'])
    let stdout = ''
    const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, isTty: false, cwd: root }
    expect(await replayMain([trace, '--isolates', '3', '--json', ...argv], io, SHORT)).toBe(0)
    const report = JSON.parse(stdout) as { timed: RunResult | null }
    if (report.timed === null) throw new Error('no timed pass')
    return report.timed
  }

  it('refuses an unknown engine in one line', async () => {
    expect((await usageError(['replay', 'any.trace', '--engine', 'rust'])).message).toBe("gntbench replay: --engine must be 'js', 'native' or 'both', got 'rust'")
  })

  it("native: the trace's op stream runs in C, and the result records the engine, compiler, version and flags", async () => {
    const timed = await replayJson(['--strategy', 'list,maple', '--engine', 'native'])
    expect(timed.config.engine).toBe('native')
    expect(timed.config.native?.cflags).toContain('-O2')
    expect(timed.config.native?.version).toMatch(/^\d+$/)
    expect(timed.cells.map((c) => `${c.strategy}/${c.status}`)).toEqual(['list/measured', 'maple/measured'])
  })

  it('both: two arms per strategy, labelled by engine, one block per engine; what C does not model is skipped with the reason', async () => {
    const timed = await replayJson(['--strategy', 'list,maple,./examples/btree-strategy.ts', '--engine', 'both'])
    expect(timed.config.engine).toBe('both')
    expect(timed.config.native?.cflags).toContain('-O2')
    const status = Object.fromEntries(timed.cells.map((c) => [c.strategy, c.status]))
    expect(status).toEqual({
      'list@js': 'measured',
      'maple@js': 'measured',
      './examples/btree-strategy.ts@js': 'measured',
      'list@native': 'measured',
      'maple@native': 'measured',
      './examples/btree-strategy.ts@native': 'skipped',
    })
    const skipped = timed.cells.find((c) => c.strategy === './examples/btree-strategy.ts@native')
    expect(skipped?.status === 'skipped' && skipped.reason).toMatch(/outside strategy module has no native engine/)
    expect(timed.blocks.map((b) => [b.baseline, b.strategies])).toEqual([
      ['list@js', ['list@js', 'maple@js', './examples/btree-strategy.ts@js']],
      ['list@native', ['list@native', 'maple@native']],
    ])
    // The engines ran the same stream in the same rounds.
    const rounds = (label: string): number[] => {
      const cell = timed.cells.find((c) => c.strategy === label)
      return cell?.status === 'measured' ? cell.rounds : []
    }
    expect(rounds('maple@native')).toEqual(rounds('maple@js'))
  })
})

describe('gntbench check', () => {
  it('passes the worked example', async () => {
    const run = await cli(['check', './examples/btree-strategy.ts', '--streams', '60'])
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n').filter((line) => line.startsWith('  pass'))).toHaveLength(3)
    expect(run.stdout).toContain('3 properties: 3 passed, 0 failed')
  })

  it('fails a broken module with a small failing trace, and writes it with -o', async () => {
    // An allocator that forgets to count the pages it frees.
    const module = join(dir, 'leaky.mjs')
    const registry = JSON.stringify(join(root, 'src/strategies/registry.ts'))
    writeFileSync(
      module,
      `import { createStrategy as make } from ${registry}\n` +
        `export const strategy = { name: 'leaky', kind: 'strategy', summary: 'bug', follows: '', create(o) {\n` +
        `  const s = make('rbtree', o); const a = s.allocator; let live = 0\n` +
        `  const allocator = { kind: 'leaky', cost: a.cost, check: () => a.check(), free: (f, p) => a.free(f, p),\n` +
        `    alloc: (p) => { const r = a.alloc(p); if (r >= 0) live += p; return r }, stats: () => ({ ...a.stats(), livePages: live }) }\n` +
        `  return { ...s, allocator } } }\n`,
    )
    const out = join(dir, 'leaky-counterexample.trace')
    const run = await cli(['check', module, '--streams', '60', '-o', out])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/ {2}FAIL {2}disjoint /)
    expect(run.stdout).toContain('allocator.stats().livePages is')
    const trace = parseTrace(readFileSync(out, 'utf8'), out)
    expect(trace.measured.length).toBeLessThanOrEqual(3)
    expect(trace.measured.map((op) => op.kind)).toContain('dealloc')
  })

  it('reports a module that is not a strategy in one line (exit 2)', async () => {
    const module = join(dir, 'empty.mjs')
    writeFileSync(module, 'export const answer = 42\n')
    expect((await usageError(['check', module])).message).toBe(`${module}: exports neither 'strategy' (a StrategyEntry) nor 'createStrategy' (a StrategyFactory); found 'answer'`)
  })
})
