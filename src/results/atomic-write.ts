// The one writer of gntbench's output files (results of run, sweep and calibrate; traces of
// record and check): a file is never half-written and never clobbered by accident. The text goes
// to a temporary file in the same directory (same file system), opened exclusively, written in
// blocks as it is produced and synced; only a complete file takes the target's name. Without
// --force that last step is link(2), which fails if the target appeared meanwhile, so even a race
// cannot overwrite it; with --force it is rename(2), an atomic replace. On any failure (the text's
// producer throwing included) the temporary file is removed and the target is left as it was.
//
// For the result files a command also claims its outputs before anything is measured (a bad
// directory, a name too long, a file in the way or another run on the same name is found at the
// start, not after hours) and holds the name with an exclusive lock file until the end; if the
// final write fails after all, the JSON is saved in the OS temp directory rather than lost.

import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { onSignalExit } from '../exit-hooks.js'

/** Text is gathered into blocks of about this size before each write. */
const BLOCK_CHARS = 1 << 20

/** A file is in the way and overwriting was not allowed. */
export class OutputExistsError extends Error {
  override name = 'OutputExistsError'
  readonly path: string

  constructor(path: string, hint = 'use --force to overwrite it') {
    super(`${path} already exists (${hint})`)
    this.path = path
  }
}

/** An output directory, name or file cannot be used or written. One line, naming the path. */
export class OutputError extends Error {
  override name = 'OutputError'
  /** Why, in a few words (fsReason). */
  readonly reason: string

  constructor(message: string, reason: string = message) {
    super(message)
    this.reason = reason
  }
}

/** `path` cannot take a file, for `reason`. */
function cannotWrite(path: string, error: unknown): OutputError {
  const reason = fsReason(error)
  return new OutputError(`${path}: cannot write: ${reason}`, reason)
}

/** The reason a file-system call failed, in a few words. */
function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENAMETOOLONG') return 'the name is too long for this file system'
  if (code === 'ENOENT') return 'no such directory'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'not writable'
  if (code === 'ENOSPC') return 'no space left on device'
  if (code === 'EISDIR') return 'is a directory'
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'not a directory'
  return code ?? (error instanceof Error ? (error.message.split('\n')[0] ?? 'error') : 'error')
}

/** The temporary file beside `path` (the .tmp-* prefix is git-ignored; pid + random keep writers apart). */
function tempPathFor(path: string): string {
  return join(dirname(path), `.tmp-${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`)
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code
}

/**
 * Write `text` (a string, or strings a generator may produce lazily) to `path` atomically.
 * OutputExistsError when `path` exists and not `force`; OutputError when the directory cannot
 * take the file; an error of the producer passes through.
 */
export function writeAtomically(path: string, text: string | Iterable<string>, force: boolean): void {
  const file = openTemp(path, force)
  try {
    for (const block of blocksOf(typeof text === 'string' ? [text] : text)) writeSync(file.fd, block)
    file.commit()
  } catch (error) {
    throw file.failed(error)
  } finally {
    file.close()
  }
}

/**
 * The same for a long stream of text (a trace of millions of lines): the event loop gets a turn
 * after every block, so a signal stops the write, the temporary file is removed by the signal's
 * cleanup and `path` is never created.
 */
export async function writeAtomicallyAsync(path: string, chunks: Iterable<string>, force: boolean): Promise<void> {
  const file = openTemp(path, force)
  try {
    for (const block of blocksOf(chunks)) {
      writeSync(file.fd, block)
      await new Promise((resolve) => setImmediate(resolve))
    }
    file.commit()
  } catch (error) {
    throw file.failed(error)
  } finally {
    file.close()
  }
}

/** Strings gathered into blocks of about BLOCK_CHARS. */
function* blocksOf(chunks: Iterable<string>): Generator<string> {
  let block = ''
  for (const chunk of chunks) {
    block += chunk
    if (block.length >= BLOCK_CHARS) {
      yield block
      block = ''
    }
  }
  if (block.length > 0) yield block
}

