// A radix tree keyed by page index, after Linux's XArray (Documentation/core-api/xarray.rst,
// the radix tree it wraps): how Linux indexes per-page objects such as the page cache. Each node
// has 64 slots and covers 6 bits of the index; a slot holds an entry (in a leaf, shift 0) or a
// child node. The tree is only as tall as the largest index needs: storing an index beyond the
// root's reach pushes new roots on top (the old root becomes slot 0), and erasing shrinks the
// tree again while the root holds nothing but slot 0 (xas_shrink). Empty nodes are freed on
// the way up. Lookup is one slot read per level: O(height) = O(log64 max index), at most 9
// levels for the 2^52-page offset space, independent of how many entries are stored.
//
// Indices are JS numbers up to 2^53: the chunk of a level is floor(index / 64^level) mod 64,
// which floating-point division by a power of two computes exactly.
//
// Entries are any non-null object; the tree holds a reference per index (no intrusive links).
//
// Invariants (check()):
//   1. A node at level L has shift 6·L; its children have shift 6·(L − 1); leaves have shift 0.
//   2. child.parent === node and child.offset is its slot; the root has no parent.
//   3. node.count equals the number of non-null slots, and is >= 1 for every node (no empty node
//      stays linked; an empty tree has a null root).
//   4. The root is minimal: a root with shift > 0 uses some slot other than 0.
//   5. size equals the number of entries reachable; each entry sits at the index its path spells
//      (when check() is given the caller's key function).
//
// Cost accounting: nodesVisited per node read on a descent or walk, keyCompares per slot
// tested for an entry, nodesAllocated / nodesFreed per node made or dropped.

import './counting.js'
import type { CostCounters } from './types.js'
import { InvariantError, newCostCounters } from './types.js'

const XA_CHUNK_SHIFT = 6
export const XA_CHUNK_SIZE = 64
const XA_CHUNK_MASK = 63

/** 64^level as exact doubles: the divisor that brings a level's chunk to the bottom bits. */
const LEVEL_SCALE: readonly number[] = Array.from({ length: 10 }, (_, level) => 2 ** (XA_CHUNK_SHIFT * level))

/** One radix node (struct xa_node): 64 slots, a level (shift / 6) and the link to its parent. */
export class XaNode<E extends object> {
  /** 0 for a leaf (slots hold entries), L for a node whose slots hold level L − 1 nodes. */
  level: number
  /** Slot of this node in its parent. */
  offset: number
  count: number
  parent: XaNode<E> | null
  readonly slots: (XaNode<E> | E | null)[]

  constructor(level: number, parent: XaNode<E> | null, offset: number) {
    this.level = level
    this.offset = offset
    this.count = 0
    this.parent = parent
    this.slots = new Array<XaNode<E> | E | null>(XA_CHUNK_SIZE).fill(null)
  }
}

/** The chunk of `index` at `level`. */
function chunkOf(index: number, level: number): number {
  return Math.floor(index / (LEVEL_SCALE[level] as number)) & XA_CHUNK_MASK
}

export class XArray<E extends object> {
  readonly cost: CostCounters
  private root: XaNode<E> | null
  private count: number
  /** Dropped nodes kept for reuse (linked through parent), so churn allocates little. */
  private spare: XaNode<E> | null

  constructor() {
    this.cost = newCostCounters()
    this.root = null
    this.count = 0
    this.spare = null
  }

  /** Entries stored. O(1). */
  get size(): number {
    return this.count
  }

  /** Nodes linked (for the memory model). O(nodes). */
  nodeCount(): number {
    let n = 0
    const stack: XaNode<E>[] = []
    if (this.root !== null) stack.push(this.root)
    while (stack.length > 0) {
      const node = stack.pop() as XaNode<E>
      n++
      if (node.level === 0) continue
      for (const slot of node.slots) if (slot !== null) stack.push(slot as XaNode<E>)
    }
    return n
  }

  /** Height of the tree in nodes (0 when empty). */
  height(): number {
    return this.root === null ? 0 : this.root.level + 1
  }

