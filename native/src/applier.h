/*
 * Runs stream ops on a device (src/workloads/apply.ts OpApplier): the one place where handles
 * turn into the pages a strategy handed out and VMA slots into addresses. An op whose handle or
 * slot holds no successful result is skipped (GNT_SKIPPED), exactly as the TS applier does.
 */
#ifndef GNT_APPLIER_H
#define GNT_APPLIER_H

#include "gntdev.h"
#include "stream.h"

struct applier {
	struct gntdev *device;
	page_t *page_of;     /* first page per handle; -1 when unset or failed */
	int64_t *vaddr_of;   /* vaddr per VMA slot; -1 when unset, failed or unmapped */
	uint32_t **refs_of;  /* our grant refs per handle (only with track_grant_refs) */
	int64_t *nrefs_of;
	int64_t handles;
	bool track_grant_refs;
	page_t last_first, last_pages; /* what the last successful GET_OFFSET returned */
	int64_t ok, failed, skipped;
};

void applier_init(struct applier *a, struct gntdev *dev, const struct stream *s);
void applier_destroy(struct applier *a);
/* Issue one op; the device's result, or GNT_SKIPPED. */
int64_t applier_apply(struct applier *a, const struct op *op);

#endif
