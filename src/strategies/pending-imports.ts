// Outside-module imports started and not yet settled. A module whose import never settles is
// reported after a time limit (load-module.ts), but its pending top-level code — a timer, an open
// handle — may keep the process alive after the command is done; the CLI entry then exits
// explicitly. Kept apart, with no imports, so the entry point can ask without loading the
// strategies.

let pending = 0

export function importStarted(): void {
  pending++
}

export function importSettled(): void {
  pending--
}

export function importsInFlight(): number {
  return pending
}
