/*
 * The simulated other domain (src/device/peer.ts). On the map side it is the granter: the map
 * hypercall at our first mmap of a gmap succeeds only for grants it holds (here: the refs the TS
 * side bound the stream to, passed in as ranges). On the alloc side it maps the pages we granted
 * (counted per grant ref, only while the entry is live in our table), which keeps a deallocated
 * gref in the cleanup queue.
 */
#ifndef GNT_PEER_H
#define GNT_PEER_H

#include "grant-table.h"

struct peer {
	/* Grants the peer gave us: a bitmap over [granted_base, granted_base + granted_len). */
	uint32_t granted_base;
	int64_t granted_len;
	uint8_t *granted;
	/* Our grant ref -> how many times the peer maps it; grown on demand. */
	uint32_t *foreign;
	int64_t foreign_cap;
	const struct grant_table *ours;
};

/* refs: granted ranges as (first, count) pairs. */
void peer_init(struct peer *p, const struct grant_table *ours, const int64_t *ranges, int64_t nranges);
void peer_destroy(struct peer *p);
bool peer_is_granted(const struct peer *p, uint32_t ref);
void peer_map_foreign(struct peer *p, uint32_t ref);
void peer_unmap_foreign(struct peer *p, uint32_t ref);
bool peer_is_mapping_foreign(const struct peer *p, uint32_t ref);

#endif
