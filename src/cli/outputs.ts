// The commands' side of the one atomic writer (results/atomic-write.ts). Result files of run,
// sweep and calibrate are claimed before anything is measured (a bad --out or --name, a file in
// the way or another run on the same name is a one-line usage error, exit 2, at the start rather
// than after the whole run), written at the end, and never lost: a write that fails after all
// leaves the JSON in the OS temp directory and is one line, exit 1. A trace of record or check is
// written in one go; any problem with its file is a one-line usage error.

import { existsSync } from 'node:fs'
import type { OutputClaim } from '../results/atomic-write.js'
import { claimOutput, OutputError, OutputExistsError, writeAtomicallyAsync, writeOutputs } from '../results/atomic-write.js'
import { UsageError } from '../errors.js'
import { measuringFailure } from './fault-report.js'
import type { CliIo } from './main.js'

export function claimOutputs(command: string, dir: string, name: string, files: readonly string[], force: boolean): OutputClaim {
  try {
    return claimOutput(dir, name, files, force)
  } catch (error) {
    if (error instanceof OutputExistsError || error instanceof OutputError) throw new UsageError(`${command}: ${error.message}`)
    throw error
  }
}

/**
 * Run `measure` while the outputs are claimed. If it throws, the claims are released first; a
 * BenchIntegrityError (a strategy broke an invariant, work differed between replicates) is then
 * one line on stderr and null (exit 1); anything else passes on.
 */
export async function measureClaimed<T>(command: string, claims: readonly OutputClaim[], io: Pick<CliIo, 'stderr'>, measure: () => Promise<T>): Promise<T | null> {
  try {
    return await measure()
  } catch (error) {
    for (const claim of claims) claim.release()
    const failure = measuringFailure(command, error)
    if (failure === null) throw error
    io.stderr(failure)
    return null
  }
}

/** Write and release; null on success, else the one line to print (exit 1). */
export function writeClaimed(command: string, claim: OutputClaim, outputs: readonly (readonly [string, string])[], force: boolean, name: string): string | null {
  try {
    writeOutputs(outputs, force, name)
    return null
  } catch (error) {
    if (error instanceof OutputExistsError || error instanceof OutputError) return `${command}: ${error.message}`
    throw error
  } finally {
    claim.release()
  }
}

/** Write one output file (a trace) from `chunks`, produced lazily; a file problem is a UsageError. */
/** Refuse an existing `path` (without --force) before any work, not after it. */
export function assertWritable(command: string, path: string, force: boolean): void {
  if (!force && existsSync(path)) throw new UsageError(`${command}: ${new OutputExistsError(path).message}`)
}

/** A trace or a counterexample to `path` (yielding between blocks, so a signal can stop it). */
export async function writeOutputFile(command: string, path: string, chunks: Iterable<string>, force: boolean): Promise<void> {
  try {
    await writeAtomicallyAsync(path, chunks, force)
  } catch (error) {
    if (error instanceof OutputExistsError || error instanceof OutputError) throw new UsageError(`${command}: ${error.message}`)
    throw error
  }
}
