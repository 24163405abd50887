// Writing results/<name>.json and .md: atomically (a temp file in the same directory, then a
// rename, so a reader never sees half a file and a crash leaves no truncated result), and never
// over an existing result unless the caller says so (--force). Reading checks the schema.

import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { onSignalExit } from '../exit-hooks.js'
import type { RunResult } from './run-schema.js'
import { ResultFileError, validateRunResult } from './run-schema.js'

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

/** The output directory or name cannot be used. One line, naming the path. */
export class OutputError extends Error {
  override name = 'OutputError'
}

/** A held output name: release() when the files are written (or the run is abandoned). */
export interface OutputClaim {
  readonly release: () => void
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENAMETOOLONG') return 'the name is too long for this file system'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'not writable'
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'not a directory'
  return code ?? (error as Error).message
}

/**
 * Everything that can go wrong with the outputs, checked before anything is measured: `dir` is
 * (or can be made) a writable directory, the names fit the file system (a file as long as the
 * longest temporary name is created and removed), no file is in the way (unless `force`), and no
 * other run is writing the same name — the name is held by an exclusive lock file
 * `<dir>/.<name>.lock` until release(), which a signal also runs.
 */
export function claimOutput(dir: string, name: string, files: readonly string[], force: boolean): OutputClaim {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (error) {
    throw new OutputError(`${dir}: cannot use as the output directory: ${reason(error)}`)
  }
  for (const file of files) if (!force && existsSync(file)) throw new ResultExistsError(file)
  const longest = files.reduce((a, b) => (basename(b).length > basename(a).length ? b : a), files[0] ?? join(dir, name))
  const probe = join(dir, `.tmp-${basename(longest)}.${process.pid}.${Date.now()}`)
  try {
    writeFileSync(probe, '', { flag: 'wx' })
    rmSync(probe, { force: true })
  } catch (error) {
    throw new OutputError(`${probe}: cannot write in ${dir}: ${reason(error)}`)
  }
  const lock = join(dir, `.${name}.lock`)
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new OutputError(`${lock}: another run is writing '${name}' in ${dir} (remove the lock if it is stale, or choose another --name)`)
    }
    throw new OutputError(`${lock}: cannot write: ${reason(error)}`)
  }
  const release = (): void => rmSync(lock, { force: true })
  const forget = onSignalExit(release)
  return {
    release: () => {
      forget()
      release()
    },
  }
}

/**
 * Write the outputs; if that fails after all (disk full, the directory removed meanwhile), the
 * measurement is not lost: the JSON goes to a file in the OS temp directory, whose path the
 * error names.
 */
export function writeOutputs(outputs: readonly (readonly [path: string, text: string])[], force: boolean, name: string): void {
  try {
    for (const [path, text] of outputs) writeAtomically(path, text, force)
  } catch (error) {
    if (error instanceof ResultExistsError) throw error
    const json = outputs.find(([path]) => path.endsWith('.json'))
    const fallback = join(tmpdir(), `gntbench-${name}-${process.pid}.json`)
    if (json !== undefined) writeFileSync(fallback, json[1])
    throw new OutputError(`${outputs[0]?.[0] ?? name}: cannot write the results (${reason(error)}); the JSON was saved to ${fallback}`)
  }
}
