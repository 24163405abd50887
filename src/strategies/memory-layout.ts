// Modelled kernel memory of the grant device's bookkeeping on LP64 (issue 5, item 6a): how many
// bytes each strategy's records, index nodes and allocator nodes would take in a C kernel, from
// the record layouts in docs/kernel-model.md §2.1 (FreeBSD), §3.1 (Linux gntdev), §4.1 (Linux
// gntalloc) and §5.1 (Xen rangeset).
//
// It lives in the strategies layer because it describes the strategies' layouts; it takes
// structure *kinds* ('list', 'rbtree', 'rangeset', 'bump', …, the `kind` of each component) and
// live counts, which the sweep reads off a live device; the results file carries the numbers,
// so the report layer never needs this module.
//
// What varies between strategies is only the link fields and the nodes a structure allocates
// itself; the records' payload fields are held the same for every strategy (FreeBSD's, which
// are also exactly Linux gntalloc's 32 payload bytes), so differences are the structures'.
// Every record's store link shares a union with its cleanup-queue link, as the FreeBSD review
// (D7293) asked: a record is never in a store and on the cleanup queue at once.
// The C layouts it is built from, and the real kernel structs that check its arithmetic, are in
// c-layouts.ts.

import type { Field, StructLayout } from './c-layouts.js'
import { asType, AUG_FREE_REGION, FREE_REGION, GMAP_PAYLOAD, GNTTAB_MAP_GRANT_REF, GREF_PAYLOAD, LINUX_GNTALLOC_GREF, LINUX_GRANT_MAP, LINUX_GRANT_MAP_PAGE, LIST_EXTENT, LIST_LINK, MAPLE_NODE, paddingOf, QUEUE_LINK, RANGE_RUN_NODE, RB_AUG_LINK, RB_LINK, RB_LINK_UNPACKED, REFERENCE_LAYOUTS, sizeOf, unionOf, XA_NODE, XEN_RANGE } from './c-layouts.js'

// ---- the per-strategy model -------------------------------------------------------------------

/** A record as the model lays it out: its links (structure-dependent) and the rest. */
interface RecordModel {
  layout: StructLayout
  /** Bytes of link fields, the structure-dependent part of the record. */
  linkBytes: number
  /** What the same record would take with the store and cleanup links as separate fields. */
  bytesWithoutUnion: number
  /** Per-page array bytes of the record (gmaps only). */
  perPage: StructLayout | null
  describe: string
}

/** How a store of this kind links a record, and what node (if any) it allocates per run. */
interface StoreModel {
  /** The record's link field: the store link in a union with the cleanup-queue link. */
  link: StructLayout
  /** A node the store allocates itself (rangeset runs), or null for intrusive stores. */
  node: StructLayout | null
  describe: string
}

const LIST_STORE: StoreModel = { link: unionOf('union { TAILQ_ENTRY; STAILQ_ENTRY }', LIST_LINK, QUEUE_LINK), node: null, describe: 'TAILQ link 16 B ∪ cleanup link' }

const STORE_MODELS: Readonly<Record<string, StoreModel>> = {
  list: LIST_STORE,
  // Linux gntdev's fused allocator + map list is the same list, seen from the store side.
  'linux-gmap-list': LIST_STORE,
  rbtree: { link: unionOf('union { RB_ENTRY; STAILQ_ENTRY }', RB_LINK, QUEUE_LINK), node: null, describe: 'RB link 24 B (packed colour) ∪ cleanup link' },
  rangeset: { link: QUEUE_LINK, node: RANGE_RUN_NODE, describe: 'cleanup link 8 B; a 40 B range node per run' },
  augtree: { link: unionOf('union { augmented RB_ENTRY; STAILQ_ENTRY }', RB_AUG_LINK, QUEUE_LINK), node: null, describe: 'RB link + subtree max end 32 B ∪ cleanup link' },
  xarray: { link: QUEUE_LINK, node: XA_NODE, describe: 'cleanup link 8 B; a slot in a 576 B xa_node per page' },
  maple: { link: QUEUE_LINK, node: MAPLE_NODE, describe: 'cleanup link 8 B; a slot in a 256 B maple node per gmap' },
}

interface AllocatorModel {
  node: StructLayout | null
  /** Bytes per open file that do not grow with N (the bump counter). */
  perFile: number
  describe: string
}

