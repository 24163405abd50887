/*
 * Fixed-size object cache (see zone.h). Objects come from one-page chunks, as a small kernel slab
 * is one page, and return to a free list; nothing goes back to the state heap before
 * zone_destroy. A chunk is one page, not more, because the timing engine copies a built state's
 * whole heap back before each replicate (sampler.c): a 64 KiB chunk holding a few records would
 * be copied in full every time.
 */
#include "zone.h"
#include "state-heap.h"

#include <stdio.h>
#include <stdlib.h>

#define ZONE_CHUNK_BYTES STATE_HEAP_PAGE_PAYLOAD

struct zone_chunk {
	struct zone_chunk *next;
	max_align_t data[];
};

void zone_init(struct zone *z, size_t size)
{
	size_t align = sizeof(max_align_t);
	if (size < sizeof(void *))
		size = sizeof(void *);
	z->size = (size + align - 1) / align * align;
	z->free_list = NULL;
	z->chunks = NULL;
	z->bump = NULL;
	z->bump_end = NULL;
	z->in_use = 0;
}

void *zone_alloc(struct zone *z)
{
	void *obj = z->free_list;
	if (obj != NULL) {
		z->free_list = *(void **)obj;
	} else {
		if (z->bump == NULL || (size_t)(z->bump_end - z->bump) < z->size) {
			size_t bytes = ZONE_CHUNK_BYTES;
			if (bytes < z->size + sizeof(struct zone_chunk))
				bytes = z->size + sizeof(struct zone_chunk);
			struct zone_chunk *chunk = state_malloc(bytes);
			if (chunk == NULL) {
				fprintf(stderr, "gntbench-native: out of memory\n");
				exit(3);
			}
			chunk->next = z->chunks;
			z->chunks = chunk;
			z->bump = (char *)chunk->data;
			z->bump_end = (char *)chunk + bytes;
		}
		obj = z->bump;
		z->bump += z->size;
	}
	z->in_use++;
	return obj;
}

void zone_free(struct zone *z, void *obj)
{
	*(void **)obj = z->free_list;
	z->free_list = obj;
	z->in_use--;
}

void zone_destroy(struct zone *z)
{
	struct zone_chunk *chunk = z->chunks;
	while (chunk != NULL) {
		struct zone_chunk *next = chunk->next;
		state_free(chunk);
		chunk = next;
	}
	zone_init(z, z->size);
}
