/*
 * The heap every device state allocates from: one reserved region with power-of-two size classes,
 * in the spirit of kmalloc's caches (kmalloc-32, -64, …), whose bookkeeping lives inside the
 * region itself. Because nothing of a state lives outside it, a state built once can be copied
 * out (state_heap_snapshot) and copied back before each timed replicate (state_heap_restore):
 * every pointer stays valid, for the region never moves. sampler.c says why.
 *
 * The region is reserved, not committed: pages are faulted in once, on first use, and kept.
 */
#ifndef GNT_STATE_HEAP_H
#define GNT_STATE_HEAP_H

#include <stddef.h>

/* The usable bytes of a block whose header and payload fill one 4 KiB page exactly (zone.c). */
#define STATE_HEAP_PAGE_PAYLOAD (4096 - 16)

void *state_malloc(size_t bytes);
void *state_calloc(size_t count, size_t size);
void *state_realloc(void *block, size_t bytes);
void state_free(void *block);

/* Forget every block at once; the next allocation starts at the region's start again. */
void state_heap_reset(void);

/* A copy of the region's used part, bookkeeping included. */
struct state_heap_snapshot {
	void *bytes;
	size_t used;
};

void state_heap_snapshot(struct state_heap_snapshot *snap);
void state_heap_restore(const struct state_heap_snapshot *snap);
void state_heap_snapshot_free(struct state_heap_snapshot *snap);

#endif
