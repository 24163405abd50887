// The time limit on outside code (strategies/time-limit.ts) and the worker probe of a module's
// top-level code (strategies/import-probe.ts): a loop that never ends is stopped and named — by
// the method the guard noted running, or by the module — and everything else passes through.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { UsageError } from '../../src/errors.js'
import { probeImport } from '../../src/strategies/import-probe.js'
import { guardStrategy, StrategyFault } from '../../src/strategies/strategy-fault.js'
import { callTimeoutMs, withinTimeLimit } from '../../src/strategies/time-limit.js'

/** A loop no JavaScript can leave (the counter keeps it from being an empty statement). */
function spin(): never {
  const counter = { spins: 0 }
  for (;;) counter.spins++
}

const looping = (): { allocator: { alloc: (pages: number) => number; check: () => void } } => ({
  allocator: {
    alloc: (pages: number) => (pages > 1 ? spin() : 0),
    check: () => spin(),
  },
})

describe('withinTimeLimit', () => {
  it('returns what the work returns, and lets its errors through unchanged', () => {
    expect(withinTimeLimit('./mine.js', () => 42, 1000)).toBe(42)
    const error = new RangeError('mine')
    expect(() => withinTimeLimit('./mine.js', () => {
      throw error
    }, 1000)).toThrow(error)
  })

  it('stops a guarded method that never returns and names it', () => {
    const strategy = guardStrategy('./mine.js', looping())
    let thrown: unknown
    try {
      withinTimeLimit('./mine.js', () => strategy.allocator.alloc(2), 100)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(StrategyFault)
    expect((thrown as StrategyFault).message).toBe('./mine.js: allocator.alloc() did not return within 100 ms (a loop that never ends?)')
  })

  it('names check() too, which the guard notes but does not catch', () => {
    const strategy = guardStrategy('./mine.js', looping())
    expect(() => withinTimeLimit('./mine.js', () => strategy.allocator.check(), 100)).toThrow('./mine.js: allocator.check() did not return within 100 ms')
  })

  it('blames only the module when its own unguarded code loops, not a method that returned before', () => {
    const strategy = guardStrategy('./mine.js', looping())
    expect(() => withinTimeLimit('./mine.js', () => {
      strategy.allocator.alloc(1)
      spin()
    }, 100)).toThrow(/^\.\/mine\.js: its code did not return within 100 ms \(a loop that never ends\?\)$/)
  })

  it('runs a nested call under the outer limit, and works again after a stop', () => {
    expect(withinTimeLimit('a', () => withinTimeLimit('b', () => 'inner', 1) + ' outer', 1000)).toBe('inner outer')
    expect(() => withinTimeLimit('a', () => withinTimeLimit('b', spin, 60_000), 100)).toThrow(/^a: its code did not return within 100 ms/)
    expect(withinTimeLimit('a', () => 7, 1000)).toBe(7)
  })

  it('takes its limit from GNTBENCH_CALL_TIMEOUT_MS, else 60 s', () => {
    expect(callTimeoutMs({})).toBe(60_000)
    expect(callTimeoutMs({ GNTBENCH_CALL_TIMEOUT_MS: '250' })).toBe(250)
    expect(callTimeoutMs({ GNTBENCH_CALL_TIMEOUT_MS: '-5' })).toBe(60_000)
    expect(callTimeoutMs({ GNTBENCH_CALL_TIMEOUT_MS: 'soon' })).toBe(60_000)
  })
})

describe('probeImport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gntbench-probe-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const file = (name: string, text: string): string => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return pathToFileURL(path).href
  }

  it('settles for a module that loads and for one whose top-level code throws (this thread reports that)', async () => {
    await expect(probeImport(file('fine.mjs', 'export const x = 1\n'), './fine.mjs', 5000, null)).resolves.toBeUndefined()
    await expect(probeImport(file('throws.mjs', "throw new Error('no')\n"), './throws.mjs', 5000, null)).resolves.toBeUndefined()
  })

  it('stops top-level code that never ends with a one-line usage error naming the module', async () => {
    const url = file('loops.mjs', 'let n = 0\nfor (;;) n++\n')
    const probe = probeImport(url, './loops.mjs', 300, null)
    await expect(probe).rejects.toBeInstanceOf(UsageError)
    await expect(probe).rejects.toThrow(/^\.\/loops\.mjs: cannot load: its import did not finish within 300 ms \(top-level code that loops forever, or an await that never settles\?\)$/)
  })
})
