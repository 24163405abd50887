/*
 * Gmap store of Linux gntdev as a stand-alone store (drivers/xen/gntdev.c priv->maps;
 * src/strategies/list-gmap-store.ts): the map records sorted by first page; every lookup is a
 * linear scan from the head. O(n).
 */
#include <stdlib.h>

#include "gmap-list.h"

struct list_gmap_store {
	struct gmap_store base;
	struct gmap_list gmaps;
};

#define GMAPS(s) (&((struct list_gmap_store *)(s))->gmaps)

static struct gmap *lms_insert(struct gmap_store *s, struct gmap *gmap)
{
	struct gmap *existing = gmap_list_insert_sorted(GMAPS(s), gmap);
	if (existing == NULL)
		s->size++;
	return existing;
}

static struct gmap *lms_find_exact(struct gmap_store *s, page_t first, page_t pages)
{
	return gmap_list_find_exact(GMAPS(s), first, pages);
}

static struct gmap *lms_find_containing(struct gmap_store *s, page_t page)
{
	return gmap_list_find_containing(GMAPS(s), page);
}

static void lms_remove(struct gmap_store *s, struct gmap *gmap)
{
	TAILQ_REMOVE(GMAPS(s), gmap, link.tq);
	gmap->live = false;
	s->size--;
}

static void lms_drain(struct gmap_store *s, gmap_visit visit, void *ctx)
{
	gmap_list_drain(GMAPS(s), visit, ctx);
	s->size = 0;
}

static check_result lms_check(struct gmap_store *s)
{
	return gmap_list_check(GMAPS(s), s->size);
}

static void lms_destroy(struct gmap_store *s)
{
	free(s);
}

static const struct gmap_store_ops lms_ops = {
	.insert = lms_insert,
	.find_exact = lms_find_exact,
	.find_containing = lms_find_containing,
	.remove = lms_remove,
	.drain = lms_drain,
	.check = lms_check,
	.destroy = lms_destroy,
};

struct gmap_store *list_gmap_store_new(void)
{
	struct list_gmap_store *l = calloc(1, sizeof(*l));
	if (l == NULL)
		abort();
	l->base.ops = &lms_ops;
	TAILQ_INIT(&l->gmaps);
	return &l->base;
}
