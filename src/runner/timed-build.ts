// The timed build: the sources compiled without their cost counting, loaded by every host that
// times (worker threads, replicate child processes) while counting stays in the parent's untimed
// pass (untimed-pass.ts). Issue 5 asks that the cost of counting be kept out of the timed runs:
// the list scans bump two counter fields per node visited, which on a long scan is a load and a
// store beside every key test, and even the red-black tree's once-per-call tallies measured
// 13–19 % on bare lookups at 1e3–1e4 nodes. A flag tested at run time would still cost a load and
// a branch per update; code without the updates costs nothing.
//
// How (issue 16): by the compiler. Every counter update in src/structures and src/strategies is
// one line behind the global constant COUNTING (structures/counting.ts): `if (COUNTING)
// this.cost.field++`, or `if (COUNTING && cond) …`, straight into the counter fields (no local
// tallies or aliases that would outlive their updates). esbuild's `define` replaces COUNTING
// with `false` while it parses, and its syntax minifier (minifySyntax) then drops each
// `if (false) …` with what it guards: the bundles hold no counter update, no test of the
// constant and no load for counting. The sources themselves, where COUNTING is true, are the
// counted build. Nothing is copied or rewritten, so nothing can be half-removed; minifySyntax
// rewrites syntax only (a `while` as a `for`, an `if` as `&&`, constants folded), and names and
// operations stay the sources'. test/runner/timed-build.test.ts scans every bundle for a counter
// update, the constant, a tally or a dead `if`, checks that the sources guard every update, and
// runs both builds on the same streams: identical results op by op, all-zero counters here.
//
// What. The isolate entries (runner/isolate-worker.ts, isolate-child.ts), each bundled into one
// plain-JavaScript module: a fresh isolate loads one file instead of transpiling dozens through
// tsx (≈ 40 ms instead of ≈ 250 ms per isolate, and the measurement design starts hundreds of
// them). For the tests and bench/, which import single modules of the timed build
// (timedBuildUrl), every module of src/ is also an entry of one code-split build, so modules
// imported together share one instance of what they import, as the sources do.
//
// Where. From the sources (development: tsx, vitest): in the user's cache folder
// (install-paths.ts: $XDG_CACHE_HOME/gntbench, ~/.cache/gntbench, else the OS temporary folder),
// timed-build/<sha-256 of src/, tsconfig.json, package-lock.json and BUILD_VERSION>/isolates/
// and …/modules/, each made on first use in a temporary directory and renamed into place, so
// concurrent runs either find a complete build or make their own; a build of older sources is
// never used again, and is removed after a day. Never in the package folder. From the build
// (dist/, an installed package): `npm run build` (scripts/build.ts) made the isolate bundles with
// buildPrebuiltTimedBundles() into dist/timed/, and nothing is built or written at run time.

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BuildOptions } from 'esbuild'
import { BUILD, packageRoot, userCacheDir } from '../install-paths.js'

/** esbuild is a development dependency: loaded only when a timed build is made. */
type Esbuild = typeof import('esbuild')

/** The source tree: src/ beside this module (only meaningful when running from the sources). */
const SOURCE_ROOT = fileURLToPath(new URL('../', import.meta.url))
const REPO_ROOT = dirname(SOURCE_ROOT.replace(/[\\/]$/, ''))
/** Bump when the compiler settings below change, so an older build is not reused. */
const BUILD_VERSION = '4'
/** The isolate entries (runner/<name>.ts → <name>.mjs). */
const BUNDLED_ENTRIES = ['isolate-worker', 'isolate-child'] as const
export type BundledEntry = (typeof BUNDLED_ENTRIES)[number]
/** The two parts of a timed build from the sources: the isolate bundles, and every module for tests and bench/. */
type Part = 'isolates' | 'modules'

/** What makes code timed: COUNTING false, and the dead code that leaves removed. */
const TIMED_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // The same text from any working directory (esbuild names each module's source in a comment).
  absWorkingDir: REPO_ROOT,
  // Outside strategy modules are imported at run time by path; tsx is the parent's business.
  external: ['tsx', 'tsx/*', 'esbuild'],
  define: { GNTBENCH_BUILD: '"timed"', COUNTING: 'false' },
  minifySyntax: true,
  logLevel: 'silent',
}

