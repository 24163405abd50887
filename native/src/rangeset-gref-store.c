/*
 * Gref store indexed like a Xen rangeset (src/strategies/rangeset-gref-store.ts), a design no
 * kernel uses: a sorted TAILQ of run nodes, one per contiguous run of records (one per ALLOC
 * until DEALLOCs cut runs apart); a node holds its records in an array (page p at
 * slots[base + p - first_page]). Lookup is rangeset's find, a walk from the head; find-run walks
 * on across touching nodes, so a run may span ALLOC calls; remove trims or splits nodes like
 * remove_range, and a split shares the array (reference counted here). O(r + pages).
 */
#include <stdlib.h>

#include "bsd.h"
#include "gref-store.h"
#include "zone.h"

struct gref_slots {
	int64_t refs;
	struct gref *slot[];
};

struct gref_run {
	page_t first_page;
	page_t pages;
	struct gref_slots *slots;
	page_t base;
	TAILQ_ENTRY(gref_run) link;
};

TAILQ_HEAD(gref_run_list, gref_run);

struct rangeset_gref_store {
	struct gref_store base;
	struct gref_run_list runs;
	struct zone zone;
};

#define RS(s) ((struct rangeset_gref_store *)(s))

static struct gref_run *run_new(struct rangeset_gref_store *r, page_t first, page_t pages, struct gref_slots *slots, page_t base)
{
	struct gref_run *node = zone_alloc(&r->zone);
	node->first_page = first;
	node->pages = pages;
	node->slots = slots;
	node->base = base;
	slots->refs++;
	return node;
}

static void run_free(struct rangeset_gref_store *r, struct gref_run *node)
{
	TAILQ_REMOVE(&r->runs, node, link);
	if (--node->slots->refs == 0)
		free(node->slots);
	zone_free(&r->zone, node);
}

/* rangeset's find: the last node starting at or below page. */
static struct gref_run *run_find(struct rangeset_gref_store *r, page_t page)
{
	struct gref_run *found = NULL, *node;
	TAILQ_FOREACH(node, &r->runs, link) {
		if (node->first_page > page)
			break;
		found = node;
	}
	return found;
}

static int64_t rsgs_insert_run(struct gref_store *s, struct gref **run, int64_t n)
{
	struct rangeset_gref_store *r = RS(s);
	if (n == 0)
		return 0;
	struct gref_run *at = run_find(r, run[0]->page);
	int64_t dropped = 0, i = 0;
	while (i < n) {
		page_t page = run[i]->page;
		struct gref_run *next = at == NULL ? TAILQ_FIRST(&r->runs) : TAILQ_NEXT(at, link);
		while (next != NULL && next->first_page <= page) {
			at = next;
			next = TAILQ_NEXT(next, link);
		}
		if (at != NULL && page < at->first_page + at->pages) {
			dropped++;
			i++;
			continue;
		}
		/* Take records while consecutive and below the next node. */
		int64_t j = i + 1;
		while (j < n) {
			page_t p = run[j]->page;
			if (p != page + (j - i) || (next != NULL && p >= next->first_page))
				break;
			j++;
		}
		struct gref_slots *slots = malloc(sizeof(*slots) + (size_t)(j - i) * sizeof(struct gref *));
		if (slots == NULL)
			abort();
		slots->refs = 0;
		for (int64_t k = i; k < j; k++) {
			slots->slot[k - i] = run[k];
			run[k]->live = true;
		}
		struct gref_run *node = run_new(r, page, j - i, slots, 0);
		if (at == NULL)
			TAILQ_INSERT_HEAD(&r->runs, node, link);
		else
			TAILQ_INSERT_AFTER(&r->runs, at, node, link);
		s->size += j - i;
		at = node;
		i = j;
	}
	return dropped;
}

static bool rsgs_find_run(struct gref_store *s, page_t first, page_t pages, struct gref **out)
{
	if (pages < 1)
		return false;
	struct gref_run *node = run_find(RS(s), first);
	page_t expected = first, found = 0;
	while (node != NULL && found < pages) {
		if (!(expected >= node->first_page && expected < node->first_page + node->pages))
			break;
		page_t end = node->first_page + node->pages;
		page_t offset = node->base - node->first_page;
		while (expected < end && found < pages) {
			out[found++] = node->slots->slot[offset + expected];
			expected++;
		}
		node = TAILQ_NEXT(node, link);
	}
	return found == pages;
}

