// Progress on stderr for the long commands: a line when a group starts, and then at most one
// line every few seconds while it runs (a cell of many isolates would otherwise sit silent for a
// minute, and a line per isolate would bury the terminal in hundreds of lines).

import type { RunProgress } from '../runner/run-bench.js'
import type { CliIo } from './main.js'

/** What a long command reports (the run loop's shape; sweep and replay map theirs onto it). */
export type ProgressEvent = RunProgress

/** Seconds between two lines within one group. */
const PROGRESS_INTERVAL_MS = 5000

function progressText(command: string, p: ProgressEvent): string {
  const left = p.remainingMs === null ? '' : `, ~${formatDuration(p.remainingMs)} left`
  return `${command}: [${p.group}/${p.groups}] ${p.label}: ${p.phase} (${formatDuration(p.elapsedMs)} elapsed${left})\n`
}

export function progressReporter(io: Pick<CliIo, 'stderr'>, command = 'gntbench run', now: () => number = () => performance.now()): (p: ProgressEvent) => void {
  let lastGroup = -1
  let lastAt = -Infinity
  return (p) => {
    const t = now()
    if (p.group === lastGroup && t - lastAt < PROGRESS_INTERVAL_MS) return
    lastGroup = p.group
    lastAt = t
    io.stderr(progressText(command, p))
  }
}

/** "42s" or "3m07s", for progress lines. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
}

/**
 * Whether to report progress: when stderr is a terminal, or when asked (--progress). A command
 * whose stderr is a file or a pipe (CI logs, tests) stays quiet otherwise.
 */
export function progressWanted(io: Pick<CliIo, 'stderrIsTty'>, asked: boolean): boolean {
  return asked || io.stderrIsTty === true
}
