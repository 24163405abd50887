// Running the engine binary to completion, this process blocked until it ends — a timed round
// too, so that the timed path stays the one the committed calibrations measured. Awaiting the
// engine as a child instead was tried (commit d4581ab): it lets a SIGTERM stop a run mid-round,
// but its one suite ran in a noisy spell of the host (within-process sample CV 9.9 %,
// results/bench-20261206-w.md), and so did the blocking suite right after it (10.3 %, …-x.md):
// whether an idle event loop beside the engine costs anything is not settled, and the blocking
// call stayed. An exploratory A/B later (not committed: the two calls alternated 40 times on one
// fixed input each for lookup-heavy N = 512 and qdisk-map N = 64, the host quiet, a few hundred MB of heap
// and a 5 s timer beside them) moved no stream's ns/op and no ratio beyond its interval (ratios
// −2.5 to +2.1 %, sample CV 2.5 against 2.7 % and 1.6 against 1.3 %): no cost at the 1–3 % level,
// but a smaller one is not excluded, and the calibrated path is this one. A signal that arrives
// meanwhile waits for the round to end (a second or two); a Ctrl-C, which reaches the engine too,
// ends the round at once, and the caller then gives the CLI's handler its turn
// (runner/native-round.ts).

import { spawnSync } from 'node:child_process'
import { ensureNativeEngine } from './build.js'

/** What one run of the engine printed, and how it ended (a signal reads as status 1, named in stderr and `signal`). */
export interface EngineOutput {
  readonly status: number
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** The engine failed while measuring (killed, or an error of its own): one line, exit 1. */
export class NativeEngineError extends Error {
  override name = 'NativeEngineError'
  /** The signal that killed the engine, if one did. */
  readonly signal: NodeJS.Signals | null

  constructor(message: string, signal: NodeJS.Signals | null = null) {
    super(message)
    this.signal = signal
  }
}

/** GNTBENCH_NATIVE_BINARY runs another build of the engine (e.g. one with sanitizers) instead. */
function engineBinary(): string {
  const override = process.env['GNTBENCH_NATIVE_BINARY']
  return override !== undefined && override !== '' ? override : ensureNativeEngine()
}

/** Run the engine to completion, `text` on its stdin. */
export function runEngine(args: readonly string[], text: string): EngineOutput {
  const binary = engineBinary()
  const r = spawnSync(binary, args, { input: text, encoding: 'utf8', maxBuffer: 1 << 30 })
  if (r.error !== undefined) throw new Error(`native engine: cannot run ${binary}: ${r.error.message}`)
  if (r.signal !== null) return { status: 1, signal: r.signal, stdout: r.stdout, stderr: `${r.stderr}killed by ${r.signal}`.trim() }
  return { status: r.status ?? 1, signal: null, stdout: r.stdout, stderr: r.stderr }
}
