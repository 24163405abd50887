// The C layouts behind the memory model (memory-layout.ts), on LP64: C types with size and
// alignment, struct layout arithmetic (sizeof with padding, unions), the link fields of each
// structure, and the records and nodes of the kernels and of the strategies' structures, from
// docs/kernel-model.md §2.1 (FreeBSD), §3.1 (Linux gntdev), §4.1 (Linux gntalloc) and §5.1 (Xen
// rangeset). Real kernel structs are listed too (REFERENCE_LAYOUTS) and the tests check that the
// field sums reproduce their sizes, so the arithmetic behind the model is checked against them.

/** An LP64 C type: size and alignment in bytes. */
export interface CType {
  name: string
  bytes: number
  align: number
}

const PTR: CType = { name: 'pointer', bytes: 8, align: 8 }
const U64: CType = { name: 'uint64_t', bytes: 8, align: 8 }
const ULONG: CType = { name: 'unsigned long', bytes: 8, align: 8 }
const U32: CType = { name: 'uint32_t', bytes: 4, align: 4 }
const INT: CType = { name: 'int', bytes: 4, align: 4 }
const U16: CType = { name: 'uint16_t', bytes: 2, align: 2 }
const I16: CType = { name: 'int16_t', bytes: 2, align: 2 }

export interface Field {
  name: string
  type: CType
}

export interface StructLayout {
  /** C name, e.g. 'struct gntdev_gref'. */
  name: string
  /** Where the layout comes from. */
  source: string
  fields: readonly Field[]
  /**
   * 'struct' lays fields out in order with padding; 'union' overlaps them; 'arrays' is one
   * element of each of several separately allocated arrays (no padding between them).
   */
  kind?: 'struct' | 'union' | 'arrays'
}

/** sizeof() on LP64: fields in order, each aligned, total rounded up to the largest alignment. */
export function sizeOf(layout: StructLayout): number {
  return asType(layout).bytes
}

/** The layout as a C type, so a struct can be a field of another. */
export function asType(layout: StructLayout): CType {
  if (layout.kind === 'arrays') return { name: layout.name, bytes: layout.fields.reduce((s, f) => s + f.type.bytes, 0), align: 1 }
  let offset = 0
  let align = 1
  for (const f of layout.fields) {
    align = Math.max(align, f.type.align)
    if (layout.kind === 'union') offset = Math.max(offset, f.type.bytes)
    else offset = Math.ceil(offset / f.type.align) * f.type.align + f.type.bytes
  }
  return { name: layout.name, bytes: Math.ceil(offset / align) * align, align }
}

/** Padding bytes sizeOf() adds to the sum of the fields (0 for unions by definition of overlap). */
export function paddingOf(layout: StructLayout): number {
  if (layout.kind === 'union' || layout.kind === 'arrays') return 0
  return sizeOf(layout) - layout.fields.reduce((s, f) => s + f.type.bytes, 0)
}

// ---- link fields -------------------------------------------------------------------------------

/** sys/queue.h TAILQ_ENTRY, Linux struct list_head: next + prev. */
export const LIST_LINK: StructLayout = {
  name: 'TAILQ_ENTRY / struct list_head',
  source: 'FreeBSD sys/sys/queue.h; Linux include/linux/types.h',
  fields: [
    { name: 'next', type: PTR },
    { name: 'prev', type: PTR },
  ],
}

/** sys/queue.h STAILQ_ENTRY: the cleanup queue's single link. */
export const QUEUE_LINK: StructLayout = {
  name: 'STAILQ_ENTRY',
  source: 'FreeBSD sys/sys/queue.h',
  fields: [{ name: 'stqe_next', type: PTR }],
}

/** Modern FreeBSD RB_ENTRY (and Linux rb_node): three pointers, colour packed in the parent's low bits. */
export const RB_LINK: StructLayout = {
  name: 'RB_ENTRY (colour in parent pointer)',
  source: 'FreeBSD sys/sys/tree.h (rank bits in rbe_link[0]); Linux struct rb_node (__rb_parent_color)',
  fields: [
    { name: 'parent|colour', type: PTR },
    { name: 'left', type: PTR },
    { name: 'right', type: PTR },
  ],
}

/** Classic RB_ENTRY with an int colour field (older tree.h): 28 bytes padded to 32. */
export const RB_LINK_UNPACKED: StructLayout = {
  name: 'RB_ENTRY (int colour)',
  source: 'FreeBSD sys/sys/tree.h @039ea811 (rbe_color)',
  fields: [
    { name: 'rbe_left', type: PTR },
    { name: 'rbe_right', type: PTR },
    { name: 'rbe_parent', type: PTR },
    { name: 'rbe_color', type: INT },
  ],
}

export function unionOf(name: string, a: StructLayout, b: StructLayout): StructLayout {
  return {
    name,
    source: 'union asked for in review D7293: a record is in its store or on the cleanup queue, never both',
    kind: 'union',
    fields: [
      { name: 'store', type: asType(a) },
      { name: 'cleanup', type: asType(b) },
    ],
  }
}

