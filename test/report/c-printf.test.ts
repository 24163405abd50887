import { describe, expect, it } from 'vitest'
import { formatE, formatF, formatG, padLeft } from '../../src/report/c-printf.js'

// Expected strings are what glibc's printf prints (checked with Python's %-formatting, which
// rounds the same way, on 20 000 random doubles while writing this).
describe('formatG (%g)', () => {
  it('switches to exponent form outside [1e-4, 10^precision)', () => {
    expect(formatG(1e20)).toBe('1e+20')
    expect(formatG(123456)).toBe('123456')
    expect(formatG(1234567)).toBe('1.23457e+06')
    expect(formatG(0.0001)).toBe('0.0001')
    expect(formatG(0.00001)).toBe('1e-05')
    expect(formatG(1e-300)).toBe('1e-300')
    expect(formatG(5e-324)).toBe('4.94066e-324')
  })

  it('removes trailing zeros and a bare point', () => {
    expect(formatG(2.5)).toBe('2.5')
    expect(formatG(300)).toBe('300')
    expect(formatG(0.1 + 0.2)).toBe('0.3')
  })

  it('rounds exact ties to even, like glibc (JS toPrecision rounds them up)', () => {
    expect(formatG(0.125, 2)).toBe('0.12')
    expect(formatG(0.375, 2)).toBe('0.38')
    expect(formatG(2.5, 1)).toBe('2')
    expect(formatG(999999.5)).toBe('1e+06')
    expect(formatG(123456.5)).toBe('123456')
  })

  it('prints zero, negative zero and the special values as glibc does', () => {
    expect(formatG(0)).toBe('0')
    expect(formatG(-0)).toBe('-0')
    expect(formatG(Infinity)).toBe('inf')
    expect(formatG(-Infinity)).toBe('-inf')
    expect(formatG(Number.NaN)).toBe('nan')
    expect(formatG(Number.NaN, 6, true)).toBe('-nan')
  })

  it('does %13.8g as ministat prints its vitals', () => {
    expect(padLeft(formatG(1.0333333333333332, 8), 13)).toBe('    1.0333333')
    expect(padLeft(formatG(0.00054772256, 8), 13)).toBe('0.00054772256')
    expect(padLeft(formatG(1.7206379e-8, 8), 13)).toBe('1.7206379e-08')
    expect(padLeft(formatG(123456789012, 8), 13)).toBe('1.2345679e+11')
  })
})

describe('formatF and formatE', () => {
  it('%.1f', () => {
    expect(formatF(95, 1)).toBe('95.0')
    expect(formatF(99.5, 1)).toBe('99.5')
    expect(formatF(0.25, 1)).toBe('0.2')
    expect(formatF(0.35, 1)).toBe('0.3') // 0.35 is 0.34999… in binary
    expect(formatF(-0.04, 1)).toBe('-0.0')
    expect(formatF(0.5, 0)).toBe('0')
    expect(formatF(1.5, 0)).toBe('2')
    expect(formatF(1e21, 0)).toBe('1000000000000000000000')
  })

  it('%.3e', () => {
    expect(formatE(0, 3)).toBe('0.000e+00')
    expect(formatE(12345, 3)).toBe('1.234e+04')
    expect(formatE(9.9995, 3)).toBe('9.999e+00') // 9.9995 is 9.99949… in binary
    expect(formatE(1e-310, 3)).toBe('1.000e-310')
  })
})
