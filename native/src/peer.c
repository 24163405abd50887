/* The simulated peer domain (see peer.h). */
#include "peer.h"

#include <stdlib.h>
#include <string.h>

void peer_init(struct peer *p, const struct grant_table *ours, const int64_t *ranges, int64_t nranges)
{
	memset(p, 0, sizeof(*p));
	p->ours = ours;
	if (nranges == 0)
		return;
	int64_t lo = INT64_MAX, hi = 0;
	for (int64_t i = 0; i < nranges; i++) {
		if (ranges[2 * i] < lo)
			lo = ranges[2 * i];
		if (ranges[2 * i] + ranges[2 * i + 1] > hi)
			hi = ranges[2 * i] + ranges[2 * i + 1];
	}
	if (hi <= lo)
		return;
	p->granted_base = (uint32_t)lo;
	p->granted_len = hi - lo;
	p->granted = calloc((size_t)p->granted_len, 1);
	if (p->granted == NULL)
		abort();
	for (int64_t i = 0; i < nranges; i++)
		memset(p->granted + (ranges[2 * i] - lo), 1, (size_t)ranges[2 * i + 1]);
}

void peer_destroy(struct peer *p)
{
	free(p->granted);
	free(p->foreign);
	memset(p, 0, sizeof(*p));
}

bool peer_is_granted(const struct peer *p, uint32_t ref)
{
	int64_t i = (int64_t)ref - p->granted_base;
	return i >= 0 && i < p->granted_len && p->granted[i] != 0;
}

void peer_map_foreign(struct peer *p, uint32_t ref)
{
	/* Mapping a freed ref fails in Xen: ignored. */
	if (!grant_table_is_live(p->ours, ref))
		return;
	if ((int64_t)ref >= p->foreign_cap) {
		int64_t cap = p->foreign_cap == 0 ? 1024 : p->foreign_cap * 2;
		while (cap <= (int64_t)ref)
			cap *= 2;
		uint32_t *counts = realloc(p->foreign, (size_t)cap * sizeof(uint32_t));
		if (counts == NULL)
			abort();
		memset(counts + p->foreign_cap, 0, (size_t)(cap - p->foreign_cap) * sizeof(uint32_t));
		p->foreign = counts;
		p->foreign_cap = cap;
	}
	p->foreign[ref]++;
}

void peer_unmap_foreign(struct peer *p, uint32_t ref)
{
	if ((int64_t)ref < p->foreign_cap && p->foreign[ref] > 0)
		p->foreign[ref]--;
}

bool peer_is_mapping_foreign(const struct peer *p, uint32_t ref)
{
	return (int64_t)ref < p->foreign_cap && p->foreign[ref] > 0;
}
