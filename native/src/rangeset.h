/*
 * Xen's rangeset (xen/common/rangeset.c; src/structures/rangeset.ts): a sorted TAILQ of
 * disjoint inclusive ranges [start, end]. Every operation starts with find(), a walk from the
 * head, so all are O(r) in ranges: the alternative review D7293 asked about.
 */
#ifndef GNT_RANGESET_H
#define GNT_RANGESET_H

#include "bsd.h"
#include "types.h"
#include "zone.h"

struct range {
	page_t start;
	page_t end;
	TAILQ_ENTRY(range) link;
};

TAILQ_HEAD(range_list, range);

struct rangeset {
	struct range_list ranges;
	int64_t count;
	page_t max_value;
	bool claim_no_merge; /* Xen claim_range: extend the previous range, never merge the next */
	struct zone zone;
};

void rangeset_init(struct rangeset *r, page_t max_value, bool claim_no_merge);
void rangeset_destroy(struct rangeset *r);
/* find_range: the highest range whose start <= value, or NULL. */
struct range *rangeset_find(struct rangeset *r, page_t value);
/* remove_range: difference with [start, end] (with the 2025 fix); 0 or -EINVAL. */
int rangeset_remove(struct rangeset *r, page_t start, page_t end);
/* claim_range: first-fit gap of `size` from 0, low end; its first value, or -EINVAL / -ENOSPC. */
page_t rangeset_claim(struct rangeset *r, page_t size);
check_result rangeset_check(struct rangeset *r);

#endif
