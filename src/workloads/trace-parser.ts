// The parser of the trace format (grammar and constants in trace-format.ts): one line at a time,
// so that trace-reader.ts can stream a file of any length in constant memory, and parseTrace for
// a trace held in memory. Every error is a TraceSyntaxError (a UsageError: exit 2) whose message
// is one line, `FILE:LINE:COL: expected …, got …`; what it quotes of the line has its non-printable
// characters escaped (\x1b, \0, …). A line may only use a handle (or VMA slot) an earlier line
// created, and may not create one that is still live (trace-handles.ts has the rules). A trace
// must hold an op to time: at least one after `measured`, or at least one at all without it. A
// UTF-8 byte-order mark before the header is skipped.

import { DOMID_MAX, OFFSET_SPACE_PAGES, PAGE_BYTES } from '../abi.js'
import type { TraceHeader } from './trace-format.js'
import { MAX_REFS_PER_MAP, MAX_TABLE_SIZE, MEASURED_DIRECTIVE, TRACE_MAGIC, TRACE_VERSION, U32_MAX } from './trace-format.js'
import { HandleTracker } from './trace-handles.js'
import { describeAllowed, quote, tokenize, TraceSyntaxError } from './trace-tokens.js'
import type { Token } from './trace-tokens.js'
import type { HandleProblem } from './trace-handles.js'
import type { DeviceOp, OpStream } from './types.js'

/** What one line of a trace was. */
export type TraceLineKind = 'op' | 'header' | 'measured' | 'blank'

/** A keyword's arguments after its positional ones: key=value pairs and bare flags. */
interface Attributes {
  readonly values: Map<string, Token>
  readonly flags: Token[]
}

const ACTION_NAMES: Readonly<Record<string, number>> = { none: 0, clear: 1, event: 2 }

/**
 * Parses a trace one line at a time. Line-at-a-time is what lets trace-reader.ts stream a
 * ten-million-line file in constant memory; the parser keeps only the header and whether the
 * measured directive has been seen.
 */
export class TraceParser {
  readonly file: string
  private headerValue: TraceHeader | null = null
  /** True once the `measured` directive has been read: later ops are timed. */
  inMeasured = false
  /** The op of the last line that returned 'op'. */
  op: DeviceOp | null = null
  private lineNo = 0
  private lineText = ''
  private readonly tracker = new HandleTracker()
  /** Columns of the last op's handle and VMA slot tokens (for a handle error). */
  private handleCol = 1
  private vmaCol = 1
  /** Ops read, and ops read after the measured directive; the directive's line. */
  private ops = 0
  private measuredOps = 0
  private measuredLine = 0
  /** The column of the last op's keyword (1 unless indented). */
  opColumn = 1

  constructor(file: string) {
    this.file = file
  }

  get header(): TraceHeader | null {
    return this.headerValue
  }

  /** Parse one line (without its newline); an op is left in `this.op`. */
  parseLine(line: string, lineNo: number): TraceLineKind {
    // A byte-order mark (an editor's UTF-8 signature) is not part of the header.
    const text = lineNo === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line
    this.lineNo = lineNo
    this.lineText = text
    const tokens = tokenize(text)
    const first = tokens[0]
    if (first === undefined) return 'blank'
    if (this.headerValue === null) {
      this.headerValue = this.parseHeader(tokens)
      return 'header'
    }
    if (first.text === MEASURED_DIRECTIVE) {
      if (this.inMeasured) this.fail(first, 'at most one measured directive', `a second one`)
      this.expectEnd(tokens, 1)
      this.inMeasured = true
      this.measuredLine = lineNo
      return 'measured'
    }
    const op = this.parseOp(tokens)
    const problem = this.tracker.step(op, lineNo)
    if (problem !== null) this.handleFail(problem)
    this.op = op
    this.opColumn = first.col
    this.ops++
    if (this.inMeasured) this.measuredOps++
    return 'op'
  }

