/*
 * Offset allocator of FreeBSD gntdev (sys/dev/xen/gntdev/gntdev.c get_file_offset /
 * put_file_offset; src/strategies/rbtree-allocator.ts): a red-black tree of FREE regions keyed
 * by start, holding {0, space} at open. alloc walks the tree in comparator order and carves the
 * HIGH end of the first region that fits (the key never changes; an emptied region is removed).
 * free inserts a region and coalesces with the successor, then the predecessor, in tree order,
 * testing adjacency modulo the space as the kernel's u64 arithmetic does. A colliding insert
 * (truncated comparator only) is ignored by FreeBSD: those pages leak.
 */
#include <stdlib.h>

#include "allocator.h"
#include "bsd.h"
#include "page-compare.h"
#include "rb-check.h"
#include "zone.h"

struct free_region {
	page_t start;
	page_t pages;
	RB_ENTRY(free_region) link;
};

static int region_cmp(struct free_region *a, struct free_region *b)
{
	return page_compare(a->start, b->start);
}

RB_HEAD(region_tree, free_region);
RB_GENERATE_STATIC(region_tree, free_region, link, region_cmp)

struct rbtree_allocator {
	struct offset_allocator base;
	struct region_tree regions;
	page_t live_pages;
	page_t leaked_pages;
	struct zone zone;
};

static struct free_region *region_new(struct rbtree_allocator *r, page_t start, page_t pages)
{
	struct free_region *region = zone_alloc(&r->zone);
	region->start = start;
	region->pages = pages;
	return region;
}

static page_t region_end(const struct rbtree_allocator *r, const struct free_region *region)
{
	page_t end = region->start + region->pages;
	return end >= r->base.space ? end - r->base.space : end;
}

static page_t rbtree_alloc(struct offset_allocator *a, page_t pages)
{
	struct rbtree_allocator *r = (struct rbtree_allocator *)a;
	page_t space = a->space;
	if (bad_run_length(pages, space))
		return -GNT_EINVAL;
	struct free_region *region;
	RB_FOREACH(region, region_tree, &r->regions) {
		if (region->pages < pages)
			continue;
		page_t remaining = region->pages - pages;
		page_t first = region->start + remaining;
		if (first >= space)
			first -= space;
		if (remaining == 0) {
			RB_REMOVE(region_tree, &r->regions, region);
			zone_free(&r->zone, region);
		} else {
			region->pages = remaining;
		}
		r->live_pages += pages;
		return first;
	}
	return -GNT_ENOSPC;
}

static void rbtree_free(struct offset_allocator *a, page_t first, page_t pages)
{
	struct rbtree_allocator *r = (struct rbtree_allocator *)a;
	page_t space = a->space;
	if (bad_run_length(pages, space))
		return;
	r->live_pages -= pages;
	struct free_region *node = region_new(r, first % space, pages);
	if (RB_INSERT(region_tree, &r->regions, node) != NULL) {
		r->leaked_pages += pages;
		zone_free(&r->zone, node);
		return;
	}
	struct free_region *next = RB_NEXT(region_tree, &r->regions, node);
	if (next != NULL && region_end(r, node) == next->start) {
		node->pages += next->pages;
		RB_REMOVE(region_tree, &r->regions, next);
		zone_free(&r->zone, next);
	}
	struct free_region *prev = RB_PREV(region_tree, &r->regions, node);
	if (prev != NULL && region_end(r, prev) == node->start) {
		prev->pages += node->pages;
		RB_REMOVE(region_tree, &r->regions, node);
		zone_free(&r->zone, node);
	}
}

RB_CHECK_FUNCTIONS(region_tree, free_region, link, start)

static check_result rbtree_check(struct offset_allocator *a)
{
	struct rbtree_allocator *r = (struct rbtree_allocator *)a;
	check_result bad = region_tree_check_shape(&r->regions, !page_compare_truncated);
	if (bad != NULL)
		return bad;
	page_t free_pages = 0, prev_end = -1;
	struct free_region *region;
	RB_FOREACH(region, region_tree, &r->regions) {
		if (region->pages < 1 || region->pages > a->space)
			return "rbtree allocator: region size out of range";
		if (region->start < 0 || region->start >= a->space)
			return "rbtree allocator: region start outside the space";
		if (!page_compare_truncated) {
			if (region->start + region->pages > a->space)
				return "rbtree allocator: region wraps under the exact comparator";
			if (region->start <= prev_end)
				return "rbtree allocator: free regions overlap or touch uncoalesced";
			prev_end = region->start + region->pages;
		}
		free_pages += region->pages;
	}
	if (free_pages + r->live_pages + r->leaked_pages != a->space)
		return "rbtree allocator: free + live + leaked != space";
	return NULL;
}

static void rbtree_destroy(struct offset_allocator *a)
{
	struct rbtree_allocator *r = (struct rbtree_allocator *)a;
	zone_destroy(&r->zone);
	free(r);
}

static const struct offset_allocator_ops rbtree_ops = {
	.alloc = rbtree_alloc, .free = rbtree_free, .check = rbtree_check, .destroy = rbtree_destroy,
};

struct offset_allocator *rbtree_allocator_new(page_t space, const struct quirks *q)
{
	(void)q; /* truncated-compare is the process-wide page_compare switch */
	struct rbtree_allocator *r = calloc(1, sizeof(*r));
	if (r == NULL)
		abort();
	r->base.ops = &rbtree_ops;
	r->base.space = space;
	RB_INIT(&r->regions);
	zone_init(&r->zone, sizeof(struct free_region));
	RB_INSERT(region_tree, &r->regions, region_new(r, 0, space));
	return &r->base;
}