const ALLOCATOR_MODELS: Readonly<Record<string, AllocatorModel>> = {
  rbtree: { node: FREE_REGION, perFile: 0, describe: 'free-region tree, 40 B per free region' },
  rangeset: { node: XEN_RANGE, perFile: 0, describe: 'used-range rangeset, 32 B per run' },
  list: { node: LIST_EXTENT, perFile: 0, describe: 'extent list, 32 B per live extent' },
  bump: { node: null, perFile: 8, describe: 'u64 counter, 8 B per file' },
  'linux-gmap-list': { node: null, perFile: 0, describe: 'fused into the sorted map list, no nodes' },
  augtree: { node: AUG_FREE_REGION, perFile: 0, describe: 'free-region tree with subtree max gap, 48 B per free region' },
  // Fused with the gmap store in the `maple` strategy: the runner then counts the tree's nodes here only.
  maple: { node: MAPLE_NODE, perFile: 0, describe: 'B-tree of live ranges with gap tracking, 256 B per node' },
}

function modelRecord(what: 'gref' | 'gmap', kind: string): RecordModel | null {
  const store = STORE_MODELS[kind]
  if (store === undefined) return null
  const payload = what === 'gref' ? GREF_PAYLOAD : GMAP_PAYLOAD
  const layout: StructLayout = { name: `${what} record, ${kind} store`, source: store.describe, fields: [{ name: 'link', type: asType(store.link) }, ...payload] }
  // Without the union the store link and the cleanup link are two fields.
  const separate: Field[] = store.link.kind === 'union' ? store.link.fields.map((f) => ({ ...f })) : [{ name: 'link', type: asType(store.link) }]
  return {
    layout,
    linkBytes: sizeOf(store.link),
    bytesWithoutUnion: sizeOf({ name: 'no union', source: '', fields: [...separate, ...payload] }),
    perPage: what === 'gmap' ? GNTTAB_MAP_GRANT_REF : null,
    describe: store.describe,
  }
}

/**
 * Kernel presets keep their kernel's own records (§2.1, §3.1, §4.1) rather than the neutral
 * payload: Linux gntalloc's gref sits on the global list and the file list at once (two
 * list_heads, no union possible); Linux gntdev's map carries many more fields and six per-page
 * arrays. FreeBSD's records are the neutral model already.
 */
const KERNEL_RECORDS: Readonly<Record<string, Partial<Record<'gref' | 'gmap', RecordModel>>>> = {
  'linux-gntalloc': {
    gref: {
      layout: LINUX_GNTALLOC_GREF,
      linkBytes: 32,
      bytesWithoutUnion: 64,
      perPage: null,
      describe: 'global list_head + file list_head (both always linked)',
    },
  },
  'linux-gntdev': {
    gmap: { layout: LINUX_GRANT_MAP, linkBytes: 16, bytesWithoutUnion: sizeOf(LINUX_GRANT_MAP), perPage: LINUX_GRANT_MAP_PAGE, describe: 'list_head in the sorted map list; refcounted, no cleanup link' },
  },
}

export interface ComponentKinds {
  allocator: string
  grefStore: string
  gmapStore: string
}

/** Live counts read off a device after building the live set. */
export interface LiveCounts {
  grefs: number
  gmaps: number
  /** Pages covered by live gmaps. */
  gmapPages: number
  /** Nodes the allocator holds (OffsetAllocator.stats().nodes). */
  allocatorNodes: number
  /** Nodes the stores allocated themselves and still hold (cost.nodesAllocated − nodesFreed since open). */
  grefStoreNodes: number
  gmapStoreNodes: number
}

export interface MemoryLine {
  what: string
  layout: string
  count: number
  bytesEach: number
  bytes: number
  /** True for bytes the choice of structure decides (links, index and allocator nodes). */
  structural: boolean
}

export interface MemoryEstimate {
  /** Sum of every line; NaN when a kind is unknown to the model. */
  totalBytes: number
  /** The structural lines only: what the data-structure choice costs. */
  structuralBytes: number
  /** Records = grefs + gmaps. */
  records: number
  /** Live pages = grefs + gmap pages. */
  livePages: number
  bytesPerRecord: number
  bytesPerPage: number
  structuralBytesPerRecord: number
  /** Same total without the union of store and cleanup links (separate fields). */
  totalBytesWithoutUnion: number
  lines: MemoryLine[]
  /** Kinds the model does not know (their lines count NaN bytes). */
  unknownKinds: string[]
}

/**
 * Modelled kernel bytes of one file's bookkeeping for the given structure kinds and live counts.
 * `strategyName` (quirk suffix ignored) selects a kernel preset's own records where it has them.
 */
