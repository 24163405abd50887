/*
 * The mmaps of one open file (src/device/vma.ts): each VMA keeps the records it maps in its
 * private data, as both kernels do, so munmap and GET_OFFSET_FOR_VADDR never search a store.
 * Found by address through a chained hash table (the process's mm finds its VMA by address too).
 */
#ifndef GNT_VMA_H
#define GNT_VMA_H

#include "records.h"

struct vma {
	int64_t vaddr; /* in pages, > 0, never reused */
	page_t pages;
	struct gref **grefs; /* the gref run mapped (NULL for a gmap VMA) */
	struct gmap *gmap;   /* the gmap mapped (NULL for a gref VMA) */
	struct vma *hash_next;
};

struct vma_table {
	struct vma **buckets;
	int64_t nbuckets; /* a power of two */
	int64_t count;
};

void vma_table_init(struct vma_table *t);
void vma_table_insert(struct vma_table *t, struct vma *v);
struct vma *vma_table_find(const struct vma_table *t, int64_t vaddr);
/* The VMA whose pages contain vaddr, by a scan of every VMA (an address inside a mapping). */
struct vma *vma_table_containing(const struct vma_table *t, int64_t vaddr);
/* Unlink the VMA at vaddr and return it, or NULL. */
struct vma *vma_table_remove(struct vma_table *t, int64_t vaddr);
/* Unlink every VMA, handing each to fn (teardown). */
void vma_table_clear(struct vma_table *t, void (*fn)(void *ctx, struct vma *v), void *ctx);

#endif
