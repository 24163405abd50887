/*
 * Offset allocator with Linux gntdev's policy (the lowest hole that holds the run, low end) found
 * in O(log n) the way Linux's vm_unmapped_area found the lowest free gap before the maple tree
 * (src/strategies/augtree-allocator.ts): a red-black tree of FREE regions keyed by start,
 * augmented with the largest free region in each subtree (rb_subtree_gap; tree.h RB_AUGMENT).
 * alloc descends to the lowest region with enough pages and gives up its low end (under the
 * strict-gap quirk a hole below a live run needs pages + 1, the top region only pages); free
 * absorbs every region the range overlaps or touches, so regions stay coalesced.
 *
 * tree.h calls RB_AUGMENT(x) after each structural change at x (OpenBSD convention): here it
 * recomputes x and every ancestor, which keeps the whole path right whatever the call order.
 */
#include <stdlib.h>

#include "types.h"

struct free_gap;
static void gap_augment(struct free_gap *x);
#define RB_AUGMENT(x) gap_augment(x)

#include "allocator.h"
#include "bsd.h"
#include "zone.h"

struct free_gap {
	page_t start;
	page_t pages;
	page_t subtree_max; /* the largest region in this subtree */
	RB_ENTRY(free_gap) link;
};

static int gap_cmp(struct free_gap *a, struct free_gap *b)
{
	return a->start < b->start ? -1 : a->start > b->start ? 1 : 0;
}

static page_t gap_max_of(const struct free_gap *x)
{
	page_t m = x->pages;
	const struct free_gap *l = x->link.rbe_left, *r = x->link.rbe_right;
	if (l != NULL && l->subtree_max > m)
		m = l->subtree_max;
	if (r != NULL && r->subtree_max > m)
		m = r->subtree_max;
	return m;
}

static void gap_augment(struct free_gap *x)
{
	for (; x != NULL; x = x->link.rbe_parent)
		x->subtree_max = gap_max_of(x);
}

RB_HEAD(gap_tree, free_gap);
RB_GENERATE_STATIC(gap_tree, free_gap, link, gap_cmp)

struct augtree_allocator {
	struct offset_allocator base;
	bool strict_gap;
	struct gap_tree gaps;
	page_t live_pages;
	struct zone zone;
};

static struct free_gap *gap_new(struct augtree_allocator *t, page_t start, page_t pages)
{
	struct free_gap *gap = zone_alloc(&t->zone);
	gap->start = start;
	gap->pages = pages;
	gap->subtree_max = pages;
	return gap;
}

/* The lowest region with at least `need` pages: one path down the augmented tree. */
static struct free_gap *first_fit(struct augtree_allocator *t, page_t need)
{
	struct free_gap *x = RB_ROOT(&t->gaps);
	if (x == NULL || x->subtree_max < need)
		return NULL;
	for (;;) {
		struct free_gap *l = RB_LEFT(x, link);
		if (l != NULL && l->subtree_max >= need) {
			x = l;
			continue;
		}
		if (x->pages >= need)
			return x;
		x = RB_RIGHT(x, link);
	}
}

/* RB_PFIND (floor): the region with the largest start <= page. */
static struct free_gap *gap_pfind(struct augtree_allocator *t, page_t page)
{
	struct free_gap *x = RB_ROOT(&t->gaps), *res = NULL;
	while (x != NULL) {
		if (page > x->start) {
			res = x;
			x = RB_RIGHT(x, link);
		} else if (page < x->start) {
			x = RB_LEFT(x, link);
		} else {
			return x;
		}
	}
	return res;
}

static page_t augtree_alloc(struct offset_allocator *a, page_t pages)
{
	struct augtree_allocator *t = (struct augtree_allocator *)a;
	page_t space = a->space;
	if (bad_run_length(pages, space))
		return -GNT_EINVAL;
	struct free_gap *gap = first_fit(t, t->strict_gap ? pages + 1 : pages);
	if (gap == NULL && t->strict_gap) {
		/* Linux's strict test applies below a live run; the top hole only has to reach the end. */
		struct free_gap *top = RB_MAX(gap_tree, &t->gaps);
		if (top != NULL && top->start + top->pages == space && top->pages >= pages)
			gap = top;
	}
	if (gap == NULL)
		return -GNT_ENOSPC;
	page_t first = gap->start;
	if (gap->pages == pages) {
		RB_REMOVE(gap_tree, &t->gaps, gap);
		zone_free(&t->zone, gap);
	} else {
		/* The key moves up inside its own span: order is kept, only the size needs repair. */
		gap->start = first + pages;
		gap->pages -= pages;
		gap_augment(gap);
	}
	t->live_pages += pages;
	return first;
}

