// `--engine js|native|both`, as run, sweep and replay take it: the value checked in one line,
// and for native or both the C engine built before anything is measured — its compiler, flags
// and version go into the result file; a machine without cc or libbsd's headers gets one line
// naming the packages to install, exit 2 (a UsageError).

import { NativeUnavailableError } from '../native/build.js'
import { nativeEngineInfo } from '../native/engine.js'
import type { Engine } from '../runner/measure-group.js'
import { UsageError } from './usage-error.js'

export type EngineChoice = Engine | 'both'

/** What a result file records of the C engine's build. */
export interface NativeBuildRecord {
  compiler: string
  cflags: string[]
  version: string
}

export function engineValue(command: string, text: string | undefined): EngineChoice {
  if (text === undefined || text === 'js' || text === 'native' || text === 'both') return text ?? 'js'
  throw new UsageError(`${command}: --engine must be 'js', 'native' or 'both', got '${text}'`)
}

/** The C engine's build when `engine` needs it (built now if needed), else null. */
export function nativeBuildRecord(command: string, engine: EngineChoice): NativeBuildRecord | null {
  if (engine === 'js') return null
  try {
    const info = nativeEngineInfo()
    return { compiler: info.compiler, cflags: [...info.cflags], version: info.version }
  } catch (error) {
    if (error instanceof NativeUnavailableError) throw new UsageError(`${command}: --engine ${engine}: ${error.message}`)
    throw error
  }
}
