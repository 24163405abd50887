// Streaming replay runs in bounded memory: a one-million-line trace replays through the real CLI
// in a Node process whose old-generation heap is capped at 48 MiB — while merely loading the same
// trace into arrays (what a non-streaming replayer would do) exceeds that cap and crashes, so the
// cap is low enough to tell the two apart. Asserts exit codes, never timing.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const HEAP_CAP_MIB = 48
const CYCLES = 200_000
const LINES_PER_CYCLE = 5

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = createRequire(import.meta.url).resolve('tsx')
const dir = mkdtempSync(join(tmpdir(), 'gntbench-trace-streaming-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** ALLOC → mmap → notify → munmap → DEALLOC, cycling over 64 handles: 5 lines per cycle. */
function writeLargeTrace(file: string): void {
  const parts: string[] = ['gntbench-trace 1 handles=64 vmas=64\n']
  for (let i = 0; i < CYCLES; i++) {
    const h = i % 64
    parts.push(
      `alloc h${h} domid=1 pages=2 writable\nmmap v${h} h${h}+0 pages=2 rw\nnotify h${h}+1 byte=0 action=clear port=1\nmunmap v${h}\ndealloc h${h}+0 pages=2\n`,
    )
  }
  writeFileSync(file, parts.join(''))
}

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MIB}`, '--import', tsx, ...args], { cwd: root, encoding: 'utf8' })
  return { status: child.status, stdout: child.stdout, stderr: child.stderr }
}

describe('streaming replay', () => {
  const file = join(dir, 'large.trace')
  writeLargeTrace(file)

  it(`replays ${CYCLES * LINES_PER_CYCLE} lines with the heap capped at ${HEAP_CAP_MIB} MiB`, () => {
    const run = node([join(root, 'src/cli/main.ts'), 'replay', file, '--strategy', 'rbtree,list', '--differential-only'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`${(CYCLES * LINES_PER_CYCLE).toLocaleString('en-US')} ops`)
    expect(run.stdout).toContain('every line agrees across 2 strategies')
  })

  it('cannot even load the same trace into memory under that cap (the cap is meaningful)', () => {
    const script = join(dir, 'load-all.mts')
    writeFileSync(
      script,
      `import { loadTrace } from ${JSON.stringify(join(root, 'src/workloads/trace-reader.ts'))}\n` +
        `const trace = await loadTrace(${JSON.stringify(file)})\nconsole.log(trace.measured.length)\n`,
    )
    const run = node([script])
    expect(run.status).not.toBe(0)
    expect(run.stderr).toMatch(/heap out of memory|Allocation failed/)
  })
})