  private handleFail(problem: HandleProblem): never {
    const name = `${problem.kind === 'handle' ? 'h' : 'v'}${problem.slot}`
    const col = problem.kind === 'handle' ? this.handleCol : this.vmaCol
    const creators = problem.kind === 'handle' ? 'an alloc or map line' : 'an mmap line'
    if (problem.problem === 'undefined') {
      throw new TraceSyntaxError(this.file, this.lineNo, col, `a ${problem.kind === 'handle' ? 'handle' : 'VMA slot'} that ${creators} before created`, `'${name}', which no earlier line creates`)
    }
    const release = problem.kind === 'handle' ? 'dealloc or unmap' : 'munmap'
    throw new TraceSyntaxError(this.file, this.lineNo, col, `a ${problem.kind === 'handle' ? 'handle' : 'VMA slot'} that is not live`, `'${name}', still live from line ${problem.createdAt} (${release} it first, or use another)`)
  }

  /**
   * Call after the last line (`lastLineNo` lines were read): the trace must have a header and an
   * op to time. Returns the header.
   */
  end(lastLineNo: number): TraceHeader {
    const header = this.finish(lastLineNo)
    if (this.inMeasured && this.measuredOps === 0) {
      throw new TraceSyntaxError(this.file, this.measuredLine, 1, `at least one op after '${MEASURED_DIRECTIVE}' (the part that is timed)`, 'none before the end of the file')
    }
    if (this.ops === 0) throw new TraceSyntaxError(this.file, Math.max(1, lastLineNo), 1, 'at least one op after the header', 'none before the end of the file')
    return header
  }

  /** Call after the last line: a trace without a header is an error. */
  finish(lastLineNo: number): TraceHeader {
    if (this.headerValue === null) {
      throw new TraceSyntaxError(this.file, Math.max(1, lastLineNo), 1, `header '${TRACE_MAGIC} ${TRACE_VERSION} handles=<n> vmas=<n>'`, 'end of file')
    }
    return this.headerValue
  }

  private parseHeader(tokens: readonly Token[]): TraceHeader {
    const magic = tokens[0] as Token
    if (magic.text !== TRACE_MAGIC) this.fail(magic, `header '${TRACE_MAGIC} ${TRACE_VERSION} handles=<n> vmas=<n>'`, quote(magic.text))
    const versionToken = tokens[1]
    if (versionToken === undefined) this.failAtEnd(`version ${TRACE_VERSION}`)
    const version = this.parseNumber(versionToken, `version ${TRACE_VERSION}`, U32_MAX)
    if (version !== TRACE_VERSION) this.fail(versionToken, `version ${TRACE_VERSION}`, quote(versionToken.text))
    const attrs = this.parseAttributes(tokens, 2, ['handles', 'vmas', 'offset-space', 'grant-table'], [])
    const optional = (key: string, what: string, min: number, max: number): number | undefined => {
      const token = attrs.values.get(key)
      if (token === undefined) return undefined
      const value = this.parseNumber(token, `${key}=${what}`, max)
      if (value < min) this.fail(token, `${key}=${what} ≥ ${min}`, quote(token.text))
      return value
    }
    const header: { -readonly [K in keyof TraceHeader]: TraceHeader[K] } = {
      version,
      handles: optional('handles', '<count>', 0, MAX_TABLE_SIZE) ?? 0,
      vmas: optional('vmas', '<count>', 0, MAX_TABLE_SIZE) ?? 0,
    }
    const offsetSpace = optional('offset-space', '<pages>', 1, OFFSET_SPACE_PAGES)
    if (offsetSpace !== undefined) header.offsetSpacePages = offsetSpace
    // The grant table reserves 8 entries (device/grant-table.ts), so it needs more than that.
    const grantTable = optional('grant-table', '<entries>', 9, 2 ** 32)
    if (grantTable !== undefined) header.grantTableEntries = grantTable
    return header
  }

