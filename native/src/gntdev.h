/*
 * One open grant device file (src/device/gntdev.ts): the ioctl and mm semantics of FreeBSD
 * /dev/xen/gntdev, Linux gntdev (map side) and Linux gntalloc (alloc side) over any strategy.
 * Where the kernels differ, the strategy's policy and limits decide. Every call returns a
 * non-negative result or a negated errno.
 */
#ifndef GNT_GNTDEV_H
#define GNT_GNTDEV_H

#include "domain.h"
#include "strategy.h"
#include "vma.h"

struct device_stats {
	int64_t grefs, gmaps, vmas, pending_cleanup, reclaimed, notify_cleared_bytes, notify_events_sent, collisions;
};

struct gntdev {
	struct domain *domain;
	struct strategy *strategy;
	const struct device_policy *policy;
	const struct device_limits *limits;
	struct vma_table vmas;
	/* Reused for find_run / remove_run / insert_run; grown on demand. */
	struct gref **scratch;
	int64_t scratch_cap;
	bool closed;
};

void gntdev_open(struct gntdev *dev, struct domain *d, struct strategy *s);
/* Teardown of the harness (not close()): frees every VMA; records go with the domain. */
void gntdev_destroy(struct gntdev *dev);

/* ALLOC_GREF: first page, or -errno; the grant refs go to out_refs when not NULL. */
page_t gntdev_alloc_gref(struct gntdev *dev, int32_t domid, page_t pages, bool writable, uint32_t *out_refs);
int gntdev_dealloc_gref(struct gntdev *dev, page_t first, page_t pages);
page_t gntdev_map_grant_ref(struct gntdev *dev, int32_t domid, const uint32_t *refs, page_t pages);
int gntdev_unmap_grant_ref(struct gntdev *dev, page_t first, page_t pages);
/* mmap of pages at first: a vaddr (in pages, > 0), or -errno. */
int64_t gntdev_mmap(struct gntdev *dev, page_t first, page_t pages, bool writable);
int gntdev_munmap(struct gntdev *dev, int64_t vaddr);
int gntdev_get_offset_for_vaddr(struct gntdev *dev, int64_t vaddr, page_t *out_first, page_t *out_pages);
int gntdev_set_unmap_notify(struct gntdev *dev, page_t page, int64_t byte_in_page, int64_t action, int64_t port);
void gntdev_close(struct gntdev *dev);
void gntdev_stats(const struct gntdev *dev, struct device_stats *out);
check_result gntdev_check(struct gntdev *dev);

#endif
