// Writing results/<name>.json and .md: atomically (a temp file in the same directory, then a
// rename, so a reader never sees half a file and a crash leaves no truncated result), and never
// over an existing result unless the caller says so (--force). Reading checks the schema.

import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { RunResult } from './result-schema.js'
import { ResultFileError, validateRunResult } from './result-schema.js'

/** A result file is in the way and overwriting was not allowed. */
export class ResultExistsError extends Error {
  override name = 'ResultExistsError'
  readonly path: string

  constructor(path: string) {
    super(`${path} already exists (use --force to overwrite it, or --name to choose another name)`)
    this.path = path
  }
}

export interface ResultPaths {
  readonly json: string
  readonly markdown: string
}

export function resultPaths(dir: string, name: string): ResultPaths {
  return { json: join(dir, `${name}.json`), markdown: join(dir, `${name}.md`) }
}

/** Throws ResultExistsError when either file exists and `force` is false. */
export function checkWritable(paths: ResultPaths, force: boolean): void {
  if (force) return
  for (const path of [paths.json, paths.markdown]) if (existsSync(path)) throw new ResultExistsError(path)
}

/**
 * Write `text` to `path` through a temp file in the same directory. With `force` the final step is
 * a rename (atomic replace); without it, link(2), which fails if the target exists — so a file
 * created meanwhile is never clobbered (the same technique as src/cli/output-file.ts, which
 * streams large traces asynchronously).
 */
export function writeAtomically(path: string, text: string, force: boolean): void {
  if (!force && existsSync(path)) throw new ResultExistsError(path)
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true })
  // The .tmp-* prefix is git-ignored; pid + time keep parallel runs apart.
  const temp = join(dir, `.tmp-${basename(path)}.${process.pid}.${Date.now()}`)
  try {
    writeFileSync(temp, text, { flag: 'wx' })
    if (force) {
      renameSync(temp, path)
    } else {
      try {
        linkSync(temp, path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ResultExistsError(path)
        throw error
      }
    }
  } finally {
    rmSync(temp, { force: true })
  }
}

export function writeResultFiles(paths: ResultPaths, result: RunResult, markdown: string, force: boolean): void {
  checkWritable(paths, force)
  writeAtomically(paths.json, `${JSON.stringify(result, null, 2)}\n`, force)
  writeAtomically(paths.markdown, markdown, force)
}

/** Read and validate a results file; ResultFileError (one line) for anything unusable. */
export function readResultFile(path: string): RunResult {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new ResultFileError(`${path}: cannot read (${code})`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ResultFileError(`${path}: not JSON (${(error as Error).message.split('\n')[0]})`)
  }
  try {
    return validateRunResult(data)
  } catch (error) {
    if (error instanceof ResultFileError) throw new ResultFileError(`${path}: ${error.message}`)
    throw error
  }
}
