// SLOW (≈ 30 s alone, under a minute beside the rest of the suite): the package as a user gets
// it. A copy of the package's sources is packed with `npm pack` (its prepack runs `npm run
// build`), the tarball is installed with `npm install` into an empty folder (the dependencies
// come from npm's cache when they are there), and the CLI is run from that folder through npx:
// --help, --version, check / run / replay with a plain-JavaScript strategy that imports only
// 'gntbench', record, ministat, the native engine built from the shipped C sources; the declarations are type-checked from a consumer file; and the
// installed package must be left as it was installed (nothing writes into it).
//
// The copy keeps dist/ of the working tree out of it: other tests start bin/gntbench.js, which
// runs dist/ when it is there, and must not see it appear half-built.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
/** What the build and `npm pack` read; the rest of the repository is not part of the package. */
const PACKAGE_SOURCES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'bin', 'src', 'scripts', 'native/src']
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx'

const root = mkdtempSync(join(tmpdir(), 'gntbench-tarball-'))
const pkgDir = join(root, 'pkg')
const packDir = join(root, 'pack')
const appDir = join(root, 'app')
const installed = join(appDir, 'node_modules', 'gntbench')
/** The commands' cache folder (timed builds, native builds): a temporary one, to see what they write. */
const cacheHome = join(root, 'cache')
/** The C engine needs cc and libbsd's headers (CI installs gcc and libbsd-dev). */
const haveCompiler = spawnSync('cc', ['--version']).status === 0 && existsSync('/usr/include/bsd/sys/tree.h')
if (!haveCompiler) console.warn('tarball: the native-engine step is SKIPPED: no cc or no libbsd headers (apt-get install -y gcc libbsd-dev)')
let tarball = ''
let installedFiles = ''

/**
 * The environment of every command: under `npm test` it holds the outer npm's npm_* variables,
 * among them npm_config_local_prefix = this repository, which must not steer the inner npm.
 * Kept: where npm's cache and registry are, if they were set so.
 */
function environment(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'])
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_') || keep.has(name.toLowerCase())))
  return { ...env, XDG_CACHE_HOME: cacheHome, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }
}

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const env = environment()
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 })
  if (result.error !== undefined) throw result.error
  return result
}

function ok(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd)
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${String(result.status ?? result.signal)}:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

function gntbench(...args: string[]): SpawnSyncReturns<string> {
  return run(NPX, ['--no', '--', 'gntbench', ...args], appDir)
}

/** Every file of a folder with its size and modification time, one line each. */
function listing(dir: string): string {
  return readdirSync(dir, { recursive: true })
    .map((name) => String(name))
    .sort()
    .map((name) => {
      const info = statSync(join(dir, name))
      return `${name} ${info.size} ${info.mtimeMs}`
    })
    .join('\n')
}

