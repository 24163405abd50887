/*
 * Deferred cleanup (FreeBSD gntdev to_kill_grefs / to_kill_gmaps and its cleanup task; Linux
 * gntalloc's do_cleanup rescan; src/strategies/cleanup-fifo.ts): two global singly linked tail
 * queues. A pass detaches each queue, offers every record to the reclaimer in FIFO order and
 * splices the survivors back, after anything queued meanwhile (STAILQ_CONCAT). Grefs, then gmaps.
 */
#ifndef GNT_CLEANUP_FIFO_H
#define GNT_CLEANUP_FIFO_H

#include "records.h"

struct cleanup_fifo {
	struct gref *gref_head, *gref_tail;
	int64_t gref_count;
	struct gmap *gmap_head, *gmap_tail;
	int64_t gmap_count;
};

/* Free the record and return true when nothing maps it any more; else false (it stays queued). */
typedef bool (*reclaim_gref_fn)(void *ctx, struct gref *gref);
typedef bool (*reclaim_gmap_fn)(void *ctx, struct gmap *gmap);

void cleanup_init(struct cleanup_fifo *q);
void cleanup_push_gref(struct cleanup_fifo *q, struct gref *gref);
void cleanup_push_gmap(struct cleanup_fifo *q, struct gmap *gmap);
/* One pass; returns the records freed. */
int64_t cleanup_run(struct cleanup_fifo *q, reclaim_gref_fn rg, reclaim_gmap_fn rm, void *ctx);
check_result cleanup_check(const struct cleanup_fifo *q);

#endif
