// `gntbench list`: every registered strategy, allocator and preset, one line each (name, kind,
// summary, the quirks a preset has on by default, the kernel code it follows), then each
// preset's corrected variants (`freebsd:exact-compare`), then the quirks a spec may switch on
// (kernel name) or off (corrected name). `--json` prints the same as one JSON document.

import { QUIRK_INFO, quirkWords } from '../strategies/quirks.js'
import { strategyEntries } from '../strategies/registry.js'
import type { CliIo } from './main.js'
import { UsageError } from '../errors.js'

const USAGE = [
  'usage: gntbench list [--json]',
  '',
  'Lists the strategies, allocators and kernel presets a benchmark can run, and the quirks.',
  'A strategy spec is a name, or <stores>+<allocator> (e.g. list+bump), optionally followed',
  'by :quirk,quirk. A preset has its kernel\'s quirks on; each quirk\'s corrected name',
  'switches it off (e.g. freebsd:exact-compare, the corrected design of freebsd).',
  '',
  'options:',
  '  --json   print the list as JSON',
  '  --help   print this help',
  '',
  'Exit status: 0 listed; 2 an unknown option or a stray argument.',
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
    else if (!arg.startsWith('-') || arg === '-') throw new UsageError(`gntbench list: unexpected argument '${arg}' (list takes no arguments; see 'gntbench list --help')`)
    else throw new UsageError(`gntbench list: unknown option '${arg}' (try 'gntbench list --help')`)
  }
  const all = strategyEntries()
  const entries = all.map(({ name, kind, summary, follows, defaultQuirks }) => ({
    name,
    kind,
    summary,
    follows,
    defaultQuirks: defaultQuirks === undefined ? [] : quirkWords(defaultQuirks),
  }))
  // A preset's default quirks are today's kernel; switching one off is the corrected design.
  const variants: { name: string; summary: string }[] = []
  for (const entry of entries) {
    for (const quirk of entry.defaultQuirks) {
      const info = QUIRK_INFO.find((q) => q.name === quirk)
      if (info === undefined) continue
      variants.push({ name: `${entry.name}:${info.fixed}`, summary: `corrected design, ${entry.name} without ${quirk}: ${info.fixedSummary}` })
    }
  }
  const quirks = QUIRK_INFO.map(({ name, summary, fixed, fixedSummary }) => ({ name, summary, fixed, fixedSummary }))
  if (json) {
    io.stdout(`${JSON.stringify({ strategies: entries, variants, quirks }, null, 2)}\n`)
    return 0
  }
  const nameWidth = Math.max(...entries.map((e) => e.name.length), ...variants.map((v) => v.name.length), ...quirks.map((q) => q.name.length))
  const kindWidth = Math.max(...entries.map((e) => e.kind.length), 'variant'.length)
  const lines = entries.map((e) => {
    const quirksOn = e.defaultQuirks.length === 0 ? '' : ` (quirks on: ${e.defaultQuirks.join(', ')})`
    return `${e.name.padEnd(nameWidth)}  ${e.kind.padEnd(kindWidth)}  ${e.summary}${quirksOn}${e.follows === '' ? '' : ` [${e.follows}]`}`
  })
  for (const v of variants) lines.push(`${v.name.padEnd(nameWidth)}  ${'variant'.padEnd(kindWidth)}  ${v.summary}`)
  for (const q of quirks) lines.push(`${q.name.padEnd(nameWidth)}  ${'quirk'.padEnd(kindWidth)}  ${q.summary}; off: ${q.fixed} (${q.fixedSummary})`)
  io.stdout(`${lines.join('\n')}\n`)
  return 0
}
