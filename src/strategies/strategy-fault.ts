// Faults of outside strategy modules (`--strategy ./mine.js`), named where they happen. A method
// of an outside allocator or store that throws, or returns what no kernel structure could (NaN,
// a fraction, a string where a page number belongs), is a StrategyFault: one line naming the
// module, the method and the error — `./mine.js: allocator.alloc() threw TypeError: x` — never a
// stack trace (the stack travels in `detail`, printed only with --debug).
//
// Where. The untimed passes — run's verification pass, `check`'s conformance suite, `replay`'s
// differential pass — see an outside strategy through a guard (guardStrategy): a Proxy over the
// allocator and both stores whose methods catch and check. The timed isolates must not: a wrapper
// around every call would be timed with the module and make it slower than the built-ins it is
// compared with. There the guard is off (setModuleGuard(false) in the isolate entries) and a throw
// is diagnosed after the fact, by replaying the cell untimed through the guard
// (runner/fault-diagnosis.ts). The built-in strategies are never guarded.
//
// check() is not guarded: a check() that throws is an invariant the module reports about itself,
// which the conformance suite already names as such. Every call through the guard, check() too,
// is noted while it runs, so that a method that never returns can be named (time-limit.ts).

/** An outside module's method threw, or returned a value of the wrong kind. */
export class StrategyFault extends Error {
  override name = 'StrategyFault'
  /** The module as the user named it (e.g. './mine.js'). */
  readonly module: string
  /** e.g. 'allocator.alloc', 'gmapStore.size', 'createStrategy'; '' when not known. */
  readonly method: string
  /** 'threw TypeError: x' or 'returned NaN (expected …)'. */
  readonly problem: string
  /** The underlying error's stack, for --debug (null when the method returned a bad value). */
  readonly detail: string | null

  constructor(module: string, method: string, problem: string, detail: string | null) {
    super(method === '' ? `${module}: ${problem}` : `${module}: ${method}${method.endsWith('.size') ? '' : '()'} ${problem}`)
    this.module = module
    this.method = method
    this.problem = problem
    this.detail = detail
  }

  /** The message without the module, for lines that already name it. */
  get withoutModule(): string {
    return this.message.slice(this.module.length + 2)
  }
}

/** 'TypeError: message' (its first line), for any thrown value. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${firstLine(error.message)}`
  if (typeof error === 'string') return `the string '${firstLine(error).slice(0, 60)}'`
  return `${describeValue(error)} (not an Error)`
}

export function stackOf(error: unknown): string | null {
  return error instanceof Error && typeof error.stack === 'string' ? error.stack : null
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

/** A value as a message shows it: NaN, 1.5, 'text', undefined, an object, … */
function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined || value === null) return String(value)
  if (typeof value === 'string') return `the string '${value.slice(0, 40)}'`
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'function' ? 'a function' : typeof value === 'object' ? 'an object' : typeof value
}

/** Checks a method's return value: null when it is fine, else what was expected. */
type ReturnCheck = (value: unknown) => string | null

const integer: ReturnCheck = (v) => (typeof v === 'number' && Number.isInteger(v) ? null : 'an integer: a page number ≥ 0 or a negative errno')
const count: ReturnCheck = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : 'an integer ≥ 0')
const boolean: ReturnCheck = (v) => (typeof v === 'boolean' ? null : 'true or false')
const recordOrNull: ReturnCheck = (v) => (v === null || (typeof v === 'object' && !Array.isArray(v)) ? null : 'a record object or null')
const nothing: ReturnCheck = () => null
const stats: ReturnCheck = (v) => {
  if (typeof v !== 'object' || v === null) return 'an AllocatorStats object'
  const s = v as Record<string, unknown>
  for (const field of ['livePages', 'nodes', 'spanPages', 'leakedPages']) {
    const n = s[field]
    if (typeof n !== 'number' || !Number.isFinite(n)) return `an AllocatorStats object with a finite ${field} (got ${describeValue(n)})`
  }
  return null
}

const PART_CHECKS: Readonly<Record<'allocator' | 'grefStore' | 'gmapStore', Readonly<Record<string, ReturnCheck>>>> = {
  allocator: { alloc: integer, free: nothing, stats },
  grefStore: { insertRun: count, findRun: boolean, removeRun: boolean, findPage: recordOrNull, drain: nothing },
  gmapStore: { insert: recordOrNull, findExact: recordOrNull, findContaining: recordOrNull, remove: nothing, drain: nothing },
}

type PartName = keyof typeof PART_CHECKS

const PARTS = Object.keys(PART_CHECKS) as PartName[]

type AnyFunction = (...args: unknown[]) => unknown

// The module method running now, for time-limit.ts: a method that never returns is named by the
// note its guard left (a stopped execution skips the finally that would restore the outer one).
let callModule: string | null = null
let callMethod = ''

