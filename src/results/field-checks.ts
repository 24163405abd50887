// Small checkers for the fields of gntbench's JSON files (run, sweep and calibration results):
// each takes the value and its path and returns it typed, or throws a FieldProblem naming the
// path, what was expected and what was found. checkFields() turns the throw into a result.

/** The first problem found: the field's path, what it should be, and what it is. */
export interface FieldProblem {
  readonly path: string
  readonly expected: string
  readonly value: unknown
}

export type Json = Record<string, unknown>

/** Thrown inside the checker, turned into a FieldProblem at its edge. */
class Problem extends Error {
  readonly problem: FieldProblem

  constructor(problem: FieldProblem) {
    super(`${problem.path}: expected ${problem.expected}`)
    this.problem = problem
  }
}

export function fail(path: string, expected: string, value: unknown): never {
  throw new Problem({ path, expected, value })
}

export function obj(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value)
  return value as Json
}

export function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value)
  return value
}

export function str(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string', value)
  return value
}

export function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'true or false', value)
  return value
}

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

export function oneOf(allowed: readonly string[]): (value: unknown, path: string) => string {
  return (value, path) => {
    if (typeof value !== 'string' || !allowed.includes(value)) fail(path, allowed.map((a) => `'${a}'`).join(' | '), value)
    return value
  }
}

export function list<T>(check: (value: unknown, path: string) => T): (value: unknown, path: string) => T[] {
  return (value, path) => arr(value, path).map((item, i) => check(item, `${path}[${i}]`))
}

/** Check `shape`'s fields of the object at `path`. */
export function fields(value: unknown, path: string, shape: Readonly<Record<string, (value: unknown, path: string) => unknown>>): Json {
  const o = obj(value, path)
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

/** Run `check`; the first problem it finds, or null. */
export function checkFields(check: () => void): FieldProblem | null {
  try {
    check()
    return null
  } catch (error) {
    if (error instanceof Problem) return error.problem
    throw error
  }
}

export function mean(values: readonly number[]): number {
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

