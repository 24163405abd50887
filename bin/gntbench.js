#!/usr/bin/env node
// Launcher for `npx gntbench`: runs the TypeScript CLI through tsx with no build step.
// --expose-gc lets the memory measurements force a collection.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const tsxLoader = require.resolve('tsx')
const main = join(here, '..', 'src', 'cli', 'main.ts')
const child = spawnSync(process.execPath, ['--expose-gc', '--import', tsxLoader, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
})
if (child.error) {
  process.stderr.write(`gntbench: cannot start node: ${child.error.message}\n`)
  process.exit(2)
}
process.exit(child.status ?? (child.signal ? 1 : 0))
