// The trace grammar: every op kind round-trips through its canonical line, every built-in
// workload round-trips through record → parse, hand-written shorthands parse, and malformed
// traces fail with one line naming file, line and column.

import { describe, expect, it } from 'vitest'
import { parseTrace } from '../../src/workloads/trace-parser.js'
import { TraceSyntaxError } from '../../src/workloads/trace-tokens.js'
import { UsageError } from '../../src/errors.js'
import { allWorkloads } from '../../src/workloads/registry.js'
import { formatOp, formatRefs, formatTrace } from '../../src/workloads/trace-format.js'
import type { DeviceOp } from '../../src/workloads/types.js'

const HEADER = 'gntbench-trace 1 handles=8 vmas=4\n'

/** Setup lines that create the handle and VMA slot `line` uses (a trace may use only those). */
function preludeFor(line: string): string {
  const [keyword, first, second] = line.split(/\s+/)
  const creates = keyword === 'alloc' || keyword === 'map'
  const handle = /^h(\d+)/.exec(keyword === 'mmap' ? (second ?? '') : (first ?? ''))?.[1]
  const vma = keyword === 'munmap' || keyword === 'getoffset' ? /^v(\d+)/.exec(first ?? '')?.[1] : undefined
  let prelude = ''
  if (handle !== undefined && !creates) prelude += `alloc h${handle} domid=1 pages=8 writable\n`
  if (vma !== undefined) prelude += `alloc h7 domid=1 pages=8 writable\nmmap v${vma} h7 pages=1 rw\n`
  return prelude
}

function parseOne(line: string): DeviceOp {
  const trace = parseTrace(`${HEADER}${preludeFor(line)}measured\n${line}\n`, 't.trace')
  const op = trace.measured[0]
  if (op === undefined) throw new Error('no op parsed')
  return op
}

function syntaxError(text: string): TraceSyntaxError {
  try {
    parseTrace(text, 't.trace')
  } catch (error) {
    if (error instanceof TraceSyntaxError) return error
    throw error
  }
  throw new Error('expected a TraceSyntaxError')
}