  /** xa_load: the entry at index, or null. O(height). */
  load(index: number): E | null {
    const leaf = this.leafOf(index)
    if (leaf === null) return null
    if (COUNTING) this.cost.keyCompares++
    return leaf.slots[index & XA_CHUNK_MASK] as E | null
  }

  /**
   * The leaf node that covers index, or null if none exists. O(height). Callers may then read
   * consecutive indices from leaf.slots without descending again.
   */
  leafOf(index: number): XaNode<E> | null {
    let node = this.root
    if (node === null || !(index >= 0) || index >= (LEVEL_SCALE[node.level + 1] as number)) return null
    if (COUNTING) this.cost.nodesVisited++
    while (node.level > 0) {
      const child: XaNode<E> | E | null = node.slots[chunkOf(index, node.level)] as XaNode<E> | E | null
      if (child === null) {
        return null
      }
      node = child as XaNode<E>
      if (COUNTING) this.cost.nodesVisited++
    }
    return node
  }

  /**
   * xa_insert: store entry at index unless an entry is there; returns the existing entry (and
   * stores nothing) or null on success. O(height), plus growth when index is beyond the root.
   */
  insert(index: number, entry: E): E | null {
    const leaf = this.createLeaf(index)
    const slot = index & XA_CHUNK_MASK
    const existing = leaf.slots[slot] as E | null
    if (COUNTING) this.cost.keyCompares++
    if (existing !== null) return existing
    leaf.slots[slot] = entry
    leaf.count++
    this.count++
    return null
  }

  /**
   * xa_erase: remove and return the entry at index (null if none); empty nodes are freed
   * upwards and the tree shrinks while its root uses only slot 0. O(height).
   */
  erase(index: number): E | null {
    const leaf = this.leafOf(index)
    if (leaf === null) return null
    return this.eraseInLeaf(leaf, index & XA_CHUNK_MASK)
  }

  /** Erase slot `slot` of `leaf` (from leafOf); returns the entry that was there. O(height). */
  eraseInLeaf(leaf: XaNode<E>, slot: number): E | null {
    const entry = leaf.slots[slot] as E | null
    if (COUNTING) this.cost.keyCompares++
    if (entry === null) return null
    leaf.slots[slot] = null
    leaf.count--
    this.count--
    let node: XaNode<E> = leaf
    while (node.count === 0) {
      const parent = node.parent
      this.recycle(node)
      if (parent === null) {
        this.root = null
        return entry
      }
      parent.slots[node.offset] = null
      parent.count--
      node = parent
    }
    this.shrink()
    return entry
  }

  /** Call fn(index, entry) for every entry in ascending index order. O(entries + nodes). */
  forEach(fn: (index: number, entry: E) => void): void {
    const root = this.root
    if (root === null) return
    this.walk(root, 0, fn)
  }

  /** Drop every entry and node at once (close). O(nodes) for the count, O(1) for the unlink. */
  clear(): void {
    if (COUNTING) this.cost.nodesFreed += this.nodeCount()
    this.root = null
    this.count = 0
  }

