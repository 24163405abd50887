/* The op applier (see applier.h). */
#include "applier.h"

#include <stdlib.h>

void applier_init(struct applier *a, struct gntdev *dev, const struct stream *s)
{
	a->device = dev;
	a->handles = s->handles;
	a->page_of = malloc((size_t)(s->handles + 1) * sizeof(page_t));
	a->vaddr_of = malloc((size_t)(s->vmas + 1) * sizeof(int64_t));
	if (a->page_of == NULL || a->vaddr_of == NULL)
		abort();
	for (int64_t i = 0; i < s->handles; i++)
		a->page_of[i] = -1;
	for (int64_t i = 0; i < s->vmas; i++)
		a->vaddr_of[i] = -1;
	a->track_grant_refs = s->track_grant_refs;
	a->refs_of = NULL;
	a->nrefs_of = NULL;
	if (a->track_grant_refs) {
		a->refs_of = calloc((size_t)(s->handles + 1), sizeof(uint32_t *));
		a->nrefs_of = calloc((size_t)(s->handles + 1), sizeof(int64_t));
		if (a->refs_of == NULL || a->nrefs_of == NULL)
			abort();
	}
	a->last_first = 0;
	a->last_pages = 0;
	a->ok = a->failed = a->skipped = 0;
}

void applier_destroy(struct applier *a)
{
	if (a->refs_of != NULL)
		for (int64_t i = 0; i < a->handles; i++)
			free(a->refs_of[i]);
	free(a->refs_of);
	free(a->nrefs_of);
	free(a->page_of);
	free(a->vaddr_of);
}

static int64_t skip(struct applier *a)
{
	a->skipped++;
	return GNT_SKIPPED;
}

int64_t applier_apply(struct applier *a, const struct op *op)
{
	struct gntdev *dev = a->device;
	int64_t result;
	switch (op->kind) {
	case OP_ALLOC: {
		uint32_t *refs = NULL;
		/* A run longer than the grant table fails before any ref is taken: no buffer needed. */
		if (a->track_grant_refs && op->pages > 0 && op->pages <= dev->domain->grant_table.entries) {
			refs = malloc((size_t)op->pages * sizeof(uint32_t));
			if (refs == NULL)
				abort();
		}
		result = gntdev_alloc_gref(dev, op->domid, op->pages, op->writable, refs);
		a->page_of[op->handle] = result >= 0 ? result : -1;
		if (a->track_grant_refs) {
			free(a->refs_of[op->handle]);
			a->refs_of[op->handle] = NULL;
			a->nrefs_of[op->handle] = 0;
			if (result >= 0) {
				a->refs_of[op->handle] = refs;
				a->nrefs_of[op->handle] = op->pages;
			} else {
				free(refs);
			}
		}
		break;
	}
	case OP_MAP:
		result = gntdev_map_grant_ref(dev, op->domid, op->refs, op->pages);
		a->page_of[op->handle] = result >= 0 ? result : -1;
		break;
	case OP_DEALLOC: {
		page_t first = a->page_of[op->handle];
		if (first < 0)
			return skip(a);
		result = gntdev_dealloc_gref(dev, first + op->page_offset, op->pages);
		break;
	}
	case OP_UNMAP: {
		page_t first = a->page_of[op->handle];
		if (first < 0)
			return skip(a);
		result = gntdev_unmap_grant_ref(dev, first, op->pages);
		break;
	}
	case OP_MMAP: {
		page_t first = a->page_of[op->handle];
		if (first < 0)
			return skip(a);
		result = gntdev_mmap(dev, first + op->page_offset, op->pages, op->writable);
		a->vaddr_of[op->vma] = result >= 0 ? result : -1;
		break;
	}
	case OP_MUNMAP: {
		int64_t vaddr = a->vaddr_of[op->vma];
		if (vaddr < 0)
			return skip(a);
		result = gntdev_munmap(dev, vaddr);
		a->vaddr_of[op->vma] = -1;
		break;
	}
	case OP_GET_OFFSET: {
		int64_t vaddr = a->vaddr_of[op->vma];
		if (vaddr < 0)
			return skip(a);
		result = gntdev_get_offset_for_vaddr(dev, vaddr, &a->last_first, &a->last_pages);
		break;
	}
	case OP_NOTIFY: {
		page_t first = a->page_of[op->handle];
		if (first < 0)
			return skip(a);
		result = gntdev_set_unmap_notify(dev, first + op->page_offset, op->byte_in_page, op->action, op->port);
		break;
	}
	case OP_FOREIGN_MAP:
	case OP_FOREIGN_UNMAP: {
		if (!a->track_grant_refs || a->refs_of[op->handle] == NULL)
			return skip(a);
		const uint32_t *refs = a->refs_of[op->handle];
		int64_t end = a->nrefs_of[op->handle];
		if (op->page_offset + op->pages < end)
			end = op->page_offset + op->pages;
		/* A negative index names no grant: a no-op, as for the TS applier. */
		for (int64_t i = op->page_offset < 0 ? 0 : op->page_offset; i < end; i++) {
			if (op->kind == OP_FOREIGN_MAP)
				peer_map_foreign(&dev->domain->peer, refs[i]);
			else
				peer_unmap_foreign(&dev->domain->peer, refs[i]);
		}
		result = 0;
		break;
	}
	case OP_CLOSE:
	default:
		gntdev_close(dev);
		result = 0;
		break;
	}
	if (result >= 0)
		a->ok++;
	else
		a->failed++;
	return result;
}
