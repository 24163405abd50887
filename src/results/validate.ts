// Reading a results file: the text is read, parsed as JSON and checked against its schema before
// anything uses it. Every problem is one ResultFileError line naming the file and the first bad
// field (`results/x.json: workloads[2].cells[0].values: expected an array, got "7"`), which the
// commands print as a usage error. The field checkers below are what the schemas' validators
// are written with.

import { readFileSync } from 'node:fs'

/** A results file that is not what this version of gntbench writes. One-line message. */
export class ResultFileError extends Error {
  override name = 'ResultFileError'
}

export type Json = Record<string, unknown>

export function fail(path: string, expected: string, value: unknown): never {
  // JSON.stringify answers undefined for a function or a symbol (its type says string), which a
  // parsed file never holds.
  const json = JSON.stringify(value) as string | undefined
  const shown = value === undefined ? 'missing' : json === undefined ? typeof value : json.slice(0, 40)
  throw new ResultFileError(`${path}: expected ${expected}, got ${shown}`)
}

export function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value)
  return value as Json
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value)
  return value
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string', value)
  return value
}

export function nullableString(value: unknown, path: string): string | null {
  return value === null ? null : string(value, path)
}

export function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value)
  return value
}

export function nullableNumber(value: unknown, path: string): number | null {
  return value === null ? null : number(value, path)
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'a boolean', value)
  return value
}

export function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(path, allowed.map((a) => `'${a}'`).join(' | '), value)
  return value as T
}

export function numbers(value: unknown, path: string): number[] {
  return array(value, path).map((v, i) => number(v, `${path}[${i}]`))
}

export function strings(value: unknown, path: string): string[] {
  return array(value, path).map((v, i) => string(v, `${path}[${i}]`))
}

/** Each element of the array at `path` checked by `check`. */
export function each(value: unknown, path: string, check: (item: unknown, path: string) => void): void {
  array(value, path).forEach((item, i) => check(item, `${path}[${i}]`))
}

/** schemaVersion, tool and (when given) kind of a file, before anything else is read. */
export function checkHeader(root: Json, version: number, kind: string | null): void {
  if (root['schemaVersion'] !== version) fail('schemaVersion', String(version), root['schemaVersion'])
  if (root['tool'] !== 'gntbench') fail('tool', "'gntbench'", root['tool'])
  if (kind !== null && root['kind'] !== kind) fail('kind', `'${kind}'`, root['kind'])
  string(root['name'], 'name')
}

/** Read, parse and validate `path`; every failure is a ResultFileError naming the file. */
export function readJsonFile<T>(path: string, validate: (data: unknown) => T): T {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new ResultFileError(`${path}: cannot read (${code})`)
  }
  let data: unknown
  try {
    // An editor's byte-order mark is not part of the JSON.
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (error) {
    throw new ResultFileError(`${path}: not JSON (${(error as Error).message.split('\n')[0]})`)
  }
  try {
    return validate(data)
  } catch (error) {
    if (error instanceof ResultFileError) throw new ResultFileError(`${path}: ${error.message}`)
    throw error
  }
}
