// Intrusive red-black tree, modelled on the RB_* macros of BSD sys/sys/tree.h (the red-black
// version FreeBSD's gntdev was written against): gref_tree, gmap_tree and the free-offset tree of
// each open file (docs/kernel-model.md §2.2–2.3). Elements carry rbLeft/rbRight/rbParent/rbColor and
// the key rbKey; the tree holds only the root, so inserting allocates nothing.
//
// Verbs follow tree.h: insert returns the colliding element (RB_INSERT), nfind is the ceiling
// (smallest node >= key), pfind the floor (largest node <= key), next/prev climb parent links.
//
// Invariants (verified by check(); checkStructure() verifies 1–5 only):
//   1. The root is black and has no parent; a null child counts as a black leaf.
//   2. A red node has no red child.
//   3. Every path from a node down to a null leaf crosses the same number of black nodes.
//   4. Parent links mirror child links: x.rbLeft.rbParent === x, x.rbRight.rbParent === x.
//   5. size equals the number of reachable nodes; hence height <= 2·log2(size + 1).
//   6. In-order neighbours are strictly increasing under `compare`.
//
// Inconsistent comparators (FreeBSD's u64 difference truncated to int, §2.3): only insert and the
// lookups call `compare`, and each call merely picks a child on the way down, so a non-transitive
// or colliding comparator can misplace or reject a node but can never break invariants 1–5 or
// make an operation loop: remove, rotations and next/prev work on links alone (as RB_REMOVE
// does). Only invariant 6 is then lost, which is why it is checked between neighbours alone and
// checkStructure() exists for such trees.
//
// Cost accounting: keyCompares per comparator call, nodesVisited per node descended to or stepped
// over (lookups, min/max, next/prev, the successor search of remove), rotations per rotation.
// Every update is behind COUNTING (counting.ts), so the timed build, which compiles it false, has
// none; the counted sources bump the fields per node (bench/structures-vs-libs.ts measures this
// tree with and without its counters).

import './counting.js'
import type { CostCounters, KeyCompare, RbLinks } from './types.js'
import { exactCompare, InvariantError, newCostCounters, RB_BLACK, RB_RED } from './types.js'

export class RbTree<T extends RbLinks<T>> {
  readonly compare: KeyCompare
  readonly cost: CostCounters
  private rootNode: T | null
  private count: number

  constructor(compare: KeyCompare = exactCompare) {
    this.compare = compare
    this.cost = newCostCounters()
    this.rootNode = null
    this.count = 0
  }

  /** Number of nodes. O(1). */
  get size(): number {
    return this.count
  }

  /** RB_ROOT. */
  get root(): T | null {
    return this.rootNode
  }

  /**
   * RB_INSERT: link elm unless a node comparing equal exists; returns that node (and leaves
   * elm untouched) or null on success. O(log n).
   */
  insert(elm: T): T | null {
    const compare = this.compare
    const key = elm.rbKey
    let parent: T | null = null
    let tmp = this.rootNode
    let comp = 0
    while (tmp !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      parent = tmp
      comp = compare(key, tmp.rbKey)
      if (comp < 0) tmp = tmp.rbLeft
      else if (comp > 0) tmp = tmp.rbRight
      else break // also NaN: "not ordered" is treated as a collision, never as a direction
    }
    if (tmp !== null) return tmp
    elm.rbParent = parent
    elm.rbLeft = null
    elm.rbRight = null
    elm.rbColor = RB_RED
    if (parent === null) this.rootNode = elm
    else if (comp < 0) parent.rbLeft = elm
    else parent.rbRight = elm
    this.count++
    this.insertColor(elm)
    return null
  }

  /** RB_REMOVE: unlink elm, which must be in this tree; its links end null and its colour black. O(log n). */
  remove(elm: T): void {
    // Without a parent elm must be our root; anything else means it is not in this tree, and
    // relinking around it would corrupt whichever tree it is really in.
    if (elm.rbParent === null && this.rootNode !== elm) {
      throw new InvariantError('RbTree.remove: element is not in this tree')
    }
    let child: T | null
    let parent: T | null
    let color: number
    const left = elm.rbLeft
    const right = elm.rbRight
    if (left !== null && right !== null) {
      // Two children: the in-order successor (leftmost of the right subtree) takes elm's place,
      // colour included, and the rebalancing starts where the successor used to be. Nodes are
      // relinked rather than keys swapped because elements are intrusive: callers hold them.
      let succ: T = right
      if (COUNTING) this.cost.nodesVisited++
      while (succ.rbLeft !== null) {
        succ = succ.rbLeft
        if (COUNTING) this.cost.nodesVisited++
      }
      child = succ.rbRight
      parent = succ.rbParent
      color = succ.rbColor
      if (parent === elm) {
        parent = succ // succ is elm's right child and keeps its own right subtree
      } else {
        if (child !== null) child.rbParent = parent
        ;(parent as T).rbLeft = child
        succ.rbRight = right
        right.rbParent = succ
      }
      succ.rbLeft = left
      left.rbParent = succ
      succ.rbColor = elm.rbColor
      const elmParent = elm.rbParent
      succ.rbParent = elmParent
      this.replaceChild(elmParent, elm, succ)
    } else {
      child = left === null ? right : left
      parent = elm.rbParent
      color = elm.rbColor
      if (child !== null) child.rbParent = parent
      this.replaceChild(parent, elm, child)
    }
    if (color === RB_BLACK) this.removeColor(parent, child)
    elm.rbLeft = null
    elm.rbRight = null
    elm.rbParent = null
    elm.rbColor = RB_BLACK
    this.count--
  }