// ---- records and nodes ------------------------------------------------------------------------

/** Payload of a gref (one per page), shared by every strategy: FreeBSD gntdev_gref without its link. */
export const GREF_PAYLOAD: readonly Field[] = [
  { name: 'file_index', type: U64 },
  { name: 'gref_id', type: U32 },
  { name: 'page', type: PTR },
  { name: 'notify', type: PTR },
]

/** Payload of a gmap (one per MAP call): FreeBSD gntdev_gmap without its link. */
export const GMAP_PAYLOAD: readonly Field[] = [
  { name: 'file_index', type: U64 },
  { name: 'count', type: U32 },
  { name: 'grant_map_ops', type: PTR },
  { name: 'map', type: PTR },
  { name: 'notify', type: PTR },
]

/** Per page of a gmap: one map op (Xen public grant_table.h), the same for every strategy. */
export const GNTTAB_MAP_GRANT_REF: StructLayout = {
  name: 'struct gnttab_map_grant_ref',
  source: 'xen/include/public/grant_table.h',
  fields: [
    { name: 'host_addr', type: U64 },
    { name: 'flags', type: U32 },
    { name: 'ref', type: U32 },
    { name: 'dom', type: U16 },
    { name: 'status', type: I16 },
    { name: 'handle', type: U32 },
    { name: 'dev_bus_addr', type: U64 },
  ],
}

/** Xen struct range: a rangeset node per run. */
export const XEN_RANGE: StructLayout = {
  name: 'struct range',
  source: 'xen/common/rangeset.c (docs/kernel-model.md §5.1)',
  fields: [
    { name: 'list', type: asType(LIST_LINK) },
    { name: 's', type: ULONG },
    { name: 'e', type: ULONG },
  ],
}

/** A rangeset node indexing a run of records: struct range + a pointer to the run's record array. */
export const RANGE_RUN_NODE: StructLayout = {
  name: 'range node → record array',
  source: 'struct range + pointer to the ALLOC/MAP record array (FreeBSD allocates one ALLOC as one array, §2.1)',
  fields: [...XEN_RANGE.fields, { name: 'records', type: PTR }],
}

/** FreeBSD free offset region (file_offset_struct). */
export const FREE_REGION: StructLayout = {
  name: 'struct file_offset_struct',
  source: 'FreeBSD sys/dev/xen/gntdev/gntdev.c (docs/kernel-model.md §2.1)',
  fields: [
    { name: 'next', type: asType(RB_LINK) },
    { name: 'file_offset', type: U64 },
    { name: 'count', type: U64 },
  ],
}

/** A live extent of a stand-alone list allocator (no kernel has it; Linux fuses it into the map list). */
export const LIST_EXTENT: StructLayout = {
  name: 'list extent',
  source: 'harness list allocator: TAILQ link + first page + count',
  fields: [
    { name: 'link', type: asType(LIST_LINK) },
    { name: 'first', type: U64 },
    { name: 'count', type: U64 },
  ],
}

// ---- issue 15: augmented tree, XArray, maple-like B-tree ----------------------------------------

const U8: CType = { name: 'uint8_t', bytes: 1, align: 1 }

/** RB link plus the subtree maximum kept by the augmented tree (Linux rb_subtree_gap / subtree_last). */
export const RB_AUG_LINK: StructLayout = {
  name: 'RB_ENTRY + subtree max (augmented)',
  source: 'Linux struct rb_node + unsigned long rb_subtree_gap (pre-6.1 vm_area_struct); BSD tree.h RB_AUGMENT',
  fields: [...RB_LINK.fields, { name: 'subtree_max', type: ULONG }],
}

/** A free region of the augmented-tree allocator: FreeBSD's file_offset_struct plus the subtree max gap. */
export const AUG_FREE_REGION: StructLayout = {
  name: 'augmented free region',
  source: 'harness augtree allocator: file_offset_struct (kernel-models §2.1) + subtree max gap',
  fields: [
    { name: 'link', type: asType(RB_AUG_LINK) },
    { name: 'file_offset', type: U64 },
    { name: 'count', type: U64 },
  ],
}

/** struct xa_node on LP64 with XA_CHUNK_SHIFT 6: 64 slots and three 64-bit mark bitmaps. */
export const XA_NODE: StructLayout = {
  name: 'struct xa_node',
  source: 'Linux include/linux/xarray.h (XA_CHUNK_SIZE 64, XA_MAX_MARKS 3)',
  fields: [
    { name: 'shift', type: U8 },
    { name: 'offset', type: U8 },
    { name: 'count', type: U8 },
    { name: 'nr_values', type: U8 },
    { name: 'parent', type: PTR },
    { name: 'array', type: PTR },
    { name: 'private_list | rcu_head', type: asType(LIST_LINK) },
    { name: 'slots[64]', type: { name: 'void *[64]', bytes: 512, align: 8 } },
    { name: 'marks[3][1]', type: { name: 'unsigned long[3]', bytes: 24, align: 8 } },
  ],
}

