// A B-tree of non-overlapping ranges with gap tracking, after the maple tree that replaced the
// VMA red-black tree in Linux 6.1 (Documentation/core-api/maple_tree.rst; mtree_alloc_range,
// mas_empty_area): fixed fan-out nodes holding pivots, and in every node the largest free gap
// below it, so "the lowest free gap of at least k pages" is one descent. Written from the
// published description; the layout is a plain B+ tree rather than the maple tree's encoded
// slots, which is the part that matters for counting work and touching memory.
//
// Shape. Leaves hold up to BT_MAX entries [start, end) with a value each, sorted and disjoint,
// and are chained left to right (prev/next). Inner nodes hold up to BT_MAX children and a pivot
// before each child but the first: every start in child i−1 is < pivots[i] <= every start in
// child i. Every node but the root holds at least BT_MIN entries/children; inner roots at least
// two children. Hence height <= 1 + log_BT_MIN(n) and every operation is O(BT_MAX · height).
//
// Gaps. The gap of an entry is the free space just before it: start − (end of the previous
// entry in the whole tree, or 0). node.maxGap is the largest gap of the entries below the node
// (maple keeps the same per child in its parent's gap array). The space above the last entry (the
// tail, up to `space`) is not an entry's gap and is tested separately, because Linux's first fit
// treats it differently (strict-gap quirk: holes need pages + 1, the tail only pages).
// An entry's gap depends on its predecessor, which may sit in the previous leaf, so a change in
// one leaf can change the first gap of the next: every update refreshes the leaves around it
// and then every ancestor up to the root.
//
// Invariants (check()): the shape rules above; parent links and leaf chain consistent with
// the tree order; entries non-empty, disjoint, inside [0, space); pivots separate the children;
// every node's maxGap equals the largest gap below it; size counts the entries.
//
// Cost accounting: nodesVisited per node descended to or recomputed, keyCompares per pivot or
// start tested, nodesAllocated / nodesFreed per node split off or merged away.

import './counting.js'
import type { CostCounters } from './types.js'
import { InvariantError, newCostCounters } from './types.js'

/** Fan-out: entries per leaf and children per inner node (maple: 16 slots per range node). */
export const BT_MAX = 16
export const BT_MIN = 8

/** One node; leaves use starts/ends/vals, inner nodes keys (pivots) and kids. One shape for both. */
export class BtNode<V> {
  leaf: boolean
  count: number
  maxGap: number
  parent: BtNode<V> | null
  /** Leaf: entry starts. Inner: pivots (index 0 unused). */
  readonly keys: number[]
  /** Leaf: entry ends (exclusive). */
  readonly ends: number[]
  readonly vals: V[]
  readonly kids: (BtNode<V> | null)[]
  prev: BtNode<V> | null
  next: BtNode<V> | null

  constructor(leaf: boolean) {
    this.leaf = leaf
    this.count = 0
    this.maxGap = 0
    this.parent = null
    // One slot of slack: a node overflows by one before it splits.
    this.keys = new Array<number>(BT_MAX + 1).fill(0)
    this.ends = leaf ? new Array<number>(BT_MAX + 1).fill(0) : []
    this.vals = leaf ? new Array<V>(BT_MAX + 1) : []
    this.kids = leaf ? [] : new Array<BtNode<V> | null>(BT_MAX + 1).fill(null)
    this.prev = null
    this.next = null
  }
}

export class RangeBTree<V> {
  readonly cost: CostCounters
  readonly space: number
  private root: BtNode<V>
  private entries: number
  private nodes: number
  /** Cursor: the entry the last seek/step landed on (leaf null: none). */
  private curLeaf: BtNode<V> | null
  private curIndex: number
  /** Nodes merged away, kept for reuse (linked through next). */
  private spareLeaf: BtNode<V> | null
  private spareInner: BtNode<V> | null

  constructor(space: number) {
    this.cost = newCostCounters()
    this.space = space
    this.root = new BtNode<V>(true)
    // The root leaf is a node like any other: the memory model counts allocated − freed.
    if (COUNTING) this.cost.nodesAllocated++
    this.entries = 0
    this.nodes = 1
    this.curLeaf = null
    this.curIndex = 0
    this.spareLeaf = null
    this.spareInner = null
  }

