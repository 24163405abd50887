// Strategies from outside the project: `--strategy ./path/to/module.js` (or .ts: from the sources
// the CLI runs under tsx, so TypeScript modules load as they are; from the build tsx is loaded for
// them if it is installed). A module exports either a StrategyEntry as
// `strategy` or a StrategyFactory as `createStrategy` (types.ts). Nothing from outside is trusted
// to be shaped right: the module is checked when it is loaded — every method of the allocator and
// both stores, and every field of quirks, limits and policy — so a mistake surfaces as one line
// naming the module and what is missing, not as a TypeError deep inside a benchmark.

import { readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { extname, isAbsolute, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type * as Esbuild from 'esbuild'
import { UsageError } from '../errors.js'
import { BUILD } from '../install-paths.js'
import { createStrategy, registerStrategy, strategyEntries, UnknownStrategyError } from './registry.js'
import { probeImport } from './import-probe.js'
import { importSettled, importStarted } from './pending-imports.js'
import { describeThrown, guardedFactory, moduleGuardOn, rawFactory, stackOf } from './strategy-fault.js'
import { durationText, limitFromEnv } from './time-limit.js'
import { describeValue, firstLine, isCleanName, isObject, strategyProblem, typeName } from './module-shape.js'
import type { Strategy, StrategyEntry, StrategyFactory, StrategyKind } from './types.js'

/** A loaded, validated outside strategy. */
export interface LoadedStrategy {
  /** What the user wrote, e.g. './examples/btree-strategy.ts' (used in messages). */
  readonly spec: string
  /** Absolute path of the module file. */
  readonly file: string
  readonly entry: StrategyEntry
  /** How a message names its factory: 'strategy.create' or 'createStrategy'. */
  readonly factoryCall: string
}

const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']

/**
 * True when a --strategy value names a module file rather than a registered strategy: a path
 * (starts with ./, ../ or /) or a name ending in a JS/TS extension. Registered names never do.
 */
export function isModuleSpec(spec: string): boolean {
  if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/') || spec.startsWith('file:')) return true
  if (/^[A-Za-z]:[\\/]/.test(spec) || spec.startsWith('.\\') || spec.startsWith('..\\')) return true
  return MODULE_EXTENSIONS.some((ext) => spec.endsWith(ext))
}

/**
 * True when an isolate that loads the module `spec` needs tsx's loader: from the sources every
 * module does (an outside module may import 'gntbench', which tsconfig's paths map to
 * src/index.ts), from the build only a TypeScript one.
 */
export function needsTsx(spec: string): boolean {
  return isModuleSpec(spec) && (BUILD === 'sources' || /\.[cm]?ts$/.test(spec))
}

/** The sources run under tsx already, and an isolate's host registers tsx for it (isolate-host.ts). */
let tsxRegistered = BUILD !== 'cli'

/** The build's CLI, a TypeScript module: register tsx's loader in this thread, if it is installed. */
async function registerTsx(spec: string): Promise<void> {
  if (tsxRegistered) return
  try {
    const api = await import('tsx/esm/api')
    api.register()
  } catch {
    throw new UsageError(`${spec}: a TypeScript strategy module needs tsx (npm install tsx), or give the compiled .js`)
  }
  tsxRegistered = true
}

/** Load and validate the module `spec` (relative to cwd). Every problem is a one-line UsageError. */
export async function loadStrategyModule(spec: string, cwd: string = process.cwd()): Promise<LoadedStrategy> {
  const file = spec.startsWith('file:') ? new URL(spec).pathname : isAbsolute(spec) ? spec : resolve(cwd, spec)
  try {
    const info = await stat(file)
    if (!info.isFile()) throw new UsageError(`${spec}: not a file`)
  } catch (error: unknown) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`${spec}: no such module file`)
  }
  if (needsTsx(spec)) await registerTsx(spec)
  const url = pathToFileURL(file).href
  // Top-level code that never ends is found in a worker first (import-probe.ts) — not in a timed
  // isolate, which has no guard and which its host stops whole past its own limit.
  if (moduleGuardOn()) await probeImport(url, spec, importTimeoutMs(), needsTsx(spec) ? import.meta.resolve('tsx/esm/api') : null)
  let namespace: unknown
  try {
    namespace = await importWithin(url, importTimeoutMs(), spec)
  } catch (error: unknown) {
    if (error instanceof UsageError) throw error
    throw new ModuleLoadError(loadFailure(spec, file, error), stackOf(error))
  }
  const entry = entryFromNamespace(spec, namespace)
  const exportsEntry = typeof namespace === 'object' && namespace !== null && (namespace as Record<string, unknown>)['strategy'] !== undefined
  return { spec, file, entry, factoryCall: exportsEntry ? 'strategy.create' : 'createStrategy' }
}

/**
 * How long an outside module may take to load (its top-level code and imports): 10 s, or
 * GNTBENCH_IMPORT_TIMEOUT_MS. A module whose import never settles (a top-level await on a
 * promise nothing resolves) would otherwise leave the command waiting forever, or exiting 0
 * with nothing done once the event loop runs dry.
 */
