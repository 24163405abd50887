/* Our grant table (see grant-table.h). take and release are O(1) amortised. */
#include "grant-table.h"

#include <stdlib.h>
#include <string.h>

void grant_table_init(struct grant_table *t, int64_t entries)
{
	memset(t, 0, sizeof(*t));
	t->entries = entries;
	t->next_fresh = GNTTAB_NR_RESERVED_ENTRIES;
}

void grant_table_destroy(struct grant_table *t)
{
	free(t->freed);
	free(t->live);
	memset(t, 0, sizeof(*t));
}

int64_t grant_table_available(const struct grant_table *t)
{
	return t->entries - t->next_fresh + t->freed_count;
}

static void grow_live(struct grant_table *t, int64_t ref)
{
	int64_t cap = t->live_cap == 0 ? 1024 : t->live_cap * 2;
	while (cap <= ref)
		cap *= 2;
	uint8_t *live = realloc(t->live, (size_t)cap);
	if (live == NULL)
		abort();
	memset(live + t->live_cap, 0, (size_t)(cap - t->live_cap));
	t->live = live;
	t->live_cap = cap;
}

uint32_t grant_table_take(struct grant_table *t)
{
	uint32_t ref;
	if (t->next_fresh < t->entries) {
		ref = (uint32_t)t->next_fresh++;
	} else {
		ref = t->freed[t->freed_head];
		t->freed_head = (t->freed_head + 1) % t->freed_cap;
		t->freed_count--;
	}
	if ((int64_t)ref >= t->live_cap)
		grow_live(t, ref);
	t->live[ref] = 1;
	return ref;
}

void grant_table_release(struct grant_table *t, uint32_t ref)
{
	if (!grant_table_is_live(t, ref))
		return;
	t->live[ref] = 0;
	if (t->freed_count == t->freed_cap) {
		int64_t cap = t->freed_cap == 0 ? 1024 : t->freed_cap * 2;
		uint32_t *ring = malloc((size_t)cap * sizeof(uint32_t));
		if (ring == NULL)
			abort();
		for (int64_t i = 0; i < t->freed_count; i++)
			ring[i] = t->freed[(t->freed_head + i) % t->freed_cap];
		free(t->freed);
		t->freed = ring;
		t->freed_cap = cap;
		t->freed_head = 0;
	}
	t->freed[(t->freed_head + t->freed_count) % t->freed_cap] = ref;
	t->freed_count++;
}

bool grant_table_is_live(const struct grant_table *t, uint32_t ref)
{
	return (int64_t)ref < t->live_cap && t->live[ref] == 1;
}
