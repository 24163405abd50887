// The timed build (src/runner/timed-build.ts) is the measured code minus the counting: the
// stripper drops exactly the counter statements and refuses what it cannot drop safely, and on
// the same seeded streams every strategy in the timed build returns exactly what the counted
// sources return, op by op, while its counters stay at zero.

import { describe, expect, it } from 'vitest'
import { DEFAULT_STRATEGIES } from '../../src/runner/plan.js'
import { MODERN_STRATEGIES } from '../../src/strategies/registry.js'
import { stripCounting, timedBuildFiles, timedBuildUrl, TimedBuildError } from '../../src/runner/timed-build.js'

type Modules = {
  readonly workloads: typeof import('../../src/workloads/registry.js')
  readonly bind: typeof import('../../src/workloads/bind.js')
  readonly pass: typeof import('../../src/runner/untimed-pass.js')
  readonly state: typeof import('../../src/workloads/device-state.js')
  readonly cells: typeof import('../../src/runner/cell-runner.js')
}

async function load(at: (path: string) => string): Promise<Modules> {
  return {
    workloads: (await import(at('workloads/registry.ts'))) as Modules['workloads'],
    bind: (await import(at('workloads/bind.ts'))) as Modules['bind'],
    pass: (await import(at('runner/untimed-pass.ts'))) as Modules['pass'],
    state: (await import(at('workloads/device-state.ts'))) as Modules['state'],
    cells: (await import(at('runner/cell-runner.ts'))) as Modules['cells'],
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

describe('stripCounting()', () => {
  it('drops counter statements, tallies, aliases and emptied helpers, and nothing else', () => {
    const source = [
      'class T {',
      '  find(key: number): number {',
      '    const cost = this.cost',
      '    let visited = 0',
      '    let node = this.head',
      '    while (node !== null && node.key !== key) {',
      '      visited++',
      '      cost.keyCompares++',
      '      if (node.big) this.cost.nodesVisited += 2',
      '      node = node.next',
      '    }',
      '    this.countSearch(visited)',
      '    return node',
      '  }',
      '',
      '  // Tally helper.',
      '  private countSearch(nodes: number): void {',
      '    this.cost.nodesVisited += nodes',
      '  }',
      '}',
    ].join('\n')
    expect(stripCounting(source, 'x.ts')).toBe(
      [
        'class T {',
        '  find(key: number): number {',
        '    let node = this.head',
        '    while (node !== null && node.key !== key) {',
        '      node = node.next',
        '    }',
        '    return node',
        '  }',
        '',
        '}',
      ].join('\n'),
    )
  })

  it('refuses a counter update that is the brace-less body of an if, naming file and line', () => {
    const source = ['function f(x: boolean) {', '  if (x)', '    cost.nodesVisited++', '  return 1', '}'].join('\n')
    expect(() => stripCounting(source, 'src/strategies/x.ts')).toThrow(TimedBuildError)
    expect(() => stripCounting(source, 'src/strategies/x.ts')).toThrow(/src\/strategies\/x\.ts:3: /)
  })

  it('refuses a counter update inside an expression', () => {
    expect(() => stripCounting('  use(cost.keyCompares++)', 'y.ts')).toThrow(/y\.ts: a counter update the timed build cannot strip/)
  })

  it('leaves no counter update in src/structures and src/strategies', () => {
    const files = timedBuildFiles()
    for (const [path, text] of files) {
      if (!/^(structures|strategies)[\\/]/.test(path)) continue
      const code = text
        .split('\n')
        .filter((line) => !line.trim().startsWith('//') && !line.trim().startsWith('*'))
        .join('\n')
      expect(code, path).not.toMatch(/\bcost\.\w+\s*(\+\+|\+=)/)
    }
    expect(files.size).toBeGreaterThan(50)
  })
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
