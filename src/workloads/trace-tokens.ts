// The lexical layer of the trace format: a line's whitespace-separated tokens with their columns,
// how a message quotes what it read (non-printable characters escaped), and the error every
// mistake in a trace becomes — one line, `FILE:LINE:COL: expected …, got …` (a UsageError: exit 2).

import { escapeUnprintable, UsageError } from '../errors.js'

/** A bad trace. The message is one line naming file, line and column. */
export class TraceSyntaxError extends UsageError {
  override name = 'TraceSyntaxError'
  readonly file: string
  readonly line: number
  readonly column: number

  constructor(file: string, line: number, column: number, expected: string, got: string) {
    super(`${file}:${line}:${column}: expected ${expected}, got ${got}`)
    this.file = file
    this.line = line
    this.column = column
  }
}


export interface Token {
  readonly text: string
  /** 1-based column of the token's first character. */
  readonly col: number
}


export function describeAllowed(keys: readonly string[], flags: readonly string[]): string {
  const items = [...keys.map((key) => `${key}=`), ...flags]
  return items.length === 0 ? 'end of line' : `one of ${items.join(', ')}`
}

export function quote(text: string): string {
  return `'${escapeUnprintable(text.length > 40 ? `${text.slice(0, 40)}…` : text)}'`
}

/** Whitespace-separated tokens of a line, up to a token starting with `#`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const length = text.length
  let i = 0
  while (i < length) {
    let c = text.charCodeAt(i)
    if (c === 32 || c === 9 || c === 13) {
      i++
      continue
    }
    if (c === 35 /* # */) break
    const start = i
    while (i < length) {
      c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 13) break
      i++
    }
    tokens.push({ text: text.slice(start, i), col: start + 1 })
  }
  return tokens
}
