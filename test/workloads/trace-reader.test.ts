// The streaming reader gives exactly what the in-memory parser gives, whatever the chunk
// boundaries, line endings and final newline; and reports unreadable files as UsageErrors.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseTrace } from '../../src/workloads/trace-parser.js'
import { TraceSyntaxError } from '../../src/workloads/trace-tokens.js'
import { UsageError } from '../../src/errors.js'
import { getWorkload } from '../../src/workloads/registry.js'
import { formatTrace } from '../../src/workloads/trace-format.js'
import { loadTrace, openTrace } from '../../src/workloads/trace-reader.js'

const dir = mkdtempSync(join(tmpdir(), 'gntbench-trace-reader-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('openTrace / loadTrace', () => {
  it('streams a trace of many 64 KiB chunks into the same ops as parseTrace', async () => {
    const text = formatTrace(getWorkload('qdisk-map').generate({ size: 300, seed: 3, ops: 20_000 }), ['streamed'])
    expect(text.length).toBeGreaterThan(4 * 64 * 1024)
    const file = write('qdisk-map.trace', text)
    const expected = parseTrace(text, file)
    const loaded = await loadTrace(file)
    expect(loaded.header).toEqual(expected.header)
    expect(loaded.setup).toEqual(expected.setup)
    expect(loaded.measured).toEqual(expected.measured)
  })

  it('numbers lines as the file does, and flags ops after the measured directive', async () => {
    const file = write('small.trace', '# c\ngntbench-trace 1 handles=1\n\nalloc h0 domid=1 pages=1 writable\nmeasured\nclose')
    const reader = await openTrace(file)
    const entries = []
    for await (const entry of reader.entries()) entries.push(entry)
    expect(entries.map((e) => [e.line, e.op.kind, e.measured])).toEqual([
      [4, 'alloc', false],
      [6, 'close', true],
    ])
    expect(reader.sawMeasuredDirective).toBe(true)
  })

  it('accepts CRLF line endings and a missing final newline', async () => {
    const file = write('crlf.trace', 'gntbench-trace 1 handles=1 vmas=1\r\nalloc h0 domid=1 pages=2 writable\r\nmmap v0 h0 pages=2 rw')
    const loaded = await loadTrace(file)
    expect(loaded.measured).toEqual([
      { kind: 'alloc', handle: 0, domid: 1, pages: 2, writable: true },
      { kind: 'mmap', vma: 0, handle: 0, pageOffset: 0, pages: 2, writable: true },
    ])
  })

  it('reads a header without a newline, and refuses a trace with no op to time', async () => {
    const file = write('header-only.trace', 'gntbench-trace 1 handles=2')
    const reader = await openTrace(file)
    expect(reader.header.handles).toBe(2)
    const error = await loadTrace(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TraceSyntaxError)
    expect((error as Error).message).toBe(`${file}:1:1: expected at least one op after the header, got none before the end of the file`)
  })

  it('reports a syntax error deep in the file with its line', async () => {
    const good = 'close\n'.repeat(20_000)
    const file = write('bad.trace', `gntbench-trace 1\n${good}clsoe\n`)
    const error = await loadTrace(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TraceSyntaxError)
    expect((error as Error).message).toBe(`${file}:20002:1: expected an op (alloc, dealloc, map, unmap, mmap, munmap, getoffset, notify, foreign-map, foreign-unmap, close) or measured, got 'clsoe'`)
  })

  it('reports a missing file as a one-line UsageError', async () => {
    const file = join(dir, 'nope.trace')
    const error = await openTrace(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toBe(`${file}: cannot read trace: no such file`)
  })
})
