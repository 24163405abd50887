// Output files are never half-written and never clobbered by accident: a failure while the text
// is produced leaves neither the target nor a temporary file behind.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeOutputFile } from '../../src/cli/output-file.js'
import { UsageError } from '../../src/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'gntbench-output-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('writeOutputFile', () => {
  it('writes every chunk, large ones included', async () => {
    const file = join(dir, 'big.txt')
    const line = `${'x'.repeat(99)}\n`
    await writeOutputFile(file, (function* () {
      for (let i = 0; i < 30_000; i++) yield line
    })(), { force: false })
    expect(readFileSync(file, 'utf8')).toBe(line.repeat(30_000))
  })

  it('leaves nothing behind when producing the text fails half-way', async () => {
    const file = join(dir, 'half.txt')
    const chunks = (function* () {
      yield 'x'.repeat(2 << 20)
      throw new RangeError('generator failed')
    })()
    await expect(writeOutputFile(file, chunks, { force: false })).rejects.toThrow('generator failed')
    expect(existsSync(file)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.includes('half'))).toEqual([])
  })

  it('keeps an existing file unless forced, even if it was written meanwhile', async () => {
    const file = join(dir, 'kept.txt')
    writeFileSync(file, 'original')
    await expect(writeOutputFile(file, ['new'], { force: false })).rejects.toThrow(UsageError)
    expect(readFileSync(file, 'utf8')).toBe('original')
    await writeOutputFile(file, ['new'], { force: true })
    expect(readFileSync(file, 'utf8')).toBe('new')
  })

  it('names a missing directory in one line', async () => {
    const file = join(dir, 'no', 'such', 'dir.txt')
    await expect(writeOutputFile(file, ['x'], { force: false })).rejects.toThrow(`${file}: cannot write: no such directory`)
  })
})
