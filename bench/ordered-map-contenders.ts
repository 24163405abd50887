// The contenders of bench/structures-vs-libs.ts: our intrusive red-black tree as `gntbench run`
// times it (from the timed build, src/runner/timed-build.ts: no cost counting), the same tree with
// its counters (the control, which says what counting would cost) and the JS ordered-map
// libraries, each behind the same small batch API.
//
// Why one class per contender with its own loops: V8 keeps the call sites inside each loop
// monomorphic (one map type, one tree class), which is how each library would be used in real
// code. A shared driver measured within noise once warm, but separate loops
// cost nothing and take the question off the table.
//
// Why a batch of `copies` structures: below ~1e5 keys one pass over one tree is far shorter than
// a useful sample, so every phase runs over `copies` fresh structures built from the same keys
// (batch work per sample). Every phase returns a checksum, the sum of the
// keys it found, inserted or removed, so a contender that silently skips work (js-sdsl's
// published erase benchmark) is caught by the harness rather than rewarded.
//
// Semantics kept equal across contenders:
//   insert  — build from empty; ours allocates its element inside the timed loop, because every
//             library allocates its node there too (an intrusive caller would have the element
//             already, which would flatter ours).
//   lookup  — find by key, all hits; the checksum adds the key read back from the found entry.
//   ceiling — smallest key ≥ q with q = key − 1 (odd, never present), so the answer is key.
//   delete  — delete by key; ours finds the element first (find + remove), as a map would.

import { OrderedMap } from 'js-sdsl'
import { RBTree } from 'bintrees'
import sortedBtree from 'sorted-btree'
import { timedBuildUrl } from '../src/runner/timed-build.js'
import { RbTree as RbTreeCounted } from '../src/structures/rb-tree.js'
import type { RbColor, RbLinks } from '../src/structures/types.js'
import { RB_BLACK } from '../src/structures/types.js'

const { RbTree } = (await import(timedBuildUrl('structures/rb-tree.ts').href)) as typeof import('../src/structures/rb-tree.js')
const { RangeBTree } = (await import(timedBuildUrl('structures/range-btree.ts').href)) as typeof import('../src/structures/range-btree.js')

// sorted-btree is CommonJS with `exports.default = BTree` and `__esModule`. Node's ESM loader
// hands us module.exports as the default import (the class sits one level down), while vitest's
// loader honours `__esModule` and hands us the class itself; accept both.
const sortedBtreeDefault: unknown = sortedBtree
const BTree = (typeof sortedBtreeDefault === 'function' ? sortedBtreeDefault : sortedBtree.default) as typeof sortedBtree.default

/** Names used on the command line, in the JSON and as ministat dataset labels. */
export type ContenderName = 'rbtree' | 'rbtree-counted' | 'js-sdsl' | 'bintrees' | 'sorted-btree' | 'maple-btree'

/**
 * What a contender is, for the targets: 'ours' is the baseline, 'control' is our tree with its
 * counters (only compared with ours), 'binary-tree' and 'b-tree' are the libraries, 'ours-b-tree'
 * is our maple-like B-tree (issue 15), shown beside them but not part of the targets.
 */
export type ContenderKind = 'ours' | 'control' | 'binary-tree' | 'b-tree' | 'ours-b-tree'

/** One batch: `copies` independent structures, each holding the same N keys after insert. */
export interface Batch {
  /** Inserts every key into every copy; returns the sum of keys newly inserted. */
  insert(keys: readonly number[]): number
  /** Looks every key up in every copy; returns the sum of the keys found. */
  lookup(keys: readonly number[]): number
  /** Ceiling (nfind) of every query in every copy; returns the sum of the keys returned. */
  ceiling(queries: readonly number[]): number
  /** Deletes every key from every copy; returns the sum of the keys deleted. */
  delete(keys: readonly number[]): number
  /** Sum of the sizes of all copies (checked outside the timed region). */
  totalSize(): number
}

export interface Contender {
  readonly name: ContenderName
  readonly kind: ContenderKind
  /** Package and version, or the source file, for the report. */
  readonly source: string
  newBatch(copies: number): Batch
}

/** The element our intrusive trees hold: links plus key, every field set in the constructor. */
export class BenchNode implements RbLinks<BenchNode> {
  rbLeft: BenchNode | null
  rbRight: BenchNode | null
  rbParent: BenchNode | null
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

class RbTreeBatch implements Batch {
  private readonly trees: InstanceType<typeof RbTree<BenchNode>>[]

