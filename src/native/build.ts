// Builds the native engine (native/src/*.c) with the system's C compiler at -O2 into the
// git-ignored native/build/, on first use and again whenever a source is newer than the binary.
// The BSD queue/tree macros come from libbsd's overlay (pkg-config libbsd-overlay; the Debian
// flags are the fallback when pkg-config itself is missing). A missing compiler or header is
// one NativeUnavailableError naming the Debian packages to install.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const NATIVE_SOURCE_DIR = join(REPO, 'native', 'src')
export const NATIVE_BUILD_DIR = join(REPO, 'native', 'build')
export const NATIVE_BINARY = join(NATIVE_BUILD_DIR, 'gntbench-native')

/** What to install on Debian for the native engine. */
export const NATIVE_PACKAGES_HINT = 'apt-get install -y gcc libbsd-dev'

/** The native engine cannot be built here (no compiler, no libbsd headers, a compile error). */
export class NativeUnavailableError extends Error {
  override name = 'NativeUnavailableError'
}

/**
 * The compiler and libbsd are there but native/src does not compile: a bug in the engine, not
 * a missing package. Still one line for the CLI; the tests fail on it instead of skipping.
 */
export class NativeBuildError extends NativeUnavailableError {
  override name = 'NativeBuildError'
}

export interface NativeBuildInfo {
  readonly binary: string
  /** First line of `cc --version`. */
  readonly compiler: string
  readonly cflags: readonly string[]
  readonly libs: readonly string[]
}

/** C11 (ISO, -Wpedantic), warnings are errors, -O2 as issue 12 asks. */
export const NATIVE_BASE_FLAGS: readonly string[] = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Wpedantic', '-Werror']

const FALLBACK_CFLAGS = ['-isystem', '/usr/include/bsd', '-DLIBBSD_OVERLAY']
const FALLBACK_LIBS = ['-lbsd']

function run(command: string, args: readonly string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8' })
  if (r.error !== undefined) return { ok: false, stdout: '', stderr: r.error.message }
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr }
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0)
}

let cachedInfo: NativeBuildInfo | null = null

/** The compiler and flags this machine builds with; throws NativeUnavailableError without cc. */
export function nativeBuildInfo(): NativeBuildInfo {
  if (cachedInfo !== null) return cachedInfo
  const cc = run('cc', ['--version'])
  if (!cc.ok) throw new NativeUnavailableError(`native engine: no C compiler (cc) found; install one: ${NATIVE_PACKAGES_HINT}`)
  const cflags = run('pkg-config', ['--cflags', 'libbsd-overlay'])
  const libs = run('pkg-config', ['--libs', 'libbsd-overlay'])
  const haveConfig = cflags.ok && libs.ok
  if (!haveConfig && !existsSync('/usr/include/bsd/sys/tree.h')) {
    throw new NativeUnavailableError(`native engine: libbsd headers (<bsd/sys/tree.h>) not found; install them: ${NATIVE_PACKAGES_HINT}`)
  }
  cachedInfo = {
    binary: NATIVE_BINARY,
    compiler: (cc.stdout.split('\n')[0] ?? '').trim(),
    cflags: [...NATIVE_BASE_FLAGS, ...(haveConfig ? words(cflags.stdout) : FALLBACK_CFLAGS)],
    libs: haveConfig ? words(libs.stdout) : FALLBACK_LIBS,
  }
  return cachedInfo
}

function sources(): string[] {
  return readdirSync(NATIVE_SOURCE_DIR)
    .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
    .map((f) => join(NATIVE_SOURCE_DIR, f))
}

function isStale(): boolean {
  if (!existsSync(NATIVE_BINARY)) return true
  const built = statSync(NATIVE_BINARY).mtimeMs
  return sources().some((file) => statSync(file).mtimeMs > built)
}

/** Compile unconditionally; returns the build info. Throws NativeUnavailableError. */
export function buildNativeEngine(): NativeBuildInfo {
  const info = nativeBuildInfo()
  mkdirSync(NATIVE_BUILD_DIR, { recursive: true })
  // Build under a private name, then rename: concurrent builders never see half a binary.
  const tmp = `${NATIVE_BINARY}.${process.pid}.tmp`
  const cFiles = sources().filter((f) => f.endsWith('.c'))
  const r = run('cc', [...info.cflags, '-o', tmp, ...cFiles, ...info.libs])
  if (!r.ok) {
    if (existsSync(tmp)) unlinkSync(tmp)
    if (/sys\/(tree|queue)\.h|-lbsd|libbsd/.test(r.stderr)) {
      throw new NativeUnavailableError(`native engine: libbsd is missing (${firstLine(r.stderr)}); install it: ${NATIVE_PACKAGES_HINT}`)
    }
    throw new NativeBuildError(`native engine: cc failed: ${firstLine(r.stderr)}`)
  }
  renameSync(tmp, NATIVE_BINARY)
  return info
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => /error/i.test(l)) ?? text.split('\n')[0] ?? ''
  return line.trim()
}

/** The path of an up-to-date native engine, building it first if needed. Throws NativeUnavailableError. */
export function ensureNativeEngine(): string {
  nativeBuildInfo()
  if (isStale()) buildNativeEngine()
  return NATIVE_BINARY
}
