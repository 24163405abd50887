// Loading strategies from outside modules: what counts as a module path, every shape check with
// its one-line message, loading real .ts and .mjs files, and registration under the module's name.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { UsageError } from '../../src/errors.js'
import { entryFromNamespace, isModuleSpec, loadStrategyModule, resolveStrategyList, resolveStrategySpec } from '../../src/strategies/load-module.js'
import { strategyProblem } from '../../src/strategies/module-shape.js'
import { createStrategy } from '../../src/strategies/registry.js'
import type { Strategy } from '../../src/strategies/types.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'gntbench-load-module-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A valid strategy as a plain object (fresh per call), to break one field at a time. */
function plain(): Record<string, unknown> {
  return { ...createStrategy('rbtree') }
}

function messageOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof UsageError) return error.message
    throw error
  }
  throw new Error('expected a UsageError')
}

describe('isModuleSpec', () => {
  it('tells module paths from registry specs', () => {
    for (const spec of ['./x.js', '../y.ts', '/abs/z.mjs', 'plugin.ts', 'file:///tmp/a.js']) expect(isModuleSpec(spec)).toBe(true)
    for (const spec of ['rbtree', 'list+bump', 'freebsd:truncated-compare', 'xen-rangeset']) expect(isModuleSpec(spec)).toBe(false)
  })
})

describe('entryFromNamespace', () => {
  const entry = (create: unknown, extra: Record<string, unknown> = {}) => ({
    strategy: { name: 'mine', kind: 'strategy', summary: 's', follows: '', create, ...extra },
  })

  it('accepts a StrategyEntry export and a StrategyFactory export', () => {
    const fromEntry = entryFromNamespace('./a.js', entry(() => createStrategy('list')))
    expect(fromEntry.name).toBe('mine')
    const fromFactory = entryFromNamespace('./b.js', { createStrategy: () => ({ ...createStrategy('list'), name: 'listy' }) })
    expect(fromFactory).toMatchObject({ name: 'listy', kind: 'strategy', follows: '' })
  })

  const cases: [string, unknown, string][] = [
    ['no known export', { default: {}, helper: 1 }, "./x.js: exports neither 'strategy' (a StrategyEntry) nor 'createStrategy' (a StrategyFactory); found 'default', 'helper'"],
    ['a bad name', entry(() => createStrategy('list'), { name: 'My Strategy' }), "./x.js: strategy.name must be lower-case letters, digits, '.', '_' or '-' (e.g. 'btree'), got 'My Strategy'"],
    ['a bad kind', entry(() => createStrategy('list'), { kind: 'tree' }), "./x.js: strategy.kind must be 'strategy', 'allocator' or 'preset', got 'tree'"],
    ['create not a function', entry(42), './x.js: strategy.create must be a function (a StrategyFactory), got number'],
    ['create throwing', entry(() => { throw new Error('no\nmore') }), './x.js: strategy.create() threw: no'],
    ['create returning nothing', entry(() => undefined), './x.js: strategy.create() returned undefined instead of a Strategy object'],
  ]
  for (const [name, namespace, message] of cases) {
    it(`rejects ${name} in one line`, () => {
      expect(messageOf(() => entryFromNamespace('./x.js', namespace))).toBe(message)
    })
  }

  it('rejects a factory that shares its bookkeeping between calls', () => {
    const shared = createStrategy('list')
    expect(messageOf(() => entryFromNamespace('./x.js', { createStrategy: () => shared }))).toBe(
      './x.js: createStrategy() returned the same allocator object twice; each call must make fresh bookkeeping (one per open file)',
    )
  })
})

describe('strategyProblem', () => {
  const broken = (mutate: (s: Record<string, unknown>) => void): string | null => {
    const strategy = plain()
    mutate(strategy)
    return strategyProblem(strategy)
  }
  const without = (part: string, method: string) => (s: Record<string, unknown>) => {
    const original = s[part] as object
    // A copy of the part's own and prototype methods, minus one.
    const copy: Record<string, unknown> = {}
    for (let proto: object | null = original; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const key of Object.getOwnPropertyNames(proto)) if (!(key in copy) && key !== 'constructor') copy[key] = (original as Record<string, unknown>)[key]
    }
    Reflect.deleteProperty(copy, method)
    s[part] = copy
  }

  it('accepts every built-in strategy', () => {
    for (const name of ['list', 'rbtree', 'rangeset', 'freebsd', 'linux-gntdev', 'linux-gntalloc', 'xen-rangeset']) {
      expect(strategyProblem(createStrategy(name) satisfies Strategy)).toBeNull()
    }
  })

  it('names exactly what is missing', () => {
    expect(broken(without('allocator', 'free'))).toBe('an allocator without free()')
    expect(broken(without('grefStore', 'findRun'))).toBe('a grefStore without findRun()')
    expect(broken(without('gmapStore', 'findContaining'))).toBe('a gmapStore without findContaining()')
    expect(broken((s) => delete s['gmapStore'])).toBe('no gmapStore (got undefined)')
    expect(broken((s) => (s['quirks'] = { ...(s['quirks'] as object), strictGap: 'yes' }))).toBe('quirks without boolean strictGap')
    expect(broken((s) => (s['limits'] = { maxPagesPerCall: 0, globalGrefLimit: Infinity }))).toBe(
      'limits.maxPagesPerCall = 0 (expected a positive integer or Infinity)',
    )
    expect(broken((s) => (s['policy'] = { ...(s['policy'] as object), cleanupOn: ['alloc', 'mmap'] }))).toBe(
      "policy.cleanupOn with 'mmap' (expected alloc, dealloc, map, unmap, munmap, close)",
    )
    expect(broken((s) => (s['policy'] = { ...(s['policy'] as object), unmapMissingErrno: -22 }))).toBe(
      'policy.unmapMissingErrno = -22 (expected a positive errno such as 2 for ENOENT or 22 for EINVAL)',
    )
    expect(
      broken((s) => {
        const policy: Record<string, unknown> = { ...(s['policy'] as object) }
        delete policy['supportsMap']
        s['policy'] = policy
      }),
    ).toBe('policy without boolean supportsMap')
  })
})

