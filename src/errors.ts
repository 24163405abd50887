// Usage errors: a user's mistake on the command line or in an input file (a flag, a trace, a
// strategy module). Every layer that reads user input throws one; cli/main.ts prints its message
// as one line on stderr and exits 2, with no stack trace. Anything else that escapes is a bug.
//
// What a one-line message may echo of its input: a file name, a flag's value or a line of a trace
// can hold escape sequences, NUL bytes, a BOM or a newline; printed raw they would drive the
// terminal, hide part of the message, or split it over lines. escapeUnprintable shows each such
// character as its C-style escape instead (\0, \t, \n, \r, \x1b, \u202e …).

export class UsageError extends Error {
  override name = 'UsageError'
  readonly exitCode: number

  constructor(message: string, exitCode = 2) {
    super(message)
    this.exitCode = exitCode
  }
}

// C0 and C1 controls, DEL, the line/paragraph separators, and the invisible direction and
// zero-width marks that can reorder or hide what a terminal shows.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

const NAMED: Readonly<Record<string, string>> = { '\0': '\\0', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** `text` with every non-printable character replaced by its escape. */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const named = NAMED[c]
    if (named !== undefined) return named
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}
