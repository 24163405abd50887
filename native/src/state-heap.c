/*
 * The state heap (see state-heap.h). A block is a 16-byte header (its class) and a payload; class
 * c holds blocks of 2^c bytes, header included, so a request is rounded up as kmalloc rounds to
 * its caches. Freed blocks go onto their class's free list and are reused first (LIFO, as a slab's
 * per-CPU freelist); otherwise the region's bump pointer advances. The free lists and the bump
 * pointer are in the region's first bytes, so a snapshot of [start, bump) is the whole heap.
 */
#define _DEFAULT_SOURCE

#include "state-heap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HEADER_BYTES 16
#define MIN_CLASS 5  /* 32-byte blocks: a header and 16 bytes */
#define MAX_CLASS 40 /* larger than any region we reserve */

/* Reserved address space, tried from the largest down (overcommit settings differ). */
static const size_t reserve_tries[] = {(size_t)1 << 36, (size_t)1 << 33, (size_t)1 << 30};

struct heap_meta {
	size_t bump; /* offset of the first never-used byte */
	void *free_list[MAX_CLASS + 1];
};

struct block_header {
	uint32_t cls;
	uint32_t magic;
	uint64_t pad;
};

#define BLOCK_MAGIC 0x67686561u
#define FREED_MAGIC 0x66726565u

static char *region;
static size_t region_bytes;

static void out_of_memory(void)
{
	fprintf(stderr, "gntbench-native: out of memory\n");
	exit(3);
}

static struct heap_meta *meta(void)
{
	if (region == NULL) {
		for (size_t i = 0; i < sizeof reserve_tries / sizeof reserve_tries[0]; i++) {
			void *p = mmap(NULL, reserve_tries[i], PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (p != MAP_FAILED) {
				region = p;
				region_bytes = reserve_tries[i];
				break;
			}
		}
		if (region == NULL)
			out_of_memory();
		state_heap_reset();
	}
	return (struct heap_meta *)region;
}

void state_heap_reset(void)
{
	struct heap_meta *m = meta();
	memset(m, 0, sizeof *m);
	m->bump = (sizeof *m + HEADER_BYTES - 1) / HEADER_BYTES * HEADER_BYTES;
}

static unsigned class_of(size_t bytes)
{
	if (bytes > ((size_t)1 << MAX_CLASS) - HEADER_BYTES)
		out_of_memory();
	unsigned c = MIN_CLASS;
	while (((size_t)1 << c) - HEADER_BYTES < bytes)
		c++;
	return c;
}

void *state_malloc(size_t bytes)
{
	struct heap_meta *m = meta();
	unsigned c = class_of(bytes);
	struct block_header *h = m->free_list[c];
	if (h != NULL) {
		m->free_list[c] = *(void **)(h + 1);
		h->magic = BLOCK_MAGIC;
	} else {
		size_t size = (size_t)1 << c;
		if (size > region_bytes - m->bump)
			out_of_memory();
		h = (struct block_header *)(region + m->bump);
		m->bump += size;
		h->cls = c;
		h->magic = BLOCK_MAGIC;
	}
	return h + 1;
}

void *state_calloc(size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		out_of_memory();
	/* A reused or recycled block holds old bytes: a reset does not clear the region. */
	void *p = state_malloc(count * size);
	memset(p, 0, count * size);
	return p;
}

static struct block_header *header_of(void *block)
{
	struct block_header *h = (struct block_header *)block - 1;
	if (h->magic != BLOCK_MAGIC || h->cls < MIN_CLASS || h->cls > MAX_CLASS) {
		fprintf(stderr, "gntbench-native: state heap: a block freed twice or not from this heap\n");
		abort();
	}
	return h;
}

void state_free(void *block)
{
	if (block == NULL)
		return;
	struct heap_meta *m = meta();
	struct block_header *h = header_of(block);
	h->magic = FREED_MAGIC;
	*(void **)block = m->free_list[h->cls];
	m->free_list[h->cls] = h;
}

void *state_realloc(void *block, size_t bytes)
{
	if (block == NULL)
		return state_malloc(bytes);
	struct block_header *h = header_of(block);
	size_t have = ((size_t)1 << h->cls) - HEADER_BYTES;
	if (bytes <= have)
		return block;
	void *bigger = state_malloc(bytes);
	memcpy(bigger, block, have);
	state_free(block);
	return bigger;
}

void state_heap_snapshot(struct state_heap_snapshot *snap)
{
	size_t used = meta()->bump;
	snap->bytes = malloc(used);
	if (snap->bytes == NULL)
		out_of_memory();
	memcpy(snap->bytes, region, used);
	snap->used = used;
}

void state_heap_restore(const struct state_heap_snapshot *snap)
{
	memcpy(meta(), snap->bytes, snap->used);
}

void state_heap_snapshot_free(struct state_heap_snapshot *snap)
{
	free(snap->bytes);
	snap->bytes = NULL;
	snap->used = 0;
}
