/*
 * Linux gntdev's fused allocator and gmap store (drivers/xen/gntdev.c gntdev_add_map;
 * src/strategies/linux-gmap-list.ts): MAP_GRANT_REF walks the file's map list, sorted by index,
 * for the first hole that holds the map (`<=`, or `<` under strict-gap) and links it right
 * there. alloc remembers where its walk stopped; the insert of a gmap at that page right after
 * links in O(1), any other insert walks. UNMAP's unlink returns the pages, so free is empty.
 */
#include <stdlib.h>

#include "allocator.h"
#include "gmap-list.h"

struct linux_gmap_list {
	struct offset_allocator alloc;
	struct gmap_store store;
	bool strict_gap;
	struct gmap_list gmaps;
	page_t live_pages;
	/* Where the last alloc stopped; valid only while version == pending_version. */
	page_t pending_first;
	struct gmap *pending_before;
	uint64_t version;
	uint64_t pending_version;
};

#define FROM_ALLOC(a) ((struct linux_gmap_list *)((char *)(a) - offsetof(struct linux_gmap_list, alloc)))
#define FROM_STORE(s) ((struct linux_gmap_list *)((char *)(s) - offsetof(struct linux_gmap_list, store)))

static page_t lgl_alloc(struct offset_allocator *a, page_t pages)
{
	struct linux_gmap_list *l = FROM_ALLOC(a);
	if (bad_run_length(pages, a->space))
		return -GNT_EINVAL;
	page_t candidate = 0;
	struct gmap *gmap;
	TAILQ_FOREACH(gmap, &l->gmaps, link.tq) {
		page_t end = candidate + pages;
		if (l->strict_gap ? end < gmap->first_page : end <= gmap->first_page)
			break;
		candidate = gmap->first_page + gmap->pages;
	}
	if (gmap == NULL && candidate + pages > a->space)
		return -GNT_ENOSPC;
	l->pending_first = candidate;
	l->pending_before = gmap;
	l->pending_version = l->version;
	return candidate;
}

static void lgl_free(struct offset_allocator *a, page_t first, page_t pages)
{
	(void)a;
	(void)first;
	(void)pages;
}

static check_result lgl_alloc_check(struct offset_allocator *a)
{
	struct linux_gmap_list *l = FROM_ALLOC(a);
	page_t pages = 0, prev_end = 0;
	struct gmap *gmap;
	TAILQ_FOREACH(gmap, &l->gmaps, link.tq) {
		if (gmap->first_page < prev_end)
			return "linux gmap list: maps overlap";
		prev_end = gmap->first_page + gmap->pages;
		pages += gmap->pages;
	}
	return pages == l->live_pages ? NULL : "linux gmap list: live pages do not add up";
}

static void lgl_alloc_destroy(struct offset_allocator *a)
{
	free(FROM_ALLOC(a));
}

static struct gmap *lgl_insert(struct gmap_store *s, struct gmap *gmap)
{
	struct linux_gmap_list *l = FROM_STORE(s);
	if (l->pending_version == l->version && l->pending_first == gmap->first_page) {
		if (l->pending_before == NULL)
			TAILQ_INSERT_TAIL(&l->gmaps, gmap, link.tq);
		else
			TAILQ_INSERT_BEFORE(l->pending_before, gmap, link.tq);
		gmap->live = true;
	} else {
		struct gmap *existing = gmap_list_insert_sorted(&l->gmaps, gmap);
		if (existing != NULL)
			return existing;
	}
	l->version++;
	l->live_pages += gmap->pages;
	s->size++;
	return NULL;
}

static struct gmap *lgl_find_exact(struct gmap_store *s, page_t first, page_t pages)
{
	return gmap_list_find_exact(&FROM_STORE(s)->gmaps, first, pages);
}

static struct gmap *lgl_find_containing(struct gmap_store *s, page_t page)
{
	return gmap_list_find_containing(&FROM_STORE(s)->gmaps, page);
}

static void lgl_remove(struct gmap_store *s, struct gmap *gmap)
{
	struct linux_gmap_list *l = FROM_STORE(s);
	TAILQ_REMOVE(&l->gmaps, gmap, link.tq);
	l->version++;
	l->live_pages -= gmap->pages;
	gmap->live = false;
	s->size--;
}

static void lgl_drain(struct gmap_store *s, gmap_visit visit, void *ctx)
{
	struct linux_gmap_list *l = FROM_STORE(s);
	gmap_list_drain(&l->gmaps, visit, ctx);
	l->version++;
	l->live_pages = 0;
	s->size = 0;
}

static check_result lgl_store_check(struct gmap_store *s)
{
	return gmap_list_check(&FROM_STORE(s)->gmaps, s->size);
}

/* The allocator side owns the memory; destroying the store side is a no-op. */
static void lgl_store_destroy(struct gmap_store *s)
{
	(void)s;
}

static const struct offset_allocator_ops lgl_alloc_ops = {
	.alloc = lgl_alloc, .free = lgl_free, .check = lgl_alloc_check, .destroy = lgl_alloc_destroy,
};

static const struct gmap_store_ops lgl_store_ops = {
	.insert = lgl_insert,
	.find_exact = lgl_find_exact,
	.find_containing = lgl_find_containing,
	.remove = lgl_remove,
	.drain = lgl_drain,
	.check = lgl_store_check,
	.destroy = lgl_store_destroy,
};

struct linux_gmap_list *linux_gmap_list_new(page_t space, const struct quirks *q)
{
	struct linux_gmap_list *l = calloc(1, sizeof(*l));
	if (l == NULL)
		abort();
	l->alloc.ops = &lgl_alloc_ops;
	l->alloc.space = space;
	l->store.ops = &lgl_store_ops;
	l->strict_gap = q->strict_gap;
	TAILQ_INIT(&l->gmaps);
	l->pending_first = -1;
	l->pending_version = UINT64_MAX;
	return l;
}

struct offset_allocator *linux_gmap_list_allocator(struct linux_gmap_list *l)
{
	return &l->alloc;
}

struct gmap_store *linux_gmap_list_store(struct linux_gmap_list *l)
{
	return &l->store;
}
