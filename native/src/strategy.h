/*
 * One open file's bookkeeping, fully resolved by the TS side (src/native/resolved-strategy.ts): which
 * allocator and stores, every quirk, the device policy and limits. Nothing here knows a preset
 * name: the C engine follows whatever src/strategies resolves (presets.ts can change freely).
 */
#ifndef GNT_STRATEGY_H
#define GNT_STRATEGY_H

#include "allocator.h"
#include "gmap-store.h"
#include "gref-store.h"

/* *_MAPLE_FUSED: one maple-like B-tree is the allocator and the gmap store (the `maple` strategy). */
enum allocator_kind {
	ALLOCATOR_BUMP,
	ALLOCATOR_LIST,
	ALLOCATOR_RBTREE,
	ALLOCATOR_RANGESET,
	ALLOCATOR_LINUX_GMAP_LIST,
	ALLOCATOR_AUGTREE,
	ALLOCATOR_MAPLE,
	ALLOCATOR_MAPLE_FUSED,
};
enum store_kind { STORE_LIST, STORE_RBTREE, STORE_RANGESET, STORE_LINUX_GMAP_LIST, STORE_AUGTREE, STORE_XARRAY, STORE_MAPLE, STORE_MAPLE_FUSED };

/* When the device runs the cleanup queue (DevicePolicy.cleanupOn), as bits. */
enum cleanup_trigger {
	CLEANUP_ON_ALLOC = 1 << 0,
	CLEANUP_ON_DEALLOC = 1 << 1,
	CLEANUP_ON_MAP = 1 << 2,
	CLEANUP_ON_UNMAP = 1 << 3,
	CLEANUP_ON_MUNMAP = 1 << 4,
	CLEANUP_ON_CLOSE = 1 << 5,
};

struct device_policy {
	bool supports_alloc;
	bool supports_map;
	bool unmap_count_wildcard;
	bool gref_single_mapping;
	bool gmap_single_mapping;
	bool deferred_counts_against_limit;
	int unmap_missing_errno;
	int notify_missing_errno;
	unsigned cleanup_on;
	/* mmap that finds no gref run and no gmap: ENOENT (Linux gntalloc) or EINVAL. */
	int mmap_missing_errno;
	/* Linux gntalloc: a DEALLOCed gref still mmapped counts against the limit until munmap. */
	bool gref_limit_counts_mmapped;
	/* Linux gntdev: the first mmap fixes a gmap read-only; later writable mmaps and CLEAR_BYTE fail. */
	bool gmap_readonly_checks;
	/* Linux gntdev: a gmap never mmapped sends its SEND_EVENT notify when its list reference goes. */
	bool gmap_event_without_mmap;
	/* Linux gntdev: UNMAP looks up index >> 12; an ioctl-boundary rule, no effect on whole pages. */
	bool unmap_index_shifts;
	/* Linux gntalloc: SET_UNMAP_NOTIFY finds the page before it validates the action. */
	bool notify_lookup_first;
	/* Linux gntalloc: DEALLOC runs its cleanup pass even when the run is not found. */
	bool dealloc_cleans_on_failure;
	/* FreeBSD: an ALLOC failing after taking offsets (grant table exhausted) does not give them back. */
	bool failed_alloc_leaks_offsets;
};

struct device_limits {
	int64_t max_pages_per_call; /* GNT_UNLIMITED: none */
	int64_t global_gref_limit;
};

struct strategy_spec {
	enum allocator_kind allocator;
	enum store_kind gref_store;
	enum store_kind gmap_store;
	bool linear_containment; /* rbtree gmap store: FreeBSD's notify scan */
	bool gref_allocation_order; /* list gref store: append batches, keep collisions (Linux gntalloc) */
	struct quirks quirks;
	page_t offset_space;
	struct device_policy policy;
	struct device_limits limits;
};

struct strategy {
	const struct strategy_spec *spec;
	struct offset_allocator *allocator;
	struct gref_store *grefs;
	struct gmap_store *gmaps;
};

void strategy_init(struct strategy *s, const struct strategy_spec *spec);
void strategy_destroy(struct strategy *s);
check_result strategy_check(struct strategy *s);

#endif
