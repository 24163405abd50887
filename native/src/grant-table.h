/*
 * Our domain's grant table (src/device/grant-table.ts): the entries ALLOC_GREF hands out as
 * grant refs. Fresh entries first, then freed ones oldest first (so numbering is identical to
 * the TS model on every strategy); entries 0-7 are reserved, as Linux's
 * GNTTAB_NR_RESERVED_ENTRIES. An entry is released only when cleanup frees its gref.
 */
#ifndef GNT_GRANT_TABLE_H
#define GNT_GRANT_TABLE_H

#include "types.h"

#define GNTTAB_NR_RESERVED_ENTRIES 8

struct grant_table {
	int64_t entries;
	int64_t next_fresh;
	/* Released entries: a FIFO ring that grows by doubling. */
	uint32_t *freed;
	int64_t freed_cap, freed_head, freed_count;
	/* 1 while the entry is granted; grown on demand. */
	uint8_t *live;
	int64_t live_cap;
};

void grant_table_init(struct grant_table *t, int64_t entries);
void grant_table_destroy(struct grant_table *t);
int64_t grant_table_available(const struct grant_table *t);
uint32_t grant_table_take(struct grant_table *t);
void grant_table_release(struct grant_table *t, uint32_t ref);
bool grant_table_is_live(const struct grant_table *t, uint32_t ref);

#endif
