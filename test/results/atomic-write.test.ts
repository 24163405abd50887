import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chooseBaseline } from '../../src/runner/assemble.js'
import { readResultFile, ResultExistsError, resultPaths, writeAtomically } from '../../src/results/atomic-write.js'
import { ResultFileError, validateRunResult } from '../../src/results/run-schema.js'

describe('writeAtomically', () => {
  it('writes through a temp file, leaves none behind, and never overwrites without force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-'))
    const path = join(dir, 'sub', 'r.json')
    writeAtomically(path, 'one', false)
    expect(readFileSync(path, 'utf8')).toBe('one')
    expect(() => writeAtomically(path, 'two', false)).toThrow(ResultExistsError)
    expect(readFileSync(path, 'utf8')).toBe('one')
    writeAtomically(path, 'three', true)
    expect(readFileSync(path, 'utf8')).toBe('three')
    expect(readdirSync(join(dir, 'sub'))).toEqual(['r.json'])
  })

  it('names both files of a result', () => {
    expect(resultPaths('results', 'x')).toEqual({ json: join('results', 'x.json'), markdown: join('results', 'x.md') })
  })
})

describe('readResultFile', () => {
  it('turns missing, non-JSON and foreign files into one-line ResultFileErrors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-'))
    expect(() => readResultFile(join(dir, 'none.json'))).toThrow(/cannot read \(ENOENT\)/)
    writeFileSync(join(dir, 'bad.json'), '{')
    expect(() => readResultFile(join(dir, 'bad.json'))).toThrow(ResultFileError)
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ schemaVersion: 99 }))
    expect(() => readResultFile(join(dir, 'other.json'))).toThrow(/schemaVersion: expected 2, got 99/)
    expect(existsSync(join(dir, 'none.json'))).toBe(false)
  })

  it('names the first bad field', () => {
    expect(() => validateRunResult({ schemaVersion: 2, tool: 'gntbench', name: 3 })).toThrow('name: expected a string, got 3')
  })
})

describe('chooseBaseline', () => {
  const skipped = new Map([['linux-gntalloc', 'setup failed: ENOSPC']])

  it('uses the requested baseline, else the default of the sides', () => {
    expect(chooseBaseline('rbtree', 'map', ['list', 'rbtree'], new Map())).toEqual({ baseline: 'rbtree', note: null })
    expect(chooseBaseline(null, 'map', ['rbtree', 'linux-gntdev'], new Map())).toEqual({ baseline: 'linux-gntdev', note: null })
    expect(chooseBaseline(null, 'both', ['rbtree', 'list'], new Map()).baseline).toBe('list')
  })

  it('falls back to the first measured strategy and says why', () => {
    const choice = chooseBaseline(null, 'alloc', ['list', 'rbtree'], skipped)
    expect(choice.baseline).toBe('list')
    expect(choice.note).toBe('default baseline linux-gntalloc was skipped; compared against list')
    expect(chooseBaseline(null, 'alloc', [], skipped)).toEqual({ baseline: null, note: 'no strategy was measured' })
  })
})
