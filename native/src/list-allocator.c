/*
 * Offset allocator of Linux gntdev as a stand-alone allocator (drivers/xen/gntdev.c
 * gntdev_add_map; src/strategies/list-allocator.ts): a TAILQ of live extents sorted by page,
 * searched first-fit from page 0 (the strict-gap quirk needs a hole of pages + 1, as Linux's
 * `<` test does). free trims, splits or unlinks every extent a range touches, so a DEALLOC may
 * span several ALLOCs. O(n) in live extents.
 */
#include <stdlib.h>

#include "allocator.h"
#include "bsd.h"
#include "zone.h"

struct extent {
	page_t first_page;
	page_t pages;
	TAILQ_ENTRY(extent) link;
};

TAILQ_HEAD(extent_list, extent);

struct list_allocator {
	struct offset_allocator base;
	bool strict_gap;
	struct extent_list extents;
	page_t live_pages;
	struct zone zone;
};

static struct extent *extent_new(struct list_allocator *l, page_t first, page_t pages)
{
	struct extent *e = zone_alloc(&l->zone);
	e->first_page = first;
	e->pages = pages;
	return e;
}

static page_t list_alloc(struct offset_allocator *a, page_t pages)
{
	struct list_allocator *l = (struct list_allocator *)a;
	if (bad_run_length(pages, a->space))
		return -GNT_EINVAL;
	page_t candidate = 0;
	struct extent *e;
	TAILQ_FOREACH(e, &l->extents, link) {
		page_t end = candidate + pages;
		if (l->strict_gap ? end < e->first_page : end <= e->first_page) {
			/* The queue macros evaluate their arguments more than once. */
			struct extent *fresh = extent_new(l, candidate, pages);
			TAILQ_INSERT_BEFORE(e, fresh, link);
			l->live_pages += pages;
			return candidate;
		}
		candidate = e->first_page + e->pages;
	}
	if (candidate + pages > a->space)
		return -GNT_ENOSPC;
	struct extent *fresh = extent_new(l, candidate, pages);
	TAILQ_INSERT_TAIL(&l->extents, fresh, link);
	l->live_pages += pages;
	return candidate;
}

static void list_free(struct offset_allocator *a, page_t first, page_t pages)
{
	struct list_allocator *l = (struct list_allocator *)a;
	page_t end = first + pages;
	struct extent *e = TAILQ_FIRST(&l->extents);
	while (e != NULL && e->first_page + e->pages <= first)
		e = TAILQ_NEXT(e, link);
	while (e != NULL && e->first_page < end) {
		struct extent *next = TAILQ_NEXT(e, link);
		page_t e_end = e->first_page + e->pages;
		page_t cut_start = e->first_page > first ? e->first_page : first;
		page_t cut_end = e_end < end ? e_end : end;
		l->live_pages -= cut_end - cut_start;
		if (cut_start == e->first_page && cut_end == e_end) {
			TAILQ_REMOVE(&l->extents, e, link);
			zone_free(&l->zone, e);
		} else if (cut_start == e->first_page) {
			e->first_page = cut_end;
			e->pages = e_end - cut_end;
		} else if (cut_end == e_end) {
			e->pages = cut_start - e->first_page;
		} else {
			/* Strictly inside: keep [first_page, cut_start), add [cut_end, e_end). */
			e->pages = cut_start - e->first_page;
			struct extent *tail = extent_new(l, cut_end, e_end - cut_end);
			TAILQ_INSERT_AFTER(&l->extents, e, tail, link);
		}
		e = next;
	}
}

static check_result list_check(struct offset_allocator *a)
{
	struct list_allocator *l = (struct list_allocator *)a;
	page_t pages = 0, prev_end = 0;
	struct extent *e, *prev = NULL;
	TAILQ_FOREACH(e, &l->extents, link) {
		if (*e->link.tqe_prev != e)
			return "list allocator: back link broken";
		if (e->pages < 1)
			return "list allocator: empty extent";
		if (e->first_page < prev_end)
			return "list allocator: extents overlap or out of order";
		prev_end = e->first_page + e->pages;
		if (prev_end > a->space)
			return "list allocator: extent beyond the space";
		pages += e->pages;
		prev = e;
	}
	if (prev != TAILQ_LAST(&l->extents, extent_list))
		return "list allocator: tail is not the last extent";
	if (pages != l->live_pages)
		return "list allocator: live pages do not add up";
	return NULL;
}

static void list_destroy(struct offset_allocator *a)
{
	struct list_allocator *l = (struct list_allocator *)a;
	zone_destroy(&l->zone);
	free(l);
}

static const struct offset_allocator_ops list_ops = {
	.alloc = list_alloc, .free = list_free, .check = list_check, .destroy = list_destroy,
};

struct offset_allocator *list_allocator_new(page_t space, const struct quirks *q)
{
	struct list_allocator *l = calloc(1, sizeof(*l));
	if (l == NULL)
		abort();
	l->base.ops = &list_ops;
	l->base.space = space;
	l->strict_gap = q->strict_gap;
	TAILQ_INIT(&l->extents);
	zone_init(&l->zone, sizeof(struct extent));
	return &l->base;
}
