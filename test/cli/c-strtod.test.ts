import { describe, expect, it } from 'vitest'
import { atoi, strtod, strtol, toCInt } from '../../src/cli/c-strtod.js'

// Expected values and end positions are glibc's (called through Python ctypes on 4 000 random
// strings while writing this; these are the interesting ones).
describe('strtod', () => {
  it.each([
    ['1.5', 1.5, 3],
    ['  -2e3x', -2000, 6],
    ['.5', 0.5, 2],
    ['5.', 5, 2],
    ['1e', 1, 1],
    ['1e+', 1, 1],
    ['0x1p3', 8, 5],
    ['0X.8P1', 1, 6],
    ['0x', 0, 1],
    ['0x1p', 1, 3],
    ['infinity', Infinity, 8],
    ['-INFinit', -Infinity, 4],
    ['nan(abc_1)', Number.NaN, 10],
    ['nan(', Number.NaN, 3],
    ['abc', 0, 0],
    ['', 0, 0],
    ['+', 0, 0],
    ['1e99999', Infinity, 7],
    ['0x1.8p-1074', 1e-323, 11],
    ['0x123456789abcdef0123p-200', 3.3436283756722845e-39, 26],
  ] as const)('%j', (text, value, end) => {
    const result = strtod(text)
    expect(result.value).toBe(value)
    expect(result.end).toBe(end)
  })

  it('keeps the sign of "-nan" beside the NaN', () => {
    expect(strtod('-nan').negativeNaN).toBe(true)
    expect(strtod('nan').negativeNaN).toBe(false)
  })
})

describe('strtol and the int it is stored in', () => {
  it('parses like strtol(…, 10) and saturates at the long range', () => {
    expect(strtol(' +12')).toEqual({ value: 12n, end: 4 })
    expect(strtol('12 ')).toEqual({ value: 12n, end: 2 })
    expect(strtol('-')).toEqual({ value: 0n, end: 0 })
    expect(strtol('0x10')).toEqual({ value: 0n, end: 1 })
    expect(strtol('99999999999999999999').value).toBe((1n << 63n) - 1n)
  })

  it('keeps the low 32 bits, as assigning a long to an int does', () => {
    expect(toCInt(4294967306n)).toBe(10)
    expect(toCInt((1n << 63n) - 1n)).toBe(-1)
    expect(atoi('40x')).toBe(40)
    expect(atoi('abc')).toBe(0)
  })
})
