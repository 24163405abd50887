// Augmented red-black tree: the intrusive red-black tree of rb-tree.ts plus a subtree maximum,
// modelled on RB_AUGMENT in BSD sys/sys/tree.h and on how Linux's vm_unmapped_area found the
// lowest free gap in O(log n) before the maple tree (rb_subtree_gap kept through
// RB_DECLARE_CALLBACKS). Each element carries `augValue`, set by its owner (a free region's size,
// a mapped range's end), and the tree keeps `augMax` = the largest augValue in the element's
// subtree. With that, two searches that would walk the whole tree take one root-to-leaf path:
//
//   firstFit(t)       the lowest-keyed node with augValue >= t (first fit over free regions);
//   lowestStab(p)     the lowest-keyed node with rbKey <= p < augValue, when augValue is the end
//                     of an interval that starts at rbKey (an interval tree's stabbing query).
//
// A separate class rather than a hook on RbTree: the plain tree's hot loops stay exactly as they
// are (no per-rotation callback, no extra field reads), and bench/structures-vs-libs.ts keeps
// measuring that tree alone.
//
// How the augmentation is kept (the order matters):
//   insert   link the leaf with augMax = augValue, raise augMax along the path to the root, then
//            recolour/rotate; a rotation leaves the set of nodes under its top unchanged, so it
//            only recomputes the two nodes it turned (lower one first).
//   remove   relink as rb-tree.ts does, recompute from the lowest node whose children changed
//            up to the root, then rebalance with the same local rotations.
//   update   the owner changed augValue of a linked node: recompute up the path while the
//            value changes (RB_AUGMENT_CHECK's early stop).
//
// Invariants (check()): those of rb-tree.ts (colours, black height, parent links, size, height
// <= 2·log2(n + 1), strictly increasing keys) plus
//   7. x.augMax === max(x.augValue, x.rbLeft.augMax, x.rbRight.augMax) at every node.
//
// Keys are ordered exactly (numeric order); FreeBSD's truncated comparator is a quirk of its own
// trees and has no meaning for an augmented search, which needs a consistent order.
//
// Cost accounting as rb-tree.ts: nodesVisited per node descended to or stepped over,
// keyCompares per key test on a search path, rotations per rotation; the augment recomputations
// count as nodesVisited (each reads a node's two children).

import './counting.js'
import type { AugRbLinks, CostCounters } from './types.js'
import { InvariantError, newCostCounters, RB_BLACK, RB_RED } from './types.js'

export class AugRbTree<T extends AugRbLinks<T>> {
  readonly cost: CostCounters
  private rootNode: T | null
  private count: number

  constructor() {
    this.cost = newCostCounters()
    this.rootNode = null
    this.count = 0
  }

  /** Number of nodes. O(1). */
  get size(): number {
    return this.count
  }

  get root(): T | null {
    return this.rootNode
  }

  /** RB_INSERT by exact key: returns the node with an equal key (elm untouched) or null. O(log n). */
  insert(elm: T): T | null {
    const key = elm.rbKey
    let parent: T | null = null
    let tmp = this.rootNode
    let left = false
    while (tmp !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      parent = tmp
      if (key < tmp.rbKey) {
        tmp = tmp.rbLeft
        left = true
      } else if (key > tmp.rbKey) {
        tmp = tmp.rbRight
        left = false
      } else break
    }
    if (tmp !== null) return tmp
    elm.rbParent = parent
    elm.rbLeft = null
    elm.rbRight = null
    elm.rbColor = RB_RED
    elm.augMax = elm.augValue
    if (parent === null) this.rootNode = elm
    else if (left) parent.rbLeft = elm
    else parent.rbRight = elm
    this.count++
    this.raiseAncestors(parent, elm.augValue)
    this.insertColor(elm)
    return null
  }

