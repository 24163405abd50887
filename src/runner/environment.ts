// The machine a run happened on, recorded in every results file so numbers are never read
// without their context (pyperf and JMH record the same: a number without its machine is not a result).

import { execFileSync } from 'node:child_process'
import { availableParallelism, cpus, arch, platform, release, totalmem } from 'node:os'
import { isCheckout, packageRoot } from '../install-paths.js'
import type { ResultEnvironment } from '../results/shared-schema.js'

/** Git, in gntbench's own checkout only: an installed package has no commit (not its user's). */
function git(args: readonly string[]): string | null {
  if (!isCheckout()) return null
  try {
    return execFileSync('git', args, { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim()
  } catch {
    return null
  }
}

export interface EnvironmentInput {
  readonly startedAt: Date
  readonly durationMs: number
  readonly commandLine: readonly string[]
  readonly seed: number
  /** The run forced a GC before each timed replicate (only possible under --expose-gc). */
  readonly gcBetweenReplicates?: boolean
}

export function collectEnvironment(input: EnvironmentInput): ResultEnvironment {
  const cpu = cpus()[0]
  const commit = git(['rev-parse', 'HEAD'])
  // Dirty means code differs from the commit; result files being rewritten do not count.
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)results'])
  return {
    node: process.version,
    v8: process.versions.v8,
    os: { platform: platform(), release: release(), arch: arch() },
    // Virtual machines often report a speed of 0: unknown, not 0 MHz.
    cpu: { model: cpu?.model.trim() ?? 'unknown', cores: availableParallelism(), speedMHz: cpu !== undefined && cpu.speed > 0 ? cpu.speed : null },
    memoryBytes: totalmem(),
    date: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    gitCommit: commit,
    gitDirty: status === null ? null : status.length > 0,
    commandLine: [...input.commandLine],
    seed: input.seed,
    gcBetweenReplicates: input.gcBetweenReplicates === true && typeof globalThis.gc === 'function',
  }
}
