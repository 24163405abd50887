// The timed build (src/runner/timed-build.ts) is the measured code without the counting, made by
// the compiler: every counter update in the sources is behind COUNTING; the timed bundles (the
// sources' build in the cache, and the isolate bundles as `npm run build` makes them for
// dist/timed) hold no counter update, no COUNTING, no tally and no dead `if`; and on the same
// seeded streams every strategy in the timed build returns exactly what the counted sources
// return, op by op, while its counters stay at zero.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_STRATEGIES } from '../../src/runner/plan.js'
import { buildPrebuiltTimedBundles, timedBuildFiles, timedBuildUrl } from '../../src/runner/timed-build.js'
import { MODERN_STRATEGIES } from '../../src/strategies/registry.js'

type Modules = {
  readonly workloads: typeof import('../../src/workloads/registry.js')
  readonly bind: typeof import('../../src/workloads/bind.js')
  readonly pass: typeof import('../../src/runner/untimed-pass.js')
  readonly state: typeof import('../../src/workloads/device-state.js')
  readonly cells: typeof import('../../src/runner/probe.js')
}

async function load(at: (path: string) => string): Promise<Modules> {
  return {
    workloads: (await import(at('workloads/registry.ts'))) as Modules['workloads'],
    bind: (await import(at('workloads/bind.ts'))) as Modules['bind'],
    pass: (await import(at('runner/untimed-pass.ts'))) as Modules['pass'],
    state: (await import(at('workloads/device-state.ts'))) as Modules['state'],
    cells: (await import(at('runner/probe.ts'))) as Modules['cells'],
  }
}

interface Replay {
  readonly results: number[]
  readonly counted: number
}

/** Every op of the stream (setup and measured) on a fresh state; null if the strategy lacks a side. */
function replay(mods: Modules, workloadName: string, spec: string): Replay | null {
  const size = 64
  const ops = 300
  const workload = mods.workloads.getWorkload(workloadName, { wrapOffsetSpacePages: 2 ** 12 })
  const binder = new mods.bind.StreamBinder(workload.generate({ size, seed: 11, ops }))
  const opened = mods.state.openState(mods.pass.recipeFor(spec, workload, binder, size, 11, ops))
  const policy = opened.strategy.policy
  if (mods.cells.sidesProblem(workload, spec, policy.supportsAlloc, policy.supportsMap) !== null) return null
  const results: number[] = []
  for (const op of opened.stream.setup) results.push(opened.applier.apply(op))
  for (const op of opened.stream.measured) results.push(opened.applier.apply(op))
  const total = mods.pass.sumCosts(mods.pass.costObjects(opened.strategy))
  return { results, counted: total.nodesVisited + total.keyCompares + total.nodesAllocated + total.nodesFreed + total.rotations }
}

const SOURCES = join(import.meta.dirname, '../../src')
const COUNTING_LAYERS = ['structures', 'strategies']
/** An update of a counter field, postfix or compound (`x.cost.f++`, `cost.f += n`) or prefix. */
const COUNTER_UPDATE = /\bcost\.\w+\s*(?:\+\+|--|\+=|-=)|(?:\+\+|--)\s*(?:[\w$]+\.)*cost\.\w+/
const GUARDED = /^\s*if \(COUNTING(?:\)| && )/

/** Code without comments: block comments, and lines that are a comment. */
function codeOf(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n')
}

/** A bundle's code per source module: esbuild heads each module's code with `// <path>`. */
function modulesOf(bundle: string): Map<string, string> {
  const modules = new Map<string, string>()
  let name = ''
  let lines: string[] = []
  for (const line of [...bundle.split('\n'), '// end']) {
    const head = /^\/\/ (\S+\.ts|end)$/.exec(line)
    if (head === null) {
      lines.push(line)
      continue
    }
    if (name !== '') modules.set(name, codeOf(lines.join('\n')))
    name = head[1] ?? ''
    lines = []
  }
  return modules
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => path.endsWith('.ts'))
}