export function estimateMemory(kinds: ComponentKinds, counts: LiveCounts, strategyName = ''): MemoryEstimate {
  const lines: MemoryLine[] = []
  const unknownKinds: string[] = []
  let withoutUnionDelta = 0
  const add = (what: string, layout: string, count: number, bytesEach: number, structural: boolean): void => {
    lines.push({ what, layout, count, bytesEach, bytes: count * bytesEach, structural })
  }
  const preset = KERNEL_RECORDS[strategyName.split(':')[0] ?? ''] ?? {}

  const stores: ['gref' | 'gmap', string, number, number, number][] = [
    ['gref', kinds.grefStore, counts.grefs, counts.grefStoreNodes, 0],
    ['gmap', kinds.gmapStore, counts.gmaps, counts.gmapStoreNodes, counts.gmapPages],
  ]
  for (const [what, kind, records, nodes, pages] of stores) {
    if (records === 0 && nodes === 0) continue
    const record = preset[what] ?? modelRecord(what, kind)
    if (record === null) {
      unknownKinds.push(`${what} store '${kind}'`)
      add(`${what} records`, `unknown store '${kind}'`, records, NaN, true)
      continue
    }
    const size = sizeOf(record.layout)
    add(`${what} links`, record.describe, records, record.linkBytes, true)
    add(`${what} payload`, `rest of ${record.layout.name}`, records, size - record.linkBytes, false)
    withoutUnionDelta += records * (record.bytesWithoutUnion - size)
    const node = STORE_MODELS[kind]?.node ?? null
    if (node !== null && nodes > 0) add(`${what} index nodes`, node.name, nodes, sizeOf(node), true)
    if (record.perPage !== null && pages > 0) add(`${what} per-page arrays`, record.perPage.name, pages, sizeOf(record.perPage), false)
  }

  const alloc = ALLOCATOR_MODELS[kinds.allocator]
  if (alloc === undefined) {
    unknownKinds.push(`allocator '${kinds.allocator}'`)
    add('allocator nodes', `unknown allocator '${kinds.allocator}'`, counts.allocatorNodes, NaN, true)
  } else {
    if (alloc.node !== null) add('allocator nodes', alloc.describe, counts.allocatorNodes, sizeOf(alloc.node), true)
    if (alloc.perFile > 0) add('allocator state', alloc.describe, 1, alloc.perFile, true)
  }

  const totalBytes = lines.reduce((s, l) => s + l.bytes, 0)
  const structuralBytes = lines.filter((l) => l.structural).reduce((s, l) => s + l.bytes, 0)
  const records = counts.grefs + counts.gmaps
  const livePages = counts.grefs + counts.gmapPages
  return {
    totalBytes,
    structuralBytes,
    records,
    livePages,
    bytesPerRecord: records > 0 ? totalBytes / records : NaN,
    bytesPerPage: livePages > 0 ? totalBytes / livePages : NaN,
    structuralBytesPerRecord: records > 0 ? structuralBytes / records : NaN,
    totalBytesWithoutUnion: totalBytes + withoutUnionDelta,
    lines,
    unknownKinds,
  }
}

export interface LayoutRow {
  name: string
  fields: string
  bytes: number
  padding: number
  source: string
}

/** Rows for the report's layout table: every layout the model uses, with its LP64 size. */
export function layoutTable(): LayoutRow[] {
  const layouts: StructLayout[] = [
    LIST_LINK,
    QUEUE_LINK,
    RB_LINK,
    RB_LINK_UNPACKED,
    XEN_RANGE,
    RANGE_RUN_NODE,
    FREE_REGION,
    LIST_EXTENT,
    GNTTAB_MAP_GRANT_REF,
    RB_AUG_LINK,
    AUG_FREE_REGION,
    XA_NODE,
    MAPLE_NODE,
    ...['list', 'rbtree', 'rangeset', 'augtree', 'xarray', 'maple'].flatMap((kind) => [(modelRecord('gref', kind) as RecordModel).layout, (modelRecord('gmap', kind) as RecordModel).layout]),
    ...REFERENCE_LAYOUTS.map((r) => r.layout),
    LINUX_GRANT_MAP,
    LINUX_GRANT_MAP_PAGE,
  ]
  const seen = new Set<string>()
  const unique = layouts.filter((l) => {
    if (seen.has(l.name)) return false
    seen.add(l.name)
    return true
  })
  return unique.map((layout) => ({
    name: layout.name,
    fields: layout.fields.map((f) => `${f.name} ${f.type.bytes}`).join(' + '),
    bytes: sizeOf(layout),
    padding: paddingOf(layout),
    source: layout.source,
  }))
}