  /** Entries stored. O(1). */
  get size(): number {
    return this.entries
  }

  /** Nodes in the tree. O(1). */
  get nodeCount(): number {
    return this.nodes
  }

  /** Levels (1 for a lone leaf). O(height). */
  height(): number {
    let h = 1
    for (let n = this.root; !n.leaf; n = n.kids[0] as BtNode<V>) h++
    return h
  }

  // ---- cursor ---------------------------------------------------------------------------------

  /** Put the cursor on the entry with the largest start <= key; false (cursor off) if none. O(log n). */
  seekFloor(key: number): boolean {
    const leaf = this.descend(key)
    let i = this.floorIndex(leaf, key)
    if (i < 0) {
      // Every start in earlier leaves is below this leaf's separator, hence below key.
      const prev = leaf.prev
      if (prev === null) {
        this.curLeaf = null
        return false
      }
      this.curLeaf = prev
      i = prev.count - 1
      this.curIndex = i
      return true
    }
    this.curLeaf = leaf
    this.curIndex = i
    return true
  }

  /** Put the cursor on the first entry with start >= key; false if none. O(log n). */
  seekCeiling(key: number): boolean {
    const leaf = this.descend(key)
    const i = this.floorIndex(leaf, key)
    this.curLeaf = leaf
    this.curIndex = i
    if (i >= 0 && leaf.keys[i] === key) return true
    this.curIndex = i + 1
    if (this.curIndex < leaf.count) return true
    // Past this leaf's last entry: the next leaf's first (non-root leaves are never empty).
    if (COUNTING) this.cost.nodesVisited++
    this.curLeaf = leaf.next
    this.curIndex = 0
    return this.curLeaf !== null
  }

  /** Put the cursor on the first entry; false if empty. O(log n). */
  seekFirst(): boolean {
    let node = this.root
    if (COUNTING) this.cost.nodesVisited++
    while (!node.leaf) {
      node = node.kids[0] as BtNode<V>
      if (COUNTING) this.cost.nodesVisited++
    }
    this.curLeaf = node.count > 0 ? node : null
    this.curIndex = 0
    return node.count > 0
  }

  /** Move the cursor to the next entry; false (cursor off) at the end. O(1). */
  step(): boolean {
    let leaf = this.curLeaf
    if (leaf === null) return false
    this.curIndex++
    if (this.curIndex >= leaf.count) {
      leaf = leaf.next
      if (COUNTING) this.cost.nodesVisited++
      this.curLeaf = leaf
      this.curIndex = 0
      if (leaf === null) return false
    }
    return true
  }

  get cursorStart(): number {
    return (this.curLeaf as BtNode<V>).keys[this.curIndex] as number
  }

  get cursorEnd(): number {
    return (this.curLeaf as BtNode<V>).ends[this.curIndex] as number
  }

  get cursorValue(): V {
    return (this.curLeaf as BtNode<V>).vals[this.curIndex] as V
  }

  /** Replace the cursor entry's value. O(1). */
  setCursorValue(value: V): void {
    ;(this.curLeaf as BtNode<V>).vals[this.curIndex] = value
  }

  /**
   * Shrink the cursor entry to [start, end) inside its old range (non-empty); gaps around it
   * grow, nothing moves. O(height · BT_MAX).
   */
  shrinkCursor(start: number, end: number): void {
    const leaf = this.curLeaf as BtNode<V>
    const i = this.curIndex
    const moved = (leaf.keys[i] as number) !== start
    leaf.keys[i] = start
    leaf.ends[i] = end
    // A leaf's last start may now pass the separator above the next leaf, which may be lower
    // than that leaf's first start (separators are not refreshed on erase): raise it.
    if (moved && i === leaf.count - 1 && leaf.next !== null) this.raiseSeparatorAfter(leaf)
    this.refresh(leaf)
    if (i === leaf.count - 1 && leaf.next !== null) this.refresh(leaf.next)
  }

