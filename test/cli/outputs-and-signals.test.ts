// Nothing lost, nothing left behind: outputs are checked before anything is measured, a name is
// held for the whole run, and a signal sent to the launcher's PID stops everything the run
// started (worker threads, isolate processes) and removes what it held.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { usageErrorOf } from './helpers.js'
import { nativeProblem } from '../native/availability.js'

const QUICK = ['--quick', '--workload', 'churn', '--strategy', 'list,rbtree', '--sizes', '8']

describe('outputs are checked before measuring', () => {
  it.each([
    ['an --out that is a file', (dir: string) => {
      writeFileSync(join(dir, 'file'), 'x')
      return ['--out', join(dir, 'file')]
    }, 'cannot use as the output directory: not a directory'],
    ['a --name too long for the file system', (dir: string) => ['--out', dir, '--name', 'n'.repeat(250)], 'the name is too long for this file system'],
    ['a name another run holds', (dir: string) => {
      writeFileSync(join(dir, '.held.lock'), '1\n')
      return ['--out', dir, '--name', 'held']
    }, "another run is writing 'held'"],
  ])('%s is one line, exit 2, and nothing is measured or written', async (_what, setup, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-out-'))
    const argv = setup(dir)
    const before = readdirSync(dir)
    const error = await usageErrorOf(['run', ...QUICK, ...argv])
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('\n')
    expect(readdirSync(dir).sort()).toEqual(before.sort())
  })

  it('creates a missing --out directory, and releases the name after the run', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gntbench-out-')), 'a', 'b')
    const child = spawnSync(process.execPath, ['bin/gntbench.js', 'run', ...QUICK, '--out', dir, '--name', 'ok'], { encoding: 'utf8' })
    expect(child.status, child.stderr).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(['ok.json', 'ok.md'])
  }, 60_000)
})

/**
 * Start `gntbench run ARGS --out DIR --progress`, wait for its first round (it is measuring), send
 * `signal` to the launcher and return the exit code and the signal it died of.
 */
async function stopRun(args: readonly string[], dir: string, signal: NodeJS.Signals): Promise<[number | null, NodeJS.Signals | null]> {
  const child = spawn(process.execPath, ['bin/gntbench.js', 'run', ...args, '--out', dir, '--progress'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  await new Promise<void>((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      err += text
      if (/round \d/.test(err)) resolve()
    })
  })
  child.kill(signal)
  return new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])))
}

describe('signals sent to the launcher', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s stops the run, its isolates and the launcher with that signal, and leaves no file', async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-sig-'))
    mkdirSync(dir, { recursive: true })
    const marker = `sig-${signal}-${process.pid}`
    const [code, received] = await stopRun(['--workload', 'churn', '--sizes', '512', '--isolation', 'process', '--name', marker], dir, signal)
    expect(received, `exit code ${code}`).toBe(signal)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout
    expect(ps.split('\n').filter((line) => line.includes(marker))).toEqual([])
    expect(readdirSync(dir)).toEqual([])
    expect(existsSync(join(dir, `${marker}.json`))).toBe(false)
  }, 60_000)
})

describe.skipIf(nativeProblem !== null)('signals sent to the launcher of a native run', () => {
  // The C engine runs synchronously, one process per round: the signal must still stop the run
  // within a round (measure-group.ts gives the event loop a turn after each).
  it.each(['SIGTERM', 'SIGHUP'] as const)('%s stops a native run with that signal, and leaves no file', async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-sig-'))
    const [code, received] = await stopRun(['--engine', 'native', '--workload', 'churn', '--sizes', '512', '--name', 'native'], dir, signal)
    expect(received, `exit code ${code}`).toBe(signal)
    expect(readdirSync(dir)).toEqual([])
  }, 60_000)
})

describe('nothing wrong is published', () => {
  it('a strategy whose ALLOC overlaps live offsets is refused before timing: one line, exit 1, no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-bad-'))
    const child = spawnSync(
      process.execPath,
      ['bin/gntbench.js', 'run', '--quick', '--workload', 'lookup-heavy', '--strategy', 'list,./test/fixtures/strategies/zero-alloc.ts', '--out', dir, '--name', 'bad'],
      { encoding: 'utf8' },
    )
    expect(child.status).toBe(1)
    const lines = child.stderr.split('\n').filter((line) => line !== '' && !line.includes('verifying'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/zero-alloc\.ts: lookup-heavy N=64: setup op \d+: disjoint violated: .* overlapping live gref page 0; not timed$/)
    expect(readdirSync(dir)).toEqual([])
  }, 60_000)
})
