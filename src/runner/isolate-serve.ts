// What runs inside an isolate (isolate-host.ts starts it): the message an entry receives, the
// reply it sends, and serving one message. Kept apart from isolate-host.ts so that the bundled
// entries contain the measuring code only, not the code that starts isolates and builds bundles.

import { resolveStrategySpec } from '../strategies/load-module.js'
import type { IsolateRequest, IsolateResult } from './cell-runner.js'
import { measureIsolate } from './cell-runner.js'
import { diagnoseTimedFailure } from './fault-diagnosis.js'

/** What an isolate entry receives (workerData, or JSON on a child's stdin). */
export interface IsolateMessage {
  readonly spec: string
  readonly request: IsolateRequest
}

/** What it sends back. */
export type IsolateReply =
  | { readonly ok: true; readonly result: IsolateResult }
  | { readonly ok: false; readonly errorName: string; readonly message: string; readonly detail?: string | null }

/** Serve one message in this isolate (the entries call this). */
export async function serveIsolate(message: IsolateMessage): Promise<IsolateReply> {
  let name: string
  try {
    name = (await resolveStrategySpec(message.spec)).name
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error))
    return { ok: false, errorName: 'StrategyFault', message: `${message.spec}: in the isolate: ${failure.message}`, detail: failure.stack ?? null }
  }
  try {
    return { ok: true, result: await measureIsolate(name, message.request) }
  } catch (error) {
    // An outside module that throws (or answers NaN) while timed: one line naming the method.
    const diagnosed = diagnoseTimedFailure(message.spec, name, message.request.group, error)
    if (diagnosed !== null) return { ok: false, errorName: 'StrategyFault', message: diagnosed.message, detail: diagnosed.detail }
    const failure = error instanceof Error ? error : new Error(String(error))
    return { ok: false, errorName: failure.name, message: failure.message, detail: failure.stack ?? null }
  }
}
