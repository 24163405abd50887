// The layers of src/ read one way (docs/architecture.md). Every import of every file in src/ —
// static, type-only, re-export and dynamic import() with a literal path — is parsed with the
// TypeScript compiler, mapped to the folder (or top-level leaf file) it comes from and goes to,
// and checked against the intended order below; the folder graph must also have no cycle.

import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const SRC = resolve('src')

/** Top-level files anyone may import; they import nothing from src/. */
const LEAVES = ['abi', 'errno', 'errors', 'exit-hooks', 'install-paths'] as const

/**
 * Per folder, the folders it may import besides the leaves (and itself). Read bottom-up:
 * structures ← strategies ← device ← workloads ← verify ← runner ← cli; stats is a leaf folder;
 * results (file schemas, validation, the writer) sits on stats and on the types of what a sweep
 * file stores (the structures' cost counters, the strategies' memory estimate), below runner and
 * report; report reads results and stats only; native (the
 * C engine) sits beside runner: it drives workloads on the device's strategies and runner uses it.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  stats: [],
  structures: [],
  strategies: ['structures'],
  device: ['strategies', 'structures'],
  workloads: ['device', 'strategies', 'structures'],
  verify: ['workloads', 'device', 'strategies', 'structures'],
  results: ['stats', 'strategies', 'structures'],
  report: ['results', 'stats'],
  native: ['workloads', 'device', 'strategies', 'structures'],
  runner: ['native', 'verify', 'results', 'workloads', 'device', 'strategies', 'structures', 'stats'],
  // The public entry (`import … from 'gntbench'`): re-exports the contracts an outside strategy needs.
  index: ['strategies', 'structures'],
  cli: ['runner', 'native', 'verify', 'report', 'results', 'workloads', 'device', 'strategies', 'structures', 'stats'],
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** The unit a file of src/ belongs to: its top folder, or for a top-level file its name. */
function unitOf(file: string): string {
  const [first = '', second] = relative(SRC, file).split(/[\\/]/)
  return second === undefined ? first.replace(/\.ts$/, '') : first
}

/** Every module specifier a file imports, re-exports or import()s with a literal. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument !== undefined && ts.isStringLiteralLike(argument)) found.push(argument.text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

interface Edge {
  readonly from: string
  readonly to: string
  readonly file: string
  readonly target: string
}

/** The imports between different units of src/. */
function edges(): Edge[] {
  const out: Edge[] = []
  for (const file of sourceFiles(SRC)) {
    for (const spec of specifiers(file)) {
      if (!spec.startsWith('.')) continue
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts')
      const from = unitOf(file)
      const to = unitOf(target)
      if (from !== to) out.push({ from, to, file: relative('.', file), target: relative('.', target) })
    }
  }
  return out
}

/** A cycle in the unit graph, as a path, or null. */
function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node]
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next)
      if (cycle !== null) return cycle
    }
    stack.pop()
    state.set(node, 'done')
    return null
  }
  for (const node of graph.keys()) {
    const cycle = visit(node)
    if (cycle !== null) return cycle
  }
  return null
}

describe('the import graph of src/', () => {
  const all = edges()
  const units = new Set(sourceFiles(SRC).map(unitOf))

  it('has only the known folders and leaf files', () => {
    const known = new Set<string>([...Object.keys(ALLOWED), ...LEAVES])
    expect([...units].filter((unit) => !known.has(unit))).toEqual([])
  })

  it('imports only downward: each folder the folders below it and the leaves', () => {
    const leaves = new Set<string>(LEAVES)
    const wrong = all
      .filter((e) => (leaves.has(e.from) ? true : !leaves.has(e.to) && !(ALLOWED[e.from] ?? []).includes(e.to)))
      .map((e) => `${e.file} → ${e.target} (${e.from} may not import ${e.to})`)
    expect(wrong).toEqual([])
  })

  it('has no cycle between folders, and the intended order has none either', () => {
    const actual = new Map<string, Set<string>>()
    for (const e of all) actual.set(e.from, (actual.get(e.from) ?? new Set()).add(e.to))
    expect(findCycle(actual)).toBeNull()
    const intended = new Map(Object.entries(ALLOWED).map(([unit, below]) => [unit, new Set(below)]))
    expect(findCycle(intended)).toBeNull()
  })

  it('is the order docs/architecture.md describes (every folder and leaf named there)', () => {
    const doc = readFileSync('docs/architecture.md', 'utf8')
    const missing = [...Object.keys(ALLOWED), ...LEAVES].filter((unit) => !doc.includes(`\`${unit}`))
    expect(missing).toEqual([])
  })
})
