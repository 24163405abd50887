/*
 * Offsets from a Xen rangeset (src/strategies/rangeset-allocator.ts), the allocator review
 * D7293's reviewer asked for: the set holds the USED ranges; alloc is claim_range (first fit
 * from 0, low end), free is remove_range of the run (any live sub-range). O(r) each.
 */
#include <stdlib.h>

#include "allocator.h"
#include "rangeset.h"

struct rangeset_allocator {
	struct offset_allocator base;
	struct rangeset used;
	page_t live_pages;
};

static page_t rs_alloc(struct offset_allocator *a, page_t pages)
{
	struct rangeset_allocator *r = (struct rangeset_allocator *)a;
	if (bad_run_length(pages, a->space))
		return -GNT_EINVAL;
	page_t first = rangeset_claim(&r->used, pages);
	if (first >= 0)
		r->live_pages += pages;
	return first;
}

static void rs_free(struct offset_allocator *a, page_t first, page_t pages)
{
	struct rangeset_allocator *r = (struct rangeset_allocator *)a;
	if (bad_run_length(pages, a->space))
		return;
	if (rangeset_remove(&r->used, first, first + pages - 1) >= 0)
		r->live_pages -= pages;
}

static check_result rs_check(struct offset_allocator *a)
{
	struct rangeset_allocator *r = (struct rangeset_allocator *)a;
	check_result bad = rangeset_check(&r->used);
	if (bad != NULL)
		return bad;
	page_t pages = 0;
	struct range *x;
	TAILQ_FOREACH(x, &r->used.ranges, link) pages += x->end + 1 - x->start;
	if (pages != r->live_pages)
		return "rangeset allocator: ranges do not hold the live pages";
	return NULL;
}

static void rs_destroy(struct offset_allocator *a)
{
	struct rangeset_allocator *r = (struct rangeset_allocator *)a;
	rangeset_destroy(&r->used);
	free(r);
}

static const struct offset_allocator_ops rs_ops = {
	.alloc = rs_alloc, .free = rs_free, .check = rs_check, .destroy = rs_destroy,
};

struct offset_allocator *rangeset_allocator_new(page_t space, const struct quirks *q)
{
	struct rangeset_allocator *r = calloc(1, sizeof(*r));
	if (r == NULL)
		abort();
	r->base.ops = &rs_ops;
	r->base.space = space;
	rangeset_init(&r->used, space - 1, q->claim_no_merge);
	return &r->base;
}
