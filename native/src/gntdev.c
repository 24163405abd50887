/*
 * One open grant device file (see gntdev.h), following src/device/gntdev.ts call for call:
 * ALLOC/MAP take offsets from the allocator and insert records (the map hypercall waits for
 * the first mmap); DEALLOC/UNMAP/close move records to the global cleanup queue and return the
 * offsets at once, even while mmapped; mmap tries a gref run first, then a gmap of exactly that
 * start and count; munmap and GET_OFFSET_FOR_VADDR go through the VMA. Operations on a closed
 * file fail with EINVAL, except munmap (mappings outlive the file).
 */
#include "gntdev.h"

#include <stdlib.h>
#include <string.h>

#define NOTIFY_ACTION_MASK (UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT)

void gntdev_open(struct gntdev *dev, struct domain *d, struct strategy *s)
{
	dev->domain = d;
	dev->strategy = s;
	dev->policy = &s->spec->policy;
	dev->limits = &s->spec->limits;
	vma_table_init(&dev->vmas);
	dev->scratch_cap = 64;
	dev->scratch = malloc((size_t)dev->scratch_cap * sizeof(struct gref *));
	if (dev->scratch == NULL)
		abort();
	dev->closed = false;
}

static void free_vma(void *ctx, struct vma *v)
{
	(void)ctx;
	free(v->grefs);
}

static void queue_gmap_for_teardown(void *ctx, struct gmap *gmap)
{
	cleanup_push_gmap(ctx, gmap);
}

void gntdev_destroy(struct gntdev *dev)
{
	/* Live gmaps join the queue so that domain_destroy frees their refs. */
	struct gmap_store *gmaps = dev->strategy->gmaps;
	gmaps->ops->drain(gmaps, queue_gmap_for_teardown, &dev->domain->cleanup);
	vma_table_clear(&dev->vmas, free_vma, NULL);
	free(dev->scratch);
	dev->scratch = NULL;
}

static struct gref **scratch_for(struct gntdev *dev, page_t pages)
{
	if (pages > dev->scratch_cap) {
		int64_t cap = dev->scratch_cap;
		while (cap < pages)
			cap *= 2;
		struct gref **bigger = realloc(dev->scratch, (size_t)cap * sizeof(struct gref *));
		if (bigger == NULL)
			abort();
		dev->scratch = bigger;
		dev->scratch_cap = cap;
	}
	return dev->scratch;
}

page_t gntdev_alloc_gref(struct gntdev *dev, int32_t domid, page_t pages, bool writable, uint32_t *out_refs)
{
	if (dev->closed)
		return -GNT_EINVAL;
	const struct device_policy *policy = dev->policy;
	if (!policy->supports_alloc)
		return -GNT_ENOTTY;
	struct domain *d = dev->domain;
	if (policy->cleanup_on & CLEANUP_ON_ALLOC)
		domain_run_cleanup(d);
	if (!(pages > 0) || pages > dev->limits->max_pages_per_call)
		return -GNT_EINVAL;
	int64_t limit = dev->limits->global_gref_limit;
	if (limit != GNT_UNLIMITED &&
	    domain_charged_grefs(d, policy->deferred_counts_against_limit, policy->gref_limit_counts_mmapped) + pages > limit)
		return -GNT_ENOSPC;
	struct offset_allocator *alloc = dev->strategy->allocator;
	page_t first = alloc->ops->alloc(alloc, pages);
	if (first < 0)
		return first;
	if (grant_table_available(&d->grant_table) < pages) {
		/* FreeBSD has no put on this error path: its offsets stay taken. */
		if (!policy->failed_alloc_leaks_offsets)
			alloc->ops->free(alloc, first, pages);
		return -GNT_ENOSPC;
	}
	struct gref **run = scratch_for(dev, pages);
	for (page_t i = 0; i < pages; i++) {
		struct gref *gref = zone_alloc(&d->gref_zone);
		memset(gref, 0, sizeof(*gref));
		gref->page = first + i;
		gref->grant_ref = grant_table_take(&d->grant_table);
		gref->domid = domid;
		gref->writable = writable;
		gref->live = true;
		run[i] = gref;
		if (out_refs != NULL)
			out_refs[i] = gref->grant_ref;
	}
	struct gref_store *grefs = dev->strategy->grefs;
	int64_t dropped = grefs->ops->insert_run(grefs, run, pages);
	int64_t inserted = pages;
	if (dropped > 0) {
		/* A colliding key leaves the record unreachable and its grant entry leaked (FreeBSD). */
		d->collisions += dropped;
		for (page_t i = 0; i < pages; i++) {
			if (grefs->ops->find_page(grefs, run[i]->page) != run[i]) {
				run[i]->live = false;
				inserted--;
			}
		}
	}
	d->live_grefs += inserted;
	return first;
}

