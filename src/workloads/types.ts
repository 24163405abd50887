// Contracts of the workloads layer. A workload is a seeded generator of *symbolic* operation
// streams: ALLOC and MAP results go into numbered handles and later operations name the handle,
// never a literal offset. That is what lets one stream run on every strategy, although FreeBSD
// hands out offsets downward from 2^64 and Linux upward from 0. Traces (gntbench record/replay)
// serialise exactly these operations.

/** One ioctl or mm call on an open grant device file. Page counts are in pages. */
export type DeviceOp =
  /** ALLOC_GREF: result (first page) stored in handle. */
  | { readonly kind: 'alloc'; readonly handle: number; readonly domid: number; readonly pages: number; readonly writable: boolean }
  /** DEALLOC_GREF of `pages` pages starting `pageOffset` pages after handle's first page. */
  | { readonly kind: 'dealloc'; readonly handle: number; readonly pageOffset: number; readonly pages: number }
  /** MAP_GRANT_REF of the peer's grants (refs pre-generated so the timed region does no granting). */
  | { readonly kind: 'map'; readonly handle: number; readonly domid: number; readonly grantRefs: readonly number[] }
  /** UNMAP_GRANT_REF(handle's first page, pages); pages 0 is Linux's wildcard. */
  | { readonly kind: 'unmap'; readonly handle: number; readonly pages: number }
  /** mmap of `pages` pages at handle's first page + pageOffset; the vaddr goes into vma slot. */
  | { readonly kind: 'mmap'; readonly vma: number; readonly handle: number; readonly pageOffset: number; readonly pages: number; readonly writable: boolean }
  /** munmap of the VMA in slot vma. */
  | { readonly kind: 'munmap'; readonly vma: number }
  /** GET_OFFSET_FOR_VADDR on the VMA in slot vma. */
  | { readonly kind: 'getOffset'; readonly vma: number }
  /** SET_UNMAP_NOTIFY at byte byteInPage of page (handle's first page + pageOffset). */
  | { readonly kind: 'notify'; readonly handle: number; readonly pageOffset: number; readonly byteInPage: number; readonly action: number; readonly port: number }
  /** The peer starts mapping our granted pages (foreign access): keeps them alive after DEALLOC. */
  | { readonly kind: 'foreignMap'; readonly handle: number; readonly pageOffset: number; readonly pages: number }
  /** The peer stops mapping them. */
  | { readonly kind: 'foreignUnmap'; readonly handle: number; readonly pageOffset: number; readonly pages: number }
  /** close() of the file. */
  | { readonly kind: 'close' }

export type DeviceOpKind = DeviceOp['kind']

/**
 * A generated stream. `setup` builds the live set of size N (run outside the timed region);
 * `measured` is the timed part. Handles and VMA slots are numbered from 0 upward across both,
 * so `handles` and `vmas` are the table sizes the applier needs.
 */
export interface OpStream {
  readonly setup: readonly DeviceOp[]
  readonly measured: readonly DeviceOp[]
  readonly handles: number
  readonly vmas: number
}

export interface WorkloadParams {
  /** Live-set size N (records or pages, as the workload documents). */
  size: number
  seed: number
  /** Number of measured operations (K). */
  ops: number
}

export interface Workload {
  readonly name: string
  /** One line: who issues this pattern (docs/kernel-model.md §6) and what it stresses. */
  readonly summary: string
  /** What `size` counts for this workload (e.g. 'live gmaps', 'live pages'). */
  readonly sizeUnit: string
  generate(params: WorkloadParams): OpStream
}
