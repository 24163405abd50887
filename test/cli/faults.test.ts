// The pieces behind issue 14's one-line faults, each on its own: the guard around an outside
// module (transparent for a correct strategy, off in timed isolates), --debug, the escaping of
// non-printable bytes, signed values of numeric flags, and progress for replay and check (only on
// a terminal or with --progress). The bad-input corpus (bad-input-corpus.test.ts) runs them end
// to end.

import { types } from 'node:util'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { takeDebugFlag } from '../../src/cli/debug.js'
import { escapeUnprintable } from '../../src/errors.js'
import type { CliIo } from '../../src/cli/main.js'
import { runCliCaught } from '../../src/cli/main.js'
import { joinSignedValues } from '../../src/cli/options.js'
import { runConformance } from '../../src/verify/conformance.js'
import { importTimeoutMs, loadFailure } from '../../src/strategies/load-module.js'
import { createStrategy } from '../../src/strategies/registry.js'
import { guardedFactory, guardStrategy, setModuleGuard, StrategyFault } from '../../src/strategies/strategy-fault.js'
import type { Strategy, StrategyFactory } from '../../src/strategies/types.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const MODULES = join(root, 'test/fixtures/bad-input/modules')
const TRACES = join(root, 'test/fixtures/bad-input/traces')

function io(extra: Partial<CliIo> = {}): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    isTty: false,
    cwd: root,
    stdout: (text: string) => {
      captured.out += text
    },
    stderr: (text: string) => {
      captured.err += text
    },
    ...extra,
  }
  return captured
}

describe('the fault guard', () => {
  afterEach(() => setModuleGuard(true))

  it('is transparent for a correct strategy: the conformance suite passes through it', () => {
    const guarded: StrategyFactory = (options) => guardStrategy('./rbtree.js', createStrategy('rbtree', options))
    const report = runConformance({ name: 'guarded-rbtree', create: guarded }, { streams: 40 })
    expect(report.passed).toBe(true)
    const plain = runConformance({ name: 'rbtree', create: (options) => createStrategy('rbtree', options) }, { streams: 40 })
    expect(report.properties.map((p) => p.ops)).toEqual(plain.properties.map((p) => p.ops))
  })

  it('names the method and what was wrong, and keeps the stack for --debug', () => {
    const strategy = createStrategy('list')
    strategy.allocator.alloc = () => {
      throw new TypeError('boom')
    }
    const guarded = guardStrategy('./mine.js', strategy)
    const fault = (() => {
      try {
        guarded.allocator.alloc(1)
      } catch (error) {
        return error
      }
      return null
    })()
    expect(fault).toBeInstanceOf(StrategyFault)
    expect((fault as StrategyFault).message).toBe('./mine.js: allocator.alloc() threw TypeError: boom')
    expect((fault as StrategyFault).withoutModule).toBe('allocator.alloc() threw TypeError: boom')
    expect((fault as StrategyFault).detail).toContain('TypeError: boom')
  })

  it('refuses a size that is not a count', () => {
    const strategy = createStrategy('rbtree')
    const gmapStore = Object.create(strategy.gmapStore) as Record<string, unknown>
    Object.defineProperty(gmapStore, 'size', { get: () => Number.NaN })
    const guarded = guardStrategy('./mine.js', { ...strategy, gmapStore } as unknown as Strategy)
    expect(() => guarded.gmapStore.size).toThrow('./mine.js: gmapStore.size is NaN (expected an integer ≥ 0)')
  })

  it('is off in a timed isolate: the factory then makes the module’s own objects', () => {
    const raw: StrategyFactory = (options) => createStrategy('list', options)
    const create = guardedFactory('./plain.js', 'createStrategy', raw)
    expect(types.isProxy(create())).toBe(true)
    setModuleGuard(false)
    expect(types.isProxy(create())).toBe(false)
    expect(guardedFactory('./plain.js', 'createStrategy', raw)).toBe(create)
  })
})

describe('module load failures', () => {
  it('takes the import time limit from GNTBENCH_IMPORT_TIMEOUT_MS, else 10 s', () => {
    expect(importTimeoutMs({})).toBe(10_000)
    expect(importTimeoutMs({ GNTBENCH_IMPORT_TIMEOUT_MS: '250' })).toBe(250)
    expect(importTimeoutMs({ GNTBENCH_IMPORT_TIMEOUT_MS: 'soon' })).toBe(10_000)
  })

  it('names the file of a syntax error in a module it imports (esbuild columns from 1)', () => {
    const error = new Error('Transform failed with 1 error:\n/x/dep.ts:3:7: ERROR: Expected ";" but found "x"')
    expect(loadFailure('./mine.ts', '/x/mine.ts', error)).toBe('./mine.ts: cannot load: /x/dep.ts:3:8: syntax error: Expected ";" but found "x"')
  })
})