  /** Erase the cursor entry; the cursor is off afterwards. O(height · BT_MAX). */
  eraseCursor(): void {
    const leaf = this.curLeaf as BtNode<V>
    const i = this.curIndex
    const key = leaf.keys[i] as number
    this.curLeaf = null
    for (let j = i + 1; j < leaf.count; j++) {
      leaf.keys[j - 1] = leaf.keys[j] as number
      leaf.ends[j - 1] = leaf.ends[j] as number
      leaf.vals[j - 1] = leaf.vals[j] as V
    }
    leaf.count--
    leaf.vals[leaf.count] = undefined as V // drop the reference
    this.entries--
    if (leaf !== this.root && leaf.count < BT_MIN) {
      this.rebalance(leaf)
      this.fixAround(key)
      return
    }
    // No node changed shape: only this leaf's gaps and, if the last entry went, the next leaf's
    // first gap can have changed.
    this.refresh(leaf)
    if (i === leaf.count && leaf.next !== null) this.refresh(leaf.next)
  }

  // ---- updates --------------------------------------------------------------------------------

  /**
   * Store [start, end) → value if it overlaps no entry and lies in [0, space); false (nothing
   * stored) otherwise. O(height · BT_MAX).
   */
  insert(start: number, end: number, value: V): boolean {
    if (!(start >= 0) || !(end > start) || end > this.space) return false
    const leaf = this.descend(start)
    const i = this.floorIndex(leaf, start)
    if (COUNTING) this.cost.keyCompares++
    const predEnd = i >= 0 ? (leaf.ends[i] as number) : leaf.prev === null ? 0 : (leaf.prev.ends[leaf.prev.count - 1] as number)
    if (predEnd > start) return false
    const succ = i + 1 < leaf.count ? leaf : leaf.next
    if (COUNTING) this.cost.keyCompares++
    if (succ !== null && (succ.keys[succ === leaf ? i + 1 : 0] as number) < end) return false
    for (let j = leaf.count; j > i + 1; j--) {
      leaf.keys[j] = leaf.keys[j - 1] as number
      leaf.ends[j] = leaf.ends[j - 1] as number
      leaf.vals[j] = leaf.vals[j - 1] as V
    }
    leaf.keys[i + 1] = start
    leaf.ends[i + 1] = end
    leaf.vals[i + 1] = value
    leaf.count++
    this.entries++
    if (leaf.count > BT_MAX) {
      this.split(leaf)
      this.fixAround(start)
      return true
    }
    this.refresh(leaf)
    if (i + 2 === leaf.count && leaf.next !== null) this.refresh(leaf.next)
    return true
  }

  /**
   * First fit: the lowest page p such that [p, p + k) is free, where an entry's gap must be
   * >= minGap and the tail (after the last entry, up to space) >= minTail; −1 if none. One
   * descent along the first child whose maxGap qualifies. O(height · BT_MAX).
   */
  lowestGap(minGap: number, minTail: number): number {
    let node = this.root
    if (node.maxGap >= minGap) {
      if (COUNTING) this.cost.nodesVisited++
      while (!node.leaf) {
        let i = 0
        while (i < node.count - 1 && (node.kids[i] as BtNode<V>).maxGap < minGap) i++
        if (COUNTING) this.cost.keyCompares += i + 1
        node = node.kids[i] as BtNode<V>
        if (COUNTING) this.cost.nodesVisited++
      }
      let prevEnd = node.prev === null ? 0 : (node.prev.ends[node.prev.count - 1] as number)
      for (let i = 0; i < node.count; i++) {
        if (COUNTING) this.cost.keyCompares++
        if ((node.keys[i] as number) - prevEnd >= minGap) return prevEnd
        prevEnd = node.ends[i] as number
      }
      throw new InvariantError('RangeBTree.lowestGap: maxGap promised a gap the leaf does not have')
    }
    const last = this.lastEnd()
    if (COUNTING) this.cost.keyCompares++
    return this.space - last >= minTail ? last : -1
  }