describe('loadStrategyModule', () => {
  it('loads the worked example (TypeScript) and validates it', async () => {
    const loaded = await loadStrategyModule('./examples/btree-strategy.ts', root)
    expect(loaded.entry.name).toBe('btree')
    expect(loaded.file).toBe(join(root, 'examples/btree-strategy.ts'))
  })

  it('loads a JavaScript module exporting createStrategy', async () => {
    const file = join(dir, 'wrapped.mjs')
    const registry = JSON.stringify(join(root, 'src/strategies/registry.ts'))
    writeFileSync(file, `import { createStrategy as make } from ${registry}\nexport function createStrategy(o) { return { ...make('list', o), name: 'wrapped-list' } }\n`)
    const loaded = await loadStrategyModule(file)
    expect(loaded.entry.name).toBe('wrapped-list')
  })

  it('reports a module that does not load, in one line', async () => {
    const file = join(dir, 'broken.mjs')
    writeFileSync(file, 'export const strategy = {\n')
    const error = await loadStrategyModule(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    // Where: esbuild finds the syntax error whichever loader failed on it.
    expect((error as Error).message).toBe(`${file}:2:1: cannot load: syntax error: Expected identifier but found end of file`)
  })

  it('reports a missing file', async () => {
    const error = await loadStrategyModule('./no/such/module.ts', root).catch((e: unknown) => e)
    expect((error as Error).message).toBe('./no/such/module.ts: no such module file')
  })

  it('reports a missing method found only when the module is loaded', async () => {
    const file = join(dir, 'no-free.mjs')
    const registry = JSON.stringify(join(root, 'src/strategies/registry.ts'))
    writeFileSync(
      file,
      `import { createStrategy as make } from ${registry}\n` +
        `export const strategy = { name: 'nofree', kind: 'strategy', summary: '', follows: '', create(o) {\n` +
        `  const s = make('list', o); const a = s.allocator\n` +
        `  return { ...s, allocator: { kind: a.kind, cost: a.cost, alloc: (p) => a.alloc(p), stats: () => a.stats(), check: () => a.check() } } } }\n`,
    )
    const error = await loadStrategyModule(file).catch((e: unknown) => e)
    expect((error as Error).message).toBe(`${file}: strategy.create() returned an allocator without free()`)
  })
})

describe('resolveStrategySpec', () => {
  it('registers a module under its name, so createStrategy finds it', async () => {
    const resolved = await resolveStrategySpec('./examples/btree-strategy.ts', root)
    expect(resolved.name).toBe('btree')
    expect(createStrategy('btree').gmapStore.kind).toBe('btree')
    // Loading the same module again is fine; a different module with a taken name is not.
    expect((await resolveStrategySpec('./examples/btree-strategy.ts', root)).name).toBe('btree')
    const file = join(dir, 'impostor.mjs')
    const registry = JSON.stringify(join(root, 'src/strategies/registry.ts'))
    writeFileSync(file, `import { createStrategy as make } from ${registry}\nexport const strategy = { name: 'rbtree', kind: 'strategy', summary: '', follows: '', create: (o) => make('list', o) }\n`)
    const error = await resolveStrategySpec(file).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/strategy name 'rbtree' is already registered/)
  })

  it('turns an unknown registry name into a one-line UsageError', async () => {
    const error = await resolveStrategySpec('rbtee').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toMatch(/^--strategy: unknown strategy 'rbtee'/)
  })

  it('splits lists and refuses a name given twice', async () => {
    expect((await resolveStrategyList(['list,rbtree', 'freebsd'])).map((s) => s.name)).toEqual(['list', 'rbtree', 'freebsd'])
    const error = await resolveStrategyList(['list,list']).catch((e: unknown) => e)
    expect((error as Error).message).toBe("--strategy: 'list' is named twice")
  })
})
