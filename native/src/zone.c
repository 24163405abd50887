/*
 * Fixed-size object cache (see zone.h). Objects come from 64 KiB chunks and return to a free
 * list; nothing is given back to malloc before zone_destroy.
 */
#include "zone.h"

#include <stdio.h>
#include <stdlib.h>

#define ZONE_CHUNK_BYTES (64 * 1024)

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
			struct zone_chunk *chunk = malloc(bytes);
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
		free(chunk);
		chunk = next;
	}
	zone_init(z, z->size);
}