  /** RB_FIND: the node with compare(key, node.rbKey) === 0, or null. O(log n). */
  find(key: number): T | null {
    const compare = this.compare
    let tmp = this.rootNode
    while (tmp !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      const comp = compare(key, tmp.rbKey)
      if (comp < 0) tmp = tmp.rbLeft
      else if (comp > 0) tmp = tmp.rbRight
      else break
    }
    return tmp
  }

  /** RB_NFIND (ceiling): the smallest node >= key, or null. O(log n). */
  nfind(key: number): T | null {
    const compare = this.compare
    let tmp = this.rootNode
    let res: T | null = null
    while (tmp !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      const comp = compare(key, tmp.rbKey)
      if (comp < 0) {
        res = tmp
        tmp = tmp.rbLeft
      } else if (comp > 0) {
        tmp = tmp.rbRight
      } else {
        res = tmp
        break
      }
    }
    return res
  }

  /** RB_PFIND (floor): the largest node <= key, or null. O(log n). */
  pfind(key: number): T | null {
    const compare = this.compare
    let tmp = this.rootNode
    let res: T | null = null
    while (tmp !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      const comp = compare(key, tmp.rbKey)
      if (comp > 0) {
        res = tmp
        tmp = tmp.rbRight
      } else if (comp < 0) {
        tmp = tmp.rbLeft
      } else {
        res = tmp
        break
      }
    }
    return res
  }

  /** RB_MIN. O(log n). */
  min(): T | null {
    let tmp = this.rootNode
    if (tmp === null) return null
    if (COUNTING) this.cost.nodesVisited++
    while (tmp.rbLeft !== null) {
      tmp = tmp.rbLeft
      if (COUNTING) this.cost.nodesVisited++
    }
    return tmp
  }

  /** RB_MAX. O(log n). */
  max(): T | null {
    let tmp = this.rootNode
    if (tmp === null) return null
    if (COUNTING) this.cost.nodesVisited++
    while (tmp.rbRight !== null) {
      tmp = tmp.rbRight
      if (COUNTING) this.cost.nodesVisited++
    }
    return tmp
  }

  /** RB_NEXT: in-order successor through parent links; O(1) amortised over a full walk. */
  next(elm: T): T | null {
    let x = elm
    if (x.rbRight !== null) {
      x = x.rbRight
      if (COUNTING) this.cost.nodesVisited++
      while (x.rbLeft !== null) {
        x = x.rbLeft
        if (COUNTING) this.cost.nodesVisited++
      }
      return x
    }
    let parent = x.rbParent
    while (parent !== null && parent.rbRight === x) {
      x = parent
      parent = x.rbParent
      if (COUNTING) this.cost.nodesVisited++
    }
    if (COUNTING && parent !== null) this.cost.nodesVisited++
    return parent
  }

  /** RB_PREV: in-order predecessor through parent links. */
  prev(elm: T): T | null {
    let x = elm
    if (x.rbLeft !== null) {
      x = x.rbLeft
      if (COUNTING) this.cost.nodesVisited++
      while (x.rbRight !== null) {
        x = x.rbRight
        if (COUNTING) this.cost.nodesVisited++
      }
      return x
    }
    let parent = x.rbParent
    while (parent !== null && parent.rbLeft === x) {
      x = parent
      parent = x.rbParent
      if (COUNTING) this.cost.nodesVisited++
    }
    if (COUNTING && parent !== null) this.cost.nodesVisited++
    return parent
  }

  /** Nodes on the longest root-to-leaf path (0 when empty). O(n); not counted in cost. */
  height(): number {
    return subtreeHeight(this.rootNode)
  }

