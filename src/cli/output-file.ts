// Writing a command's output file so that it is never half-written and never clobbered by
// accident: the text goes to a temporary file in the same directory (same file system, so the
// final step is an atomic rename or link), and only a complete file takes the target's name.
// An existing target is kept unless --force; without --force the final step is link(2), which
// fails if the target appeared meanwhile, so even a race cannot overwrite it.

import { randomBytes } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { link, open, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { UsageError } from '../errors.js'

/** Text is gathered into blocks of about this size before each write. */
const BLOCK_CHARS = 1 << 20

export interface OutputOptions {
  /** Overwrite an existing file. */
  force: boolean
}

/** Fail early (before any work) when `path` exists and --force was not given. */
export async function assertWritable(path: string, options: OutputOptions): Promise<void> {
  if (options.force) return
  if (await exists(path)) throw new UsageError(`${path}: file exists (use --force to overwrite)`)
}

/**
 * Write the strings of `chunks` (a generator may produce them lazily) to `path`. On any error,
 * thrown by the generator or by the file system, the temporary file is removed and `path` is
 * left as it was.
 */
export async function writeOutputFile(path: string, chunks: Iterable<string>, options: OutputOptions): Promise<void> {
  await assertWritable(path, options)
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let handle: FileHandle
  try {
    handle = await open(temp, 'wx')
  } catch (error: unknown) {
    throw new UsageError(`${path}: cannot write: ${fsReason(error)}`)
  }
  try {
    let block = ''
    for (const chunk of chunks) {
      block += chunk
      if (block.length >= BLOCK_CHARS) {
        await handle.write(block)
        block = ''
      }
    }
    if (block.length > 0) await handle.write(block)
    await handle.sync()
    await handle.close()
    if (options.force) {
      await rename(temp, path)
    } else {
      await link(temp, path)
      await unlink(temp)
    }
  } catch (error: unknown) {
    await handle.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    if (isCode(error, 'EEXIST')) throw new UsageError(`${path}: file exists (use --force to overwrite)`)
    if (isCode(error, 'ENOSPC') || isCode(error, 'EACCES') || isCode(error, 'EROFS') || isCode(error, 'EISDIR')) {
      throw new UsageError(`${path}: cannot write: ${fsReason(error)}`)
    }
    throw error
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === code
}

function fsReason(error: unknown): string {
  if (isCode(error, 'ENOENT')) return 'no such directory'
  if (isCode(error, 'EACCES')) return 'permission denied'
  if (isCode(error, 'ENOSPC')) return 'no space left on device'
  if (isCode(error, 'EROFS')) return 'read-only file system'
  if (isCode(error, 'EISDIR')) return 'is a directory'
  if (isCode(error, 'ENOTDIR')) return 'a parent is not a directory'
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'error') : 'error'
}
