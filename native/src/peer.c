/* The simulated peer domain (see peer.h). */
#include "peer.h"

#include <stdlib.h>
#include <string.h>

void peer_init(struct peer *p, const struct grant_table *ours, const int64_t *granted, int64_t ngranted)
{
	memset(p, 0, sizeof(*p));
	p->ours = ours;
	p->granted = granted;
	p->ngranted = ngranted;
}

void peer_destroy(struct peer *p)
{
	free(p->foreign);
	memset(p, 0, sizeof(*p));
}

bool peer_is_granted(const struct peer *p, uint32_t ref)
{
	int64_t lo = 0, hi = p->ngranted;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		const int64_t *run = &p->granted[2 * mid];
		if ((int64_t)ref < run[0])
			hi = mid;
		else if ((int64_t)ref >= run[0] + run[1])
			lo = mid + 1;
		else
			return true;
	}
	return false;
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