  /** End of the last entry (0 when empty). O(height). */
  lastEnd(): number {
    let node = this.root
    if (COUNTING) this.cost.nodesVisited++
    while (!node.leaf) {
      node = node.kids[node.count - 1] as BtNode<V>
      if (COUNTING) this.cost.nodesVisited++
    }
    return node.count === 0 ? 0 : (node.ends[node.count - 1] as number)
  }

  /** Call fn for every entry in order. O(n). */
  forEach(fn: (start: number, end: number, value: V) => void): void {
    let node = this.root
    while (!node.leaf) node = node.kids[0] as BtNode<V>
    for (let leaf: BtNode<V> | null = node; leaf !== null; leaf = leaf.next) {
      for (let i = 0; i < leaf.count; i++) fn(leaf.keys[i] as number, leaf.ends[i] as number, leaf.vals[i] as V)
    }
  }

  /** Verify every invariant listed at the top; throws InvariantError. O(n), tests only. */
  check(): void {
    const root = this.root
    if (root.parent !== null) throw new InvariantError('RangeBTree root: has a parent')
    if (!root.leaf && root.count < 2) throw new InvariantError(`RangeBTree root: inner root with ${root.count} children`)
    let leafDepth = -1
    let nodes = 0
    const leaves: BtNode<V>[] = []
    const visit = (node: BtNode<V>, depth: number, low: number, high: number): void => {
      nodes++
      if (node.count > BT_MAX) throw new InvariantError(`RangeBTree fan-out: node with ${node.count} > ${BT_MAX}`)
      if (node !== root && node.count < BT_MIN) throw new InvariantError(`RangeBTree fill: non-root node with ${node.count} < ${BT_MIN}`)
      if (node.leaf) {
        if (leafDepth < 0) leafDepth = depth
        else if (leafDepth !== depth) throw new InvariantError(`RangeBTree depth: leaves at depths ${leafDepth} and ${depth}`)
        leaves.push(node)
        for (let i = 0; i < node.count; i++) {
          const s = node.keys[i] as number
          if (s < low || s >= high) throw new InvariantError(`RangeBTree pivots: start ${s} outside its separators [${low}, ${high})`)
        }
        return
      }
      if (node.count < 1) throw new InvariantError('RangeBTree fill: empty inner node')
      for (let i = 0; i < node.count; i++) {
        const kid = node.kids[i] as BtNode<V> | null
        if (kid === null) throw new InvariantError(`RangeBTree kids: null child ${i}`)
        if (kid.parent !== node) throw new InvariantError(`RangeBTree parent links: child ${i} does not point back`)
        const lo = i === 0 ? low : (node.keys[i] as number)
        const hi = i + 1 < node.count ? (node.keys[i + 1] as number) : high
        if (i > 0 && !(lo >= low && lo < high)) throw new InvariantError(`RangeBTree pivots: pivot ${lo} outside [${low}, ${high})`)
        if (i + 1 < node.count && !(hi > lo)) throw new InvariantError(`RangeBTree pivots: pivots ${lo}, ${hi} not increasing`)
        visit(kid, depth + 1, lo, hi)
      }
    }
    visit(root, 0, -Infinity, Infinity)
    if (nodes !== this.nodes) throw new InvariantError(`RangeBTree nodes: ${nodes} reachable, counter says ${this.nodes}`)
    // Leaf chain and entries, in order.
    let prevEnd = 0
    let count = 0
    for (let i = 0; i < leaves.length; i++) {
      const leaf = leaves[i] as BtNode<V>
      if (leaf.prev !== (i === 0 ? null : leaves[i - 1])) throw new InvariantError(`RangeBTree chain: leaf ${i} has a wrong prev link`)
      if (leaf.next !== (i + 1 < leaves.length ? leaves[i + 1] : null)) throw new InvariantError(`RangeBTree chain: leaf ${i} has a wrong next link`)
      let max = 0
      for (let j = 0; j < leaf.count; j++) {
        const s = leaf.keys[j] as number
        const e = leaf.ends[j] as number
        if (!(e > s)) throw new InvariantError(`RangeBTree entries: empty or reversed [${s}, ${e})`)
        if (s < prevEnd) throw new InvariantError(`RangeBTree entries: [${s}, ${e}) overlaps or precedes the previous end ${prevEnd}`)
        if (s < 0 || e > this.space) throw new InvariantError(`RangeBTree entries: [${s}, ${e}) outside [0, ${this.space})`)
        if (s - prevEnd > max) max = s - prevEnd
        prevEnd = e
        count++
      }
      if (leaf.maxGap !== max) throw new InvariantError(`RangeBTree gaps: leaf ${i} says maxGap ${leaf.maxGap}, its gaps reach ${max}`)
    }
    if (count !== this.entries) throw new InvariantError(`RangeBTree size: ${count} entries, size says ${this.entries}`)
    const checkGaps = (node: BtNode<V>): void => {
      if (node.leaf) return
      let max = 0
      for (let i = 0; i < node.count; i++) {
        const kid = node.kids[i] as BtNode<V>
        checkGaps(kid)
        if (kid.maxGap > max) max = kid.maxGap
      }
      if (node.maxGap !== max) throw new InvariantError(`RangeBTree gaps: inner node says maxGap ${node.maxGap}, children reach ${max}`)
    }
    checkGaps(root)
  }

