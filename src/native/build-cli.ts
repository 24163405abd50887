// `npm run build:native`: compile the native engine now. A missing compiler or libbsd header is
// one line on stderr naming the Debian packages, exit status 2.

import { buildNativeEngine, NativeUnavailableError } from './build.js'

try {
  const info = buildNativeEngine()
  process.stdout.write(`built ${info.binary} (${info.compiler}; ${[...info.cflags, ...info.libs].join(' ')})\n`)
} catch (error) {
  if (error instanceof NativeUnavailableError) {
    process.stderr.write(`gntbench: ${error.message}\n`)
    process.exit(2)
  }
  throw error
}
