/*
 * The offset allocator contract (src/strategies/types.ts OffsetAllocator): hands out file
 * offsets, in pages, for ALLOC_GREF and MAP_GRANT_REF. Each allocator embeds this header first
 * and fills in its operations, like a kernel ops table.
 */
#ifndef GNT_ALLOCATOR_H
#define GNT_ALLOCATOR_H

#include "types.h"

struct offset_allocator;

struct offset_allocator_ops {
	/* First page of a fresh run, or -EINVAL / -ENOSPC / -EOVERFLOW. */
	page_t (*alloc)(struct offset_allocator *a, page_t pages);
	/* Return a run (may still be mmapped: the kernels free offsets at once). */
	void (*free)(struct offset_allocator *a, page_t first_page, page_t pages);
	check_result (*check)(struct offset_allocator *a);
	void (*destroy)(struct offset_allocator *a);
};

struct offset_allocator {
	const struct offset_allocator_ops *ops;
	page_t space; /* offset space in pages */
};

struct offset_allocator *bump_allocator_new(page_t space, const struct quirks *q);
struct offset_allocator *list_allocator_new(page_t space, const struct quirks *q);
struct offset_allocator *rbtree_allocator_new(page_t space, const struct quirks *q);
struct offset_allocator *rangeset_allocator_new(page_t space, const struct quirks *q);
struct offset_allocator *augtree_allocator_new(page_t space, const struct quirks *q);

#endif
