// The timed build: a copy of src/ in which the structures and strategies do not count their work,
// loaded by every host that times (worker threads, replicate child processes) while counting stays
// in the parent's untimed pass (untimed-pass.ts). Issue 5 asks that the cost of counting be kept
// out of the timed runs: the list scans bump two counter fields per node visited, which on a
// long scan is a load and a store beside every key test, and even the red-black tree's
// once-per-call tallies measured 13–19 % on bare lookups at 1e3–1e4 nodes. A flag tested on the hot
// path would still cost a load and a branch per node; a build without the statements costs nothing.
//
// How. Every counter update in src/structures and src/strategies is a statement alone on its line
// (the convention stated in structures/types.ts): `[expr.]cost.field++` or `+= n`, optionally
// behind a one-line `if (…)`; a local tally `let visited = …` / `visited++` / `visited += n`; the
// alias `const cost = expr.cost`; and a private helper whose body was only such updates (RbTree's
// countSearch), which goes with its calls. Those lines are dropped; everything else is copied byte
// for byte, so the copy is the measured code minus the counting, and relative imports keep working.
// The copy is refused (an Error naming file:line) when a counter update is left that the stripper
// does not understand, or when a dropped line was the body of a brace-less if/for/while, which
// would silently change what the code does. The tests run both builds on the same streams and
// require identical results, and all-zero counters from the timed build.
//
// Where. From the sources (development: tsx, vitest): in the user's cache folder
// (install-paths.ts: $XDG_CACHE_HOME/gntbench, ~/.cache/gntbench, else the OS temporary folder),
// timed-build/<sha-256 of the sources, the stripper version and package-lock.json>/src/…, written to
// a temporary directory and renamed into place, so concurrent runs either find a complete copy or
// make their own; a copy whose sources changed is never used again, and is removed after a day.
// Never in the package folder. From the build (dist/, an installed package): `npm run build`
// (scripts/build.ts) made the bundles with buildPrebuiltTimedBundles() into dist/timed/, and nothing is
// copied, stripped or written at run time.
//
// Bundled. The isolate entries (runner/isolate-worker.ts, isolate-child.ts) are bundled from the
// copy by esbuild into <copy>/bundle/<entry>.mjs: one plain-JavaScript module per entry, so a fresh
// isolate loads one file instead of transpiling dozens through tsx (≈ 40 ms instead of ≈ 250 ms
// per isolate, and the measurement design starts hundreds of them). esbuild only strips types and
// joins modules; the code is the copy's. The copy lives outside the repository, so esbuild is
// told where the repository's node_modules and tsconfig.json are (nodePaths, tsconfig).
//
// Why a stripper and not the compiler. Issue 16 suggests a compile-time constant instead
// (`if (COUNTING) cost.x++` with esbuild `define` + dead-code elimination). That would be as safe
// and need no copy of the sources, but it means editing every counter line in src/structures and
// src/strategies (about 200), which collides with the parallel work moving those layers; and the
// tests and bench/ that import single files of the timed build (timedBuildUrl) would need a
// bundle per file. The stripper's checks (no surviving update, no brace-less body) and the
// op-by-op agreement test make it as safe today. Not measured against the alternative; revisit
// once the layers have settled.

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BUILD, packageRoot, userCacheDir } from '../install-paths.js'

/** esbuild is a development dependency: loaded only when a timed build is made. */
type Esbuild = typeof import('esbuild')

/** The source tree: src/ beside this module (only meaningful when running from the sources). */
const SOURCE_ROOT = fileURLToPath(new URL('../', import.meta.url))
const REPO_ROOT = dirname(SOURCE_ROOT.replace(/[\\/]$/, ''))
/** The layers whose code counts; the rest of src/ is copied unchanged. */
const COUNTING_DIRS = ['structures', 'strategies']
/** Bump when the stripping rules change, so an old copy is not reused. */
const STRIPPER_VERSION = '3'
/** The isolate entries bundled in every copy (runner/<name>.ts → bundle/<name>.mjs). */
const BUNDLED_ENTRIES = ['isolate-worker', 'isolate-child'] as const
export type BundledEntry = (typeof BUNDLED_ENTRIES)[number]