beforeAll(() => {
  for (const path of PACKAGE_SOURCES) cpSync(join(REPO, path), join(pkgDir, path), { recursive: true })
  symlinkSync(join(REPO, 'node_modules'), join(pkgDir, 'node_modules'), 'dir')
  mkdirSync(packDir)
  const name = ok(NPM, ['pack', '--silent', '--pack-destination', packDir], pkgDir).trim().split('\n').pop() ?? ''
  tarball = join(packDir, name)
  mkdirSync(appDir)
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'gntbench-user', private: true, type: 'module' }))
  ok(NPM, ['install', '--prefer-offline', '--no-package-lock', tarball], appDir)
  cpSync(join(REPO, 'test/package/fixtures/mine.js'), join(appDir, 'mine.js'))
  installedFiles = listing(installed)
}, 180_000)

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('the package tarball, installed in an empty folder (slow)', () => {
  it('holds the launcher, dist/ with the prebuilt timed bundles and declarations, native/src, and no sources or tests', () => {
    const files = ok('tar', ['-tzf', tarball], root).split('\n').filter((line) => line !== '')
    expect(files).toContain('package/bin/gntbench.js')
    expect(files).toContain('package/dist/cli.js')
    expect(files).toContain('package/dist/index.js')
    expect(files).toContain('package/dist/types/index.d.ts')
    expect(files).toContain('package/dist/timed/isolate-worker.mjs')
    expect(files).toContain('package/dist/timed/isolate-child.mjs')
    expect(files.some((file) => file.startsWith('package/native/src/'))).toBe(true)
    expect(files.filter((file) => /^package\/(src|test|bench|results|scripts)\//.test(file) || file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([])
  })

  it('npx gntbench --help and --version', () => {
    const help = gntbench('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^usage: gntbench <command>/)
    const version = gntbench('--version')
    expect(version.status).toBe(0)
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }
    expect(version.stdout).toBe(`gntbench ${pkg.version}\n`)
  })

  it('exposes only the public entry, with types a TypeScript consumer can check against', () => {
    const deep = run(process.execPath, ['--input-type=module', '-e', "await import('gntbench/dist/cli.js')"], appDir)
    expect(deep.status).not.toBe(0)
    expect(deep.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/)
    writeFileSync(
      join(appDir, 'consumer.ts'),
      [
        "import { EINVAL, NEUTRAL_POLICY, PAGE_BYTES, UNMAP_NOTIFY_SEND_EVENT, type StrategyEntry } from 'gntbench'",
        'export const numbers: number[] = [EINVAL, PAGE_BYTES, UNMAP_NOTIFY_SEND_EVENT]',
        'export const cleanup: readonly string[] = NEUTRAL_POLICY.cleanupOn',
        "export const entry: StrategyEntry['kind'] = 'strategy'",
        '',
      ].join('\n'),
    )
    const compilerOptions = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [] }
    writeFileSync(join(appDir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }))
    const checked = run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], appDir)
    expect(checked.stdout + checked.stderr).toBe('')
    expect(checked.status).toBe(0)
  })

  it('check, run --quick and replay a plain-JavaScript strategy that imports from gntbench', () => {
    const check = gntbench('check', './mine.js')
    expect(check.stderr).toBe('')
    expect(check.stdout).toMatch(/3 properties: 3 passed, 0 failed/)
    expect(check.status).toBe(0)

    const out = join(root, 'out')
    const quick = gntbench('run', '--quick', '--workload', 'churn', '--strategy', 'list,./mine.js', '--out', out, '--name', 'tarball')
    expect(quick.stderr).toMatch(/wrote .*tarball\.json/)
    expect(quick.status).toBe(0)
    // The launcher runs the build in its own process and gives it V8's collector (what
    // --expose-gc gives); an installed package is no git checkout, so no commit is recorded.
    const written = JSON.parse(readFileSync(join(out, 'tarball.json'), 'utf8')) as { environment: { gcBetweenReplicates: boolean; gitCommit: string | null } }
    expect(written.environment.gcBetweenReplicates).toBe(true)
    expect(written.environment.gitCommit).toBeNull()

    const record = gntbench('record', '--workload', 'churn', '--size', '64', '--ops', '2000', '-o', 'churn.trace')
    expect(record.status).toBe(0)
    const replay = gntbench('replay', 'churn.trace', '--strategy', 'rbtree,./mine.js', '--isolates', '3')
    expect(replay.stderr).not.toMatch(/Error|error:/)
    expect(replay.stdout).toMatch(/\.\/mine\.js/)
    expect(replay.status).toBe(0)
  })

  it.skipIf(!haveCompiler)('run --engine native: the C engine is built from the shipped sources into the cache folder', () => {
    const native = gntbench('run', '--quick', '--engine', 'native', '--workload', 'churn', '--strategy', 'list,rbtree', '--out', join(root, 'out-native'), '--name', 'native')
    expect(native.stderr).toMatch(/wrote .*native\.json/)
    expect(native.status).toBe(0)
    expect(existsSync(join(cacheHome, 'gntbench', 'native'))).toBe(true)
  })

  it('runs ministat', () => {
    writeFileSync(join(appDir, 'a.txt'), '1\n2\n3\n4\n')
    writeFileSync(join(appDir, 'b.txt'), '5\n6\n7\n8\n')
    const ministat = gntbench('ministat', 'a.txt', 'b.txt')
    expect(ministat.stdout).toMatch(/Difference at 95\.0% confidence/)
    expect(ministat.status).toBe(0)
  })

  it('refuses a TypeScript strategy in one line when tsx is not installed', () => {
    writeFileSync(join(appDir, 'typed.ts'), "export { strategy } from './mine.js'\n")
    const typed = gntbench('check', './typed.ts')
    expect(typed.stderr).toBe('./typed.ts: a TypeScript strategy module needs tsx (npm install tsx), or give the compiled .js\n')
    expect(typed.status).toBe(2)
  })

  it('leaves the installed package as it was installed, and makes no timed build at run time', () => {
    expect(listing(installed)).toBe(installedFiles)
    expect(existsSync(join(cacheHome, 'gntbench', 'timed-build'))).toBe(false)
  })
})