  constructor(copies: number) {
    this.trees = Array.from({ length: copies }, () => new RbTree<BenchNode>())
  }

  insert(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) if (tree.insert(new BenchNode(k)) === null) sum += k
    }
    return sum
  }

  lookup(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) {
        const e = tree.find(k)
        if (e !== null) sum += e.rbKey
      }
    }
    return sum
  }

  ceiling(queries: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const q of queries) {
        const e = tree.nfind(q)
        if (e !== null) sum += e.rbKey
      }
    }
    return sum
  }

  delete(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) {
        const e = tree.find(k)
        if (e !== null) {
          tree.remove(e)
          sum += e.rbKey
        }
      }
    }
    return sum
  }

  totalSize(): number {
    let n = 0
    for (const tree of this.trees) n += tree.size
    return n
  }
}

// A textual twin of RbTreeBatch on the counted tree. Not shared through a generic base class
// on purpose: a shared method would see two tree classes and go polymorphic, and the point of
// this contender is to differ from `rbtree` only by the counter increments.
class RbTreeCountedBatch implements Batch {
  private readonly trees: RbTreeCounted<BenchNode>[]

  constructor(copies: number) {
    this.trees = Array.from({ length: copies }, () => new RbTreeCounted<BenchNode>())
  }

  insert(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) if (tree.insert(new BenchNode(k)) === null) sum += k
    }
    return sum
  }

  lookup(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) {
        const e = tree.find(k)
        if (e !== null) sum += e.rbKey
      }
    }
    return sum
  }

  ceiling(queries: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const q of queries) {
        const e = tree.nfind(q)
        if (e !== null) sum += e.rbKey
      }
    }
    return sum
  }

  delete(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) {
        const e = tree.find(k)
        if (e !== null) {
          tree.remove(e)
          sum += e.rbKey
        }
      }
    }
    return sum
  }

  totalSize(): number {
    let n = 0
    for (const tree of this.trees) n += tree.size
    return n
  }
}

// js-sdsl's default comparator (x < y ? -1 : x > y ? 1 : 0) is numeric already, so we keep it:
// each library runs as its README shows it.
class JsSdslBatch implements Batch {
  private readonly maps: OrderedMap<number, number>[]

  constructor(copies: number) {
    this.maps = Array.from({ length: copies }, () => new OrderedMap<number, number>())
  }

  insert(keys: readonly number[]): number {
    let sum = 0
    for (const map of this.maps) {
      // setElement returns the size afterwards; a growing size means the key was new.
      let size = map.size()
      for (const k of keys) {
        const after = map.setElement(k, k)
        if (after !== size) sum += k
        size = after
      }
    }
    return sum
  }

  lookup(keys: readonly number[]): number {
    let sum = 0
    for (const map of this.maps) {
      for (const k of keys) {
        const v = map.getElementByKey(k)
        if (v !== undefined) sum += v
      }
    }
    return sum
  }

  ceiling(queries: readonly number[]): number {
    let sum = 0
    for (const map of this.maps) {
      // `pointer` builds a Proxy on every access; that is js-sdsl's real cost of
      // reading a bound's key, so it stays in the timed loop.
      const end = map.end()
      for (const q of queries) {
        const it = map.lowerBound(q)
        if (!it.equals(end)) sum += it.pointer[0]
      }
    }
    return sum
  }

  delete(keys: readonly number[]): number {
    let sum = 0
    for (const map of this.maps) {
      for (const k of keys) if (map.eraseElementByKey(k)) sum += k
    }
    return sum
  }

  totalSize(): number {
    let n = 0
    for (const map of this.maps) n += map.size()
    return n
  }
}

const numericOrder = (a: number, b: number): number => a - b

// bintrees is a set of items and has no default comparator; `a − b` is what its README uses.
class BintreesBatch implements Batch {
  private readonly trees: RBTree<number>[]

  constructor(copies: number) {
    this.trees = Array.from({ length: copies }, () => new RBTree<number>(numericOrder))
  }

