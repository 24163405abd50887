// Where gntbench's own files are, the same way from the sources (src/…/x.ts, run through tsx or
// vitest) and from the build (dist/*.js, bundled, so a module's URL says nothing about the
// folder it came from): the package root is the nearest folder above this module whose
// package.json is gntbench's. And where gntbench may write its caches: never into the package
// (an installed package is read-only to us), but under the user's cache folder.

import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { homedir, tmpdir, userInfo } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'gntbench'

interface PackageInfo {
  readonly root: string
  readonly version: string
}

let found: PackageInfo | null = null

function packageInfo(): PackageInfo {
  if (found !== null) return found
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === PACKAGE_NAME) {
        found = { root: dir, version: typeof pkg.version === 'string' ? pkg.version : 'unknown' }
        return found
      }
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`gntbench: no package.json named '${PACKAGE_NAME}' above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
}

/** The folder that holds gntbench's package.json (the repository, or node_modules/gntbench). */
export function packageRoot(): string {
  return packageInfo().root
}

/** The version in gntbench's package.json. */
export function packageVersion(): string {
  return packageInfo().version
}

/** Set by esbuild's `define` in the build (scripts/build.ts, runner/timed-build.ts); undeclared in the sources. */
declare const GNTBENCH_BUILD: 'cli' | 'timed' | undefined

/**
 * Which code this is: 'cli' the build's CLI and public entry (dist/cli.js, dist/index.js);
 * 'timed' the timed build (runner/timed-build.ts): an isolate bundle, whose host set up any loader
 * it needs, or a module tests and bench/ import; 'sources' the TypeScript sources, run through
 * tsx or vitest.
 */
export const BUILD: 'cli' | 'timed' | 'sources' = typeof GNTBENCH_BUILD === 'undefined' ? 'sources' : GNTBENCH_BUILD

/** True in a git checkout of gntbench (a clone or a worktree), false in an installed package. */
export function isCheckout(): boolean {
  return existsSync(join(packageRoot(), '.git'))
}

let cacheRoot: string | null = null

/**
 * gntbench's cache folder, made on first use: $XDG_CACHE_HOME/gntbench, else ~/.cache/gntbench,
 * else (no home, or not writable) gntbench-cache-<user> in the OS temporary folder.
 */
export function userCacheDir(): string {
  if (cacheRoot !== null) return cacheRoot
  const xdg = process.env['XDG_CACHE_HOME']
  const candidates: string[] = []
  if (xdg !== undefined && isAbsolute(xdg)) candidates.push(join(xdg, PACKAGE_NAME))
  const home = homedir()
  if (home !== '') candidates.push(join(home, '.cache', PACKAGE_NAME))
  candidates.push(join(tmpdir(), `${PACKAGE_NAME}-cache-${safeUserName()}`))
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true })
      accessSync(dir, constants.W_OK)
      cacheRoot = dir
      return dir
    } catch {
      // Not writable here: try the next place.
    }
  }
  throw new Error(`gntbench: no writable cache folder (tried ${candidates.join(', ')})`)
}

function safeUserName(): string {
  try {
    return userInfo().username.replace(/[^\w.-]/g, '_')
  } catch {
    return String(process.getuid?.() ?? 'user')
  }
}