function esbuild(): Esbuild {
  return createRequire(import.meta.url)('esbuild') as Esbuild
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(path))
    else if (entry.name.endsWith('.ts')) out.push(path)
  }
  return out.sort()
}

/** Compile one part of the timed build of the sources into `outdir`. */
function buildPart(part: Part, outdir: string): void {
  if (part === 'isolates') {
    esbuild().buildSync({ ...TIMED_OPTIONS, entryPoints: BUNDLED_ENTRIES.map((entry) => join(SOURCE_ROOT, 'runner', `${entry}.ts`)), outdir })
    return
  }
  esbuild().buildSync({ ...TIMED_OPTIONS, entryPoints: sourceFiles(SOURCE_ROOT), outdir, outbase: SOURCE_ROOT, splitting: true, chunkNames: 'chunks/[name]-[hash]' })
}

/** `npm run build`: the isolate bundles of the current sources into `outdir` (dist/timed). */
export function buildPrebuiltTimedBundles(outdir: string): void {
  buildPart('isolates', outdir)
}

/** The name of the current sources' build: what it is compiled from, hashed. */
function sourcesHash(): string {
  const hash = createHash('sha256').update(BUILD_VERSION)
  // The bundles hold the dependencies too, and tsconfig.json steers the compiler.
  for (const name of ['package-lock.json', 'tsconfig.json']) {
    const path = join(REPO_ROOT, name)
    hash.update(`\0${name}\0`).update(existsSync(path) ? readFileSync(path) : '')
  }
  for (const path of sourceFiles(SOURCE_ROOT)) hash.update(`\0${relative(SOURCE_ROOT, path)}\0`).update(readFileSync(path))
  return hash.digest('hex').slice(0, 16)
}

const built = new Map<Part, string>()

function cacheRoot(): string {
  return join(userCacheDir(), 'timed-build')
}

/** Make (or find) one part of the timed build of the current sources; returns its folder. */
function ensureBuilt(part: Part): string {
  const known = built.get(part)
  if (known !== undefined) return known
  const cache = cacheRoot()
  const name = sourcesHash()
  const dir = join(cache, name, part)
  if (!existsSync(dir)) {
    mkdirSync(join(cache, name), { recursive: true })
    const staging = join(cache, `.tmp-${name}-${part}-${process.pid}-${Date.now()}`)
    try {
      buildPart(part, staging)
      renameSync(staging, dir)
    } catch (error) {
      // Another process renamed its identical build into place first: use that one.
      rmSync(staging, { recursive: true, force: true })
      if (!existsSync(dir)) throw error
    }
    removeStaleBuilds(cache, name)
  }
  built.set(part, dir)
  return dir
}

/** Builds of older sources, a day unused: a run still using one (a long calibration) is left alone. */
function removeStaleBuilds(cache: string, current: string): void {
  const dayAgoMs = Date.now() - 24 * 3600 * 1000
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry)
    if (entry !== current && statSync(path).mtimeMs < dayAgoMs) rmSync(path, { recursive: true, force: true })
  }
}

/** The bundled isolate entry of the timed build (a path): prebuilt in dist/, else made now. */
export function timedBundlePath(entry: BundledEntry): string {
  if (BUILD === 'cli') return join(packageRoot(), 'dist', 'timed', `${entry}.mjs`)
  return join(ensureBuilt('isolates'), `${entry}.mjs`)
}

/** The URL of `pathInSrc` (e.g. 'structures/rb-tree.ts') in the timed build (from the sources only). */
export function timedBuildUrl(pathInSrc: string): URL {
  const path = join(ensureBuilt('modules'), pathInSrc.replace(/\.ts$/, '.mjs'))
  if (!existsSync(path)) throw new Error(`timed build: no module ${pathInSrc} in src/`)
  return pathToFileURL(path)
}

/** Every file of the timed build of the current sources (both parts), for the tests that read them. */
export function timedBuildFiles(): string[] {
  return (['isolates', 'modules'] as const).flatMap((part) => {
    const dir = ensureBuilt(part)
    return readdirSync(dir, { recursive: true })
      .map((name) => join(dir, String(name)))
      .filter((path) => path.endsWith('.mjs'))
  })
}