describe('formatOp / parseTrace', () => {
  const ops: DeviceOp[] = [
    { kind: 'alloc', handle: 0, domid: 1, pages: 4, writable: true },
    { kind: 'alloc', handle: 7, domid: 65535, pages: 1, writable: false },
    { kind: 'dealloc', handle: 0, pageOffset: 2, pages: 2 },
    { kind: 'map', handle: 1, domid: 1, grantRefs: [100, 101, 102, 200, 205, 206] },
    { kind: 'map', handle: 2, domid: 3, grantRefs: [] },
    { kind: 'unmap', handle: 1, pages: 0 },
    { kind: 'mmap', vma: 3, handle: 1, pageOffset: 0, pages: 6, writable: false },
    { kind: 'munmap', vma: 3 },
    { kind: 'getOffset', vma: 0 },
    { kind: 'notify', handle: 0, pageOffset: 1, byteInPage: 4095, action: 3, port: 7 },
    { kind: 'notify', handle: 0, pageOffset: 0, byteInPage: 0, action: 0, port: 0 },
    { kind: 'notify', handle: 0, pageOffset: 0, byteInPage: 0, action: 6, port: 1 },
    { kind: 'foreignMap', handle: 0, pageOffset: 0, pages: 4 },
    { kind: 'foreignUnmap', handle: 0, pageOffset: 1, pages: 3 },
    { kind: 'close' },
  ]
  for (const op of ops) {
    it(`round-trips '${formatOp(op)}'`, () => {
      expect(parseOne(formatOp(op))).toEqual(op)
    })
  }

  it('compresses consecutive refs into ranges', () => {
    expect(formatRefs([100, 101, 102, 103])).toBe('100-103')
    expect(formatRefs([5, 6, 9, 12, 13, 14])).toBe('5,6,9,12-14')
    expect(formatRefs([3, 2, 1])).toBe('3,2,1')
    expect(formatRefs([])).toBe('none')
  })

  it('accepts the hand-written shorthands: hN for hN+0, attributes in any order, hex, comments', () => {
    expect(parseOne('dealloc h3 pages=2   # free the ring')).toEqual({ kind: 'dealloc', handle: 3, pageOffset: 0, pages: 2 })
    expect(parseOne('alloc h0 readonly pages=0x10 domid=2')).toEqual({ kind: 'alloc', handle: 0, domid: 2, pages: 16, writable: false })
    expect(parseOne('notify h1+2 port=9 action=event byte=8')).toEqual({ kind: 'notify', handle: 1, pageOffset: 2, byteInPage: 8, action: 2, port: 9 })
    const refs = Array.from({ length: 11 }, (_, i) => 100 + i)
    expect(parseOne('map h1 domid=1 refs=100-110')).toEqual({ kind: 'map', handle: 1, domid: 1, grantRefs: refs })
    expect(parseOne('map h1 domid=1 refs=7,100-101')).toEqual({ kind: 'map', handle: 1, domid: 1, grantRefs: [7, 100, 101] })
  })

  it('splits setup from measured ops at the measured directive, and times everything without it', () => {
    const withDirective = parseTrace(`${HEADER}# setup\nalloc h0 domid=1 pages=1 writable\nmeasured\nclose\n`, 't')
    expect(withDirective.setup).toHaveLength(1)
    expect(withDirective.measured).toEqual([{ kind: 'close' }])
    expect(withDirective.measuredLines).toEqual([5])
    const without = parseTrace(`${HEADER}alloc h0 domid=1 pages=1 writable\nclose`, 't')
    expect(without.setup).toHaveLength(0)
    expect(without.measured).toHaveLength(2)
  })

  it('reads the optional header settings', () => {
    const trace = parseTrace('# a comment first\n\ngntbench-trace 1 vmas=2 offset-space=1048576 grant-table=4096\nclose\n', 't')
    expect(trace.header).toEqual({ version: 1, handles: 0, vmas: 2, offsetSpacePages: 1048576, grantTableEntries: 4096 })
  })
})

describe('handles, BOM', () => {
  it('allows a handle again once it is released, and an op on a released one', () => {
    const trace = parseTrace(`${HEADER}alloc h0 domid=1 pages=1 writable\ndealloc h0 pages=1\ndealloc h0 pages=1\nalloc h0 domid=1 pages=2 writable\nclose\nmap h0 domid=1 refs=1\n`, 't')
    expect(trace.measured.map((op) => op.kind)).toEqual(['alloc', 'dealloc', 'dealloc', 'alloc', 'close', 'map'])
  })

  it('skips a UTF-8 byte-order mark before the header', () => {
    const trace = parseTrace(`\ufeff${HEADER}close\n`, 't')
    expect(trace.header.handles).toBe(8)
    expect(trace.measured).toEqual([{ kind: 'close' }])
  })
})

describe('record → parse round trip', () => {
  for (const workload of allWorkloads()) {
    it(`gives back the ops of ${workload.name}`, () => {
      const params = { size: 40, seed: 7, ops: 300 }
      const stream = workload.generate(params)
      const trace = parseTrace(formatTrace(stream, ['a comment']), `${workload.name}.trace`)
      expect(trace.setup).toEqual(stream.setup)
      expect(trace.measured).toEqual(stream.measured)
      expect(trace.handles).toBe(stream.handles)
      expect(trace.vmas).toBe(stream.vmas)
    })
  }
})

