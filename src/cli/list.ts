// `gntbench list`: every registered strategy, allocator and preset, one line each (name, kind,
// summary, the kernel code it follows), then the quirks a spec may switch on. `--json` prints
// the same as one JSON document.

import { QUIRK_INFO } from '../strategies/quirks.js'
import { strategyEntries } from '../strategies/registry.js'
import type { CliIo } from './main.js'
import { UsageError } from './usage-error.js'

const USAGE = [
  'usage: gntbench list [--json]',
  '',
  'Lists the strategies, allocators and kernel presets a benchmark can run, and the quirks.',
  'A strategy spec is a name, or <stores>+<allocator> (e.g. list+bump), optionally followed',
  'by :quirk,quirk (e.g. freebsd:truncated-compare).',
  '',
  'options:',
  '  --json   print the list as JSON',
  '  --help   print this help',
  '',
].join('\n')

export async function main(argv: string[], io: CliIo): Promise<number> {
  let json = false
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      io.stdout(USAGE)
      return 0
    }
    if (arg === '--json') json = true
    else throw new UsageError(`gntbench list: unknown option '${arg}' (try 'gntbench list --help')`)
  }
  const entries = strategyEntries().map(({ name, kind, summary, follows }) => ({ name, kind, summary, follows }))
  const quirks = QUIRK_INFO.map(({ name, summary }) => ({ name, summary }))
  if (json) {
    io.stdout(`${JSON.stringify({ strategies: entries, quirks }, null, 2)}\n`)
    return 0
  }
  const nameWidth = Math.max(...entries.map((e) => e.name.length), ...quirks.map((q) => q.name.length))
  const kindWidth = Math.max(...entries.map((e) => e.kind.length), 'quirk'.length)
  const lines = entries.map(
    (e) => `${e.name.padEnd(nameWidth)}  ${e.kind.padEnd(kindWidth)}  ${e.summary}${e.follows === '' ? '' : ` [${e.follows}]`}`,
  )
  for (const q of quirks) lines.push(`${q.name.padEnd(nameWidth)}  ${'quirk'.padEnd(kindWidth)}  ${q.summary}`)
  io.stdout(`${lines.join('\n')}\n`)
  return 0
}