  private parseOp(tokens: readonly Token[]): DeviceOp {
    const keyword = tokens[0] as Token
    switch (keyword.text) {
      case 'alloc': {
        const handle = this.handleArg(tokens, false)
        const attrs = this.parseAttributes(tokens, 2, ['domid', 'pages'], ['writable', 'readonly'])
        return {
          kind: 'alloc',
          handle: handle.handle,
          domid: this.requireNumber(attrs, 'domid', '<domid>', DOMID_MAX),
          pages: this.requireNumber(attrs, 'pages', '<count>', U32_MAX),
          writable: this.requireFlag(attrs, 'writable', 'readonly'),
        }
      }
      case 'dealloc':
      case 'foreign-map':
      case 'foreign-unmap': {
        const handle = this.handleArg(tokens, true)
        const attrs = this.parseAttributes(tokens, 2, ['pages'], [])
        const pages = this.requireNumber(attrs, 'pages', '<count>', U32_MAX)
        const kind = keyword.text === 'dealloc' ? 'dealloc' : keyword.text === 'foreign-map' ? 'foreignMap' : 'foreignUnmap'
        return { kind, handle: handle.handle, pageOffset: handle.pageOffset, pages }
      }
      case 'map': {
        const handle = this.handleArg(tokens, false)
        const attrs = this.parseAttributes(tokens, 2, ['domid', 'refs'], [])
        const domid = this.requireNumber(attrs, 'domid', '<domid>', DOMID_MAX)
        const refsToken = attrs.values.get('refs')
        if (refsToken === undefined) this.failAtEnd('refs=<list>')
        return { kind: 'map', handle: handle.handle, domid, grantRefs: this.parseRefs(refsToken) }
      }
      case 'unmap': {
        const handle = this.handleArg(tokens, false)
        const attrs = this.parseAttributes(tokens, 2, ['pages'], [])
        return { kind: 'unmap', handle: handle.handle, pages: this.requireNumber(attrs, 'pages', '<count>', U32_MAX) }
      }
      case 'mmap': {
        const vma = this.vmaArg(tokens)
        const handle = this.handleArg(tokens, true, 2)
        const attrs = this.parseAttributes(tokens, 3, ['pages'], ['rw', 'ro'])
        return {
          kind: 'mmap',
          vma,
          handle: handle.handle,
          pageOffset: handle.pageOffset,
          pages: this.requireNumber(attrs, 'pages', '<count>', U32_MAX),
          writable: this.requireFlag(attrs, 'rw', 'ro'),
        }
      }
      case 'munmap':
      case 'getoffset': {
        const vma = this.vmaArg(tokens)
        this.expectEnd(tokens, 2)
        return keyword.text === 'munmap' ? { kind: 'munmap', vma } : { kind: 'getOffset', vma }
      }
      case 'notify': {
        const handle = this.handleArg(tokens, true)
        const attrs = this.parseAttributes(tokens, 2, ['byte', 'action', 'port'], [])
        const byteInPage = this.requireNumber(attrs, 'byte', '<byte in page>', PAGE_BYTES - 1)
        const actionToken = attrs.values.get('action')
        if (actionToken === undefined) this.failAtEnd('action=<clear|event|clear|event|none>')
        const action = this.parseAction(actionToken)
        const port = this.requireNumber(attrs, 'port', '<event channel port>', U32_MAX)
        return { kind: 'notify', handle: handle.handle, pageOffset: handle.pageOffset, byteInPage, action, port }
      }
      case 'close':
        this.expectEnd(tokens, 1)
        return { kind: 'close' }
      default:
        return this.fail(
          keyword,
          'an op (alloc, dealloc, map, unmap, mmap, munmap, getoffset, notify, foreign-map, foreign-unmap, close) or measured',
          quote(keyword.text),
        )
    }
  }

