/*
 * The simulated other domain (src/device/peer.ts). On the map side it is the granter: the map
 * hypercall at our first mmap of a gmap succeeds only for grants it holds (here: the refs the TS
 * side bound the stream to, passed in as sorted runs). On the alloc side it maps the pages we
 * granted (counted per grant ref, only while the entry is live in our table), which keeps a
 * deallocated gref in the cleanup queue.
 */
#ifndef GNT_PEER_H
#define GNT_PEER_H

#include "grant-table.h"

struct peer {
	/* Grants the peer gave us: sorted, disjoint (first, count) runs, binary searched. */
	const int64_t *granted;
	int64_t ngranted;
	/* Our grant ref -> how many times the peer maps it; grown on demand. */
	uint32_t *foreign;
	int64_t foreign_cap;
	const struct grant_table *ours;
};

/* granted: (first, count) pairs, sorted and disjoint (the stream parser checks), owned by the caller. */
void peer_init(struct peer *p, const struct grant_table *ours, const int64_t *granted, int64_t ngranted);
void peer_destroy(struct peer *p);
bool peer_is_granted(const struct peer *p, uint32_t ref);
void peer_map_foreign(struct peer *p, uint32_t ref);
void peer_unmap_foreign(struct peer *p, uint32_t ref);
bool peer_is_mapping_foreign(const struct peer *p, uint32_t ref);

#endif
