// Contracts of the structures layer: the intrusive links and the cost counters that every
// structure shares. Modelled on BSD sys/queue.h (TAILQ) and sys/tree.h (RB_*): an element
// carries its own link fields, so inserting it allocates nothing, and one element type can sit
// in a list and a tree at once (the FreeBSD records keep both links in a union; we keep both
// fields, set to null when unused).
//
// Keys are page numbers held in JS numbers. 2^52 pages (the whole 64-bit byte space divided
// by 4096) fit exactly in a double, so arithmetic on keys is exact; byte offsets appear only
// at the ioctl boundary (src/device/ioctl.ts) as bigint.

/** Link fields of a doubly linked tail queue (queue.h TAILQ_ENTRY). */
export interface ListLinks<T> {
  tqNext: T | null
  tqPrev: T | null
}

/** Red-black colours as small integers (no enum: erasableSyntaxOnly). */
export const RB_BLACK = 0
export const RB_RED = 1
export type RbColor = typeof RB_BLACK | typeof RB_RED

/**
 * Link fields of a red-black tree node (tree.h RB_ENTRY) plus the key the tree orders by.
 * The key is a page number (or page-based offset) chosen by the element's owner.
 */
export interface RbLinks<T> {
  rbLeft: T | null
  rbRight: T | null
  rbParent: T | null
  rbColor: RbColor
  rbKey: number
}

/**
 * Three-way key comparison: negative if a orders before b, 0 if equal, positive after.
 * The default is exact numeric order; FreeBSD's gntdev comparator (u64 byte difference
 * truncated to int) is a different `KeyCompare`, see src/strategies/quirks.ts.
 */
export type KeyCompare = (a: number, b: number) => number

/** Exact numeric order on page keys; subtraction is exact because keys are < 2^53. */
export const exactCompare: KeyCompare = (a, b) => a - b

/**
 * Deterministic work counters (issue 5): each structure increments these as it works, so a
 * timing verdict can be checked against a count that is identical on every run and machine.
 * A structure owns one instance (`cost`) and never replaces it; callers reset it with
 * `resetCost` between measured operations.
 *
 * Counting is for the untimed pass only: timed hosts load the timed build, the sources compiled
 * with the constant COUNTING false (counting.ts, src/runner/timed-build.ts), where the compiler
 * removes every update. So, here and in src/strategies, write each update on its own line behind
 * it — `if (COUNTING) this.cost.field++` (or `+= n`), `if (COUNTING && cond) …` — straight into
 * the fields: no local tally or alias, which would be left behind as dead code in the timed build.
 * A file that reads COUNTING imports counting.ts. test/runner/timed-build.test.ts checks all this.
 */
export interface CostCounters {
  /** Nodes (list elements, tree nodes, range nodes) read while searching or walking. */
  nodesVisited: number
  /** Key comparisons made (calls to the comparator, or inline key tests in lists/rangesets). */
  keyCompares: number
  /** Nodes a structure allocated itself (range nodes; intrusive structures allocate none). */
  nodesAllocated: number
  /** Nodes a structure released itself. */
  nodesFreed: number
  /** Tree rotations (red-black only). */
  rotations: number
}

export function newCostCounters(): CostCounters {
  return { nodesVisited: 0, keyCompares: 0, nodesAllocated: 0, nodesFreed: 0, rotations: 0 }
}

export function resetCost(cost: CostCounters): void {
  cost.nodesVisited = 0
  cost.keyCompares = 0
  cost.nodesAllocated = 0
  cost.nodesFreed = 0
  cost.rotations = 0
}

/** Thrown by `check()` when an invariant is broken: a bug in the structure, never user input. */
export class InvariantError extends Error {
  override name = 'InvariantError'
}

/**
 * Links of an augmented red-black tree node (tree.h RB_AUGMENT; Linux rb_subtree_gap): the
 * red-black links, a value the owner sets per node (`augValue`, e.g. the size of a free region
 * or the end of a mapped range) and the maximum of that value over the node's subtree
 * (`augMax`), which the tree keeps right through inserts, removes and rotations.
 */
export interface AugRbLinks<T> extends RbLinks<T> {
  augValue: number
  augMax: number
}