  /** `hN` (or `hN+K` when withOffset) at tokens[index]. */
  private handleArg(tokens: readonly Token[], withOffset: boolean, index = 1): { handle: number; pageOffset: number } {
    const expected = withOffset ? 'a handle like h3 or h3+2' : 'a handle like h3'
    const token = tokens[index]
    if (token === undefined) return this.failAtEnd(expected)
    this.handleCol = token.col
    const match = (withOffset ? /^h(\d+)(?:\+(\d+|0x[0-9a-fA-F]+))?$/ : /^h(\d+)$/).exec(token.text)
    if (match === null) return this.fail(token, expected, quote(token.text))
    const handle = Number(match[1])
    const table = (this.headerValue as TraceHeader).handles
    if (!Number.isSafeInteger(handle) || handle >= table) {
      return this.fail(token, `a handle below h${table} (header handles=${table})`, quote(token.text))
    }
    const offsetText = match[2]
    const pageOffset = offsetText === undefined ? 0 : Number(offsetText)
    if (!Number.isSafeInteger(pageOffset) || pageOffset > U32_MAX) {
      return this.fail(token, `a page offset ≤ ${U32_MAX}`, quote(token.text))
    }
    return { handle, pageOffset }
  }

  private vmaArg(tokens: readonly Token[]): number {
    const token = tokens[1]
    if (token === undefined) return this.failAtEnd('a VMA slot like v2')
    this.vmaCol = token.col
    const match = /^v(\d+)$/.exec(token.text)
    if (match === null) return this.fail(token, 'a VMA slot like v2', quote(token.text))
    const vma = Number(match[1])
    const table = (this.headerValue as TraceHeader).vmas
    if (!Number.isSafeInteger(vma) || vma >= table) {
      return this.fail(token, `a VMA slot below v${table} (header vmas=${table})`, quote(token.text))
    }
    return vma
  }

  private parseAttributes(tokens: readonly Token[], from: number, keys: readonly string[], flags: readonly string[]): Attributes {
    const values = new Map<string, Token>()
    const seenFlags: Token[] = []
    for (let i = from; i < tokens.length; i++) {
      const token = tokens[i] as Token
      const eq = token.text.indexOf('=')
      if (eq < 0) {
        if (!flags.includes(token.text)) this.fail(token, describeAllowed(keys, flags), quote(token.text))
        if (seenFlags.length > 0) this.fail(token, `one of ${flags.join(' or ')}`, `a second flag ${quote(token.text)}`)
        seenFlags.push(token)
        continue
      }
      const key = token.text.slice(0, eq)
      if (!keys.includes(key)) this.fail(token, describeAllowed(keys, flags), quote(token.text))
      if (values.has(key)) this.fail(token, `${key}= once`, `a second ${key}=`)
      // The value's own column, so a bad number points at the number rather than the key.
      values.set(key, { text: token.text.slice(eq + 1), col: token.col + eq + 1 })
    }
    return { values, flags: seenFlags }
  }

  private requireNumber(attrs: Attributes, key: string, what: string, max: number): number {
    const token = attrs.values.get(key)
    if (token === undefined) return this.failAtEnd(`${key}=${what}`)
    return this.parseNumber(token, `${key}=${what}`, max)
  }

  private requireFlag(attrs: Attributes, yes: string, no: string): boolean {
    const flag = attrs.flags[0]
    if (flag === undefined) return this.failAtEnd(`${yes} or ${no}`)
    return flag.text === yes
  }

  private parseNumber(token: Token, expected: string, max: number): number {
    const text = token.text
    const value = /^(?:\d+|0x[0-9a-fA-F]+)$/.test(text) ? Number(text) : Number.NaN
    if (Number.isNaN(value)) return this.fail(token, `${expected} (a non-negative integer)`, quote(text))
    if (value > max) return this.fail(token, `${expected} ≤ ${max}`, quote(text))
    return value
  }