static void augtree_free(struct offset_allocator *a, page_t first_page, page_t pages)
{
	struct augtree_allocator *t = (struct augtree_allocator *)a;
	page_t space = a->space;
	if (bad_run_length(pages, space) || first_page < 0 || first_page + pages > space)
		return;
	page_t start = first_page, end = first_page + pages, freed = pages;
	/* A region starting at or below `start` that reaches it absorbs the range. */
	struct free_gap *node = gap_pfind(t, start);
	if (node != NULL && node->start + node->pages >= start) {
		page_t node_end = node->start + node->pages;
		freed -= (node_end < end ? node_end : end) - start;
		start = node->start;
		if (node_end > end)
			end = node_end;
	} else {
		node = NULL;
	}
	/* Every later region starting at or before `end` is absorbed too. */
	struct free_gap *next;
	if (node != NULL) {
		next = RB_NEXT(gap_tree, &t->gaps, node);
	} else {
		struct free_gap *below = gap_pfind(t, start);
		if (below == NULL)
			next = RB_MIN(gap_tree, &t->gaps);
		else
			next = below->start == start ? below : RB_NEXT(gap_tree, &t->gaps, below);
	}
	while (next != NULL && next->start <= end) {
		page_t next_end = next->start + next->pages;
		page_t range_end = first_page + pages;
		page_t overlap = (next_end < range_end ? next_end : range_end) - next->start;
		if (overlap > 0)
			freed -= overlap;
		if (next_end > end)
			end = next_end;
		struct free_gap *after = RB_NEXT(gap_tree, &t->gaps, next);
		RB_REMOVE(gap_tree, &t->gaps, next);
		zone_free(&t->zone, next);
		next = after;
	}
	if (node == NULL) {
		struct free_gap *gap = gap_new(t, start, end - start);
		RB_INSERT(gap_tree, &t->gaps, gap);
	} else if (node->pages != end - start) {
		node->pages = end - start;
		gap_augment(node);
	}
	t->live_pages -= freed;
}

#include "rb-check.h"
RB_CHECK_FUNCTIONS(gap_tree, free_gap, link, start)

static check_result augtree_check(struct offset_allocator *a)
{
	struct augtree_allocator *t = (struct augtree_allocator *)a;
	check_result bad = gap_tree_check_shape(&t->gaps, false);
	if (bad != NULL)
		return bad;
	page_t free_pages = 0, prev_end = -1;
	struct free_gap *gap;
	RB_FOREACH(gap, gap_tree, &t->gaps) {
		if (gap->subtree_max != gap_max_of(gap))
			return "augtree allocator: subtree maximum out of date";
		if (gap->pages < 1 || gap->start < 0 || gap->start + gap->pages > a->space)
			return "augtree allocator: region empty or outside the space";
		if (gap->start <= prev_end)
			return "augtree allocator: regions overlap, touch or are out of order";
		prev_end = gap->start + gap->pages;
		free_pages += gap->pages;
	}
	if (free_pages + t->live_pages != a->space)
		return "augtree allocator: free + live != space";
	return NULL;
}

static void augtree_destroy(struct offset_allocator *a)
{
	struct augtree_allocator *t = (struct augtree_allocator *)a;
	zone_destroy(&t->zone);
	free(t);
}

static const struct offset_allocator_ops augtree_ops = {
	.alloc = augtree_alloc, .free = augtree_free, .check = augtree_check, .destroy = augtree_destroy,
};

struct offset_allocator *augtree_allocator_new(page_t space, const struct quirks *q)
{
	struct augtree_allocator *t = calloc(1, sizeof(*t));
	if (t == NULL)
		abort();
	t->base.ops = &augtree_ops;
	t->base.space = space;
	t->strict_gap = q->strict_gap;
	RB_INIT(&t->gaps);
	zone_init(&t->zone, sizeof(struct free_gap));
	struct free_gap *all = gap_new(t, 0, space);
	RB_INSERT(gap_tree, &t->gaps, all);
	return &t->base;
}
