// `npm run build` (and `npm pack`, through prepack): the package's dist/.
//
//   dist/cli.js, dist/index.js   the CLI and the public entry (`import … from 'gntbench'`), bundled
//                                by esbuild with code splitting: each command is a chunk
//                                (dist/chunks/) that the CLI imports when it runs that command,
//                                so `gntbench --help` loads a few kilobytes. The dependencies stay
//                                packages (installed beside us), tsx and esbuild are development
//                                tools and never loaded from here unless a TypeScript strategy
//                                module asks for tsx.
//                                In both the structures count their work (COUNTING defined true,
//                                as in the sources: src/structures/counting.ts).
//   dist/timed/*.mjs             the timed isolate entries: the sources compiled with COUNTING
//                                false, so without cost counting (src/runner/timed-build.ts), one
//                                module per entry, made here so an installed package never writes
//                                into its own folder.
//   dist/types/                  declarations of the public entry and of only the files they
//                                reach (tsc --emitDeclarationOnly, then pruned).
//
// Why a bundler and not tsc: tsc would emit one file per module (≈ 170), and a fresh isolate and
// the CLI would load dozens of them at start; one bundle per entry starts fastest (an isolate
// loads one file), and esbuild is already how the timed bundles are made. Types come from tsc.

import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { buildPrebuiltTimedBundles } from '../src/runner/timed-build.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DIST = join(ROOT, 'dist')

async function bundleEntries(): Promise<void> {
  await build({
    entryPoints: { cli: join(ROOT, 'src/cli/main.ts'), index: join(ROOT, 'src/index.ts') },
    outdir: DIST,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies are installed with the package; tsx and esbuild are loaded only on demand.
    packages: 'external',
    tsconfig: join(ROOT, 'tsconfig.json'),
    define: { GNTBENCH_BUILD: '"cli"', COUNTING: 'true' },
    logLevel: 'warning',
  })
}

/** Relative imports of a declaration file, as paths of other declaration files. */
function declarationImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] ?? '')
  return specs.map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.d.ts')))
}

function emitDeclarations(): void {
  const scratch = mkdtempSync(join(tmpdir(), 'gntbench-types-'))
  try {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
    const args = [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', scratch]
    const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`tsc failed:\n${result.stdout}${result.stderr}`)
    // Keep the public entry's declarations and what they import, nothing else.
    const keep = new Set<string>()
    const todo = [join(scratch, 'index.d.ts')]
    for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
      if (keep.has(file)) continue
      if (!existsSync(file)) throw new Error(`declarations: ${relative(scratch, file)} is imported but was not emitted`)
      keep.add(file)
      todo.push(...declarationImports(file))
    }
    for (const file of keep) {
      const target = join(DIST, 'types', relative(scratch, file))
      mkdirSync(dirname(target), { recursive: true })
      cpSync(file, target)
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

const started = Date.now()
rmSync(DIST, { recursive: true, force: true })
await bundleEntries()
buildPrebuiltTimedBundles(join(DIST, 'timed'))
emitDeclarations()
process.stderr.write(`build: dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
