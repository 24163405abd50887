// `gntbench list`: one line per strategy, allocator, preset and quirk; --json; --help; bad flags.

import { describe, expect, it } from 'vitest'
import type { CliIo } from '../../src/cli/main.js'
import { runCli } from '../../src/cli/main.js'
import { UsageError } from '../../src/errors.js'

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTty: false }, out, err }
}

describe('gntbench list', () => {
  it('prints every strategy, allocator, preset and quirk, one line each', async () => {
    const { io, out } = capture()
    expect(await runCli(['list'], io)).toBe(0)
    const text = out.join('')
    const lines = text.trimEnd().split('\n')
    for (const name of ['list', 'rbtree', 'rangeset', 'bump', 'linux-gntdev', 'linux-gntalloc', 'freebsd', 'xen-rangeset']) {
      expect(lines.some((line) => line.startsWith(`${name} `))).toBe(true)
    }
    for (const quirk of ['truncated-compare', 'strict-gap', 'int-page-index', 'bump-wrap', 'claim-no-merge']) {
      expect(lines.some((line) => line.startsWith(quirk) && / quirk /.test(line))).toBe(true)
    }
    expect(lines.find((line) => line.startsWith('freebsd '))).toContain('FreeBSD sys/dev/xen/gntdev/gntdev.c')
    // Presets are today's kernels: their quirks are on, and the corrected designs are variants.
    expect(lines.find((line) => line.startsWith('freebsd '))).toContain('quirks on: truncated-compare')
    for (const variant of ['linux-gntdev:exact-fit', 'freebsd:exact-compare', 'xen-rangeset:claim-merge']) {
      expect(lines.some((line) => line.startsWith(`${variant} `) && / variant /.test(line))).toBe(true)
    }
    expect(lines.filter((line) => / allocator /.test(line))).toHaveLength(6)
  })

  it('--json prints the same entries as JSON', async () => {
    const { io, out } = capture()
    expect(await runCli(['list', '--json'], io)).toBe(0)
    const parsed = JSON.parse(out.join('')) as { strategies: Array<{ name: string; kind: string }>; quirks: Array<{ name: string }> }
    expect(parsed.strategies.filter((s) => s.kind === 'preset').map((s) => s.name)).toEqual(
      expect.arrayContaining(['linux-gntdev', 'linux-gntalloc', 'freebsd', 'xen-rangeset']),
    )
    expect(parsed.quirks.map((q) => q.name)).toContain('truncated-compare')
  })

  it('--help prints usage; an unknown flag is a one-line UsageError', async () => {
    const { io, out } = capture()
    expect(await runCli(['list', '--help'], io)).toBe(0)
    expect(out.join('')).toMatch(/^usage: gntbench list/)
    await expect(runCli(['list', '--bogus'], io)).rejects.toThrow(UsageError)
    await expect(runCli(['list', '--bogus'], io)).rejects.toThrow(/^[^\n]*--bogus[^\n]*$/)
  })
})
