// The time left of a long command, for its progress lines: the pace of the units done so far
// (isolates, trials, streams, ops) times the units still to come. `run` starts its pace at the
// first round and bounds it below by its budget (timeLeftMs); the rest use the plain pace.

/** The remaining time when `done` of `total` units took `elapsedMs` (null before the first). */
export function estimateLeft(elapsedMs: number, done: number, total: number): number | null {
  return done > 0 ? (elapsedMs / done) * Math.max(0, total - done) : null
}

/**
 * `run`'s estimate. The pace is that of the rounds so far, counted from the first round rather
 * than the run's start: the untimed verification and the outcome groups before it took a fifth of
 * a minute that no round repeats, and counted in they made the first estimate of the C suite read
 * hours. Times the isolates every cell still owes its minimum rounds; where rounds beyond the
 * minimum are added while they fit the budget (`deadlineMs`: a precision target and a budget),
 * passes go on to the deadline unless every cell reaches its target first, so the estimate is at
 * least the budget's remainder. Null before the first round.
 */
export function timeLeftMs(p: { nowMs: number; roundsSinceMs: number | null; isolatesDone: number; plannedIsolates: number; deadlineMs: number | null }): number | null {
  if (p.roundsSinceMs === null) return null
  const minimum = estimateLeft(p.nowMs - p.roundsSinceMs, p.isolatesDone, p.plannedIsolates)
  return minimum === null || p.deadlineMs === null ? minimum : Math.max(minimum, p.deadlineMs - p.nowMs)
}
