/*
 * A radix tree keyed by page index, after Linux's XArray (Documentation/core-api/xarray.rst;
 * src/structures/xarray.ts): 64-slot nodes, 6 bits of the index per level, only as tall as the
 * largest index needs (storing beyond the root's reach pushes new roots on top; erasing frees
 * empty nodes upwards and shrinks the tree while the root uses only slot 0). Lookup is one slot
 * read per level: at most 9 levels for the 2^52-page offset space.
 */
#ifndef GNT_XARRAY_H
#define GNT_XARRAY_H

#include "types.h"
#include "zone.h"

#define XA_CHUNK_SHIFT 6
#define XA_CHUNK_SIZE 64
#define XA_CHUNK_MASK 63

struct xa_node {
	int level;  /* 0: a leaf, slots hold entries; L: slots hold level L - 1 nodes */
	int offset; /* slot of this node in its parent */
	int count;  /* non-empty slots */
	struct xa_node *parent;
	void *slots[XA_CHUNK_SIZE];
};

struct xarray {
	struct xa_node *root;
	int64_t count;
	struct zone zone;
};

void xa_init(struct xarray *xa);
void xa_destroy(struct xarray *xa);
/* The leaf covering index, or NULL; consecutive indices can then be read from its slots. */
struct xa_node *xa_leaf_of(const struct xarray *xa, page_t index);
void *xa_load(const struct xarray *xa, page_t index);
/* xa_insert: store unless occupied; returns the existing entry (nothing stored) or NULL. */
void *xa_insert(struct xarray *xa, page_t index, void *entry);
/* Erase slot `slot` of a leaf from xa_leaf_of; returns the entry that was there. */
void *xa_erase_in_leaf(struct xarray *xa, struct xa_node *leaf, int slot);
/* Visit every entry in ascending index order. */
void xa_for_each(const struct xarray *xa, void (*fn)(void *ctx, page_t index, void *entry), void *ctx);
/* Drop every entry and node. */
void xa_clear(struct xarray *xa);
/* Levels, parent links, counts, a minimal root; key_of (optional) must give each entry's index. */
check_result xa_check(const struct xarray *xa, page_t (*key_of)(const void *entry));

#endif
