// What must happen when the CLI is stopped by a signal (SIGINT, SIGTERM, SIGHUP): every child
// process a run started is killed and every file it holds (an output name's lock, a temporary
// file) is removed; then the process dies of the same signal, so the shell sees 128 + n.
// Worker threads need nothing: they die with the process.

const hooks = new Set<() => void>()

/** Run `hook` if a signal stops the CLI; returns the function that unregisters it. */
export function onSignalExit(hook: () => void): () => void {
  hooks.add(hook)
  return () => hooks.delete(hook)
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** Install the handlers (once, by the CLI entry point). */
export function installSignalHandlers(): void {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      for (const hook of hooks) {
        try {
          hook()
        } catch {
          // Cleaning up must not stop the rest of the cleanup.
        }
      }
      for (const s of SIGNALS) process.removeAllListeners(s)
      process.kill(process.pid, signal)
    })
  }
}
