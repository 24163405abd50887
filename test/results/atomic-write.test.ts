// The one atomic writer (results/atomic-write.ts): output files are never half-written and never
// clobbered by accident; a failure while the text is produced leaves neither the target nor a
// temporary file behind; a claimed result name is held by a lock until released.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { claimOutput, OutputError, OutputExistsError, resultPaths, writeAtomically, writeOutputs } from '../../src/results/atomic-write.js'

const dir = mkdtempSync(join(tmpdir(), 'gntbench-atomic-write-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('writeAtomically', () => {
  it('writes through a temp file, leaves none behind, and never overwrites without force', () => {
    const sub = join(dir, 'sub')
    mkdirSync(sub)
    const path = join(sub, 'r.json')
    writeAtomically(path, 'one', false)
    expect(readFileSync(path, 'utf8')).toBe('one')
    expect(() => writeAtomically(path, 'two', false)).toThrow(OutputExistsError)
    expect(readFileSync(path, 'utf8')).toBe('one')
    writeAtomically(path, 'three', true)
    expect(readFileSync(path, 'utf8')).toBe('three')
    expect(readdirSync(sub)).toEqual(['r.json'])
  })

  it('writes every chunk of a lazily produced text, large ones included', () => {
    const file = join(dir, 'big.txt')
    const line = `${'x'.repeat(99)}\n`
    writeAtomically(file, (function* () {
      for (let i = 0; i < 30_000; i++) yield line
    })(), false)
    expect(readFileSync(file, 'utf8')).toBe(line.repeat(30_000))
  })

  it('leaves nothing behind when producing the text fails half-way', () => {
    const file = join(dir, 'half.txt')
    const chunks = (function* () {
      yield 'x'.repeat(2 << 20)
      throw new RangeError('generator failed')
    })()
    expect(() => writeAtomically(file, chunks, false)).toThrow('generator failed')
    expect(existsSync(file)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.includes('half'))).toEqual([])
  })

  it('names a missing directory in one line', () => {
    const file = join(dir, 'no', 'such', 'dir.txt')
    expect(() => writeAtomically(file, ['x'], false)).toThrow(OutputError)
    expect(() => writeAtomically(file, ['x'], false)).toThrow(`${file}: cannot write: no such directory`)
  })

  it('names both files of a result', () => {
    expect(resultPaths('results', 'x')).toEqual({ json: join('results', 'x.json'), markdown: join('results', 'x.md') })
  })
})

describe('claimOutput and writeOutputs', () => {
  it('holds the name with a lock until released, and refuses a second claim meanwhile', () => {
    const out = join(dir, 'claimed')
    const paths = resultPaths(out, 'r')
    const claim = claimOutput(out, 'r', [paths.json, paths.markdown], false)
    expect(existsSync(join(out, '.r.lock'))).toBe(true)
    expect(() => claimOutput(out, 'r', [paths.json, paths.markdown], false)).toThrow(/another run is writing 'r'/)
    writeOutputs([[paths.json, '{}'], [paths.markdown, '# r']], false, 'r')
    claim.release()
    expect(readdirSync(out).sort()).toEqual(['r.json', 'r.md'])
    expect(() => claimOutput(out, 'r', [paths.json], false)).toThrow(/r\.json already exists \(use --force to overwrite it, or --name/)
  })

  it('saves the JSON in the temp directory when the final write fails', () => {
    const gone = join(dir, 'gone')
    const paths = resultPaths(gone, 'lost')
    writeFileSync(join(dir, 'gone'), 'a file where the directory should be')
    let message = ''
    try {
      writeOutputs([[paths.json, '{"kept":true}'], [paths.markdown, '# lost']], false, 'lost')
    } catch (error) {
      message = (error as Error).message
    }
    const saved = /the JSON was saved to (\S+)$/.exec(message)?.[1]
    expect(saved).toBeDefined()
    expect(readFileSync(saved as string, 'utf8')).toBe('{"kept":true}')
    rmSync(saved as string)
  })
})
