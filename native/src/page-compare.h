/*
 * The key order of every red-black tree of a strategy: exact page order, or FreeBSD gntdev's
 * comparator (u64 byte difference truncated to int, src/strategies/quirks.ts truncatedCompare)
 * under the truncated-compare quirk. RB_GENERATE's comparators take no context, so the choice
 * is one process-wide switch, set once per stream before any tree exists.
 */
#ifndef GNT_PAGE_COMPARE_H
#define GNT_PAGE_COMPARE_H

#include "types.h"

extern bool page_compare_truncated;

/* Negative, zero or positive as a orders before, with or after b. */
static inline int page_compare(page_t a, page_t b)
{
	if (!page_compare_truncated)
		return a < b ? -1 : a > b ? 1 : 0;
	/* Only the low 32 bits of the byte difference survive: (a - b) mod 2^20 pages. */
	int64_t d = (a - b) & ((INT64_C(1) << 20) - 1);
	if (d == 0)
		return 0;
	return d < (INT64_C(1) << 19) ? 1 : -1;
}

#endif
