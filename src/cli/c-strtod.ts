// C's number parsing as glibc does it in the C locale, because ministat reads every value with
// strtod(3) and every option number with strtol(3)/atoi(3), and rejects a token by looking at
// where the parse stopped. So the contract here is the C one: the value AND the end position.
//
// strtod: leading white space, a sign, then a decimal number (digits with one optional '.', at
// least one digit, an optional exponent e[+-]digits that is only taken when digits follow), a
// hexadecimal one (0x, hex digits with an optional '.', an optional binary exponent p[+-]digits),
// "inf"/"infinity" or "nan"/"nan(chars)", all case-insensitive. Nothing parsable: value 0, end 0.
// Decimal strings are rounded by JS's own correctly rounded Number(); hexadecimal ones are
// rounded here, half to even, as glibc does. "-nan" yields a NaN with its sign bit set, which a JS
// number cannot hold, so the sign is returned beside it.
//
// strtol (base 10): white space, sign, digits; saturates at the 64-bit long range like glibc.

const WHITE_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r'])

/** C isspace() in the C locale. */
export function isCSpace(ch: string | undefined): boolean {
  return ch !== undefined && WHITE_SPACE.has(ch)
}

export interface StrtodResult {
  value: number
  /** Index just past the parsed text; 0 when nothing was parsed (C: endptr == nptr). */
  end: number
  /** The value is a NaN whose sign bit is set ("-nan"). */
  negativeNaN: boolean
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9'
const isHexDigit = (ch: string | undefined): boolean => ch !== undefined && /^[0-9a-fA-F]$/.test(ch)

function startsWithIgnoreCase(text: string, at: number, word: string): boolean {
  return text.slice(at, at + word.length).toLowerCase() === word
}

/** Digits of an exponent, saturated: beyond ±1e9 the result is 0 or ∞ either way. */
function readExponent(text: string, at: number): { exponent: number; end: number } | undefined {
  let i = at
  let negative = false
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-'
    i++
  }
  if (!isDigit(text[i])) return undefined
  let exponent = 0
  while (isDigit(text[i])) {
    if (exponent < 1e9) exponent = exponent * 10 + (text.charCodeAt(i) - 48)
    i++
  }
  return { exponent: negative ? -exponent : exponent, end: i }
}

function bitLength(n: bigint): number {
  return n.toString(2).length
}

/** mantissa · 2^exponent correctly rounded (half to even) to a double, subnormals included. */
function scaleBinary(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0
  const top = exponent + bitLength(mantissa) - 1
  if (top > 1024) return Infinity
  if (top < -1080) return 0
  const lsb = Math.max(top - 52, -1074)
  const shift = lsb - exponent
  let q: bigint
  if (shift > 0) {
    q = mantissa >> BigInt(shift)
    const remainder = mantissa - (q << BigInt(shift))
    const half = 1n << BigInt(shift - 1)
    if (remainder > half || (remainder === half && (q & 1n) === 1n)) q += 1n
  } else {
    q = mantissa << BigInt(-shift)
  }
  // q ≤ 2^53 and 2^lsb is exact, so this product rounds only when it overflows to ∞.
  return Number(q) * 2 ** lsb
}

/** strtod(text + start, &end) */
export function strtod(text: string, start = 0): StrtodResult {
  const none: StrtodResult = { value: 0, end: start, negativeNaN: false }
  let i = start
  while (isCSpace(text[i])) i++
  let negative = false
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-'
    i++
  }
  const signed = (value: number): number => (negative ? -value : value)

  if (startsWithIgnoreCase(text, i, 'inf')) {
    const end = startsWithIgnoreCase(text, i, 'infinity') ? i + 8 : i + 3
    return { value: signed(Infinity), end, negativeNaN: false }
  }
  if (startsWithIgnoreCase(text, i, 'nan')) {
    let end = i + 3
    const group = /^\([0-9A-Za-z_]*\)/.exec(text.slice(end))
    if (group) end += group[0].length
    return { value: Number.NaN, end, negativeNaN: negative }
  }

  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    let j = i + 2
    let digits = ''
    let fractionDigits = 0
    while (isHexDigit(text[j])) digits += text.charAt(j++)
    if (text[j] === '.') {
      j++
      while (isHexDigit(text[j])) {
        digits += text.charAt(j++)
        fractionDigits++
      }
    }
    if (digits !== '') {
      let exponent = -4 * fractionDigits
      if (text[j] === 'p' || text[j] === 'P') {
        const e = readExponent(text, j + 1)
        if (e) {
          exponent += e.exponent
          j = e.end
        }
      }
      return { value: signed(scaleBinary(BigInt(`0x${digits}`), exponent)), end: j, negativeNaN: false }
    }
    // "0x" with no hex digit after it: only the "0" is a number.
    return { value: signed(0), end: i + 1, negativeNaN: false }
  }

  let j = i
  let integer = ''
  let fraction = ''
  while (isDigit(text[j])) integer += text.charAt(j++)
  if (text[j] === '.') {
    j++
    while (isDigit(text[j])) fraction += text.charAt(j++)
  }
  if (integer === '' && fraction === '') return none
  let exponent = 0
  if (text[j] === 'e' || text[j] === 'E') {
    const e = readExponent(text, j + 1)
    if (e) {
      exponent = e.exponent
      j = e.end
    }
  }
  const literal = `${integer || '0'}.${fraction || '0'}e${exponent}`
  return { value: signed(Number(literal)), end: j, negativeNaN: false }
}

const LONG_MAX = (1n << 63n) - 1n
const LONG_MIN = -(1n << 63n)

/** strtol(text, &end, 10) with glibc's 64-bit long; end is 0 when no digits were found. */
export function strtol(text: string): { value: bigint; end: number } {
  let i = 0
  while (isCSpace(text[i])) i++
  let negative = false
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-'
    i++
  }
  const from = i
  while (isDigit(text[i])) i++
  if (i === from) return { value: 0n, end: 0 }
  let value = BigInt(text.slice(from, i))
  if (negative) value = -value
  if (value > LONG_MAX) value = LONG_MAX
  if (value < LONG_MIN) value = LONG_MIN
  return { value, end: i }
}

/** A C `long` stored into an `int`: the low 32 bits, as gcc on x86-64 does. */
export function toCInt(value: bigint): number {
  return Number(BigInt.asIntN(32, value))
}

/** atoi(3): (int)strtol(text, NULL, 10). */
export function atoi(text: string): number {
  return toCInt(strtol(text).value)
}