  /** RB_REMOVE: unlink elm, which must be in this tree. O(log n). */
  remove(elm: T): void {
    if (elm.rbParent === null && this.rootNode !== elm) {
      throw new InvariantError('AugRbTree.remove: element is not in this tree')
    }
    let child: T | null
    let parent: T | null
    let color: number
    const left = elm.rbLeft
    const right = elm.rbRight
    if (left !== null && right !== null) {
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
        parent = succ
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
    // `parent` is the lowest node whose children changed; the path from it to the root passes
    // through every node whose subtree lost elm (and, in the two-child case, through succ).
    this.recomputeToRoot(parent)
    if (color === RB_BLACK) this.removeColor(parent, child)
    elm.rbLeft = null
    elm.rbRight = null
    elm.rbParent = null
    elm.rbColor = RB_BLACK
    this.count--
  }

  /** The owner changed elm.augValue (elm is linked): repair the maxima above it. O(log n). */
  updateAugment(elm: T): void {
    let x: T | null = elm
    while (x !== null) {
      if (COUNTING) this.cost.nodesVisited++
      const m = this.maxOf(x)
      if (m === x.augMax && x !== elm) break
      x.augMax = m
      x = x.rbParent
    }
  }

  /** RB_FIND. O(log n). */
  find(key: number): T | null {
    let tmp = this.rootNode
    while (tmp !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (key < tmp.rbKey) tmp = tmp.rbLeft
      else if (key > tmp.rbKey) tmp = tmp.rbRight
      else break
    }
    return tmp
  }

  /** RB_PFIND (floor): the largest node <= key. O(log n). */
  pfind(key: number): T | null {
    let tmp = this.rootNode
    let res: T | null = null
    while (tmp !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (key > tmp.rbKey) {
        res = tmp
        tmp = tmp.rbRight
      } else if (key < tmp.rbKey) {
        tmp = tmp.rbLeft
      } else {
        res = tmp
        break
      }
    }
    return res
  }

  /**
   * The lowest-keyed node whose augValue >= threshold, or null. One path down: go left while the
   * left subtree can satisfy the test, else take this node, else go right. O(log n).
   */
  firstFit(threshold: number): T | null {
    let x = this.rootNode
    if (x === null || x.augMax < threshold) return null
    for (;;) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      const l: T | null = x.rbLeft
      if (l !== null && l.augMax >= threshold) {
        x = l
        continue
      }
      if (x.augValue >= threshold) break
      // augMax >= threshold and neither the left subtree nor x: the right subtree must hold it.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- narrows x for what follows (the variable is T | null); the rule sees only the assignment
      x = x.rbRight as T
    }
    return x
  }

