// Vitest global setup: builds the native engine once before the test files run, and on a machine
// without a C compiler or libbsd's headers prints ONE visible line saying that the native tests
// are skipped and what to install (issue 12: never silently). A compile error of native/src is
// not a missing package: it fails the run here.

import { nativeProblem } from './availability.js'

export default function setup(): void {
  if (nativeProblem !== null) process.stderr.write(`gntbench: native engine tests skipped: ${nativeProblem}\n`)
}
