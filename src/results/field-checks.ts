// Range checkers for the fields of gntbench's JSON files (run, sweep and calibration results),
// built on validate.ts's type checkers: each takes the value and its path and returns it typed,
// or throws the ResultFileError that names the path, what was expected and what was found.

import { array, fail, object } from './validate.js'
import type { Json } from './validate.js'

export function nullable<T>(check: (value: unknown, path: string) => T): (value: unknown, path: string) => T | null {
  return (value, path) => (value === null ? null : check(value, path))
}

export function num(min: number, max = Number.POSITIVE_INFINITY, options: { minOpen?: boolean; maxOpen?: boolean } = {}): (value: unknown, path: string) => number {
  const range = `${options.minOpen === true ? '>' : '≥'} ${min}${max === Number.POSITIVE_INFINITY ? '' : ` and ${options.maxOpen === true ? '<' : '≤'} ${max}`}`
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `a finite number ${range}`, value)
    const low = options.minOpen === true ? value <= min : value < min
    const high = options.maxOpen === true ? value >= max : value > max
    if (low || high) fail(path, `a number ${range}`, value)
    return value
  }
}

export function int(min: number, max = Number.MAX_SAFE_INTEGER): (value: unknown, path: string) => number {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      fail(path, `an integer ≥ ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` and ≤ ${max}`}`, value)
    }
    return value
  }
}

export function oneOfValues(allowed: readonly string[]): (value: unknown, path: string) => string {
  return (value, path) => {
    if (typeof value !== 'string' || !allowed.includes(value)) fail(path, allowed.map((a) => `'${a}'`).join(' | '), value)
    return value
  }
}

export function list<T>(check: (value: unknown, path: string) => T): (value: unknown, path: string) => T[] {
  return (value, path) => array(value, path).map((item, i) => check(item, `${path}[${i}]`))
}

/** Check `shape`'s fields of the object at `path`. */
export function fields(value: unknown, path: string, shape: Readonly<Record<string, (value: unknown, path: string) => unknown>>): Json {
  const o = object(value, path === '' ? 'result' : path)
  for (const [key, check] of Object.entries(shape)) check(o[key], `${path === '' ? '' : `${path}.`}${key}`)
  return o
}

export const nonNegative = num(0)
export const positive = num(0, Number.POSITIVE_INFINITY, { minOpen: true })
export const count = int(0)
export const percentOpen = num(0, 100, { minOpen: true, maxOpen: true })
export const probability = num(0, 1)
export const U32 = 0xffff_ffff

export function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
}

export function mean(values: readonly number[]): number {
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