interface TempFile {
  readonly fd: number
  /** fsync, close, then link (or rename with force) into place. */
  commit(): void
  /** The error to throw for `error` (EEXIST and file-system refusals named). */
  failed(error: unknown): unknown
  /** Close if still open, remove the temporary file, forget the signal hook. */
  close(): void
}

/** An exclusive temporary file beside `path`, removed on any exit or signal. */
function openTemp(path: string, force: boolean): TempFile {
  if (!force && existsSync(path)) throw new OutputExistsError(path)
  const temp = tempPathFor(path)
  let fd: number
  try {
    fd = openSync(temp, 'wx')
  } catch (error) {
    throw cannotWrite(path, error)
  }
  // A signal that stops the CLI while writing leaves no temporary file behind.
  const forget = onSignalExit(() => rmSync(temp, { force: true }))
  let open = true
  const closeFd = (): void => {
    if (open) closeSync(fd)
    open = false
  }
  return {
    fd,
    commit: () => {
      fsyncSync(fd)
      closeFd()
      if (force) renameSync(temp, path)
      else linkSync(temp, path)
    },
    failed: (error) => {
      if (isCode(error, 'EEXIST')) return new OutputExistsError(path)
      if (['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EISDIR'].some((code) => isCode(error, code))) return cannotWrite(path, error)
      return error
    },
    close: () => {
      closeFd()
      rmSync(temp, { force: true })
      forget()
    },
  }
}

export interface ResultPaths {
  readonly json: string
  readonly markdown: string
}

export function resultPaths(dir: string, name: string): ResultPaths {
  return { json: join(dir, `${name}.json`), markdown: join(dir, `${name}.md`) }
}

/** A held output name: release() when the files are written (or the run is abandoned). */
export interface OutputClaim {
  readonly release: () => void
}

/** The hint of a result file in the way: the run may also choose another name. */
const RESULT_HINT = 'use --force to overwrite it, or --name to choose another name'

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
    throw new OutputError(`${dir}: cannot use as the output directory: ${fsReason(error)}`)
  }
  for (const file of files) if (!force && existsSync(file)) throw new OutputExistsError(file, RESULT_HINT)
  const longest = files.reduce((a, b) => (basename(b).length > basename(a).length ? b : a), files[0] ?? join(dir, name))
  const probe = tempPathFor(longest)
  try {
    writeFileSync(probe, '', { flag: 'wx' })
    rmSync(probe, { force: true })
  } catch (error) {
    throw new OutputError(`${probe}: cannot write in ${dir}: ${fsReason(error)}`)
  }
  const lock = join(dir, `.${name}.lock`)
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' })
  } catch (error) {
    if (isCode(error, 'EEXIST')) {
      throw new OutputError(`${lock}: another run is writing '${name}' in ${dir} (remove the lock if it is stale, or choose another --name)`)
    }
    throw new OutputError(`${lock}: cannot write: ${fsReason(error)}`)
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
 * Write the claimed outputs; if that fails after all (disk full, the directory removed
 * meanwhile), the measurement is not lost: the JSON goes to a file in the OS temp directory,
 * whose path the error names.
 */
export function writeOutputs(outputs: readonly (readonly [path: string, text: string])[], force: boolean, name: string): void {
  try {
    for (const [path, text] of outputs) writeAtomically(path, text, force)
  } catch (error) {
    if (error instanceof OutputExistsError) throw new OutputExistsError(error.path, RESULT_HINT)
    const json = outputs.find(([path]) => path.endsWith('.json'))
    const fallback = join(tmpdir(), `gntbench-${name}-${process.pid}.json`)
    if (json !== undefined) writeFileSync(fallback, json[1])
    const reason = error instanceof OutputError ? error.reason : fsReason(error)
    throw new OutputError(`${outputs[0]?.[0] ?? name}: cannot write the results (${reason}); the JSON was saved to ${fallback}`)
  }
}
