/*
 * Fixed-size object cache, in the spirit of a kernel slab / UMA zone: the kernels allocate one
 * record per gref, gmap, extent or region and free it when done; a zone gives the same pattern
 * cheaply, and lets a whole device state be torn down at once (every chunk freed) so that
 * records the model deliberately leaks (dropped on a colliding key) do not outlive their state.
 */
#ifndef GNT_ZONE_H
#define GNT_ZONE_H

#include <stddef.h>

struct zone_chunk;

struct zone {
	size_t size;               /* object size, rounded to pointer alignment */
	void *free_list;           /* freed objects, linked through their first word */
	struct zone_chunk *chunks; /* every chunk, for zone_destroy */
	char *bump;                /* unused tail of the newest chunk */
	char *bump_end;
	size_t in_use;
};

void zone_init(struct zone *z, size_t size);
void *zone_alloc(struct zone *z);
void zone_free(struct zone *z, void *obj);
void zone_destroy(struct zone *z);

#endif
