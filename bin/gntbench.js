#!/usr/bin/env node
// Launcher for `npx gntbench`.
//
// From the build (dist/cli.js: an installed package, or a checkout after `npm run build`): the
// compiled CLI runs in this process. The memory measurements need a garbage collector they can
// call (what --expose-gc gives): V8's flag is set here before anything else runs, and `gc` is
// taken from a fresh context, where V8 installs it — the same collector of the same heap, and
// worker threads made later have it as a global as under --expose-gc (tested). One process
// instead of two: no second Node start-up, and a signal reaches the CLI itself, whose handlers
// (src/runner/exit-hooks.ts) stop its isolates and die of the same signal (128 + n to a shell).
//
// From the sources (a checkout with no dist/, or a dist/ older than src/): the TypeScript CLI
// runs through tsx in a child process with --expose-gc. Signals: a signal sent to this
// launcher's PID alone (what `kill PID`, CI cancellation and systemd send) must reach the child:
// SIGINT, SIGTERM and SIGHUP are forwarded, and the launcher then dies of the same signal the
// child died of (exit status 128 + n to a shell), so nothing keeps running after it is gone.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const built = join(root, 'dist', 'cli.js')
const sources = join(root, 'src')

/** In a checkout, a build older than any source file is not used (a few ms for ~200 stats). */
function builtIsCurrent() {
  if (!existsSync(built)) return false
  if (!existsSync(sources)) return true
  const builtAt = statSync(built).mtimeMs
  for (const name of readdirSync(sources, { recursive: true })) {
    if (statSync(join(sources, String(name))).mtimeMs > builtAt) {
      process.stderr.write('gntbench: dist/ is older than src/, running the sources (npm run build to refresh dist/)\n')
      return false
    }
  }
  return true
}

if (builtIsCurrent()) {
  setFlagsFromString('--expose-gc')
  globalThis.gc = runInNewContext('gc')
  const cli = await import(pathToFileURL(built).href)
  cli.runMain()
} else {
  runSourcesInChild()
}

function runSourcesInChild() {
  const require = createRequire(import.meta.url)
  const tsxLoader = require.resolve('tsx')
  const main = join(sources, 'cli', 'main.ts')
  // tsx reads tsconfig.json from the working directory; point it at ours wherever gntbench is run,
  // so that `import … from 'gntbench'` in an outside strategy is src/index.ts (tsconfig's paths).
  const env = { ...process.env, TSX_TSCONFIG_PATH: process.env.TSX_TSCONFIG_PATH ?? join(root, 'tsconfig.json') }
  const child = spawn(process.execPath, ['--expose-gc', '--import', tsxLoader, main, ...process.argv.slice(2)], { stdio: 'inherit', env })

  const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of FORWARDED) process.on(signal, () => child.kill(signal))

  child.on('error', (error) => {
    process.stderr.write(`gntbench: cannot start node: ${error.message}\n`)
    process.exit(2)
  })
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      // Die of the same signal: remove our handler first so the default action (termination) runs.
      for (const s of FORWARDED) process.removeAllListeners(s)
      process.kill(process.pid, signal)
      return
    }
    process.exit(code ?? 0)
  })
}
