/*
 * Gref store over the XArray-style radix tree (src/strategies/xarray-gref-store.ts): how Linux
 * indexes per-page objects. xa_insert per page (a colliding page is dropped); find-run descends
 * once per 64-page leaf it crosses, O(height + pages); remove erases through the leaves; close
 * walks in ascending order and drops the tree.
 */
#include <stdlib.h>

#include "gref-store.h"
#include "xarray.h"

struct xarray_gref_store {
	struct gref_store base;
	struct xarray pages;
};

#define XA(s) (&((struct xarray_gref_store *)(s))->pages)

static int64_t xgs_insert_run(struct gref_store *s, struct gref **run, int64_t n)
{
	int64_t dropped = 0;
	for (int64_t i = 0; i < n; i++) {
		if (xa_insert(XA(s), run[i]->page, run[i]) == NULL)
			run[i]->live = true;
		else
			dropped++;
	}
	s->size = XA(s)->count;
	return dropped;
}

static bool xgs_find_run(struct gref_store *s, page_t first, page_t pages, struct gref **out)
{
	if (pages < 1 || first < 0)
		return false;
	struct xa_node *leaf = NULL;
	for (page_t i = 0; i < pages; i++) {
		page_t page = first + i;
		int slot = (int)(page & XA_CHUNK_MASK);
		if (leaf == NULL || slot == 0) {
			leaf = xa_leaf_of(XA(s), page);
			if (leaf == NULL)
				return false;
		}
		struct gref *gref = leaf->slots[slot];
		if (gref == NULL)
			return false;
		out[i] = gref;
	}
	return true;
}

static bool xgs_remove_run(struct gref_store *s, page_t first, page_t pages, struct gref **out)
{
	if (!xgs_find_run(s, first, pages, out))
		return false;
	struct xa_node *leaf = NULL;
	for (page_t i = 0; i < pages; i++) {
		int slot = (int)(out[i]->page & XA_CHUNK_MASK);
		if (leaf == NULL || slot == 0)
			leaf = xa_leaf_of(XA(s), out[i]->page);
		if (leaf != NULL) {
			/* Erasing a leaf's last entry frees the leaf: descend again for the next page. */
			bool last = leaf->count == 1;
			xa_erase_in_leaf(XA(s), leaf, slot);
			if (last)
				leaf = NULL;
		}
		out[i]->live = false;
	}
	s->size = XA(s)->count;
	return true;
}

static struct gref *xgs_find_page(struct gref_store *s, page_t page)
{
	return xa_load(XA(s), page);
}

struct drain_ctx {
	gref_visit visit;
	void *ctx;
};

static void drain_one(void *ctx, page_t index, void *entry)
{
	(void)index;
	struct drain_ctx *d = ctx;
	struct gref *gref = entry;
	gref->live = false;
	d->visit(d->ctx, gref);
}

static void xgs_drain(struct gref_store *s, gref_visit visit, void *ctx)
{
	struct drain_ctx d = {visit, ctx};
	xa_for_each(XA(s), drain_one, &d);
	xa_clear(XA(s));
	s->size = 0;
}

static page_t gref_key(const void *entry)
{
	return ((const struct gref *)entry)->page;
}

static bool all_live = true;

static void live_one(void *ctx, page_t index, void *entry)
{
	(void)ctx;
	(void)index;
	if (!((struct gref *)entry)->live)
		all_live = false;
}

static check_result xgs_check(struct gref_store *s)
{
	check_result bad = xa_check(XA(s), gref_key);
	if (bad != NULL)
		return bad;
	all_live = true;
	xa_for_each(XA(s), live_one, NULL);
	if (!all_live)
		return "xarray gref store: stored record not live";
	return s->size == XA(s)->count ? NULL : "xarray gref store: size does not match the tree";
}

static void xgs_destroy(struct gref_store *s)
{
	xa_destroy(XA(s));
	free(s);
}

static const struct gref_store_ops xgs_ops = {
	.insert_run = xgs_insert_run,
	.find_run = xgs_find_run,
	.remove_run = xgs_remove_run,
	.find_page = xgs_find_page,
	.drain = xgs_drain,
	.check = xgs_check,
	.destroy = xgs_destroy,
};

struct gref_store *xarray_gref_store_new(void)
{
	struct xarray_gref_store *x = calloc(1, sizeof(*x));
	if (x == NULL)
		abort();
	x->base.ops = &xgs_ops;
	xa_init(&x->pages);
	return &x->base;
}