describe('the counting in the sources', () => {
  it('is every counter update of src/structures and src/strategies, each behind COUNTING, with no local tally', () => {
    let guarded = 0
    for (const layer of COUNTING_LAYERS) {
      for (const path of sourceFiles(join(SOURCES, layer))) {
        codeOf(readFileSync(path, 'utf8'))
          .split('\n')
          .forEach((line) => {
            const where = `${relative(SOURCES, path)}: ${line.trim()}`
            expect(line, where).not.toMatch(/\bvisited\b/)
            if (!COUNTER_UPDATE.test(line)) return
            expect(line, `${where} (write it as \`if (COUNTING) …\` alone on its line)`).toMatch(GUARDED)
            guarded++
          })
      }
    }
    expect(guarded).toBeGreaterThan(150)
  })

  it('reads COUNTING only in modules that import structures/counting.ts, which defines it for the sources', () => {
    let readers = 0
    for (const path of sourceFiles(SOURCES)) {
      const text = readFileSync(path, 'utf8')
      if (!/\bif \(COUNTING\b/.test(codeOf(text))) continue
      expect(text, relative(SOURCES, path)).toMatch(/^import '(?:\.\/|(?:\.\.\/)+structures\/)counting\.js'$/m)
      readers++
    }
    expect(readers).toBeGreaterThan(15)
  })
})

describe('the timed bundles', () => {
  const prebuilt = mkdtempSync(join(tmpdir(), 'gntbench-timed-test-'))
  afterAll(() => rmSync(prebuilt, { recursive: true, force: true }))

  it('hold no counter update, no COUNTING, no tally and no dead if (cache build and npm run build alike)', () => {
    buildPrebuiltTimedBundles(prebuilt)
    const files = [...timedBuildFiles(), ...readdirSync(prebuilt).map((name) => join(prebuilt, name))]
    expect(readdirSync(prebuilt).sort()).toEqual(['isolate-child.mjs', 'isolate-worker.mjs'])
    let counting = 0
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      expect(codeOf(text), file).not.toMatch(COUNTER_UPDATE)
      for (const [module, code] of modulesOf(text)) {
        if (!COUNTING_LAYERS.some((layer) => module.startsWith(`src/${layer}/`))) continue
        const where = `${module} in ${file}`
        expect(code, where).not.toMatch(/\bCOUNTING\b/)
        expect(code, where).not.toMatch(/\bvisited\b|\bcountSearch\b/)
        expect(code, `${where}: a constant condition`).not.toMatch(/\bif \((?:false|true|!0|!1)\)/)
        expect(code, `${where}: a constant left as a statement where an if was`).not.toMatch(/(?:^|[;{}])\s*!?[01]\s*[;,]/m)
        counting++
      }
    }
    // The isolate bundles and the module build each hold every counting module.
    expect(counting).toBeGreaterThan(3 * 30)
  }, 60_000)
})

describe('the timed build', () => {
  it('returns what the counted sources return, op by op, with its counters at zero', async () => {
    const counted = await load((path) => new URL(`../../src/${path}`, import.meta.url).href)
    const timed = await load((path) => timedBuildUrl(path).href)
    const specs = [...DEFAULT_STRATEGIES, 'rbtree+bump', 'list+rangeset', 'rangeset+rbtree', 'freebsd:truncated-compare', 'linux-gntalloc:bump-wrap', ...MODERN_STRATEGIES, 'maple:strict-gap']
    let compared = 0
    for (const name of counted.workloads.workloadNames()) {
      for (const spec of specs) {
        const want = replay(counted, name, spec)
        const got = replay(timed, name, spec)
        if (want === null) {
          expect(got, `${name} on ${spec}`).toBeNull()
          continue
        }
        expect(got?.results, `${name} on ${spec}`).toEqual(want.results)
        expect(got?.counted, `${name} on ${spec}: the timed build counted`).toBe(0)
        expect(want.counted, `${name} on ${spec}: the counted build did not count`).toBeGreaterThan(0)
        compared++
      }
    }
    expect(compared).toBeGreaterThan(40)
  }, 60_000)
})
