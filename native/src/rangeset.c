/*
 * Xen rangeset (see rangeset.h), the parts the allocator uses: find, remove (Xen's x == y and
 * x != y cases, with the 2025 fix: trim x only if it reaches start) and claim (first-fit over
 * the gaps from 0; the previous range is extended, a gap before the first range gets a node,
 * and the next range is merged unless claim-no-merge). No node cap is set by the allocator,
 * so nothing here fails for lack of a node.
 */
#include "rangeset.h"

static struct range *range_new(struct rangeset *r, page_t start, page_t end)
{
	struct range *x = zone_alloc(&r->zone);
	x->start = start;
	x->end = end;
	r->count++;
	return x;
}

static void range_free(struct rangeset *r, struct range *x)
{
	TAILQ_REMOVE(&r->ranges, x, link);
	zone_free(&r->zone, x);
	r->count--;
}

void rangeset_init(struct rangeset *r, page_t max_value, bool claim_no_merge)
{
	TAILQ_INIT(&r->ranges);
	r->count = 0;
	r->max_value = max_value;
	r->claim_no_merge = claim_no_merge;
	zone_init(&r->zone, sizeof(struct range));
}

void rangeset_destroy(struct rangeset *r)
{
	zone_destroy(&r->zone);
	TAILQ_INIT(&r->ranges);
	r->count = 0;
}

struct range *rangeset_find(struct rangeset *r, page_t value)
{
	struct range *x = NULL, *y;
	TAILQ_FOREACH(y, &r->ranges, link) {
		if (y->start > value)
			break;
		x = y;
	}
	return x;
}

int rangeset_remove(struct rangeset *r, page_t start, page_t end)
{
	if (start < 0 || start > end || end > r->max_value)
		return -GNT_EINVAL;
	struct range *x = rangeset_find(r, start);
	struct range *y = rangeset_find(r, end);
	if (x == y) {
		if (x == NULL || x->end < start)
			return 0;
		if (x->start < start && x->end > end) {
			struct range *tail = range_new(r, end + 1, x->end);
			x->end = start - 1;
			TAILQ_INSERT_AFTER(&r->ranges, x, tail, link);
		} else if (x->start == start) {
			if (x->end <= end)
				range_free(r, x);
			else
				x->start = end + 1;
		} else {
			x->end = start - 1;
		}
		return 0;
	}
	/* x != y: y lies after x and start < y->start <= end. */
	struct range *t;
	if (x == NULL) {
		t = TAILQ_FIRST(&r->ranges);
	} else if (x->start < start) {
		if (x->end >= start)
			x->end = start - 1;
		t = TAILQ_NEXT(x, link);
	} else {
		t = x;
	}
	while (t != NULL && t != y) {
		struct range *following = TAILQ_NEXT(t, link);
		range_free(r, t);
		t = following;
	}
	if (y->end <= end)
		range_free(r, y);
	else
		y->start = end + 1;
	return 0;
}

page_t rangeset_claim(struct rangeset *r, page_t size)
{
	if (size <= 0)
		return -GNT_EINVAL;
	page_t start = 0;
	struct range *prev = NULL, *x;
	for (x = TAILQ_FIRST(&r->ranges); x != NULL; x = TAILQ_NEXT(x, link)) {
		if (x->start - start >= size)
			break;
		if (x->end == r->max_value)
			return -GNT_ENOSPC;
		start = x->end + 1;
		prev = x;
	}
	if (x == NULL && r->max_value - start + 1 < size)
		return -GNT_ENOSPC;
	struct range *claimed;
	if (prev == NULL) {
		claimed = range_new(r, start, start + size - 1);
		TAILQ_INSERT_HEAD(&r->ranges, claimed, link);
	} else {
		prev->end += size;
		claimed = prev;
	}
	if (!r->claim_no_merge && x != NULL && x->start == claimed->end + 1) {
		claimed->end = x->end;
		range_free(r, x);
	}
	return start;
}

check_result rangeset_check(struct rangeset *r)
{
	int64_t n = 0;
	struct range *x, *prev = NULL;
	TAILQ_FOREACH(x, &r->ranges, link) {
		if (*x->link.tqe_prev != x)
			return "rangeset: back link broken";
		if (x->start > x->end || x->start < 0 || x->end > r->max_value)
			return "rangeset: range out of bounds";
		if (prev != NULL) {
			if (prev->end >= x->start)
				return "rangeset: ranges overlap or are unsorted";
			if (prev->end + 1 == x->start && !r->claim_no_merge)
				return "rangeset: touching ranges not merged";
		}
		prev = x;
		n++;
	}
	if (n != r->count)
		return "rangeset: count does not match the list";
	return NULL;
}