  /**
   * Stabbing query with augValue read as an interval end: the lowest-keyed node with
   * rbKey <= point < augValue, or null. Below a node whose key is <= point every left-subtree key
   * is too, so a left subtree whose augMax > point is sure to hold an answer and the search never
   * backtracks: one path down. O(log n).
   */
  lowestStab(point: number): T | null {
    let x = this.rootNode
    let found: T | null = null
    while (x !== null) {
      if (COUNTING) this.cost.nodesVisited++
      if (COUNTING) this.cost.keyCompares++
      if (x.rbKey > point) {
        x = x.rbLeft
        continue
      }
      const l: T | null = x.rbLeft
      if (l !== null && l.augMax > point) {
        x = l
        continue
      }
      if (x.augValue > point) {
        found = x
        break
      }
      const r: T | null = x.rbRight
      x = r !== null && r.augMax > point ? r : null
    }
    return found
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

  /** RB_NEXT. O(1) amortised over a walk. */
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

  /** RB_PREV. */
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

  /** Nodes on the longest root-to-leaf path. O(n); not counted. */
  height(): number {
    let best = 0
    const nodes: T[] = []
    const depths: number[] = []
    if (this.rootNode !== null) {
      nodes.push(this.rootNode)
      depths.push(1)
    }
    while (nodes.length > 0) {
      const x = nodes.pop() as T
      const d = depths.pop() as number
      if (d > best) best = d
      if (x.rbLeft !== null) {
        nodes.push(x.rbLeft)
        depths.push(d + 1)
      }
      if (x.rbRight !== null) {
        nodes.push(x.rbRight)
        depths.push(d + 1)
      }
    }
    return best
  }

  /** Verify invariants 1–7; throws InvariantError naming the broken rule. O(n), tests only. */
  check(): void {
    const root = this.rootNode
    const n = this.count
    if (root === null) {
      if (n !== 0) throw new InvariantError(`AugRbTree size: empty tree but size is ${n}`)
      return
    }
    if (root.rbParent !== null) throw new InvariantError('AugRbTree parent links: root has a parent')
    if (root.rbColor !== RB_BLACK) throw new InvariantError('AugRbTree root colour: root is red')
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
      if (++seen > n) throw new InvariantError(`AugRbTree size: more than size ${n} nodes reachable`)
      if (d > height) height = d
      const left = x.rbLeft
      const right = x.rbRight
      if (left === null || right === null) {
        if (leafBlack < 0) leafBlack = b
        else if (leafBlack !== b) throw new InvariantError(`AugRbTree black height: ${b} vs ${leafBlack} below key ${x.rbKey}`)
      }
      const want = this.maxOf(x)
      if (x.augMax !== want) throw new InvariantError(`AugRbTree augment: key ${x.rbKey} has augMax ${x.augMax}, subtree max is ${want}`)
      if (left !== null && !(left.rbKey < x.rbKey)) throw new InvariantError(`AugRbTree order: left child ${left.rbKey} of ${x.rbKey}`)
      if (right !== null && !(right.rbKey > x.rbKey)) throw new InvariantError(`AugRbTree order: right child ${right.rbKey} of ${x.rbKey}`)
      for (const c of [left, right]) {
        if (c === null) continue
        if (c.rbParent !== x) throw new InvariantError(`AugRbTree parent links: child ${c.rbKey} of ${x.rbKey} does not point back`)
        if (x.rbColor === RB_RED && c.rbColor === RB_RED) throw new InvariantError(`AugRbTree red rule: red ${x.rbKey} has red child ${c.rbKey}`)
        nodes.push(c)
        blacks.push(b)
        depths.push(d)
      }
    }
    if (seen !== n) throw new InvariantError(`AugRbTree size: ${seen} nodes reachable, size says ${n}`)
    if (height > 2 * Math.log2(n + 1)) throw new InvariantError(`AugRbTree height bound: ${height} > 2·log2(${n} + 1)`)
    // Child-order tests alone do not order the whole tree; the in-order walk does.
    let prev = -Infinity
    for (let x = this.min(); x !== null; x = this.next(x)) {
      if (!(x.rbKey > prev)) throw new InvariantError(`AugRbTree order: key ${x.rbKey} after ${prev}`)
      prev = x.rbKey
    }
  }

  private maxOf(x: T): number {
    let m = x.augValue
    const l = x.rbLeft
    const r = x.rbRight
    if (l !== null && l.augMax > m) m = l.augMax
    if (r !== null && r.augMax > m) m = r.augMax
    return m
  }

  // A new leaf can only raise its ancestors' maxima; stop at the first that is high enough.
  private raiseAncestors(from: T | null, value: number): void {
    let up = from
    while (up !== null && up.augMax < value) {
      up.augMax = value
      up = up.rbParent
      if (COUNTING) this.cost.nodesVisited++
    }
  }

  private recomputeToRoot(from: T | null): void {
    let x = from
    while (x !== null) {
      if (COUNTING) this.cost.nodesVisited++
      x.augMax = this.maxOf(x)
      x = x.rbParent
    }
  }

  // RB_INSERT_COLOR, as rb-tree.ts.
  private insertColor(elm: T): void {
    let x = elm
    let parent = x.rbParent
    while (parent !== null && parent.rbColor === RB_RED) {
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

  // RB_REMOVE_COLOR, as rb-tree.ts.
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
  // y takes over x's subtree, so y.augMax = x's old augMax; x is recomputed from a and b.
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
    y.augMax = x.augMax
    x.augMax = this.maxOf(x)
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
    y.augMax = x.augMax
    x.augMax = this.maxOf(x)
    if (COUNTING) this.cost.rotations++
  }

  private replaceChild(parent: T | null, old: T, repl: T | null): void {
    if (parent === null) this.rootNode = repl
    else if (parent.rbLeft === old) parent.rbLeft = repl
    else parent.rbRight = repl
  }
}