  // ---- internals ------------------------------------------------------------------------------

  /** The leaf whose separators bracket key. */
  private descend(key: number): BtNode<V> {
    let node = this.root
    if (COUNTING) this.cost.nodesVisited++
    while (!node.leaf) {
      let i = node.count - 1
      while (i > 0 && (node.keys[i] as number) > key) i--
      if (COUNTING) this.cost.keyCompares += node.count - i
      node = node.kids[i] as BtNode<V>
      if (COUNTING) this.cost.nodesVisited++
    }
    return node
  }

  /** Index of the last entry with start <= key in leaf, or −1. */
  private floorIndex(leaf: BtNode<V>, key: number): number {
    let i = leaf.count - 1
    while (i >= 0 && (leaf.keys[i] as number) > key) i--
    if (COUNTING) this.cost.keyCompares += leaf.count - i
    return i
  }

  /** After a change at `key`: refresh the leaf holding it and its two neighbours, up to the root. */
  private fixAround(key: number): void {
    const leaf = this.descend(key)
    if (leaf.prev !== null) this.fixUp(leaf.prev)
    this.fixUp(leaf)
    if (leaf.next !== null) this.fixUp(leaf.next)
  }

  /**
   * After a change of entries (not of shape) in one leaf: recompute it, then its ancestors while
   * the value changes. A node whose value stands leaves every ancestor's value standing.
   */
  private refresh(from: BtNode<V>): void {
    let node: BtNode<V> | null = from
    while (node !== null) {
      if (COUNTING) this.cost.nodesVisited++
      const old = node.maxGap
      this.recompute(node)
      if (node.maxGap === old) break
      node = node.parent
    }
  }

  /** Recompute maxGap of node and every ancestor (after a change of shape). */
  private fixUp(from: BtNode<V>): void {
    let node: BtNode<V> | null = from
    while (node !== null) {
      if (COUNTING) this.cost.nodesVisited++
      this.recompute(node)
      node = node.parent
    }
  }

  private recompute(node: BtNode<V>): void {
    let max = 0
    if (node.leaf) {
      const prev = node.prev
      let prevEnd = prev === null ? 0 : (prev.ends[prev.count - 1] as number)
      for (let i = 0; i < node.count; i++) {
        const gap = (node.keys[i] as number) - prevEnd
        if (gap > max) max = gap
        prevEnd = node.ends[i] as number
      }
    } else {
      for (let i = 0; i < node.count; i++) {
        const g = (node.kids[i] as BtNode<V>).maxGap
        if (g > max) max = g
      }
    }
    node.maxGap = max
  }