/* DEALLOC_GREF failed with errno; Linux gntalloc runs its cleanup pass all the same. */
static int dealloc_failed(struct gntdev *dev, int errno_value)
{
	if (dev->policy->dealloc_cleans_on_failure && (dev->policy->cleanup_on & CLEANUP_ON_DEALLOC))
		domain_run_cleanup(dev->domain);
	return -errno_value;
}

int gntdev_dealloc_gref(struct gntdev *dev, page_t first, page_t pages)
{
	if (dev->closed)
		return -GNT_EINVAL;
	const struct device_policy *policy = dev->policy;
	if (!policy->supports_alloc)
		return -GNT_ENOTTY;
	if (!(pages > 0))
		return dealloc_failed(dev, GNT_EINVAL);
	if (first < 0)
		return dealloc_failed(dev, policy->unmap_missing_errno);
	struct gref_store *grefs = dev->strategy->grefs;
	/* More pages than records can never be a run (and must not size the scratch buffer). */
	if (pages > grefs->size)
		return dealloc_failed(dev, policy->unmap_missing_errno);
	struct gref **run = scratch_for(dev, pages);
	if (!grefs->ops->remove_run(grefs, first, pages, run))
		return dealloc_failed(dev, policy->unmap_missing_errno);
	struct domain *d = dev->domain;
	for (page_t i = 0; i < pages; i++) {
		run[i]->live = false;
		/* Still mmapped: Linux gntalloc keeps counting it against the limit until munmap. */
		if (run[i]->map_count > 0)
			d->dead_mapped_grefs++;
		cleanup_push_gref(&d->cleanup, run[i]);
	}
	d->live_grefs -= pages;
	struct offset_allocator *alloc = dev->strategy->allocator;
	alloc->ops->free(alloc, first, pages);
	if (policy->cleanup_on & CLEANUP_ON_DEALLOC)
		domain_run_cleanup(d);
	return 0;
}

page_t gntdev_map_grant_ref(struct gntdev *dev, int32_t domid, const uint32_t *refs, page_t pages)
{
	if (dev->closed)
		return -GNT_EINVAL;
	const struct device_policy *policy = dev->policy;
	if (!policy->supports_map)
		return -GNT_ENOTTY;
	struct domain *d = dev->domain;
	if (policy->cleanup_on & CLEANUP_ON_MAP)
		domain_run_cleanup(d);
	if (pages == 0 || pages > dev->limits->max_pages_per_call)
		return -GNT_EINVAL;
	struct offset_allocator *alloc = dev->strategy->allocator;
	page_t first = alloc->ops->alloc(alloc, pages);
	if (first < 0)
		return first;
	struct gmap *gmap = zone_alloc(&d->gmap_zone);
	memset(gmap, 0, sizeof(*gmap));
	gmap->first_page = first;
	gmap->pages = pages;
	gmap->domid = domid;
	gmap->readonly = -1;
	gmap->live = true;
	/* copy_from_user of the refs. */
	gmap->grant_refs = malloc((size_t)pages * sizeof(uint32_t));
	if (gmap->grant_refs == NULL)
		abort();
	memcpy(gmap->grant_refs, refs, (size_t)pages * sizeof(uint32_t));
	struct gmap_store *gmaps = dev->strategy->gmaps;
	if (gmaps->ops->insert(gmaps, gmap) != NULL) {
		gmap->live = false;
		d->collisions++;
		domain_drop_gmap(d, gmap);
	}
	return gmap->first_page;
}

/*
 * UNMAP or close dropped the gmap's list reference. Linux (gmap_event_without_mmap): a gmap never
 * mmapped has no other reference, so it dies here and sends its SEND_EVENT notify although no
 * grant was ever mapped (there is no page whose byte could be cleared).
 */
static void gmap_list_reference_dropped(struct gntdev *dev, struct gmap *gmap)
{
	if (gmap->ever_mapped || gmap->notify_fired || !dev->policy->gmap_event_without_mmap)
		return;
	gmap->notify_fired = true;
	if (gmap->notify.set && (gmap->notify.action & UNMAP_NOTIFY_SEND_EVENT) != 0)
		dev->domain->notify_events_sent++;
}

