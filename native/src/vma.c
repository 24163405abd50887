/* VMA lookup by address (see vma.h): chained hashing, doubled when the load passes 1. */
#include "vma.h"

#include <stdlib.h>

static uint64_t vma_hash(int64_t vaddr, int64_t nbuckets)
{
	return (((uint64_t)vaddr * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (uint64_t)(nbuckets - 1);
}

void vma_table_init(struct vma_table *t)
{
	t->nbuckets = 64;
	t->count = 0;
	t->buckets = calloc((size_t)t->nbuckets, sizeof(struct vma *));
	if (t->buckets == NULL)
		abort();
}

static void vma_table_grow(struct vma_table *t)
{
	int64_t n = t->nbuckets * 2;
	struct vma **buckets = calloc((size_t)n, sizeof(struct vma *));
	if (buckets == NULL)
		abort();
	for (int64_t i = 0; i < t->nbuckets; i++) {
		struct vma *v = t->buckets[i];
		while (v != NULL) {
			struct vma *next = v->hash_next;
			uint64_t h = vma_hash(v->vaddr, n);
			v->hash_next = buckets[h];
			buckets[h] = v;
			v = next;
		}
	}
	free(t->buckets);
	t->buckets = buckets;
	t->nbuckets = n;
}

void vma_table_insert(struct vma_table *t, struct vma *v)
{
	if (t->count >= t->nbuckets)
		vma_table_grow(t);
	uint64_t h = vma_hash(v->vaddr, t->nbuckets);
	v->hash_next = t->buckets[h];
	t->buckets[h] = v;
	t->count++;
}

struct vma *vma_table_find(const struct vma_table *t, int64_t vaddr)
{
	struct vma *v = t->buckets[vma_hash(vaddr, t->nbuckets)];
	while (v != NULL && v->vaddr != vaddr)
		v = v->hash_next;
	return v;
}

struct vma *vma_table_containing(const struct vma_table *t, int64_t vaddr)
{
	for (int64_t i = 0; i < t->nbuckets; i++)
		for (struct vma *v = t->buckets[i]; v != NULL; v = v->hash_next)
			if (v->vaddr <= vaddr && vaddr < v->vaddr + v->pages)
				return v;
	return NULL;
}

struct vma *vma_table_remove(struct vma_table *t, int64_t vaddr)
{
	struct vma **link = &t->buckets[vma_hash(vaddr, t->nbuckets)];
	while (*link != NULL && (*link)->vaddr != vaddr)
		link = &(*link)->hash_next;
	struct vma *v = *link;
	if (v != NULL) {
		*link = v->hash_next;
		t->count--;
	}
	return v;
}

void vma_table_clear(struct vma_table *t, void (*fn)(void *ctx, struct vma *v), void *ctx)
{
	for (int64_t i = 0; i < t->nbuckets; i++) {
		struct vma *v = t->buckets[i];
		while (v != NULL) {
			struct vma *next = v->hash_next;
			fn(ctx, v);
			v = next;
		}
		t->buckets[i] = NULL;
	}
	t->count = 0;
	free(t->buckets);
	t->buckets = NULL;
}
