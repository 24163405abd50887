// Which NaN comes out of a double operation on x86-64 (SSE2), because glibc prints a NaN's sign
// ("-nan" vs "nan") and ministat's vitals line shows it: three 0.1s give Stddev "-nan" (the
// running-sums variance cancels to a tiny negative number and sqrt of a negative is the
// "default NaN", whose sign bit is set), while a "nan" read from the input stays "nan".
// JS numbers cannot carry a NaN's sign, so it travels beside the value.
//
// The rules (Intel SDM vol. 1, the table of rules for handling NaNs in SSE/SSE2 instructions;
// checked against ministat's output):
// * an operation with a NaN operand returns that NaN; with two, the first source operand's;
// * an invalid operation on non-NaN operands (∞ − ∞, 0·∞, 0/0, √−1) returns the default NaN,
//   which is negative.
// Which operand the compiler made "first" is an empirical fact per expression, recorded by the
// callers (see ministat-vitals.ts).

export interface SignedDouble {
  readonly value: number
  /** Only meaningful when value is NaN: its sign bit is set. */
  readonly negativeNaN: boolean
}

export function signed(value: number, negativeNaN = false): SignedDouble {
  return { value, negativeNaN: Number.isNaN(value) && negativeNaN }
}

/** The result of an operation computed in JS as `result` on operands `first`, `second`. */
function x86Result(result: number, first: SignedDouble, second?: SignedDouble): SignedDouble {
  if (Number.isNaN(first.value)) return { value: Number.NaN, negativeNaN: first.negativeNaN }
  if (second !== undefined && Number.isNaN(second.value)) return { value: Number.NaN, negativeNaN: second.negativeNaN }
  return { value: result, negativeNaN: Number.isNaN(result) }
}

export const add = (a: SignedDouble, b: SignedDouble): SignedDouble => x86Result(a.value + b.value, a, b)
export const sub = (a: SignedDouble, b: SignedDouble): SignedDouble => x86Result(a.value - b.value, a, b)
export const mul = (a: SignedDouble, b: SignedDouble): SignedDouble => x86Result(a.value * b.value, a, b)
export const div = (a: SignedDouble, b: SignedDouble): SignedDouble => x86Result(a.value / b.value, a, b)
export const sqrt = (a: SignedDouble): SignedDouble => x86Result(Math.sqrt(a.value), a)