// `cost.x++`, `this.cost.x++`, `gmaps.cost.x += n`, optionally after a one-line `if (…) `.
const COUNTER_LINE = /^\s*(?:if \([^;{}]*\) )?(?:[\w.]+\.)?cost\.\w+(?:\+\+|\s*\+=\s*[^;]+)\s*;?\s*$/
const COST_ALIAS_LINE = /^\s*const cost = (?:[\w.]+\.)?cost\s*;?\s*$/
const LOCAL_TALLY_LINE = /^\s*(?:let visited = \d+|(?:if \([^;{}]*\) )?visited(?:\+\+|\s*\+=\s*[^;]+))\s*;?\s*$/
// A private method left with an empty body once its counter updates are gone.
const EMPTY_HELPER = /\n((?: {2}\/\/[^\n]*\n)*) {2}private (\w+)\([^)]*\): void \{\n {2}\}\n/g
// Any update of a counter or a tally: none may survive in the copy.
const LEFTOVER_UPDATE = /\bcost\.\w+\s*(?:\+\+|\+=|-=)|\bvisited\b/
// A control-flow header whose body is the next statement (no brace on the line).
const BRACELESS_HEADER = /^\s*(?:\}\s*)?(?:(?:if|for|while)\s*\(.*\)|else(?:\s+if\s*\(.*\))?|do)\s*$/

export class TimedBuildError extends Error {
  override name = 'TimedBuildError'
}

/** A line without its comment (comment lines and doc-comment lines become empty). */
function codeOf(line: string): string {
  const trimmed = line.trim()
  if (trimmed.startsWith('*') || trimmed.startsWith('/*')) return ''
  const comment = line.indexOf('//')
  return comment < 0 ? line : line.slice(0, comment)
}

function isCounting(line: string): boolean {
  return COUNTER_LINE.test(line) || COST_ALIAS_LINE.test(line) || LOCAL_TALLY_LINE.test(line)
}

/** The text of one source file without its counting; `file` names it in errors. */
export function stripCounting(source: string, file: string): string {
  const lines = source.split('\n')
  const kept: string[] = []
  let lastKept = ''
  lines.forEach((line, index) => {
    if (!isCounting(line)) {
      kept.push(line)
      if (line.trim() !== '' && !line.trim().startsWith('//')) lastKept = line
      return
    }
    if (BRACELESS_HEADER.test(lastKept)) {
      throw new TimedBuildError(`${file}:${index + 1}: a counter update is the body of \`${lastKept.trim()}\`; put the update in braces or on the header's line`)
    }
  })
  let text = kept.join('\n')
  const emptied: string[] = []
  text = text.replace(EMPTY_HELPER, (_match, _comments: string, name: string) => {
    emptied.push(name)
    return '\n'
  })
  for (const name of emptied) {
    const call = new RegExp(`^\\s*this\\.${name}\\([^;]*\\)\\s*;?\\s*$`)
    text = text
      .split('\n')
      .filter((line) => !call.test(line))
      .join('\n')
  }
  const leftover = text.split('\n').findIndex((line) => {
    const code = codeOf(line)
    return LEFTOVER_UPDATE.test(code) || emptied.some((name) => code.includes(`.${name}(`))
  })
  if (leftover >= 0) {
    const line = text.split('\n')[leftover] ?? ''
    throw new TimedBuildError(`${file}: a counter update the timed build cannot strip: \`${line.trim()}\` (write it as a statement alone on its line)`)
  }
  return text
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

/** The copy's files: path relative to src/ → text. */
export function timedBuildFiles(sourceRoot: string = SOURCE_ROOT): Map<string, string> {
  const files = new Map<string, string>()
  for (const path of sourceFiles(sourceRoot)) {
    const rel = relative(sourceRoot, path)
    const text = readFileSync(path, 'utf8')
    const layer = rel.split(sep)[0] ?? ''
    files.set(rel, COUNTING_DIRS.includes(layer) ? stripCounting(text, `src/${rel.split(sep).join('/')}`) : text)
  }
  return files
}

/** Write the copy's files under `root`/src. */
function writeCopy(root: string, files: ReadonlyMap<string, string>): void {
  for (const [rel, text] of files) {
    const target = join(root, 'src', rel)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, text)
  }
}