  /** Split an overfull node in two; the right half goes to the parent (a new root if needed). */
  private split(node: BtNode<V>): void {
    const right = this.newNode(node.leaf)
    const keep = node.count >> 1
    const moved = node.count - keep
    for (let j = 0; j < moved; j++) {
      right.keys[j] = node.keys[keep + j] as number
      if (node.leaf) {
        right.ends[j] = node.ends[keep + j] as number
        right.vals[j] = node.vals[keep + j] as V
        node.vals[keep + j] = undefined as V
      } else {
        const kid = node.kids[keep + j] as BtNode<V>
        right.kids[j] = kid
        kid.parent = right
        node.kids[keep + j] = null
      }
    }
    right.count = moved
    node.count = keep
    if (node.leaf) {
      right.next = node.next
      if (node.next !== null) node.next.prev = right
      right.prev = node
      node.next = right
    }
    // For an inner node, right.keys[0] is the separator pushed up (unused inside right).
    const separator = right.keys[0] as number
    this.recompute(node)
    this.recompute(right)
    let parent = node.parent
    if (parent === null) {
      parent = this.newNode(false)
      parent.kids[0] = node
      parent.count = 1
      node.parent = parent
      this.root = parent
    }
    const at = this.childIndex(parent, node) + 1
    for (let j = parent.count; j > at; j--) {
      parent.kids[j] = parent.kids[j - 1] as BtNode<V>
      parent.keys[j] = parent.keys[j - 1] as number
    }
    parent.kids[at] = right
    parent.keys[at] = separator
    parent.count++
    right.parent = parent
    this.recompute(parent)
    if (parent.count > BT_MAX) this.split(parent)
  }

  /** Set the separator between leaf and leaf.next (at their lowest common ancestor) to the next leaf's first start. */
  private raiseSeparatorAfter(leaf: BtNode<V>): void {
    const first = (leaf.next as BtNode<V>).keys[0] as number
    let node = leaf
    let parent = node.parent
    while (parent !== null) {
      const at = this.childIndex(parent, node)
      if (at < parent.count - 1) {
        parent.keys[at + 1] = first
        return
      }
      node = parent
      parent = node.parent
    }
  }

  /** A node from the spare lists (split/merge oscillation at a boundary then allocates nothing), else a new one. */
  private newNode(leaf: boolean): BtNode<V> {
    this.nodes++
    if (COUNTING) this.cost.nodesAllocated++
    const node = leaf ? this.spareLeaf : this.spareInner
    if (node === null) return new BtNode<V>(leaf)
    if (leaf) this.spareLeaf = node.next
    else this.spareInner = node.next
    node.next = null
    node.count = 0
    node.maxGap = 0
    return node
  }

  /** Unlinked node to its spare list, with no references left in its slots. */
  private recycle(node: BtNode<V>): void {
    this.nodes--
    if (COUNTING) this.cost.nodesFreed++
    for (let j = 0; j <= BT_MAX; j++) {
      if (node.leaf) node.vals[j] = undefined as V
      else node.kids[j] = null
    }
    node.count = 0
    node.parent = null
    node.prev = null
    if (node.leaf) {
      node.next = this.spareLeaf
      this.spareLeaf = node
    } else {
      node.next = this.spareInner
      this.spareInner = node
    }
  }

  /** Position of kid among parent's children. */
  private childIndex(parent: BtNode<V>, kid: BtNode<V>): number {
    let i = 0
    while (parent.kids[i] !== kid) i++
    return i
  }

  /** A non-root node fell below BT_MIN: borrow from a sibling that can spare one, else merge. */
  private rebalance(node: BtNode<V>): void {
    const parent = node.parent as BtNode<V>
    const at = this.childIndex(parent, node)
    const left = at > 0 ? (parent.kids[at - 1] as BtNode<V>) : null
    const right = at + 1 < parent.count ? (parent.kids[at + 1] as BtNode<V>) : null
    if (left !== null && left.count > BT_MIN) {
      this.borrowFromLeft(parent, at, left, node)
    } else if (right !== null && right.count > BT_MIN) {
      this.borrowFromRight(parent, at, node, right)
    } else if (left !== null) {
      this.merge(parent, at - 1, left, node)
    } else {
      this.merge(parent, at, node, right as BtNode<V>)
    }
  }