/** A maple tree range node (maple_range_64): 16 slots, 15 pivots, parent; 256 bytes. */
export const MAPLE_NODE: StructLayout = {
  name: 'struct maple_range_64',
  source: 'Linux include/linux/maple_tree.h (MAPLE_RANGE64_SLOTS 16; arange_64 with gaps is also 256 B)',
  fields: [
    { name: 'parent', type: PTR },
    { name: 'pivot[15]', type: { name: 'unsigned long[15]', bytes: 120, align: 8 } },
    { name: 'slot[16]', type: { name: 'void *[16]', bytes: 128, align: 8 } },
  ],
}

/** Linux gntalloc's gref (§4.1): on the global list and its file's list at once. */
export const LINUX_GNTALLOC_GREF: StructLayout = {
  name: 'struct gntalloc_gref (Linux)',
  source: 'docs/kernel-model.md §4.1',
  fields: [
    { name: 'next_gref', type: asType(LIST_LINK) },
    { name: 'next_file', type: asType(LIST_LINK) },
    { name: 'page', type: PTR },
    { name: 'file_index', type: U64 },
    { name: 'users', type: U32 },
    { name: 'gref_id', type: U32 },
    { name: 'notify.pgoff:12,flags:2', type: U16 },
    { name: 'notify.event', type: INT },
  ],
}

/**
 * Real kernel records with their amd64 sizeof (worked out by hand from the structs and checked
 * with gcc on equivalent declarations); the tests compare the model's arithmetic with them.
 */
export const REFERENCE_LAYOUTS: readonly { layout: StructLayout; kernelBytes: number }[] = [
  {
    kernelBytes: 56,
    layout: {
      name: 'struct gntdev_gref (FreeBSD)',
      source: 'docs/kernel-model.md §2.1',
      fields: [{ name: 'gref_next (union tree|list)', type: asType(unionOf('gref_next_union', RB_LINK, QUEUE_LINK)) }, ...GREF_PAYLOAD],
    },
  },
  {
    kernelBytes: 64,
    layout: {
      name: 'struct gntdev_gmap (FreeBSD)',
      source: 'docs/kernel-model.md §2.1',
      fields: [{ name: 'gmap_next (union tree|list)', type: asType(unionOf('gmap_next_union', RB_LINK, QUEUE_LINK)) }, ...GMAP_PAYLOAD],
    },
  },
  { kernelBytes: 64, layout: LINUX_GNTALLOC_GREF },
  { kernelBytes: 32, layout: XEN_RANGE },
  { kernelBytes: 40, layout: FREE_REGION },
  { kernelBytes: 32, layout: GNTTAB_MAP_GRANT_REF },
]

// ---- Linux gntdev's own record (docs/kernel-model.md §3.1), for the linux-gntdev preset -------------

/** struct gntdev_grant_map, core fields of §3.1 (no DMA-buf state, no MMU interval notifier). */
export const LINUX_GRANT_MAP: StructLayout = {
  name: 'struct gntdev_grant_map (Linux, core)',
  source: 'docs/kernel-model.md §3.1 (modern; DMA-buf and interval-notifier fields left out)',
  fields: [
    { name: 'next', type: asType(LIST_LINK) },
    { name: 'vma', type: PTR },
    { name: 'index', type: INT },
    { name: 'count', type: INT },
    { name: 'flags', type: INT },
    { name: 'users', type: INT },
    { name: 'notify.flags', type: INT },
    { name: 'notify.addr', type: INT },
    { name: 'notify.event', type: U32 },
    { name: 'grants', type: PTR },
    { name: 'map_ops', type: PTR },
    { name: 'unmap_ops', type: PTR },
    { name: 'kmap_ops', type: PTR },
    { name: 'kunmap_ops', type: PTR },
    { name: 'pages', type: PTR },
    { name: 'being_removed', type: PTR },
    { name: 'live_grants', type: INT },
  ],
}

/** Per page of a Linux gntdev map: the arrays of §3.1 (PV layout, with kmap/kunmap ops). */
export const LINUX_GRANT_MAP_PAGE: StructLayout = {
  name: 'Linux gntdev per-page arrays',
  kind: 'arrays',
  source: 'docs/kernel-model.md §3.1: grants, map_ops, unmap_ops, kmap_ops, kunmap_ops, pages, being_removed',
  fields: [
    { name: 'grants[i] {domid, ref}', type: U64 },
    { name: 'map_ops[i]', type: asType(GNTTAB_MAP_GRANT_REF) },
    { name: 'unmap_ops[i]', type: { name: 'struct gnttab_unmap_grant_ref', bytes: 24, align: 8 } },
    { name: 'kmap_ops[i]', type: asType(GNTTAB_MAP_GRANT_REF) },
    { name: 'kunmap_ops[i]', type: { name: 'struct gnttab_unmap_grant_ref', bytes: 24, align: 8 } },
    { name: 'pages[i]', type: PTR },
    { name: 'being_removed[i]', type: { name: 'bool', bytes: 1, align: 1 } },
  ],
}
