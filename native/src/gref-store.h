/*
 * The gref store contract (src/strategies/types.ts GrefStore): the grefs of one open file,
 * one record per page (FreeBSD gref_tree, Linux gntalloc's per-file list).
 */
#ifndef GNT_GREF_STORE_H
#define GNT_GREF_STORE_H

#include "records.h"

struct gref_store;

typedef void (*gref_visit)(void *ctx, struct gref *gref);

struct gref_store_ops {
	/* Insert one ALLOC's records (ascending pages); returns how many collided and were dropped. */
	int64_t (*insert_run)(struct gref_store *s, struct gref **run, int64_t n);
	/* The records of pages first..first+pages-1, consecutive, possibly spanning ALLOCs, into out. */
	bool (*find_run)(struct gref_store *s, page_t first, page_t pages, struct gref **out);
	/* find_run, then unlink them (live = false). */
	bool (*remove_run)(struct gref_store *s, page_t first, page_t pages, struct gref **out);
	struct gref *(*find_page)(struct gref_store *s, page_t page);
	/* Unlink every record in ascending (tree) order, handing each to visit (close). */
	void (*drain)(struct gref_store *s, gref_visit visit, void *ctx);
	check_result (*check)(struct gref_store *s);
	void (*destroy)(struct gref_store *s);
};

struct gref_store {
	const struct gref_store_ops *ops;
	int64_t size; /* live records */
};

/* allocation_order: append every batch at the tail and keep colliding records (Linux gntalloc). */
struct gref_store *list_gref_store_new(bool allocation_order);
struct gref_store *rbtree_gref_store_new(void);
struct gref_store *rangeset_gref_store_new(void);
/* XArray-style radix tree of pages (Linux's per-page index). */
struct gref_store *xarray_gref_store_new(void);

#endif