  /** Verify invariants 1–6; throws InvariantError naming the broken rule. O(n), tests only. */
  check(): void {
    this.checkStructure()
    // In-order walk with an explicit stack: comparing neighbours is all that a tree built with
    // an inconsistent comparator could be asked to satisfy, and all a consistent one needs.
    const compare = this.compare
    const stack: T[] = []
    let x = this.rootNode
    let prev: T | null = null
    let index = 0
    while (x !== null || stack.length > 0) {
      while (x !== null) {
        stack.push(x)
        x = x.rbLeft
      }
      const node = stack.pop() as T
      if (prev !== null && !(compare(prev.rbKey, node.rbKey) < 0)) {
        throw new InvariantError(
          `RbTree order: in-order neighbours ${index - 1} (key ${prev.rbKey}) and ${index} (key ${node.rbKey}) are not strictly increasing`,
        )
      }
      prev = node
      index++
      x = node.rbRight
    }
  }

  /**
   * Verify the comparator-independent invariants 1–5 (colours, black height, parent links, size,
   * height bound); throws InvariantError. Use instead of check() for a tree whose comparator is
   * inconsistent, where in-order neighbours need not be increasing. O(n), tests only.
   */
  checkStructure(): void {
    const root = this.rootNode
    const n = this.count
    if (!Number.isInteger(n) || n < 0) throw new InvariantError(`RbTree size: ${n} is not a count`)
    if (root === null) {
      if (n !== 0) throw new InvariantError(`RbTree size: empty tree but size is ${n}`)
      return
    }
    if (root.rbParent !== null) throw new InvariantError('RbTree parent links: root has a parent')
    if (root.rbColor !== RB_BLACK) throw new InvariantError('RbTree root colour: root is red')
    // Pre-order walk; each stack entry carries the black count and depth above the node, so the
    // black height is compared at every null leaf without recursion (a corrupted chain could be
    // deeper than the JS stack).
    const nodes: T[] = [root]
    const blacks: number[] = [0]
    const depths: number[] = [0]
    let seen = 0
    let leafBlack = -1
    let height = 0
    while (nodes.length > 0) {
      const x = nodes.pop() as T
      const b = (blacks.pop() as number) + (x.rbColor === RB_BLACK ? 1 : 0)
      const d = (depths.pop() as number) + 1
      // Parent links are checked before a child is pushed, so a node reachable twice (a cycle
      // or a shared subtree) fails here before the walk could revisit it; the size bound is a
      // second guard.
      if (++seen > n) throw new InvariantError(`RbTree size: more than size ${n} nodes reachable`)
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- check() looks for what the types rule out: a corrupted colour
      if (x.rbColor !== RB_BLACK && x.rbColor !== RB_RED) {
        throw new InvariantError(`RbTree colour: key ${x.rbKey} has colour ${String(x.rbColor)}`)
      }
      if (d > height) height = d
      const left = x.rbLeft
      const right = x.rbRight
      if (left !== null && left === right) throw new InvariantError(`RbTree parent links: key ${x.rbKey} has the same node as both children`)
      if (left === null || right === null) {
        if (leafBlack < 0) leafBlack = b
        else if (leafBlack !== b) {
          throw new InvariantError(`RbTree black height: path to a leaf below key ${x.rbKey} has ${b} black nodes, another has ${leafBlack}`)
        }
      }
      for (const c of [left, right]) {
        if (c === null) continue
        if (c.rbParent !== x) throw new InvariantError(`RbTree parent links: child key ${c.rbKey} of key ${x.rbKey} does not point back`)
        if (x.rbColor === RB_RED && c.rbColor === RB_RED) {
          throw new InvariantError(`RbTree red rule: red key ${x.rbKey} has red child key ${c.rbKey}`)
        }
        nodes.push(c)
        blacks.push(b)
        depths.push(d)
      }
    }
    if (seen !== n) throw new InvariantError(`RbTree size: ${seen} nodes reachable, size says ${n}`)
    if (height > 2 * Math.log2(n + 1)) {
      throw new InvariantError(`RbTree height bound: height ${height} > 2·log2(${n} + 1)`)
    }
  }

  // RB_INSERT_COLOR. elm is red; while its parent is red, either recolour (red uncle: push the
  // violation two levels up) or rotate once or twice (black uncle: done).
  private insertColor(elm: T): void {
    let x = elm
    let parent = x.rbParent
    while (parent !== null && parent.rbColor === RB_RED) {
      // A red parent is never the root, so the grandparent exists.
      const gparent = parent.rbParent as T
      if (parent === gparent.rbLeft) {
        const uncle = gparent.rbRight
        if (uncle !== null && uncle.rbColor === RB_RED) {
          uncle.rbColor = RB_BLACK
          parent.rbColor = RB_BLACK
          gparent.rbColor = RB_RED
          x = gparent
          parent = x.rbParent
          continue
        }
        if (parent.rbRight === x) {
          this.rotateLeft(parent)
          const t = parent
          parent = x
          x = t
        }
        parent.rbColor = RB_BLACK
        gparent.rbColor = RB_RED
        this.rotateRight(gparent)
      } else {
        const uncle = gparent.rbLeft
        if (uncle !== null && uncle.rbColor === RB_RED) {
          uncle.rbColor = RB_BLACK
          parent.rbColor = RB_BLACK
          gparent.rbColor = RB_RED
          x = gparent
          parent = x.rbParent
          continue
        }
        if (parent.rbLeft === x) {
          this.rotateRight(parent)
          const t = parent
          parent = x
          x = t
        }
        parent.rbColor = RB_BLACK
        gparent.rbColor = RB_RED
        this.rotateLeft(gparent)
      }
      break
    }
    ;(this.rootNode as T).rbColor = RB_BLACK
  }

