/*
 * The domain (see domain.h) and its reclaim rule: a dead gref is freed once nothing mmaps it
 * (its unmap notify fires exactly once, at the first pass that finds it unmapped) and the peer
 * no longer maps its grant; a dead gmap once no VMA maps it (its notify fires only if the map
 * hypercall ever happened).
 */
#include "domain.h"

#include <stdlib.h>

#include "vma.h"

void domain_init(struct domain *d, int64_t grant_table_entries, const int64_t *granted, int64_t ngranted)
{
	grant_table_init(&d->grant_table, grant_table_entries);
	peer_init(&d->peer, &d->grant_table, granted, ngranted);
	cleanup_init(&d->cleanup);
	d->live_grefs = 0;
	d->dead_mapped_grefs = 0;
	d->reclaimed = 0;
	d->notify_cleared_bytes = 0;
	d->notify_events_sent = 0;
	d->collisions = 0;
	d->next_vaddr = 16;
	zone_init(&d->gref_zone, sizeof(struct gref));
	zone_init(&d->gmap_zone, sizeof(struct gmap));
	zone_init(&d->vma_zone, sizeof(struct vma));
	d->dropped_gmaps = NULL;
}

void domain_free_gmap(struct domain *d, struct gmap *gmap)
{
	free(gmap->grant_refs);
	zone_free(&d->gmap_zone, gmap);
}

void domain_drop_gmap(struct domain *d, struct gmap *gmap)
{
	gmap->cq_next = d->dropped_gmaps;
	d->dropped_gmaps = gmap;
}

/* Records still queued or dropped hold malloc'd refs; everything else goes with the zones. */
void domain_destroy(struct domain *d)
{
	struct gmap *gmap = d->cleanup.gmap_head;
	while (gmap != NULL) {
		struct gmap *next = gmap->cq_next;
		free(gmap->grant_refs);
		gmap = next;
	}
	for (gmap = d->dropped_gmaps; gmap != NULL; gmap = gmap->cq_next)
		free(gmap->grant_refs);
	zone_destroy(&d->gref_zone);
	zone_destroy(&d->gmap_zone);
	zone_destroy(&d->vma_zone);
	peer_destroy(&d->peer);
	grant_table_destroy(&d->grant_table);
	cleanup_init(&d->cleanup);
}

static void fire_notify(struct domain *d, int action)
{
	if ((action & UNMAP_NOTIFY_CLEAR_BYTE) != 0)
		d->notify_cleared_bytes++;
	if ((action & UNMAP_NOTIFY_SEND_EVENT) != 0)
		d->notify_events_sent++;
}

static bool reclaim_gref(void *ctx, struct gref *gref)
{
	struct domain *d = ctx;
	if (gref->map_count > 0)
		return false;
	if (!gref->notify_fired) {
		gref->notify_fired = true;
		if (gref->notify.set)
			fire_notify(d, gref->notify.action);
	}
	/* The page stays granted until the peer lets go. */
	if (peer_is_mapping_foreign(&d->peer, gref->grant_ref))
		return false;
	grant_table_release(&d->grant_table, gref->grant_ref);
	d->reclaimed++;
	zone_free(&d->gref_zone, gref);
	return true;
}

static bool reclaim_gmap(void *ctx, struct gmap *gmap)
{
	struct domain *d = ctx;
	if (gmap->map_count > 0)
		return false;
	if (!gmap->notify_fired) {
		gmap->notify_fired = true;
		if (gmap->notify.set && gmap->ever_mapped)
			fire_notify(d, gmap->notify.action);
	}
	d->reclaimed++;
	domain_free_gmap(d, gmap);
	return true;
}

int64_t domain_run_cleanup(struct domain *d)
{
	return cleanup_run(&d->cleanup, reclaim_gref, reclaim_gmap, d);
}

int64_t domain_charged_grefs(const struct domain *d, bool deferred_counts, bool counts_mmapped)
{
	if (deferred_counts)
		return d->live_grefs + d->cleanup.gref_count;
	return counts_mmapped ? d->live_grefs + d->dead_mapped_grefs : d->live_grefs;
}

int64_t domain_alloc_vaddr(struct domain *d, page_t pages)
{
	int64_t vaddr = d->next_vaddr;
	d->next_vaddr += pages + 1;
	return vaddr;
}