describe('--debug', () => {
  it('adds the stack, marked off, after the one line', async () => {
    const captured = io()
    const code = await runCliCaught(['check', join(MODULES, 'throws-at-once.mjs'), '--streams', '3', '--debug'], captured)
    expect(code).toBe(1)
    const lines = captured.err.trimEnd().split('\n')
    expect(lines[0]).toMatch(/allocator\.alloc\(\) threw TypeError: this allocator is broken$/)
    expect(lines.length).toBeGreaterThan(2)
    expect(lines.slice(1).every((line) => line.startsWith('  | '))).toBe(true)
    expect(captured.err).toContain('throws-at-once.mjs')
  })

  it('is taken out of the command line anywhere before --, but not from ministat', () => {
    expect(takeDebugFlag(['check', '--debug', 'x', '--', '--debug'])).toEqual({ argv: ['check', 'x', '--', '--debug'], debug: true })
    expect(takeDebugFlag(['check', 'x'])).toEqual({ argv: ['check', 'x'], debug: false })
  })
})

describe('escaping', () => {
  it('shows control characters, DEL, C1, BOM and direction marks as escapes', () => {
    expect(escapeUnprintable('a\u001b[31mb\u0000c\td\ne\rf\u007f\u0085\ufeff\u202eg')).toBe('a\\x1b[31mb\\0c\\td\\ne\\rf\\x7f\\x85\\ufeff\\u202eg')
    expect(escapeUnprintable('plain ü ≤ — text')).toBe('plain ü ≤ — text')
  })
})

describe('signed values of numeric flags', () => {
  const options = { seed: { type: 'string' as const }, json: { type: 'boolean' as const }, out: { type: 'string' as const, short: 'o' } }
  it('glues a signed number to the option that takes it', () => {
    expect(joinSignedValues(['--seed', '-1', '--json'], options)).toEqual(['--seed=-1', '--json'])
    expect(joinSignedValues(['-o', '-2'], options)).toEqual(['-o-2'])
    expect(joinSignedValues(['--seed', '-inf'], options)).toEqual(['--seed=-inf'])
    expect(joinSignedValues(['--json', '-1'], options)).toEqual(['--json', '-1'])
    expect(joinSignedValues(['--seed', '-x'], options)).toEqual(['--seed', '-x'])
    expect(joinSignedValues(['--', '--seed', '-1'], options)).toEqual(['--', '--seed', '-1'])
  })
})

describe('progress of replay and check', () => {
  const progressLines = (text: string, command: string): string[] => text.split('\n').filter((line) => line.startsWith(`${command}: [`))

  it('replay: silent when stderr is not a terminal', async () => {
    const captured = io()
    expect(await runCliCaught(['replay', join(TRACES, 'crlf-good.trace'), '--differential-only'], captured)).toBe(0)
    expect(captured.err).toBe('')
  })

  it('replay: per pass with an estimate on a terminal, and with --progress', async () => {
    for (const [extra, argv] of [
      [{ stderrIsTty: true }, []],
      [{}, ['--progress']],
    ] as const) {
      const captured = io(extra)
      expect(await runCliCaught(['replay', join(TRACES, 'both-sides.trace'), '--differential-only', ...argv], captured)).toBe(0)
      expect(progressLines(captured.err, 'gntbench replay')[0]).toMatch(/^gntbench replay: \[1\/1\] differential pass: \d+ of 4 ops \(\d+s elapsed, ~\d+s left\)$/)
    }
  })

  it('check: per property with an estimate', async () => {
    const captured = io({ stderrIsTty: true })
    expect(await runCliCaught(['check', 'rbtree', '--streams', '5'], captured)).toBe(0)
    const lines = progressLines(captured.err, 'gntbench check')
    expect(lines.map((line) => /\[(\d)\/3\] (\w+):/.exec(line)?.slice(1, 3).join(' '))).toEqual(['1 invariants', '2 disjoint', '3 differential'])
    expect(lines[1]).toMatch(/: 1 of 5 streams \(\d+s elapsed, ~\d+s left\)$/)
  })
})