  private parseAction(token: Token): number {
    const text = token.text
    if (/^(?:\d+|0x[0-9a-fA-F]+)$/.test(text)) return this.parseNumber(token, 'action=<bitmask>', U32_MAX)
    let action = 0
    for (const name of text.split('|')) {
      const bit = ACTION_NAMES[name]
      if (bit === undefined) return this.fail(token, 'action=clear, event, clear|event, none or a number', quote(text))
      action |= bit
    }
    return action
  }

  /** refs=R: a comma-separated list of refs and inclusive ranges, or `none`. */
  private parseRefs(token: Token): number[] {
    const refs: number[] = []
    if (token.text === 'none') return refs
    let col = token.col
    for (const item of token.text.split(',')) {
      const itemToken = { text: item, col }
      const dash = item.indexOf('-')
      if (dash < 0) {
        refs.push(this.parseNumber(itemToken, 'a grant ref or range lo-hi', U32_MAX))
      } else {
        const lo = this.parseNumber({ text: item.slice(0, dash), col }, 'a grant ref range lo-hi', U32_MAX)
        const hi = this.parseNumber({ text: item.slice(dash + 1), col: col + dash + 1 }, 'a grant ref range lo-hi', U32_MAX)
        if (hi < lo) this.fail(itemToken, 'a range lo-hi with lo ≤ hi', quote(item))
        if (refs.length + (hi - lo + 1) > MAX_REFS_PER_MAP) this.fail(itemToken, `at most ${MAX_REFS_PER_MAP} refs per map`, quote(item))
        for (let ref = lo; ref <= hi; ref++) refs.push(ref)
      }
      if (refs.length > MAX_REFS_PER_MAP) this.fail(itemToken, `at most ${MAX_REFS_PER_MAP} refs per map`, quote(item))
      col += item.length + 1
    }
    return refs
  }

  private expectEnd(tokens: readonly Token[], count: number): void {
    const extra = tokens[count]
    if (extra !== undefined) this.fail(extra, 'end of line', quote(extra.text))
  }

  private fail(token: Token, expected: string, got: string): never {
    throw new TraceSyntaxError(this.file, this.lineNo, token.col, expected, got)
  }

  /** A missing item: points just past the last non-comment character of the line. */
  private failAtEnd(expected: string): never {
    const hash = this.lineText.indexOf('#')
    const content = hash < 0 ? this.lineText : this.lineText.slice(0, hash)
    throw new TraceSyntaxError(this.file, this.lineNo, content.trimEnd().length + 1, expected, 'end of line')
  }
}

/** An in-memory trace: the stream, plus the line each op came from (for error messages). */
export interface ParsedTrace extends OpStream {
  readonly header: TraceHeader
  readonly setupLines: readonly number[]
  readonly measuredLines: readonly number[]
  /** True when the trace had a `measured` directive. */
  readonly hasMeasuredDirective: boolean
}

/** Parse a whole trace held in memory (tests, conformance output); files go through trace-reader.ts. */
export function parseTrace(text: string, file: string): ParsedTrace {
  const parser = new TraceParser(file)
  const setup: DeviceOp[] = []
  const measured: DeviceOp[] = []
  const setupLines: number[] = []
  const measuredLines: number[] = []
  const lines = text.split('\n')
  // A trailing newline does not start another line.
  const count = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length
  for (let i = 0; i < count; i++) {
    if (parser.parseLine(lines[i] as string, i + 1) !== 'op') continue
    const op = parser.op as DeviceOp
    if (parser.inMeasured) {
      measured.push(op)
      measuredLines.push(i + 1)
    } else {
      setup.push(op)
      setupLines.push(i + 1)
    }
  }
  const header = parser.end(count)
  // Without the directive every op is timed: what was collected as setup is the measured part.
  if (!parser.inMeasured) {
    return { header, setup: [], measured: setup, handles: header.handles, vmas: header.vmas, setupLines: [], measuredLines: setupLines, hasMeasuredDirective: false }
  }
  return { header, setup, measured, handles: header.handles, vmas: header.vmas, setupLines, measuredLines, hasMeasuredDirective: true }
}
