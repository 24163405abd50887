// `gntbench ministat` against the real /usr/bin/ministat on freshly generated, seeded random
// inputs (test/fixtures/ministat/random-cases.ts): plain datasets of every shape, and "nasty"
// ones with NaN, ±inf, −0, bad tokens, tiny widths and broken option lines, where ministat
// errors out or dies by SIGSEGV and we must do the same. Skipped when the binary is absent
// (install it with `apt-get install -y ministat`); the golden fixtures cover the same ground
// offline.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, type CliIo } from '../../src/cli/main.js'
import { CRASH_NOTE_PREFIX, SIGSEGV_EXIT } from '../../src/cli/ministat.js'
import { nastyCase, randomCase, type RandomCase } from '../fixtures/ministat/random-cases.js'

const BINARY = '/usr/bin/ministat'
const PLAIN_CASES = 200
const NASTY_CASES = 200
/** Far from the seeds the fixtures were recorded with. */
const FIRST_SEED = 900_001

const scratch = existsSync(BINARY) ? mkdtempSync(join(tmpdir(), 'gntbench-ministat-live-')) : ''
// A skipped comparison must be visible: one line, naming what to install (CI installs it).
if (scratch === '') console.warn(`ministat-live: SKIPPED: ${BINARY} is missing (apt-get install -y ministat)`)

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
})

interface Outcome {
  stdout: string
  stderr: string
  exit: number
}

function runReal(dir: string, argv: string[]): Outcome {
  const result = spawnSync(BINARY, argv, { cwd: dir, encoding: 'latin1', input: '', env: { PATH: '/usr/bin:/bin' }, argv0: 'ministat' })
  if (result.error) throw result.error
  return { stdout: result.stdout, stderr: result.stderr, exit: result.status ?? (result.signal === 'SIGSEGV' ? 139 : -1) }
}

async function runOurs(dir: string, argv: string[]): Promise<Outcome> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    isTty: false,
    env: {},
    cwd: dir,
    readStdin: async () => new Uint8Array(0),
  }
  const exit = await runCli(['ministat', ...argv], io)
  // The one intended difference: where ministat dies of SIGSEGV, gntbench says why in one line.
  if (exit === SIGSEGV_EXIT) stderr = stderr.split('\n').filter((line) => !line.startsWith(CRASH_NOTE_PREFIX)).join('\n')
  return { stdout, stderr, exit }
}

async function compare(kind: string, seed: number, make: (seed: number) => RandomCase): Promise<void> {
  const c = make(seed)
  const dir = join(scratch, `${kind}-${seed}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(c.files)) writeFileSync(join(dir, name), text)
  const ours = await runOurs(dir, c.argv)
  const real = runReal(dir, c.argv)
  expect(ours, `${kind} seed ${seed}: ministat ${c.argv.join(' ')}`).toEqual(real)
  rmSync(dir, { recursive: true })
}

describe.skipIf(!existsSync(BINARY))('gntbench ministat against /usr/bin/ministat on random data', () => {
  it(`agrees on ${PLAIN_CASES} random command lines`, async () => {
    for (let i = 0; i < PLAIN_CASES; i++) await compare('plain', FIRST_SEED + i, (seed) => randomCase(seed))
  })

  it(`agrees on ${NASTY_CASES} nasty ones (NaN, inf, bad tokens and options, crashes)`, async () => {
    for (let i = 0; i < NASTY_CASES; i++) await compare('nasty', FIRST_SEED + i, (seed) => nastyCase(seed))
  })
})