describe('malformed traces', () => {
  const cases: [string, string, string][] = [
    ['empty file', '', "t.trace:1:1: expected header 'gntbench-trace 1 handles=<n> vmas=<n>', got end of file"],
    ['not a trace', 'hello world\n', "t.trace:1:1: expected header 'gntbench-trace 1 handles=<n> vmas=<n>', got 'hello'"],
    ['unknown version', 'gntbench-trace 2 handles=1\n', "t.trace:1:16: expected version 1, got '2'"],
    ['unknown header key', 'gntbench-trace 1 handle=1\n', "t.trace:1:18: expected one of handles=, vmas=, offset-space=, grant-table=, got 'handle=1'"],
    ['unknown op', `${HEADER}allocate h0\n`, "t.trace:2:1: expected an op (alloc, dealloc, map, unmap, mmap, munmap, getoffset, notify, foreign-map, foreign-unmap, close) or measured, got 'allocate'"],
    ['handle beyond the header', `${HEADER}alloc h8 domid=1 pages=1 writable\n`, "t.trace:2:7: expected a handle below h8 (header handles=8), got 'h8'"],
    ['missing attribute', `${HEADER}alloc h0 domid=1 writable\n`, 't.trace:2:26: expected pages=<count>, got end of line'],
    ['bad number', `${HEADER}alloc h0 domid=1 pages=-3 writable\n`, "t.trace:2:24: expected pages=<count> (a non-negative integer), got '-3'"],
    ['missing flag', `${HEADER}mmap v0 h0+0 pages=1\n`, 't.trace:2:21: expected rw or ro, got end of line'],
    ['two flags', `${HEADER}mmap v0 h0 pages=1 rw ro\n`, "t.trace:2:23: expected one of rw or ro, got a second flag 'ro'"],
    ['descending range', `${HEADER}map h0 domid=1 refs=9-3\n`, "t.trace:2:21: expected a range lo-hi with lo ≤ hi, got '9-3'"],
    ['bad action', `${HEADER}notify h0 byte=0 action=wake port=1\n`, "t.trace:2:25: expected action=clear, event, clear|event, none or a number, got 'wake'"],
    ['byte beyond the page', `${HEADER}notify h0 byte=4096 action=clear port=1\n`, "t.trace:2:16: expected byte=<byte in page> ≤ 4095, got '4096'"],
    ['trailing junk', `${HEADER}close now\n`, "t.trace:2:7: expected end of line, got 'now'"],
    ['offset on a creating op', `${HEADER}map h0+1 domid=1 refs=1\n`, "t.trace:2:5: expected a handle like h3, got 'h0+1'"],
    ['second measured directive', `${HEADER}measured\nmeasured\n`, 't.trace:3:1: expected at most one measured directive, got a second one'],
    ['an op on a handle no line created', `${HEADER}alloc h0 domid=1 pages=1 writable\ndealloc h1 pages=1\n`, "t.trace:3:9: expected a handle that an alloc or map line before created, got 'h1', which no earlier line creates"],
    ['a live handle made again', `${HEADER}map h2 domid=1 refs=5\nmmap v0 h2 pages=1 rw\nmap h2 domid=1 refs=6\n`, "t.trace:4:5: expected a handle that is not live, got 'h2', still live from line 2 (dealloc or unmap it first, or use another)"],
    ['a VMA slot no mmap created', `${HEADER}alloc h0 domid=1 pages=1 writable\ngetoffset v3\n`, "t.trace:3:11: expected a VMA slot that an mmap line before created, got 'v3', which no earlier line creates"],
    ['nothing after measured', `${HEADER}alloc h0 domid=1 pages=1 writable\nmeasured\n# nothing\n`, "t.trace:3:1: expected at least one op after 'measured' (the part that is timed), got none before the end of the file"],
    ['no op at all', `${HEADER}# only comments\n`, 't.trace:2:1: expected at least one op after the header, got none before the end of the file'],
    ['escape sequences in a bad word', `${HEADER}\u001b[31mclose\u0000\n`, "t.trace:2:1: expected an op (alloc, dealloc, map, unmap, mmap, munmap, getoffset, notify, foreign-map, foreign-unmap, close) or measured, got '\\x1b[31mclose\\0'"],
  ]
  for (const [name, text, message] of cases) {
    it(`reports ${name} as one line with file:line:col`, () => {
      const error = syntaxError(text)
      expect(error).toBeInstanceOf(UsageError)
      expect(error.exitCode).toBe(2)
      expect(error.message).toBe(message)
      expect(error.message).not.toContain('\n')
    })
  }
})