int gntdev_unmap_grant_ref(struct gntdev *dev, page_t first, page_t pages)
{
	if (dev->closed)
		return -GNT_EINVAL;
	const struct device_policy *policy = dev->policy;
	if (!policy->supports_map)
		return -GNT_ENOTTY;
	if (pages < 0 || (pages == 0 && !policy->unmap_count_wildcard))
		return -GNT_EINVAL;
	if (first < 0)
		return -policy->unmap_missing_errno;
	struct gmap_store *gmaps = dev->strategy->gmaps;
	struct gmap *gmap = gmaps->ops->find_exact(gmaps, first, pages);
	if (gmap == NULL)
		return -policy->unmap_missing_errno;
	gmaps->ops->remove(gmaps, gmap);
	gmap->live = false;
	gmap_list_reference_dropped(dev, gmap);
	struct domain *d = dev->domain;
	cleanup_push_gmap(&d->cleanup, gmap);
	struct offset_allocator *alloc = dev->strategy->allocator;
	alloc->ops->free(alloc, gmap->first_page, gmap->pages);
	if (policy->cleanup_on & CLEANUP_ON_UNMAP)
		domain_run_cleanup(d);
	return 0;
}

static int64_t add_vma(struct gntdev *dev, page_t pages, struct gref **grefs, struct gmap *gmap)
{
	struct vma *v = zone_alloc(&dev->domain->vma_zone);
	v->vaddr = domain_alloc_vaddr(dev->domain, pages);
	v->pages = pages;
	v->grefs = grefs;
	v->gmap = gmap;
	vma_table_insert(&dev->vmas, v);
	return v->vaddr;
}

int64_t gntdev_mmap(struct gntdev *dev, page_t first, page_t pages, bool writable)
{
	if (dev->closed)
		return -GNT_EINVAL;
	const struct device_policy *policy = dev->policy;
	if (!(pages > 0))
		return -GNT_EINVAL;
	if (first < 0)
		return -policy->mmap_missing_errno;
	if (policy->supports_alloc && pages <= dev->strategy->grefs->size) {
		struct gref_store *grefs = dev->strategy->grefs;
		struct gref **run = scratch_for(dev, pages);
		if (grefs->ops->find_run(grefs, first, pages, run)) {
			if (policy->gref_single_mapping) {
				for (page_t i = 0; i < pages; i++)
					if (run[i]->map_count > 0)
						return -GNT_EINVAL;
			}
			struct gref **records = malloc((size_t)pages * sizeof(struct gref *));
			if (records == NULL)
				abort();
			for (page_t i = 0; i < pages; i++) {
				run[i]->map_count++;
				records[i] = run[i];
			}
			return add_vma(dev, pages, records, NULL);
		}
	}
	if (policy->supports_map) {
		struct gmap_store *gmaps = dev->strategy->gmaps;
		struct gmap *gmap = gmaps->ops->find_exact(gmaps, first, pages);
		if (gmap == NULL)
			return -policy->mmap_missing_errno;
		if (policy->gmap_single_mapping && gmap->map_count > 0)
			return -GNT_EINVAL;
		/* Linux: readonly is fixed by the first mmap; a writable mmap of a readonly map fails.
		 * FreeBSD: a later mmap only takes another reference on the VM object. */
		if (policy->gmap_readonly_checks && gmap->readonly == 1 && writable)
			return -GNT_EINVAL;
		if (!gmap->ever_mapped) {
			for (page_t i = 0; i < gmap->pages; i++)
				if (!peer_is_granted(&dev->domain->peer, gmap->grant_refs[i]))
					return -GNT_EINVAL;
			gmap->ever_mapped = true;
			gmap->readonly = writable ? 0 : 1;
		}
		gmap->map_count++;
		return add_vma(dev, pages, NULL, gmap);
	}
	return -policy->mmap_missing_errno;
}

int gntdev_munmap(struct gntdev *dev, int64_t vaddr)
{
	struct vma *v = vma_table_remove(&dev->vmas, vaddr);
	if (v == NULL)
		return -GNT_EINVAL;
	if (v->grefs != NULL) {
		for (page_t i = 0; i < v->pages; i++) {
			struct gref *gref = v->grefs[i];
			/* The last local use of a dead gref: it stops counting against the gntalloc limit. */
			if (--gref->map_count == 0 && !gref->live)
				dev->domain->dead_mapped_grefs--;
		}
		free(v->grefs);
	} else if (v->gmap != NULL) {
		v->gmap->map_count--;
	}
	zone_free(&dev->domain->vma_zone, v);
	if (dev->policy->cleanup_on & CLEANUP_ON_MUNMAP)
		domain_run_cleanup(dev->domain);
	return 0;
}

