// C printf's %e, %f and %g for doubles, digit for digit as glibc prints them, because ministat's
// output is nothing but `%13.8g`, `%g` and `%.1f`. JS has no %g, and toPrecision/toExponential
// round exact ties away from zero where glibc rounds them to even (printf("%.0f", 2.5) is "2"),
// so every conversion here works on the double's exact decimal expansion (a BigInt: a double
// is m·2^e, so it is m·5^−e / 10^−e when e < 0) and rounds half to even on that.
//
// Also as glibc: "inf"/"-inf", "nan"/"-nan" (a NaN's sign bit survives in glibc's output, but a
// JS number cannot carry it, so callers that track it pass `negativeNaN`), and "-0" for −0.

/** The exact decimal expansion of a finite |x| > 0: x = digits · 10^−scale, digits without leading zeros. */
function exactDecimal(x: number): { digits: string; scale: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, Math.abs(x))
  const bits = view.getBigUint64(0)
  const biasedExponent = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & 0xfffffffffffffn
  // Normal numbers have the implicit leading 1; subnormals have exponent 1 − 1023.
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n)
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075
  if (exponent >= 0) return { digits: (mantissa << BigInt(exponent)).toString(), scale: 0 }
  return { digits: (mantissa * 5n ** BigInt(-exponent)).toString(), scale: -exponent }
}

/**
 * Keeps the first `keep` digits of `digits` (keep may be ≤ 0 or beyond the end), rounding half
 * to even on the exact remainder. Returns the kept digits as a string ('' for zero) and whether
 * rounding carried into a new leading digit.
 */
function roundDigits(digits: string, keep: number): { kept: string; carried: boolean } {
  if (keep >= digits.length) return { kept: digits + '0'.repeat(keep - digits.length), carried: false }
  if (keep < 0) return { kept: '', carried: false }
  const head = digits.slice(0, keep)
  const first = digits.charCodeAt(keep) - 48
  const restNonZero = /[1-9]/.test(digits.slice(keep + 1))
  const lastKept = keep > 0 ? digits.charCodeAt(keep - 1) - 48 : 0
  const up = first > 5 || (first === 5 && (restNonZero || lastKept % 2 === 1))
  if (!up) return { kept: head, carried: false }
  const bumped = (BigInt(head === '' ? '0' : head) + 1n).toString()
  const width = Math.max(keep, 1)
  if (bumped.length > width || (keep === 0 && bumped === '1')) return { kept: bumped, carried: true }
  return { kept: bumped.padStart(keep, '0'), carried: false }
}

function special(x: number, negativeNaN: boolean): string | undefined {
  if (Number.isNaN(x)) return negativeNaN ? '-nan' : 'nan'
  if (x === Infinity) return 'inf'
  if (x === -Infinity) return '-inf'
  return undefined
}

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : ''
}

/** The significant digits and decimal exponent of |x| rounded to `significant` digits (as %e). */
function toSignificant(x: number, significant: number): { digits: string; exponent: number } {
  if (x === 0) return { digits: '0'.repeat(significant), exponent: 0 }
  const { digits, scale } = exactDecimal(x)
  let exponent = digits.length - 1 - scale
  const { kept, carried } = roundDigits(digits, significant)
  if (carried) {
    exponent += 1
    return { digits: kept.slice(0, significant), exponent }
  }
  return { digits: kept, exponent }
}

function exponentSuffix(exponent: number): string {
  const magnitude = Math.abs(exponent).toString().padStart(2, '0')
  return `e${exponent < 0 ? '-' : '+'}${magnitude}`
}

/** printf("%.{precision}e", x) */
export function formatE(x: number, precision = 6, negativeNaN = false): string {
  const text = special(x, negativeNaN)
  if (text !== undefined) return text
  const { digits, exponent } = toSignificant(x, precision + 1)
  const mantissa = precision > 0 ? `${digits[0]}.${digits.slice(1)}` : (digits[0] ?? '0')
  return sign(x) + mantissa + exponentSuffix(exponent)
}

/** printf("%.{precision}f", x) */
export function formatF(x: number, precision = 6, negativeNaN = false): string {
  const text = special(x, negativeNaN)
  if (text !== undefined) return text
  let scaled: string // the digits of round(|x|·10^precision)
  if (x === 0) {
    scaled = '0'
  } else {
    const { digits, scale } = exactDecimal(x)
    scaled = roundDigits(digits, digits.length - scale + precision).kept.replace(/^0+/, '') || '0'
  }
  const padded = scaled.padStart(precision + 1, '0')
  const integer = padded.slice(0, padded.length - precision)
  const fraction = padded.slice(padded.length - precision)
  return sign(x) + integer + (precision > 0 ? `.${fraction}` : '')
}

/** printf("%.{precision}g", x): %e or %f by the exponent, trailing zeros removed. */
export function formatG(x: number, precision = 6, negativeNaN = false): string {
  const text = special(x, negativeNaN)
  if (text !== undefined) return text
  const p = precision === 0 ? 1 : precision
  const { exponent } = toSignificant(x, p)
  if (exponent < p && exponent >= -4) {
    return stripFractionZeros(formatF(x, p - 1 - exponent))
  }
  const e = formatE(x, p - 1)
  const at = e.indexOf('e')
  return stripFractionZeros(e.slice(0, at)) + e.slice(at)
}

function stripFractionZeros(text: string): string {
  if (!text.includes('.')) return text
  return text.replace(/0+$/, '').replace(/\.$/, '')
}

/** printf("%{width}s", text): right-justified, never truncated. */
export function padLeft(text: string, width: number): string {
  return text.padStart(width, ' ')
}