const DEFAULT_IMPORT_TIMEOUT_MS = 10_000

export function importTimeoutMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  return limitFromEnv('GNTBENCH_IMPORT_TIMEOUT_MS', DEFAULT_IMPORT_TIMEOUT_MS, env)
}

/** A module that could not be loaded: one line; `detail` is the stack, for --debug. */
class ModuleLoadError extends UsageError {
  override name = 'ModuleLoadError'
  readonly detail: string | null

  constructor(message: string, detail: string | null) {
    super(message)
    this.detail = detail
  }
}

async function importWithin(url: string, timeoutMs: number, spec: string): Promise<unknown> {
  importStarted()
  let timer: NodeJS.Timeout | undefined
  const imported = import(url).finally(importSettled)
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new UsageError(`${spec}: cannot load: its import did not finish within ${durationText(timeoutMs)} (a top-level await that never settles?)`))
    }, timeoutMs)
  })
  try {
    return await Promise.race([imported, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * One line for a module that failed to load: a syntax error at FILE:LINE:COL (esbuild, which tsx
 * uses, says where; a plain .js file is parsed again by esbuild to find out, since V8's
 * SyntaxError does not), or what its top-level code threw and where.
 */
export function loadFailure(spec: string, file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const name = error instanceof Error ? error.name : ''
  // Whatever loaded it (Node, tsx, a test runner's transform), a file esbuild cannot parse has a
  // syntax error, and esbuild says where.
  const found = syntaxErrorOf(file)
  if (found !== null) return `${spec}:${found.line}:${found.column}: cannot load: syntax error: ${found.text}`
  if (name === 'SyntaxError' || name === 'TransformError' || /^Transform failed/.test(message)) {
    // In a module it imports: tsx names that file (esbuild counts columns from 0, editors from 1).
    const located = /^(.*):(\d+):(\d+): ERROR: (.*)$/m.exec(message)
    if (located !== null) return `${spec}: cannot load: ${located[1]}:${located[2]}:${Number(located[3]) + 1}: syntax error: ${located[4]}`
    return `${spec}: cannot load: ${describeThrown(error)}`
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error).code : undefined
  if (typeof code === 'string' && code.startsWith('ERR_')) return `${spec}: cannot load: ${firstLine(error)}`
  const where = frameIn(stackOf(error), file)
  return `${spec}${where === null ? '' : `:${where}`}: cannot load: its top-level code threw ${describeThrown(error)}`
}

/** Where esbuild finds the first syntax error of `file`, or null. */
function syntaxErrorOf(file: string): { line: number; column: number; text: string } | null {
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  const ext = extname(file)
  const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : 'js'
  // Loaded only here, on a module that failed to load (never in a timed isolate's bundle).
  const { transformSync } = createRequire(import.meta.url)('esbuild') as typeof Esbuild
  try {
    transformSync(source, { loader, format: ext === '.cjs' || ext === '.cts' ? 'cjs' : 'esm', sourcefile: file, logLevel: 'silent' })
  } catch (error: unknown) {
    const first = (error as { errors?: { text: string; location: { line: number; column: number } | null }[] }).errors?.[0]
    if (first?.location) return { line: first.location.line, column: first.location.column + 1, text: first.text }
  }
  return null
}

/** 'LINE:COL' of the first stack frame inside `file`, or null. */
function frameIn(stack: string | null, file: string): string | null {
  if (stack === null) return null
  for (const match of stack.matchAll(/\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm)) {
    const path = match[1] as string
    const local = path.startsWith('file:') ? fileURLToPath(path) : path
    if (local === file) return `${match[2]}:${match[3]}`
  }
  return null
}

/**
 * The StrategyEntry a module namespace provides, validated. Exported for tests, which build
 * namespaces in memory to check each error message.
 */
export function entryFromNamespace(spec: string, namespace: unknown): StrategyEntry {
  const fail = (what: string): never => {
    throw new UsageError(`${spec}: ${what}`)
  }
  if (!isObject(namespace)) return fail('is not a module')
  const exported = namespace['strategy']
  const factory = namespace['createStrategy']
  if (exported !== undefined) {
    if (!isObject(exported)) return fail(`export 'strategy' must be an object { name, kind, summary, follows, create }, got ${typeName(exported)}`)
    const name = exported['name']
    if (typeof name !== 'string' || !isCleanName(name)) {
      return fail(`strategy.name must be lower-case letters, digits, '.', '_' or '-' (e.g. 'btree'), got ${describeValue(name)}`)
    }
    const kind = exported['kind']
    if (kind !== 'strategy' && kind !== 'allocator' && kind !== 'preset') {
      return fail(`strategy.kind must be 'strategy', 'allocator' or 'preset', got ${describeValue(kind)}`)
    }
    const summary = exported['summary']
    if (typeof summary !== 'string') return fail(`strategy.summary must be a string, got ${typeName(summary)}`)
    const follows = exported['follows']
    if (typeof follows !== 'string') return fail(`strategy.follows must be a string ('' if no kernel code), got ${typeName(follows)}`)
    const create = exported['create']
    if (typeof create !== 'function') return fail(`strategy.create must be a function (a StrategyFactory), got ${typeName(create)}`)
    const checked = checkedFactory(spec, 'strategy.create()', create as StrategyFactory)
    return { name, kind: kind satisfies StrategyKind, summary, follows, create: checked }
  }
  if (factory !== undefined) {
    if (typeof factory !== 'function') return fail(`export 'createStrategy' must be a function (a StrategyFactory), got ${typeName(factory)}`)
    const checked = checkedFactory(spec, 'createStrategy()', factory as StrategyFactory)
    const name = checked().name
    if (!isCleanName(name)) return fail(`createStrategy() returned a strategy named ${describeValue(name)}; a name must be lower-case letters, digits, '.', '_' or '-'`)
    return { name, kind: 'strategy', summary: `outside module ${spec}`, follows: '', create: checked }
  }
  const names = Object.keys(namespace).sort()
  return fail(
    `exports neither 'strategy' (a StrategyEntry) nor 'createStrategy' (a StrategyFactory); found ${names.length === 0 ? 'no exports' : names.map((n) => `'${n}'`).join(', ')}`,
  )
}

/**
 * Validate what `factory` makes (with and without options, and that two calls make fresh
 * bookkeeping), then return it. Validation runs once, at load: the factory is on the open()
 * path of every benchmark replicate and must not pay for it there.
 */
function checkedFactory(spec: string, call: string, factory: StrategyFactory): StrategyFactory {
  const make = (options: Parameters<StrategyFactory>[0]): Strategy => {
    let made: unknown
    try {
      made = options === undefined ? factory() : factory(options)
    } catch (error: unknown) {
      throw new UsageError(`${spec}: ${call} threw: ${firstLine(error)}`)
    }
    const problem = strategyProblem(made)
    if (problem !== null) throw new UsageError(`${spec}: ${call} returned ${problem}`)
    return made as Strategy
  }
  const first = make(undefined)
  const second = make({})
  for (const part of ['allocator', 'grefStore', 'gmapStore'] as const) {
    if (first[part] === second[part]) {
      throw new UsageError(`${spec}: ${call} returned the same ${part} object twice; each call must make fresh bookkeeping (one per open file)`)
    }
  }
  return factory
}

/** A --strategy value made ready to open files: a registered spec, or a loaded module. */
export interface ResolvedStrategy {
  /** What the user wrote. */
  readonly spec: string
  /** The registry name (a module's strategy.name once registered), used in reports. */
  readonly name: string
  readonly create: StrategyFactory
  /** The module it came from, or null for a built-in or already registered spec. */
  readonly module: LoadedStrategy | null
}

/**
 * Resolve one --strategy value. A registry spec (`rbtree`, `list+bump`, `freebsd:exact-compare`)
 * is checked by building it once; a module path is loaded, validated and registered under its
 * strategy.name, so later code (and `createStrategy(name)`) can use it like a built-in.
 */
export async function resolveStrategySpec(spec: string, cwd: string = process.cwd(), context = '--strategy'): Promise<ResolvedStrategy> {
  if (!isModuleSpec(spec)) {
    try {
      createStrategy(spec)
    } catch (error: unknown) {
      if (error instanceof UnknownStrategyError) throw new UsageError(`${context}: ${error.message}`)
      throw error
    }
    return { spec, name: spec, create: (options) => createStrategy(spec, options), module: null }
  }
  const loaded = await loadStrategyModule(spec, cwd)
  const { entry } = loaded
  // Registered behind the fault guard (strategy-fault.ts): a throw or a NaN is named, not a stack.
  const create = guardedFactory(spec, loaded.factoryCall, entry.create)
  const taken = strategyEntries().find((other) => other.name === entry.name && (other.kind === 'allocator') === (entry.kind === 'allocator'))
  if (taken === undefined) registerStrategy({ ...entry, create })
  else if (rawFactory(taken.create) !== entry.create) {
    throw new UsageError(`${spec}: strategy name '${entry.name}' is already registered (${taken.summary}); give the module's strategy another name`)
  }
  return { spec, name: entry.name, create, module: loaded }
}

/** Resolve a comma-separated list (and repeated --strategy options) in order; names must be unique. */
export async function resolveStrategyList(values: readonly string[], cwd: string = process.cwd()): Promise<ResolvedStrategy[]> {
  const resolved: ResolvedStrategy[] = []
  for (const value of values) {
    for (const spec of value.split(',')) {
      if (spec === '') throw new UsageError(`--strategy: empty name in '${value}'`)
      const strategy = await resolveStrategySpec(spec, cwd)
      if (resolved.some((other) => other.name === strategy.name)) throw new UsageError(`--strategy: '${strategy.name}' is named twice`)
      resolved.push(strategy)
    }
  }
  return resolved
}
