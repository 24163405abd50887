/*
 * Gmap store indexed like a Xen rangeset (src/strategies/rangeset-gmap-store.ts), a design no
 * kernel uses: a sorted TAILQ of range nodes, one per gmap (never merged: each MAP call is its own
 * record). Every lookup is rangeset's find (walk from the head to the last node starting at or
 * below the page, stopping at the first larger start), then a test of that one node. O(r).
 */
#include <stdlib.h>

#include "bsd.h"
#include "gmap-store.h"
#include "zone.h"

struct gmap_range {
	struct gmap *gmap;
	TAILQ_ENTRY(gmap_range) link;
};

TAILQ_HEAD(gmap_range_list, gmap_range);

struct rangeset_gmap_store {
	struct gmap_store base;
	struct gmap_range_list ranges;
	struct zone zone;
};

#define RSM(s) ((struct rangeset_gmap_store *)(s))

static struct gmap_range *range_find(struct rangeset_gmap_store *r, page_t page)
{
	struct gmap_range *found = NULL, *node;
	TAILQ_FOREACH(node, &r->ranges, link) {
		if (node->gmap->first_page > page)
			break;
		found = node;
	}
	return found;
}

static struct gmap *rsms_insert(struct gmap_store *s, struct gmap *gmap)
{
	struct rangeset_gmap_store *r = RSM(s);
	struct gmap_range *at = range_find(r, gmap->first_page);
	if (at != NULL && at->gmap->first_page == gmap->first_page)
		return at->gmap;
	struct gmap_range *node = zone_alloc(&r->zone);
	node->gmap = gmap;
	if (at == NULL)
		TAILQ_INSERT_HEAD(&r->ranges, node, link);
	else
		TAILQ_INSERT_AFTER(&r->ranges, at, node, link);
	gmap->live = true;
	s->size++;
	return NULL;
}

static struct gmap *rsms_find_exact(struct gmap_store *s, page_t first, page_t pages)
{
	struct gmap_range *node = range_find(RSM(s), first);
	if (node == NULL || node->gmap->first_page != first)
		return NULL;
	return pages == 0 || node->gmap->pages == pages ? node->gmap : NULL;
}

static struct gmap *rsms_find_containing(struct gmap_store *s, page_t page)
{
	struct gmap_range *node = range_find(RSM(s), page);
	if (node == NULL)
		return NULL;
	return page < node->gmap->first_page + node->gmap->pages ? node->gmap : NULL;
}

static void rsms_remove(struct gmap_store *s, struct gmap *gmap)
{
	struct rangeset_gmap_store *r = RSM(s);
	struct gmap_range *node = range_find(r, gmap->first_page);
	if (node == NULL || node->gmap != gmap)
		abort(); /* the device removes only gmaps it found here */
	TAILQ_REMOVE(&r->ranges, node, link);
	zone_free(&r->zone, node);
	gmap->live = false;
	s->size--;
}

static void rsms_drain(struct gmap_store *s, gmap_visit visit, void *ctx)
{
	struct rangeset_gmap_store *r = RSM(s);
	struct gmap_range *node;
	while ((node = TAILQ_FIRST(&r->ranges)) != NULL) {
		struct gmap *gmap = node->gmap;
		TAILQ_REMOVE(&r->ranges, node, link);
		zone_free(&r->zone, node);
		gmap->live = false;
		visit(ctx, gmap);
	}
	s->size = 0;
}

static check_result rsms_check(struct gmap_store *s)
{
	int64_t n = 0;
	page_t prev = -1;
	struct gmap_range *node;
	TAILQ_FOREACH(node, &RSM(s)->ranges, link) {
		if (*node->link.tqe_prev != node)
			return "rangeset gmap store: back link broken";
		if (!node->gmap->live)
			return "rangeset gmap store: indexed gmap not live";
		if (node->gmap->first_page <= prev)
			return "rangeset gmap store: starts not ascending";
		prev = node->gmap->first_page;
		n++;
	}
	return n == s->size ? NULL : "rangeset gmap store: size does not match the index";
}

static void rsms_destroy(struct gmap_store *s)
{
	zone_destroy(&RSM(s)->zone);
	free(s);
}

static const struct gmap_store_ops rsms_ops = {
	.insert = rsms_insert,
	.find_exact = rsms_find_exact,
	.find_containing = rsms_find_containing,
	.remove = rsms_remove,
	.drain = rsms_drain,
	.check = rsms_check,
	.destroy = rsms_destroy,
};

struct gmap_store *rangeset_gmap_store_new(void)
{
	struct rangeset_gmap_store *r = calloc(1, sizeof(*r));
	if (r == NULL)
		abort();
	r->base.ops = &rsms_ops;
	TAILQ_INIT(&r->ranges);
	zone_init(&r->zone, sizeof(struct gmap_range));
	return &r->base;
}
