// Writes the native engine's input for one cell to stdout, so the C engine can be run by hand
// (perf, gdb, valgrind) on exactly what the agreement test and timeNative feed it:
//
//   node --import tsx src/native/stream-cli.ts WORKLOAD SIZE STRATEGY [SEED] [OPS] > cell.txt
//   native/build/gntbench-native check cell.txt
//   native/build/gntbench-native time --sample-ms 100 --samples 10 cell.txt
//
// A bad argument is one line on stderr and exit status 2.

import { UnknownStrategyError } from '../strategies/registry.js'
import { getWorkload, UnknownWorkloadError } from '../workloads/registry.js'
import { prepareNativeRun } from './engine.js'
import { NotCoveredByNativeError } from './resolved-strategy.js'

function fail(message: string): never {
  process.stderr.write(`gntbench: ${message}\n`)
  process.exit(2)
}

const [name, sizeText, spec, seedText = '1', opsText = '2000'] = process.argv.slice(2)
if (name === undefined || sizeText === undefined || spec === undefined) fail('usage: stream-cli.ts WORKLOAD SIZE STRATEGY [SEED] [OPS]')
const numbers = [sizeText, seedText, opsText].map(Number)
if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) fail(`SIZE, SEED and OPS must be integers >= 0 (got ${sizeText} ${seedText} ${opsText})`)
const [size, seed, ops] = numbers as [number, number, number]
try {
  const workload = getWorkload(name)
  const params = { size, seed, ops }
  const prepared = prepareNativeRun({ stream: workload.generate(params), domainNeeds: workload.domainNeeds(params) }, { spec, options: workload.strategyOptions(params) })
  process.stdout.write(prepared.text)
} catch (error) {
  if (error instanceof UnknownWorkloadError || error instanceof UnknownStrategyError || error instanceof NotCoveredByNativeError) fail(error.message)
  throw error
}
