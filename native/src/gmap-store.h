/*
 * The gmap store contract (src/strategies/types.ts GmapStore): the gmaps of one open file, one
 * record per MAP call (FreeBSD gmap_tree, Linux gntdev priv->maps).
 */
#ifndef GNT_GMAP_STORE_H
#define GNT_GMAP_STORE_H

#include "records.h"

struct gmap_store;

typedef void (*gmap_visit)(void *ctx, struct gmap *gmap);

struct gmap_store_ops {
	/* Insert; returns the live gmap whose key collides (nothing inserted), else NULL. */
	struct gmap *(*insert)(struct gmap_store *s, struct gmap *gmap);
	/* The gmap starting at first with exactly `pages` pages; pages 0 matches any count. */
	struct gmap *(*find_exact)(struct gmap_store *s, page_t first, page_t pages);
	/* The gmap whose pages hold `page` (SET_UNMAP_NOTIFY). */
	struct gmap *(*find_containing)(struct gmap_store *s, page_t page);
	void (*remove)(struct gmap_store *s, struct gmap *gmap);
	void (*drain)(struct gmap_store *s, gmap_visit visit, void *ctx);
	check_result (*check)(struct gmap_store *s);
	void (*destroy)(struct gmap_store *s);
};

struct gmap_store {
	const struct gmap_store_ops *ops;
	int64_t size; /* live gmaps */
};

struct gmap_store *list_gmap_store_new(void);
struct gmap_store *rbtree_gmap_store_new(bool linear_containment);
struct gmap_store *rangeset_gmap_store_new(void);
/* Interval tree: an augmented red-black tree keyed by first page, subtree end as augment. */
struct gmap_store *augtree_gmap_store_new(void);

/* Linux gntdev: one sorted map list that is both the allocator and the gmap store. */
struct linux_gmap_list;
struct linux_gmap_list *linux_gmap_list_new(page_t space, const struct quirks *q);
struct offset_allocator *linux_gmap_list_allocator(struct linux_gmap_list *l);
struct gmap_store *linux_gmap_list_store(struct linux_gmap_list *l);

/*
 * The maple-like B-tree store (maple-store.c): allocator and gmap store in one range B-tree.
 * `faces` is how many roles the object plays: 2 when fused (both faces used, as the `maple`
 * strategy), 1 when it is only the allocator or only the gmap store of a composite.
 */
struct maple_store;
struct maple_store *maple_store_new(page_t space, const struct quirks *q, int faces);
struct offset_allocator *maple_store_allocator(struct maple_store *m);
struct gmap_store *maple_store_gmaps(struct maple_store *m);

#endif
