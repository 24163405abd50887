/*
 * Gref store of Linux gntalloc (drivers/xen/gntalloc.c; src/strategies/list-gref-store.ts): the
 * per-file TAILQ of gref records in ascending page order. An ALLOC's run is placed by a walk
 * from the TAIL (O(pages) for the bump counter's ever-growing runs); find-run scans from the
 * head for the first page, then requires consecutive pages, and like the kernel never stops
 * early, so a miss walks the whole list. O(n). In allocation order (the linux-gntalloc preset)
 * every batch is spliced onto the tail and nothing is dropped, as gntalloc does: a wrapped
 * counter's colliding records are both kept and find-run, scanning from the head, finds the oldest.
 */
#include <stdlib.h>

#include "gref-store.h"

struct list_gref_store {
	struct gref_store base;
	struct gref_list grefs;
	bool allocation_order;
};

#define GREFS(s) (&((struct list_gref_store *)(s))->grefs)

static int64_t lgs_insert_run(struct gref_store *s, struct gref **run, int64_t n)
{
	struct gref_list *grefs = GREFS(s);
	if (((struct list_gref_store *)s)->allocation_order) {
		for (int64_t i = 0; i < n; i++) {
			TAILQ_INSERT_TAIL(grefs, run[i], link.tq);
			run[i]->live = true;
		}
		s->size += n;
		return 0;
	}
	int64_t dropped = 0;
	struct gref *at = NULL; /* last linked record with page <= the current page (NULL: head) */
	for (int64_t i = 0; i < n; i++) {
		struct gref *gref = run[i];
		page_t page = gref->page;
		if (i == 0) {
			at = TAILQ_LAST(grefs, gref_list);
			while (at != NULL && at->page > page)
				at = TAILQ_PREV(at, gref_list, link.tq);
		} else {
			struct gref *next = at == NULL ? TAILQ_FIRST(grefs) : TAILQ_NEXT(at, link.tq);
			while (next != NULL && next->page <= page) {
				at = next;
				next = TAILQ_NEXT(next, link.tq);
			}
		}
		if (at != NULL && at->page == page) {
			dropped++;
			continue;
		}
		if (at == NULL)
			TAILQ_INSERT_HEAD(grefs, gref, link.tq);
		else
			TAILQ_INSERT_AFTER(grefs, at, gref, link.tq);
		gref->live = true;
		s->size++;
		at = gref;
	}
	return dropped;
}

static bool lgs_find_run(struct gref_store *s, page_t first, page_t pages, struct gref **out)
{
	if (pages < 1)
		return false;
	struct gref *gref;
	TAILQ_FOREACH(gref, GREFS(s), link.tq) {
		if (gref->page == first)
			break;
	}
	page_t found = 0;
	while (gref != NULL && found < pages) {
		if (gref->page != first + found)
			return false;
		out[found++] = gref;
		gref = TAILQ_NEXT(gref, link.tq);
	}
	return found == pages;
}

static bool lgs_remove_run(struct gref_store *s, page_t first, page_t pages, struct gref **out)
{
	if (!lgs_find_run(s, first, pages, out))
		return false;
	for (page_t i = 0; i < pages; i++) {
		TAILQ_REMOVE(GREFS(s), out[i], link.tq);
		out[i]->live = false;
	}
	s->size -= pages;
	return true;
}

static struct gref *lgs_find_page(struct gref_store *s, page_t page)
{
	struct gref *gref;
	TAILQ_FOREACH(gref, GREFS(s), link.tq) {
		if (gref->page == page)
			return gref;
	}
	return NULL;
}

static void lgs_drain(struct gref_store *s, gref_visit visit, void *ctx)
{
	struct gref *gref;
	while ((gref = TAILQ_FIRST(GREFS(s))) != NULL) {
		TAILQ_REMOVE(GREFS(s), gref, link.tq);
		gref->live = false;
		s->size--;
		visit(ctx, gref);
	}
}

static check_result lgs_check(struct gref_store *s)
{
	int64_t n = 0;
	page_t prev = -1;
	struct gref *gref;
	TAILQ_FOREACH(gref, GREFS(s), link.tq) {
		if (*gref->link.tq.tqe_prev != gref)
			return "list gref store: back link broken";
		if (!gref->live)
			return "list gref store: linked record not live";
		if (!((struct list_gref_store *)s)->allocation_order && gref->page <= prev)
			return "list gref store: pages not ascending";
		prev = gref->page;
		n++;
	}
	return n == s->size ? NULL : "list gref store: size does not match the list";
}

static void lgs_destroy(struct gref_store *s)
{
	free(s);
}

static const struct gref_store_ops lgs_ops = {
	.insert_run = lgs_insert_run,
	.find_run = lgs_find_run,
	.remove_run = lgs_remove_run,
	.find_page = lgs_find_page,
	.drain = lgs_drain,
	.check = lgs_check,
	.destroy = lgs_destroy,
};

struct gref_store *list_gref_store_new(bool allocation_order)
{
	struct list_gref_store *l = calloc(1, sizeof(*l));
	if (l == NULL)
		abort();
	l->base.ops = &lgs_ops;
	l->allocation_order = allocation_order;
	TAILQ_INIT(&l->grefs);
	return &l->base;
}