  /**
   * Verify invariants 1–4 and the entry count; `keyOf` (optional) must return the index each
   * entry belongs at, which is compared with the index its path spells. O(nodes · 64), tests only.
   */
  check(keyOf?: (entry: E) => number): void {
    const root = this.root
    if (root === null) {
      if (this.count !== 0) throw new InvariantError(`XArray size: empty tree but size is ${this.count}`)
      return
    }
    if (root.parent !== null) throw new InvariantError('XArray root: has a parent')
    if (root.level > 0) {
      let other = false
      for (let i = 1; i < XA_CHUNK_SIZE; i++) if (root.slots[i] !== null) other = true
      if (!other) throw new InvariantError(`XArray shrink: root at level ${root.level} uses only slot 0`)
    }
    let entries = 0
    const stack: XaNode<E>[] = [root]
    const bases: number[] = [0]
    while (stack.length > 0) {
      const node = stack.pop() as XaNode<E>
      const base = bases.pop() as number
      let used = 0
      for (let i = 0; i < XA_CHUNK_SIZE; i++) {
        const slot = node.slots[i]
        if (slot === null || slot === undefined) continue
        used++
        const index = base + i * (LEVEL_SCALE[node.level] as number)
        if (node.level === 0) {
          entries++
          if (keyOf !== undefined && keyOf(slot as E) !== index) {
            throw new InvariantError(`XArray keys: entry with key ${keyOf(slot as E)} stored at index ${index}`)
          }
          continue
        }
        if (!(slot instanceof XaNode)) throw new InvariantError(`XArray levels: entry in a level-${node.level} node at index ${index}`)
        const child = slot
        if (child.level !== node.level - 1) throw new InvariantError(`XArray levels: level-${child.level} child under level ${node.level}`)
        if (child.parent !== node || child.offset !== i) throw new InvariantError(`XArray links: child at slot ${i} of a level-${node.level} node does not point back`)
        stack.push(child)
        bases.push(index)
      }
      if (used !== node.count) throw new InvariantError(`XArray count: node at level ${node.level} counts ${node.count}, holds ${used}`)
      if (used === 0) throw new InvariantError(`XArray empty node at level ${node.level} left linked`)
    }
    if (entries !== this.count) throw new InvariantError(`XArray size: ${entries} entries reachable, size ${this.count}`)
  }

  private walk(node: XaNode<E>, base: number, fn: (index: number, entry: E) => void): void {
    if (COUNTING) this.cost.nodesVisited++
    const scale = LEVEL_SCALE[node.level] as number
    for (let i = 0; i < XA_CHUNK_SIZE; i++) {
      const slot = node.slots[i]
      if (slot === null || slot === undefined) continue
      if (node.level === 0) fn(base + i, slot as E)
      else this.walk(slot as XaNode<E>, base + i * scale, fn)
    }
  }

  /** The leaf covering index, growing the tree upwards and creating nodes downwards as needed. */
  private createLeaf(index: number): XaNode<E> {
    if (!(index >= 0) || !Number.isInteger(index) || index >= 2 ** 53) throw new RangeError(`XArray: index ${index} out of range`)
    let root = this.root
    if (root === null) {
      // Start as tall as this index needs, as xa_store sizes the first node.
      let level = 0
      while (index >= (LEVEL_SCALE[level + 1] as number)) level++
      root = this.newNode(level, null, 0)
      this.root = root
    }
    while (index >= (LEVEL_SCALE[root.level + 1] as number)) {
      // xas_expand: the old root becomes slot 0 of a taller one.
      const top = this.newNode(root.level + 1, null, 0)
      top.slots[0] = root
      top.count = 1
      root.parent = top
      root.offset = 0
      this.root = top
      root = top
    }
    let node = root
    if (COUNTING) this.cost.nodesVisited++
    while (node.level > 0) {
      const chunk = chunkOf(index, node.level)
      let child = node.slots[chunk] as XaNode<E> | null
      if (child === null) {
        child = this.newNode(node.level - 1, node, chunk)
        node.slots[chunk] = child
        node.count++
      }
      node = child
      if (COUNTING) this.cost.nodesVisited++
    }
    return node
  }

  /** xas_shrink: while the root is an inner node using only slot 0, its child becomes the root. */
  private shrink(): void {
    let root = this.root
    while (root !== null && root.level > 0 && root.count === 1 && root.slots[0] !== null) {
      const child = root.slots[0] as XaNode<E>
      root.slots[0] = null
      root.count = 0
      this.recycle(root)
      child.parent = null
      child.offset = 0
      this.root = child
      root = child
    }
  }

  private newNode(level: number, parent: XaNode<E> | null, offset: number): XaNode<E> {
    if (COUNTING) this.cost.nodesAllocated++
    const node = this.spare
    if (node === null) return new XaNode<E>(level, parent, offset)
    this.spare = node.parent
    node.level = level
    node.parent = parent
    node.offset = offset
    node.count = 0
    return node
  }

  /** The node must be empty (all slots null). */
  private recycle(node: XaNode<E>): void {
    if (COUNTING) this.cost.nodesFreed++
    node.parent = this.spare
    this.spare = node
  }
}