/** Bundle the isolate entries of a copy written under `copyRoot` (it holds src/) into `outdir`/<entry>.mjs. */
function buildTimedBundles(copyRoot: string, outdir: string): void {
  const esbuild = createRequire(import.meta.url)('esbuild') as Esbuild
  esbuild.buildSync({
    entryPoints: BUNDLED_ENTRIES.map((entry) => join(copyRoot, 'src', 'runner', `${entry}.ts`)),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The copy is outside the repository: resolve packages and read compiler settings there.
    nodePaths: [join(REPO_ROOT, 'node_modules')],
    tsconfig: join(REPO_ROOT, 'tsconfig.json'),
    // Outside strategy modules are imported at run time by path; tsx is the parent's business.
    external: ['tsx', 'tsx/*', 'esbuild'],
    define: { GNTBENCH_BUILD: '"timed"' },
    logLevel: 'silent',
  })
}

/**
 * `npm run build`: the timed bundles of the current sources into `outdir` (dist/timed), through
 * a copy in a temporary folder that is removed afterwards.
 */
export function buildPrebuiltTimedBundles(outdir: string): void {
  const copy = mkdtempSync(join(tmpdir(), 'gntbench-timed-build-'))
  try {
    writeCopy(copy, timedBuildFiles())
    buildTimedBundles(copy, outdir)
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
}

let builtRoot: string | null = null

function cacheRoot(): string {
  return join(userCacheDir(), 'timed-build')
}

/** Make (or find) the timed build of the current sources; returns its root (it holds src/). */
function ensureTimedBuild(): string {
  if (builtRoot !== null) return builtRoot
  const files = timedBuildFiles()
  const hash = createHash('sha256').update(STRIPPER_VERSION)
  // The bundles hold the dependencies too: a copy made with other versions is another copy.
  const lock = join(REPO_ROOT, 'package-lock.json')
  hash.update(existsSync(lock) ? readFileSync(lock) : '')
  for (const [rel, text] of files) hash.update(`\0${rel}\0${text}`)
  const name = hash.digest('hex').slice(0, 16)
  const cache = cacheRoot()
  const root = join(cache, name)
  if (!existsSync(root)) {
    mkdirSync(cache, { recursive: true })
    const staging = join(cache, `.tmp-${name}-${process.pid}-${Date.now()}`)
    writeCopy(staging, files)
    buildTimedBundles(staging, join(staging, 'bundle'))
    try {
      renameSync(staging, root)
    } catch (error) {
      // Another process renamed its identical copy into place first: use that one.
      rmSync(staging, { recursive: true, force: true })
      if (!existsSync(root)) throw error
    }
    removeStaleCopies(cache, name)
  }
  builtRoot = root
  return root
}

/** Copies of older sources, a day unused: a run still using one (a long calibration) is left alone. */
function removeStaleCopies(cache: string, current: string): void {
  const dayAgoMs = Date.now() - 24 * 3600 * 1000
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry)
    if (entry !== current && statSync(path).mtimeMs < dayAgoMs) rmSync(path, { recursive: true, force: true })
  }
}

/** The bundled isolate entry of the timed build (a path): prebuilt in dist/, else made now. */
export function timedBundlePath(entry: BundledEntry): string {
  if (BUILD === 'cli') return join(packageRoot(), 'dist', 'timed', `${entry}.mjs`)
  return join(ensureTimedBuild(), 'bundle', `${entry}.mjs`)
}

/** The URL of `pathInSrc` (e.g. 'structures/rb-tree.ts') in the timed build (from the sources only). */
export function timedBuildUrl(pathInSrc: string): URL {
  return pathToFileURL(join(ensureTimedBuild(), 'src', pathInSrc))
}
