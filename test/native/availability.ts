// Whether the native engine can run here, for the tests that need it: null, or why not (no C
// compiler, no libbsd headers: the one line test/native/notice.ts prints once per test run).
// Files needing the engine skip on it with describe.skipIf / it.skipIf, silently, since the
// notice has already said why. An engine that does not compile is a failure, never a skip.

import { NativeBuildError, NativeUnavailableError, ensureNativeEngine } from '../../src/native/build.js'

function problem(): string | null {
  try {
    ensureNativeEngine()
    return null
  } catch (error) {
    if (error instanceof NativeUnavailableError && !(error instanceof NativeBuildError)) return error.message
    throw error
  }
}

/** Why the native engine cannot run on this machine, or null when it can (built if needed). */
export const nativeProblem: string | null = problem()
