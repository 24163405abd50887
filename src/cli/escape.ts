// What a one-line message may echo of its input. A file name, a flag's value or a line of a trace
// can hold escape sequences, NUL bytes, a BOM or a newline; printed raw they would drive the
// terminal, hide part of the message, or split it over lines. Each such character is shown as its
// C-style escape instead (\0, \t, \n, \r, \x1b, \u202e …); everything printable is left alone.

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
