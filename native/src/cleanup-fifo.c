/* The global cleanup queues (see cleanup-fifo.h). O(records queued) per pass. */
#include "cleanup-fifo.h"

void cleanup_init(struct cleanup_fifo *q)
{
	q->gref_head = q->gref_tail = NULL;
	q->gmap_head = q->gmap_tail = NULL;
	q->gref_count = q->gmap_count = 0;
}

void cleanup_push_gref(struct cleanup_fifo *q, struct gref *gref)
{
	gref->cq_next = NULL;
	if (q->gref_tail == NULL)
		q->gref_head = gref;
	else
		q->gref_tail->cq_next = gref;
	q->gref_tail = gref;
	q->gref_count++;
}

void cleanup_push_gmap(struct cleanup_fifo *q, struct gmap *gmap)
{
	gmap->cq_next = NULL;
	if (q->gmap_tail == NULL)
		q->gmap_head = gmap;
	else
		q->gmap_tail->cq_next = gmap;
	q->gmap_tail = gmap;
	q->gmap_count++;
}

/* Read the link before offering the record: a reclaimed record is freed. */
#define CLEANUP_PASS(q, type, head, tail, count, reclaim, ctx, freed)               \
	do {                                                                         \
		struct type *x = (q)->head, *kept_head = NULL, *kept_tail = NULL;    \
		int64_t kept = 0;                                                    \
		(q)->head = (q)->tail = NULL;                                        \
		(q)->count = 0;                                                      \
		while (x != NULL) {                                                  \
			struct type *next = x->cq_next;                              \
			x->cq_next = NULL;                                           \
			if (reclaim(ctx, x)) {                                       \
				(freed)++;                                           \
			} else {                                                     \
				if (kept_tail == NULL)                               \
					kept_head = x;                               \
				else                                                 \
					kept_tail->cq_next = x;                      \
				kept_tail = x;                                       \
				kept++;                                              \
			}                                                            \
			x = next;                                                    \
		}                                                                    \
		if (kept_head != NULL) {                                             \
			if ((q)->tail == NULL)                                       \
				(q)->head = kept_head;                               \
			else                                                         \
				(q)->tail->cq_next = kept_head;                      \
			(q)->tail = kept_tail;                                       \
			(q)->count += kept;                                          \
		}                                                                    \
	} while (0)

int64_t cleanup_run(struct cleanup_fifo *q, reclaim_gref_fn rg, reclaim_gmap_fn rm, void *ctx)
{
	int64_t freed = 0;
	CLEANUP_PASS(q, gref, gref_head, gref_tail, gref_count, rg, ctx, freed);
	CLEANUP_PASS(q, gmap, gmap_head, gmap_tail, gmap_count, rm, ctx, freed);
	return freed;
}

check_result cleanup_check(const struct cleanup_fifo *q)
{
	int64_t n = 0;
	const struct gref *g, *glast = NULL;
	for (g = q->gref_head; g != NULL; g = g->cq_next) {
		if (++n > q->gref_count)
			return "cleanup: more grefs linked than counted";
		glast = g;
	}
	if (n != q->gref_count || glast != q->gref_tail)
		return "cleanup: gref queue count or tail wrong";
	n = 0;
	const struct gmap *m, *mlast = NULL;
	for (m = q->gmap_head; m != NULL; m = m->cq_next) {
		if (++n > q->gmap_count)
			return "cleanup: more gmaps linked than counted";
		mlast = m;
	}
	if (n != q->gmap_count || mlast != q->gmap_tail)
		return "cleanup: gmap queue count or tail wrong";
	return NULL;
}
