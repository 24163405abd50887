// COUNTING: whether the structures and strategies count their work (CostCounters, types.ts).
// Every counter update in src/structures and src/strategies is one line behind it,
// `if (COUNTING) this.cost.keyCompares++` (or `if (COUNTING && cond) …`).
//
// Why a global and not an export: esbuild's `define` substitutes global identifiers only, and it
// substitutes them while parsing, so `if (false) …` is dead code there and then, removed with
// what it guards. The timed build (runner/timed-build.ts) defines COUNTING as false: its bundles
// hold no counter update, no test and no load of it. An exported constant would be inlined
// across modules only after the conditions were already rewritten (esbuild leaves `!1` where the
// `if` was), and replacing a module needs a plugin, which esbuild's synchronous API refuses.
//
// Where it is true: the build's CLI and public entry define it so (scripts/build.ts); the
// TypeScript sources (tsx, vitest) have no `define`, so this module makes it a read-only global
// the first time it is loaded. Every module that reads COUNTING imports this one for that
// (`import './counting.js'`; test/runner/timed-build.test.ts checks), and V8 treats a read-only
// global as a constant in optimized code. In a bundle with COUNTING defined the test below is
// constant and the statement goes.

declare global {
  /** False in the timed build (no counting), true everywhere else. */
  const COUNTING: boolean
}

if (typeof COUNTING === 'undefined') Object.defineProperty(globalThis, 'COUNTING', { value: true, writable: false, enumerable: false, configurable: false })

export {}
