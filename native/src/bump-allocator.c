/*
 * Offset allocator of Linux gntalloc (drivers/xen/gntalloc.c; src/strategies/bump-allocator.ts):
 * a per-file counter from 0 that grows by every ALLOC and never takes space back. The call that
 * would pass the end of the space fails with EOVERFLOW; under the bump-wrap quirk the run starts
 * over at page 0 instead and may alias live offsets, as the wrapping u64 counter would.
 */
#include <stdlib.h>

#include "allocator.h"

struct bump_allocator {
	struct offset_allocator base;
	bool wrap_around;
	page_t next_page; /* Linux priv->index, in pages */
	page_t live_pages;
	bool wrapped;
};

static page_t bump_alloc(struct offset_allocator *a, page_t pages)
{
	struct bump_allocator *b = (struct bump_allocator *)a;
	page_t space = a->space;
	if (bad_run_length(pages, space))
		return -GNT_EINVAL;
	page_t first = b->next_page;
	if (first + pages > space) {
		b->wrapped = true;
		if (!b->wrap_around)
			return -GNT_EOVERFLOW;
		first = 0;
	}
	b->next_page = first + pages;
	b->live_pages += pages;
	return first;
}

/* The counter learns nothing from a free: only the live-page count changes. */
static void bump_free(struct offset_allocator *a, page_t first_page, page_t pages)
{
	(void)first_page;
	((struct bump_allocator *)a)->live_pages -= pages;
}

static check_result bump_check(struct offset_allocator *a)
{
	struct bump_allocator *b = (struct bump_allocator *)a;
	if (b->next_page < 0 || b->next_page > a->space)
		return "bump allocator: counter outside the space";
	if (b->live_pages < 0)
		return "bump allocator: negative live pages";
	if (!b->wrapped && b->live_pages > b->next_page)
		return "bump allocator: more live pages than handed out";
	return NULL;
}

static void bump_destroy(struct offset_allocator *a)
{
	free(a);
}

static const struct offset_allocator_ops bump_ops = {
	.alloc = bump_alloc, .free = bump_free, .check = bump_check, .destroy = bump_destroy,
};

struct offset_allocator *bump_allocator_new(page_t space, const struct quirks *q)
{
	struct bump_allocator *b = calloc(1, sizeof(*b));
	if (b == NULL)
		abort();
	b->base.ops = &bump_ops;
	b->base.space = space;
	b->wrap_around = q->bump_wrap;
	return &b->base;
}
