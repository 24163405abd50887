// The grant device's ABI constants, shared by every layer that speaks to or models the device:
// the page size of its byte offsets, the size of its offset space, the SET_UNMAP_NOTIFY action
// bits and the ALLOC_GREF flag (FreeBSD sys/xen/gntdev.h, Linux include/uapi/xen/gntdev.h and
// gntalloc.h; docs/kernel-model.md §1). One definition; a leaf anyone may import.

export const PAGE_SHIFT = 12
export const PAGE_BYTES = 4096
/** FreeBSD's MAX_OFFSET_COUNT: (2^64 − 1 >> 12) + 1 = 2^52 pages, the whole u64 byte space. */
export const OFFSET_SPACE_PAGES = 2 ** 52

/** SET_UNMAP_NOTIFY action bits (same values on Linux and FreeBSD). */
export const UNMAP_NOTIFY_CLEAR_BYTE = 1
export const UNMAP_NOTIFY_SEND_EVENT = 2

/** ALLOC_GREF flag: the peer may write the page. */
export const GNTDEV_ALLOC_FLAG_WRITABLE = 1

/** Xen domain ids are 16-bit (domid_t). */
export const DOMID_MAX = 0xffff