static bool rsgs_remove_run(struct gref_store *s, page_t first, page_t pages, struct gref **out)
{
	struct rangeset_gref_store *r = RS(s);
	if (!rsgs_find_run(s, first, pages, out))
		return false;
	for (page_t i = 0; i < pages; i++)
		out[i]->live = false;
	s->size -= pages;
	page_t end = first + pages;
	struct gref_run *node = run_find(r, first);
	while (node != NULL && node->first_page < end) {
		struct gref_run *next = TAILQ_NEXT(node, link);
		page_t node_end = node->first_page + node->pages;
		page_t cut_start = node->first_page > first ? node->first_page : first;
		page_t cut_end = node_end < end ? node_end : end;
		if (cut_start == node->first_page && cut_end == node_end) {
			run_free(r, node);
		} else if (cut_start == node->first_page) {
			node->base += cut_end - node->first_page;
			node->first_page = cut_end;
			node->pages = node_end - cut_end;
		} else if (cut_end == node_end) {
			node->pages = cut_start - node->first_page;
		} else {
			struct gref_run *tail = run_new(r, cut_end, node_end - cut_end, node->slots, node->base + (cut_end - node->first_page));
			node->pages = cut_start - node->first_page;
			TAILQ_INSERT_AFTER(&r->runs, node, tail, link);
		}
		node = next;
	}
	return true;
}

static struct gref *rsgs_find_page(struct gref_store *s, page_t page)
{
	struct gref_run *node = run_find(RS(s), page);
	if (node == NULL || page >= node->first_page + node->pages)
		return NULL;
	return node->slots->slot[node->base + page - node->first_page];
}

static void rsgs_drain(struct gref_store *s, gref_visit visit, void *ctx)
{
	struct rangeset_gref_store *r = RS(s);
	struct gref_run *node;
	while ((node = TAILQ_FIRST(&r->runs)) != NULL) {
		for (page_t k = 0; k < node->pages; k++) {
			struct gref *gref = node->slots->slot[node->base + k];
			gref->live = false;
			visit(ctx, gref);
		}
		run_free(r, node);
	}
	s->size = 0;
}

static check_result rsgs_check(struct gref_store *s)
{
	struct rangeset_gref_store *r = RS(s);
	page_t prev_end = -1;
	int64_t records = 0;
	struct gref_run *node;
	TAILQ_FOREACH(node, &r->runs, link) {
		if (*node->link.tqe_prev != node)
			return "rangeset gref store: back link broken";
		if (node->pages < 1)
			return "rangeset gref store: empty node";
		if (node->first_page < prev_end)
			return "rangeset gref store: nodes overlap or out of order";
		for (page_t k = 0; k < node->pages; k++) {
			struct gref *gref = node->slots->slot[node->base + k];
			if (gref->page != node->first_page + k)
				return "rangeset gref store: record in the wrong slot";
			if (!gref->live)
				return "rangeset gref store: indexed record not live";
		}
		prev_end = node->first_page + node->pages;
		records += node->pages;
	}
	return records == s->size ? NULL : "rangeset gref store: size does not match the index";
}

static void rsgs_destroy(struct gref_store *s)
{
	struct rangeset_gref_store *r = RS(s);
	struct gref_run *node;
	while ((node = TAILQ_FIRST(&r->runs)) != NULL)
		run_free(r, node);
	zone_destroy(&r->zone);
	free(r);
}

static const struct gref_store_ops rsgs_ops = {
	.insert_run = rsgs_insert_run,
	.find_run = rsgs_find_run,
	.remove_run = rsgs_remove_run,
	.find_page = rsgs_find_page,
	.drain = rsgs_drain,
	.check = rsgs_check,
	.destroy = rsgs_destroy,
};

struct gref_store *rangeset_gref_store_new(void)
{
	struct rangeset_gref_store *r = calloc(1, sizeof(*r));
	if (r == NULL)
		abort();
	r->base.ops = &rsgs_ops;
	TAILQ_INIT(&r->runs);
	zone_init(&r->zone, sizeof(struct gref_run));
	return &r->base;
}
