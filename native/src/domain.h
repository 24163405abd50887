/*
 * What one guest domain shares across its open grant device files (src/device/domain.ts): our
 * grant table, the simulated peer, the one global cleanup queue and its reclaim rule, the
 * domain-wide gref count behind Linux gntalloc's limit, the counters DeviceStats reports, the
 * simulated process's mmap addresses, and the record caches.
 */
#ifndef GNT_DOMAIN_H
#define GNT_DOMAIN_H

#include "cleanup-fifo.h"
#include "grant-table.h"
#include "peer.h"
#include "zone.h"

struct domain {
	struct grant_table grant_table;
	struct peer peer;
	struct cleanup_fifo cleanup;
	int64_t live_grefs; /* in the stores of all files */
	int64_t dead_mapped_grefs; /* out of every store (DEALLOC, close) but still mmapped */
	int64_t reclaimed;
	int64_t notify_cleared_bytes;
	int64_t notify_events_sent;
	int64_t collisions;
	int64_t next_vaddr;
	struct zone gref_zone;
	struct zone gmap_zone;
	struct zone vma_zone;
	/* Gmaps dropped on a colliding key (unreachable, as in FreeBSD): freed at teardown only. */
	struct gmap *dropped_gmaps;
};

void domain_init(struct domain *d, int64_t grant_table_entries, const int64_t *granted, int64_t ngranted);
void domain_destroy(struct domain *d);
/* One pass of the cleanup task; returns the records freed. */
int64_t domain_run_cleanup(struct domain *d);
/* Grefs charged against the global limit under the policy's counting rules. */
int64_t domain_charged_grefs(const struct domain *d, bool deferred_counts, bool counts_mmapped);
int64_t domain_alloc_vaddr(struct domain *d, page_t pages);
void domain_free_gmap(struct domain *d, struct gmap *gmap);
/* A record could not be linked: it stays unreachable until the state is torn down. */
void domain_drop_gmap(struct domain *d, struct gmap *gmap);

#endif
