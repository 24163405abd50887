// Nothing lost, nothing left behind: outputs are checked before anything is measured, a name is
// held for the whole run, and a signal sent to the launcher's PID (or a Ctrl-C to its process
// group) stops everything the run started (worker threads, isolate processes, the C engine) and
// removes what it held.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
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
 * Start `gntbench run ARGS --out DIR --progress` in a process group of its own and wait for its
 * first round (it is measuring).
 */
async function startRun(args: readonly string[], dir: string): Promise<{ child: ChildProcessWithoutNullStreams; stderr: () => string }> {
  const child = spawn(process.execPath, ['bin/gntbench.js', 'run', ...args, '--out', dir, '--progress'], { detached: true })
  let err = ''
  await new Promise<void>((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      err += text
      if (/round \d/.test(err)) resolve()
    })
  })
  return { child, stderr: () => err }
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])))
}

/** Send `signal` to a started run's launcher (or to its whole process group, as a Ctrl-C does); its exit code and signal. */
async function stopRun(args: readonly string[], dir: string, signal: NodeJS.Signals, to: 'launcher' | 'group' = 'launcher'): Promise<[number | null, NodeJS.Signals | null, string]> {
  const { child, stderr } = await startRun(args, dir)
  if (to === 'group') process.kill(-(child.pid as number), signal)
  else child.kill(signal)
  const [code, received] = await exitOf(child)
  return [code, received, stderr()]
}

/**
 * PIDs of the live processes of group `pgid` whose command line contains `text` (a killed child
 * whose parent died first stays a zombie until init reaps it: it runs nothing, so it is left out).
 */
function groupProcesses(pgid: number, text: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' }).stdout
  return ps
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === pgid && !(f[2] ?? '').startsWith('Z') && f.slice(3).join(' ').includes(text))
    .map((f) => Number(f[0]))
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

describe.skipIf(nativeProblem !== null)('signals and a native run', () => {
  // The C engine runs blocking, one process per round (native/engine-process.ts says why): a
  // signal to the launcher stops the run when the round ends (measure-group.ts gives the event
  // loop a turn after each); a Ctrl-C ends the round at once, since it reaches the engine too.
  it.each(['SIGTERM', 'SIGHUP'] as const)('%s to the launcher stops a native run with that signal, no engine left running and no file', async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-sig-'))
    const { child } = await startRun(['--engine', 'native', '--workload', 'churn', '--sizes', '512', '--name', 'native'], dir)
    child.kill(signal)
    const [code, received] = await exitOf(child)
    expect(received, `exit code ${code}`).toBe(signal)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(groupProcesses(child.pid as number, 'gntbench-native')).toEqual([])
    expect(readdirSync(dir)).toEqual([])
  }, 60_000)

  it('a Ctrl-C (SIGINT to the process group, the engine included) stops it by SIGINT, with no stack trace and no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-sig-'))
    const [code, received, stderr] = await stopRun(['--engine', 'native', '--workload', 'qdisk-persistent', '--sizes', '4096', '--name', 'native'], dir, 'SIGINT', 'group')
    expect(received, `exit code ${code}: ${stderr}`).toBe('SIGINT')
    expect(stderr).not.toMatch(/^\s+at |Error:/m)
    expect(readdirSync(dir)).toEqual([])
  }, 60_000)

  it('an engine killed by someone else is one line naming the cell, exit 1, and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gntbench-sig-'))
    const { child, stderr } = await startRun(['--engine', 'native', '--workload', 'qdisk-persistent', '--sizes', '4096', '--name', 'native'], dir)
    let engines: number[] = []
    for (let tries = 0; engines.length === 0 && tries < 200; tries++) {
      engines = groupProcesses(child.pid as number, 'gntbench-native time')
      if (engines.length === 0) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(engines).not.toEqual([])
    for (const pid of engines) process.kill(pid, 'SIGKILL')
    const [code] = await exitOf(child)
    expect(code, stderr()).toBe(1)
    const lines = stderr()
      .split('\n')
      .filter((line) => line.includes('native engine') || /^\s+at /.test(line))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^gntbench run: qdisk-persistent N=4096: native engine \(time, .+\): killed by SIGKILL$/)
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
