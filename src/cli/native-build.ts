// The C engine for a command that times with it (run, sweep, replay, calibrate with --engine native
// or both): built before anything is measured, its compiler, flags and version recorded in the
// result file with the warm-up the measurement core gives it; a machine without cc or libbsd's headers gets one line naming the packages to
// install, exit 2 (a UsageError). The --engine value itself is parsed in options.ts.

import { NativeUnavailableError } from '../native/build.js'
import { nativeEngineInfo } from '../native/engine.js'
import type { NativeBuildRecord } from '../results/shared-schema.js'
import { NATIVE_WARMUP_MS } from '../runner/native-round.js'
import { UsageError } from '../errors.js'
import type { EngineChoice } from './options.js'

/** The C engine's build when `engine` needs it (built now if needed), else null. */
export function nativeBuildRecord(command: string, engine: EngineChoice): NativeBuildRecord | null {
  if (engine === 'js') return null
  try {
    const info = nativeEngineInfo()
    return { compiler: info.compiler, cflags: [...info.cflags], version: info.version, warmupMs: NATIVE_WARMUP_MS }
  } catch (error) {
    if (error instanceof NativeUnavailableError) throw new UsageError(`${command}: --engine ${engine}: ${error.message}`)
    throw error
  }
}