int gntdev_get_offset_for_vaddr(struct gntdev *dev, int64_t vaddr, page_t *out_first, page_t *out_pages)
{
	if (dev->closed)
		return -GNT_EINVAL;
	if (!dev->policy->supports_map)
		return -GNT_ENOTTY;
	/* The mapping that contains the address (find_vma); libxengnttab passes its start. */
	struct vma *v = vma_table_find(&dev->vmas, vaddr);
	if (v == NULL)
		v = vma_table_containing(&dev->vmas, vaddr);
	if (v == NULL || v->gmap == NULL)
		return -GNT_EINVAL;
	*out_first = v->gmap->first_page;
	*out_pages = v->gmap->pages;
	return 0;
}

static void set_notify(struct unmap_notify *n, int64_t action, int64_t byte_in_record, int64_t port)
{
	n->set = true;
	n->action = (int)action;
	n->byte_in_record = byte_in_record;
	n->port = port;
}

int gntdev_set_unmap_notify(struct gntdev *dev, page_t page, int64_t byte_in_page, int64_t action, int64_t port)
{
	if (dev->closed)
		return -GNT_EINVAL;
	const struct device_policy *policy = dev->policy;
	bool bad_action = (action & ~(int64_t)NOTIFY_ACTION_MASK) != 0 || action < 0;
	/* Linux gntalloc finds the page first: a missing page is ENOENT whatever the action. */
	if (bad_action && !policy->notify_lookup_first)
		return -GNT_EINVAL;
	if (!(byte_in_page >= 0 && byte_in_page < PAGE_BYTES))
		return -GNT_EINVAL;
	if (page < 0)
		return -policy->notify_missing_errno;
	if (policy->supports_alloc) {
		struct gref_store *grefs = dev->strategy->grefs;
		struct gref *gref = grefs->ops->find_page(grefs, page);
		if (gref != NULL) {
			if (bad_action)
				return -GNT_EINVAL;
			set_notify(&gref->notify, action, byte_in_page, port);
			return 0;
		}
	}
	if (policy->supports_map) {
		struct gmap_store *gmaps = dev->strategy->gmaps;
		struct gmap *gmap = gmaps->ops->find_containing(gmaps, page);
		if (gmap != NULL) {
			if (bad_action)
				return -GNT_EINVAL;
			if (policy->gmap_readonly_checks && (action & UNMAP_NOTIFY_CLEAR_BYTE) != 0 && gmap->readonly == 1)
				return -GNT_EINVAL;
			set_notify(&gmap->notify, action, (page - gmap->first_page) * PAGE_BYTES + byte_in_page, port);
			return 0;
		}
	}
	return -policy->notify_missing_errno;
}

static void close_gref(void *ctx, struct gref *gref)
{
	struct domain *d = ((struct gntdev *)ctx)->domain;
	gref->live = false;
	if (gref->map_count > 0)
		d->dead_mapped_grefs++;
	cleanup_push_gref(&d->cleanup, gref);
	d->live_grefs--;
}

static void close_gmap(void *ctx, struct gmap *gmap)
{
	struct gntdev *dev = ctx;
	gmap->live = false;
	gmap_list_reference_dropped(dev, gmap);
	cleanup_push_gmap(&dev->domain->cleanup, gmap);
}

void gntdev_close(struct gntdev *dev)
{
	if (dev->closed)
		return;
	dev->closed = true;
	struct gref_store *grefs = dev->strategy->grefs;
	struct gmap_store *gmaps = dev->strategy->gmaps;
	grefs->ops->drain(grefs, close_gref, dev);
	gmaps->ops->drain(gmaps, close_gmap, dev);
	if (dev->policy->cleanup_on & CLEANUP_ON_CLOSE)
		domain_run_cleanup(dev->domain);
}

void gntdev_stats(const struct gntdev *dev, struct device_stats *out)
{
	const struct domain *d = dev->domain;
	out->grefs = dev->strategy->grefs->size;
	out->gmaps = dev->strategy->gmaps->size;
	out->vmas = dev->vmas.count;
	out->pending_cleanup = d->cleanup.gref_count + d->cleanup.gmap_count;
	out->reclaimed = d->reclaimed;
	out->notify_cleared_bytes = d->notify_cleared_bytes;
	out->notify_events_sent = d->notify_events_sent;
	out->collisions = d->collisions;
}

check_result gntdev_check(struct gntdev *dev)
{
	check_result bad = strategy_check(dev->strategy);
	if (bad == NULL)
		bad = cleanup_check(&dev->domain->cleanup);
	if (bad == NULL && dev->domain->live_grefs < dev->strategy->grefs->size)
		bad = "device: the domain counts fewer live grefs than the store holds";
	return bad;
}