  // RB_REMOVE_COLOR. The subtree at `x` (possibly null) below `parent` is one black short. The
  // sibling w exists and has black height >= 1 by invariant 3, so the casts below are safe.
  private removeColor(parentIn: T | null, xIn: T | null): void {
    let parent = parentIn
    let x = xIn
    while ((x === null || x.rbColor === RB_BLACK) && x !== this.rootNode && parent !== null) {
      if (parent.rbLeft === x) {
        let w = parent.rbRight as T
        if (w.rbColor === RB_RED) {
          w.rbColor = RB_BLACK
          parent.rbColor = RB_RED
          this.rotateLeft(parent)
          w = parent.rbRight as T
        }
        const wl = w.rbLeft
        const wr = w.rbRight
        if ((wl === null || wl.rbColor === RB_BLACK) && (wr === null || wr.rbColor === RB_BLACK)) {
          w.rbColor = RB_RED
          x = parent
          parent = x.rbParent
          continue
        }
        if (wr === null || wr.rbColor === RB_BLACK) {
          ;(wl as T).rbColor = RB_BLACK
          w.rbColor = RB_RED
          this.rotateRight(w)
          w = parent.rbRight as T
        }
        w.rbColor = parent.rbColor
        parent.rbColor = RB_BLACK
        ;(w.rbRight as T).rbColor = RB_BLACK
        this.rotateLeft(parent)
      } else {
        let w = parent.rbLeft as T
        if (w.rbColor === RB_RED) {
          w.rbColor = RB_BLACK
          parent.rbColor = RB_RED
          this.rotateRight(parent)
          w = parent.rbLeft as T
        }
        const wl = w.rbLeft
        const wr = w.rbRight
        if ((wl === null || wl.rbColor === RB_BLACK) && (wr === null || wr.rbColor === RB_BLACK)) {
          w.rbColor = RB_RED
          x = parent
          parent = x.rbParent
          continue
        }
        if (wl === null || wl.rbColor === RB_BLACK) {
          ;(wr as T).rbColor = RB_BLACK
          w.rbColor = RB_RED
          this.rotateLeft(w)
          w = parent.rbLeft as T
        }
        w.rbColor = parent.rbColor
        parent.rbColor = RB_BLACK
        ;(w.rbLeft as T).rbColor = RB_BLACK
        this.rotateRight(parent)
      }
      x = this.rootNode
      break
    }
    if (x !== null) x.rbColor = RB_BLACK
  }

  //     x              y
  //    / \            / \
  //   a   y    =>    x   c
  //      / \        / \
  //     b   c      a   b
  private rotateLeft(x: T): void {
    const y = x.rbRight as T
    const b = y.rbLeft
    x.rbRight = b
    if (b !== null) b.rbParent = x
    const parent = x.rbParent
    y.rbParent = parent
    this.replaceChild(parent, x, y)
    y.rbLeft = x
    x.rbParent = y
    if (COUNTING) this.cost.rotations++
  }

  // Mirror image of rotateLeft.
  private rotateRight(x: T): void {
    const y = x.rbLeft as T
    const b = y.rbRight
    x.rbLeft = b
    if (b !== null) b.rbParent = x
    const parent = x.rbParent
    y.rbParent = parent
    this.replaceChild(parent, x, y)
    y.rbRight = x
    x.rbParent = y
    if (COUNTING) this.cost.rotations++
  }

  // Point parent's link (or the root) that held `old` at `repl`; repl's own parent link is the
  // caller's business.
  private replaceChild(parent: T | null, old: T, repl: T | null): void {
    if (parent === null) this.rootNode = repl
    else if (parent.rbLeft === old) parent.rbLeft = repl
    else parent.rbRight = repl
  }
}

function subtreeHeight<T extends RbLinks<T>>(x: T | null): number {
  if (x === null) return 0
  const l = subtreeHeight(x.rbLeft)
  const r = subtreeHeight(x.rbRight)
  return 1 + (l > r ? l : r)
}