  private borrowFromLeft(parent: BtNode<V>, at: number, left: BtNode<V>, node: BtNode<V>): void {
    for (let j = node.count; j > 0; j--) {
      node.keys[j] = node.keys[j - 1] as number
      if (node.leaf) {
        node.ends[j] = node.ends[j - 1] as number
        node.vals[j] = node.vals[j - 1] as V
      } else {
        node.kids[j] = node.kids[j - 1] as BtNode<V>
      }
    }
    const last = left.count - 1
    if (node.leaf) {
      node.keys[0] = left.keys[last] as number
      node.ends[0] = left.ends[last] as number
      node.vals[0] = left.vals[last] as V
      left.vals[last] = undefined as V
      parent.keys[at] = node.keys[0]
    } else {
      // The parent's separator comes down before the old first child; the moved child's goes up.
      node.keys[1] = parent.keys[at] as number
      const kid = left.kids[last] as BtNode<V>
      node.kids[0] = kid
      kid.parent = node
      left.kids[last] = null
      parent.keys[at] = left.keys[last] as number
    }
    left.count--
    node.count++
    this.recompute(left)
    this.recompute(node)
    this.recompute(parent)
  }

  private borrowFromRight(parent: BtNode<V>, at: number, node: BtNode<V>, right: BtNode<V>): void {
    const n = node.count
    if (node.leaf) {
      node.keys[n] = right.keys[0] as number
      node.ends[n] = right.ends[0] as number
      node.vals[n] = right.vals[0] as V
    } else {
      node.keys[n] = parent.keys[at + 1] as number
      const kid = right.kids[0] as BtNode<V>
      node.kids[n] = kid
      kid.parent = node
    }
    // Right's second key (leaf: its next start; inner: the pivot of its next child) separates now.
    const newSeparator = right.keys[1] as number
    for (let j = 1; j < right.count; j++) {
      right.keys[j - 1] = right.keys[j] as number
      if (right.leaf) {
        right.ends[j - 1] = right.ends[j] as number
        right.vals[j - 1] = right.vals[j] as V
      } else {
        right.kids[j - 1] = right.kids[j] as BtNode<V>
      }
    }
    right.count--
    if (right.leaf) right.vals[right.count] = undefined as V
    else right.kids[right.count] = null
    parent.keys[at + 1] = newSeparator
    node.count++
    this.recompute(node)
    this.recompute(right)
    this.recompute(parent)
  }

  /** Fold `right` (child at+1) into `left` (child at) and drop it from the parent. */
  private merge(parent: BtNode<V>, at: number, left: BtNode<V>, right: BtNode<V>): void {
    const n = left.count
    for (let j = 0; j < right.count; j++) {
      if (left.leaf) {
        left.keys[n + j] = right.keys[j] as number
        left.ends[n + j] = right.ends[j] as number
        left.vals[n + j] = right.vals[j] as V
      } else {
        // Right's first child takes the parent's separator as its pivot.
        left.keys[n + j] = j === 0 ? (parent.keys[at + 1] as number) : (right.keys[j] as number)
        const kid = right.kids[j] as BtNode<V>
        left.kids[n + j] = kid
        kid.parent = left
      }
    }
    left.count = n + right.count
    if (left.leaf) {
      left.next = right.next
      if (right.next !== null) right.next.prev = left
    }
    this.recycle(right)
    for (let j = at + 2; j < parent.count; j++) {
      parent.kids[j - 1] = parent.kids[j] as BtNode<V>
      parent.keys[j - 1] = parent.keys[j] as number
    }
    parent.count--
    parent.kids[parent.count] = null
    this.recompute(left)
    this.recompute(parent)
    if (parent === this.root) {
      if (parent.count === 1) {
        // The root lost its last sibling pair: its only child becomes the root.
        this.root = left
        left.parent = null
        this.recycle(parent)
      }
    } else if (parent.count < BT_MIN) {
      this.rebalance(parent)
    }
  }
}