/** The call noted last, and forget it: what was running when a time limit stopped the thread. */
export function takeRunningCall(): { module: string; method: string } | null {
  const call = callModule === null ? null : { module: callModule, method: callMethod }
  callModule = null
  callMethod = ''
  return call
}

/** `call()` with `module`'s `method` noted while it runs. */
function noted<T>(module: string, method: string, call: () => T): T {
  const outerModule = callModule
  const outerMethod = callMethod
  callModule = module
  callMethod = method
  try {
    return call()
  } finally {
    callModule = outerModule
    callMethod = outerMethod
  }
}

function notedMethod(module: string, method: string, raw: AnyFunction, object: object): AnyFunction {
  return (...args) => noted(module, method, () => raw.apply(object, args))
}

/** A method that throws or returns what `check` refuses is a StrategyFault naming it. */
function guardedMethod(module: string, method: string, raw: AnyFunction, object: object, check: ReturnCheck): AnyFunction {
  return (...args) => {
    let result: unknown
    try {
      result = noted(module, method, () => raw.apply(object, args))
    } catch (error) {
      throw new StrategyFault(module, method, `threw ${describeThrown(error)}`, stackOf(error))
    }
    const problem = check(result)
    if (problem !== null) throw new StrategyFault(module, method, `returned ${describeValue(result)} (expected ${problem})`, null)
    return result
  }
}

function guardPart(module: string, part: PartName, target: object): object {
  const checks = PART_CHECKS[part]
  const wrapped = new Map<string, { raw: AnyFunction; guarded: AnyFunction }>()
  return new Proxy(target, {
    get(object, key) {
      if (typeof key !== 'string') return Reflect.get(object, key, object) as unknown
      if (key === 'size') {
        let size: unknown
        try {
          size = noted(module, `${part}.size`, () => Reflect.get(object, key, object) as unknown)
        } catch (error) {
          throw new StrategyFault(module, `${part}.size`, `threw ${describeThrown(error)}`, stackOf(error))
        }
        const problem = count(size)
        if (problem !== null) throw new StrategyFault(module, `${part}.size`, `is ${describeValue(size)} (expected ${problem})`, null)
        return size
      }
      const value = Reflect.get(object, key, object) as unknown
      const check = checks[key]
      if (typeof value !== 'function' || (check === undefined && key !== 'check')) return value
      const raw = value as AnyFunction
      const known = wrapped.get(key)
      if (known !== undefined && known.raw === raw) return known.guarded
      // check() is only noted (see the top of this file: what it throws is its own report).
      const guarded = check === undefined ? notedMethod(module, `${part}.${key}`, raw, object) : guardedMethod(module, `${part}.${key}`, raw, object, check)
      wrapped.set(key, { raw, guarded })
      return guarded
    },
  })
}

/** `strategy` with its allocator and stores behind the guard (see the top of this file). */
export function guardStrategy<S extends object>(module: string, strategy: S): S {
  const guards = new Map<PartName, { raw: unknown; guarded: object }>()
  return new Proxy(strategy, {
    get(object, key) {
      const value = Reflect.get(object, key, object) as unknown
      if (typeof key !== 'string' || !(PARTS as string[]).includes(key) || typeof value !== 'object' || value === null) return value
      const part = key as PartName
      const known = guards.get(part)
      if (known !== undefined && known.raw === value) return known.guarded
      const guarded = guardPart(module, part, value)
      guards.set(part, { raw: value, guarded })
      return guarded
    },
  })
}

/** Whether outside strategies are made behind the guard in this thread (off in timed isolates). */
let guardOn = true

export function setModuleGuard(on: boolean): void {
  guardOn = on
}

/** Whether outside code is watched in this thread (the guard, and load-module.ts's import probe). */
export function moduleGuardOn(): boolean {
  return guardOn
}

const rawFactories = new WeakMap<object, object>()
const wrapperOf = new WeakMap<object, object>()

/**
 * A module's factory as the registry holds it: a throw is a StrategyFault naming `call`, and
 * what it makes is guarded while the guard is on. The same factory gives the same wrapper, so
 * loading a module twice registers one thing.
 */
export function guardedFactory<F extends (options?: never) => object>(module: string, call: string, factory: F): F {
  const known = wrapperOf.get(factory)
  if (known !== undefined) return known as F
  const wrapper = ((options?: never) => {
    let made: object
    try {
      made = noted(module, call, () => factory(options))
    } catch (error) {
      throw new StrategyFault(module, call, `threw ${describeThrown(error)}`, stackOf(error))
    }
    return guardOn ? guardStrategy(module, made) : made
  }) as F
  wrapperOf.set(factory, wrapper)
  rawFactories.set(wrapper, factory)
  return wrapper
}

/** The module's own factory behind a guardedFactory wrapper (itself for anything else). */
export function rawFactory(factory: object): object {
  return rawFactories.get(factory) ?? factory
}
