// Shared fixtures for the structure tests: minimal intrusive element types, oracles and a
// comparator that reproduces the kind of inconsistency FreeBSD's truncating comparator has.

import { RbTree } from '../../src/structures/rb-tree.js'
import type { KeyCompare, ListLinks, RbColor, RbLinks } from '../../src/structures/types.js'
import { RB_BLACK } from '../../src/structures/types.js'

export class ListItem implements ListLinks<ListItem> {
  readonly id: number
  tqNext: ListItem | null
  tqPrev: ListItem | null

  constructor(id: number) {
    this.id = id
    this.tqNext = null
    this.tqPrev = null
  }
}

export class TreeItem implements RbLinks<TreeItem> {
  rbLeft: TreeItem | null
  rbRight: TreeItem | null
  rbParent: TreeItem | null
  rbColor: RbColor
  rbKey: number

  constructor(key: number) {
    this.rbLeft = null
    this.rbRight = null
    this.rbParent = null
    this.rbColor = RB_BLACK
    this.rbKey = key
  }
}

/** Keys of the tree in order, via min()/next() (so it also exercises next). */
export function inOrderKeys(tree: RbTree<TreeItem>): number[] {
  const out: number[] = []
  for (let x = tree.min(); x !== null; x = tree.next(x)) out.push(x.rbKey)
  return out
}

/** Elements of the tree in order, via min()/next(). */
export function inOrderItems(tree: RbTree<TreeItem>): TreeItem[] {
  const out: TreeItem[] = []
  for (let x = tree.min(); x !== null; x = tree.next(x)) {
    out.push(x)
    // A walk longer than size means next() looped; fail instead of hanging the suite.
    if (out.length > tree.size) throw new Error('inOrderItems: walk longer than size')
  }
  return out
}

/** Elements of the tree in reverse order, via max()/prev(). */
export function reverseOrderItems(tree: RbTree<TreeItem>): TreeItem[] {
  const out: TreeItem[] = []
  for (let x = tree.max(); x !== null; x = tree.prev(x)) {
    out.push(x)
    if (out.length > tree.size) throw new Error('reverseOrderItems: walk longer than size')
  }
  return out
}

const WINDOW = 2 ** 20

/**
 * A comparator in the spirit of FreeBSD's gntdev (u64 difference truncated to int): it looks at
 * the difference modulo 2^20 only, so it is circular, non-transitive across more than 2^19 and
 * calls keys that differ by a multiple of 2^20 equal.
 */
export const truncatingCompare: KeyCompare = (a, b) => {
  const d = (((a - b) % WINDOW) + WINDOW) % WINDOW
  return d === 0 ? 0 : d < WINDOW / 2 ? 1 : -1
}

/** Index of the first element of a sorted array that is >= key (binary search). */
export function lowerBound(sorted: readonly number[], key: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** mulberry32: a tiny seeded generator for tests that need a stream rather than a fast-check value. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