  insert(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) if (tree.insert(k)) sum += k
    }
    return sum
  }

  lookup(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) {
        const v = tree.find(k)
        if (v !== null) sum += v
      }
    }
    return sum
  }

  ceiling(queries: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const q of queries) {
        const v = tree.lowerBound(q).data()
        if (v !== null) sum += v
      }
    }
    return sum
  }

  delete(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) if (tree.remove(k)) sum += k
    }
    return sum
  }

  totalSize(): number {
    let n = 0
    for (const tree of this.trees) n += tree.size
    return n
  }
}

// sorted-btree with its default comparator (it handles mixed key types, which is part of its cost
// and of how it is used). getPairOrNextHigher takes a reused pair so the ceiling loop does not
// allocate a result array per call.
class SortedBtreeBatch implements Batch {
  private readonly trees: InstanceType<typeof BTree<number, number>>[]

  constructor(copies: number) {
    this.trees = Array.from({ length: copies }, () => new BTree<number, number>())
  }

  insert(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) if (tree.set(k, k)) sum += k
    }
    return sum
  }

  lookup(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) {
        const v = tree.get(k)
        if (v !== undefined) sum += v
      }
    }
    return sum
  }

  ceiling(queries: readonly number[]): number {
    let sum = 0
    const pair: [number, number] = [0, 0]
    for (const tree of this.trees) {
      for (const q of queries) {
        const p = tree.getPairOrNextHigher(q, pair)
        if (p !== undefined) sum += p[0]
      }
    }
    return sum
  }

  delete(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) if (tree.delete(k)) sum += k
    }
    return sum
  }

  totalSize(): number {
    let n = 0
    for (const tree of this.trees) n += tree.size
    return n
  }
}

// Our maple-like B-tree of ranges (src/structures/range-btree.ts, timed build), used as an ordered
// map: key k is the one-page range [k, k + 1) with value k. Its per-node gap upkeep is part of
// what it costs, as it would be in the device. The space is the whole safe-integer range.
class MapleBtreeBatch implements Batch {
  private readonly trees: InstanceType<typeof RangeBTree<number>>[]

  constructor(copies: number) {
    this.trees = Array.from({ length: copies }, () => new RangeBTree<number>(Number.MAX_SAFE_INTEGER))
  }

  insert(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) if (tree.insert(k, k + 1, k)) sum += k
    }
    return sum
  }

  lookup(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) if (tree.seekFloor(k) && tree.cursorStart === k) sum += tree.cursorValue
    }
    return sum
  }

  ceiling(queries: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const q of queries) if (tree.seekCeiling(q)) sum += tree.cursorStart
    }
    return sum
  }

  delete(keys: readonly number[]): number {
    let sum = 0
    for (const tree of this.trees) {
      for (const k of keys) {
        if (tree.seekFloor(k) && tree.cursorStart === k) {
          tree.eraseCursor()
          sum += k
        }
      }
    }
    return sum
  }

  totalSize(): number {
    let n = 0
    for (const tree of this.trees) n += tree.size
    return n
  }
}

/** All contenders, ours first (the ministat baseline), then the libraries, then the control. */
export const CONTENDERS: readonly Contender[] = [
  { name: 'rbtree', kind: 'ours', source: 'src/structures/rb-tree.ts, timed build (as `gntbench run` times it)', newBatch: (c) => new RbTreeBatch(c) },
  { name: 'js-sdsl', kind: 'binary-tree', source: 'js-sdsl 4.4.2 OrderedMap', newBatch: (c) => new JsSdslBatch(c) },
  { name: 'bintrees', kind: 'binary-tree', source: 'bintrees 1.0.2 RBTree', newBatch: (c) => new BintreesBatch(c) },
  { name: 'sorted-btree', kind: 'b-tree', source: 'sorted-btree 2.1.0 BTree', newBatch: (c) => new SortedBtreeBatch(c) },
  { name: 'rbtree-counted', kind: 'control', source: 'src/structures/rb-tree.ts with its cost counters', newBatch: (c) => new RbTreeCountedBatch(c) },
  { name: 'maple-btree', kind: 'ours-b-tree', source: 'src/structures/range-btree.ts, timed build (one-page ranges as keys)', newBatch: (c) => new MapleBtreeBatch(c) },
]

export function contender(name: ContenderName): Contender {
  const c = CONTENDERS.find((x) => x.name === name)
  if (c === undefined) throw new RangeError(`unknown contender ${name}`)
  return c
}
