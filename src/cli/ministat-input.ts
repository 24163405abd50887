// How ministat (Debian 20150715) turns a file into a dataset, byte for byte:
// * lines are read with fgets into an 8192-byte buffer, so a line longer than 8191 bytes arrives
//   in pieces and every piece counts as a line (for "Invalid data on line N", and a number
//   straddling the cut becomes two numbers); a piece is a C string, so it ends at a NUL byte;
//   Debian's build then strips all trailing white space (C isspace: the '\n', and CR, so CRLF
//   files work, spaces, tabs, \v, \f) — but only at the end of the line;
// * the piece is split with strtok on the delimiter characters (default space and tab), so
//   runs of delimiters count as one and leading ones are skipped; tokens are counted from 1 up to
//   the wanted column, and a token starting with '#' ends the line (a comment) — a line without
//   that column, blank lines and comment lines are skipped silently;
// * the token is parsed with strtod; anything left after the number (white space inside the
//   line included: "1.5 ,2" with -d ,) makes the whole run fail with
//   "Invalid data on line N in NAME";
// * fewer than 3 values is "Dataset NAME must contain at least 3 data points".
// Bytes are handled as latin1 text (one char per byte) so that the counting matches C's.

import { isCSpace, strtod } from './c-strtod.js'

/** glibc's BUFSIZ: fgets reads at most BUFSIZ − 1 bytes per call. */
const FGETS_BUFFER = 8192

export const MIN_POINTS = 3

export type ReadResult =
  | { ok: true; values: number[]; negativeNaN: boolean[] }
  | { ok: false; error: 'invalid'; line: number }
  | { ok: false; error: 'too few' }

/** strtok(3): the maximal runs of non-delimiter characters. */
function strtokAll(text: string, delimiters: string): string[] {
  const tokens: string[] = []
  let current = ''
  for (const ch of text) {
    if (delimiters.includes(ch)) {
      if (current !== '') tokens.push(current)
      current = ''
    } else {
      current += ch
    }
  }
  if (current !== '') tokens.push(current)
  return tokens
}

/** The successive fgets() buffers of `bytes`, as latin1 strings (each ends at '\n' or is full). */
function* fgetsPieces(bytes: Uint8Array): Generator<string> {
  let start = 0
  while (start < bytes.length) {
    let end = start
    while (end < bytes.length && end - start < FGETS_BUFFER - 1) {
      end++
      if (bytes[end - 1] === 0x0a) break
    }
    yield Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1')
    start = end
  }
}

/**
 * Reads one dataset. `column` is 1-based; `delimiters` is the -d string as latin1 (one char
 * per byte of the argument).
 */
export function readMinistatData(bytes: Uint8Array, column: number, delimiters: string): ReadResult {
  const values: number[] = []
  const negativeNaN: boolean[] = []
  let line = 0
  for (const piece of fgetsPieces(bytes)) {
    line++
    const nul = piece.indexOf('\0')
    let text = nul >= 0 ? piece.slice(0, nul) : piece
    let end = text.length
    while (end > 0 && isCSpace(text[end - 1])) end--
    text = text.slice(0, end)
    let token: string | undefined
    let index = 1
    for (const t of strtokAll(text, delimiters)) {
      if (t.startsWith('#')) break
      if (index === column) {
        token = t
        break
      }
      index++
    }
    if (token === undefined) continue
    const parsed = strtod(token)
    if (parsed.end !== token.length) return { ok: false, error: 'invalid', line }
    values.push(parsed.value)
    negativeNaN.push(parsed.negativeNaN)
  }
  if (values.length < MIN_POINTS) return { ok: false, error: 'too few' }
  return { ok: true, values, negativeNaN }
}
