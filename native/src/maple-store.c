/*
 * Gmap store and offset allocator in one maple-like range B-tree (range-btree.h), the C
 * counterpart of src/strategies/maple-store.ts: the structure Linux itself moved to for "the
 * lowest free gap of k pages" (mas_empty_area / mtree_alloc_range, O(log n)), used the way
 * Linux gntdev fuses its first fit into the map list.
 *
 * The tree holds every live run of the file's offset space as one entry: a gmap (value = the
 * gmap) or a run handed out for someone else (value NULL, a reservation, as mtree_alloc_range
 * stores an entry at once). So one object works fused (the `maple` strategy: allocator and gmap
 * store are its two faces) and on either side of a composite (one object per role):
 *   alloc(pages)   lowest gap that fits (strict-gap: a hole below a live run needs pages + 1,
 *                  the space above the last run only pages), reserved at once;
 *   insert(gmap)   the reservation at exactly the gmap's range becomes the gmap (the fused path,
 *                  right after alloc); otherwise the gmap is stored if its range is free;
 *   remove(gmap)   erases its entry, so the pages are free at once; the device's free() that
 *                  follows finds nothing left to free;
 *   free(first, n) erases or trims the reservations in the range (gref runs may be freed in
 *                  part or across ALLOCs); gmap entries and free pages in it are left alone.
 * A gmap overlapping a live entry (only a wrapped bump counter can cause it) collides with the
 * first gmap it overlaps, or with itself if it overlaps only reservations.
 *
 * Invariants (check mode): the tree's own (range_btree_check), every gmap entry is live and
 * stored at exactly its range, and the pages and gmaps counted equal the entries held.
 */
#include <stdio.h>
#include <stdlib.h>

#include "allocator.h"
#include "gmap-store.h"
#include "range-btree.h"

struct maple_store {
	struct offset_allocator alloc;
	struct gmap_store store;
	/* Faces in use (2 when fused): destroy frees the object with the last one. */
	int faces;
	bool strict_gap;
	struct range_btree tree;
	/* Pages held by entries, reservations and gmaps. */
	page_t live_pages;
};

#define FROM_ALLOC(a) ((struct maple_store *)((char *)(a) - offsetof(struct maple_store, alloc)))
#define FROM_STORE(s) ((struct maple_store *)((char *)(s) - offsetof(struct maple_store, store)))

static void maple_fatal(const char *what)
{
	fprintf(stderr, "gntbench-native: invariant broken: maple store: %s\n", what);
	exit(1);
}

static page_t ms_alloc(struct offset_allocator *a, page_t pages)
{
	struct maple_store *m = FROM_ALLOC(a);
	if (bad_run_length(pages, a->space))
		return -GNT_EINVAL;
	page_t first = range_btree_lowest_gap(&m->tree, m->strict_gap ? pages + 1 : pages, pages);
	if (first < 0)
		return -GNT_ENOSPC;
	if (!range_btree_insert(&m->tree, first, first + pages, NULL))
		maple_fatal("the lowest gap could not take its reservation");
	m->live_pages += pages;
	return first;
}

static void ms_free(struct offset_allocator *a, page_t first, page_t pages)
{
	struct maple_store *m = FROM_ALLOC(a);
	struct range_btree *t = &m->tree;
	if (pages < 1 || first < 0)
		return;
	page_t end = first + pages;
	bool found = range_btree_seek_floor(t, first);
	if (found && range_btree_cursor_end(t) <= first)
		found = range_btree_step(t);
	if (!found)
		found = range_btree_seek_ceiling(t, first);
	while (found && range_btree_cursor_start(t) < end) {
		page_t start = range_btree_cursor_start(t);
		page_t entry_end = range_btree_cursor_end(t);
		if (range_btree_cursor_value(t) != NULL) {
			found = range_btree_step(t);
			continue;
		}
		page_t cut_start = start > first ? start : first;
		page_t cut_end = entry_end < end ? entry_end : end;
		m->live_pages -= cut_end - cut_start;
		if (cut_start == start && cut_end == entry_end) {
			range_btree_erase_cursor(t);
			found = range_btree_seek_ceiling(t, entry_end);
		} else if (cut_start == start) {
			range_btree_shrink_cursor(t, cut_end, entry_end);
			found = false;
		} else if (cut_end == entry_end) {
			range_btree_shrink_cursor(t, start, cut_start);
			found = range_btree_step(t);
		} else {
			range_btree_shrink_cursor(t, start, cut_start);
			if (!range_btree_insert(t, cut_end, entry_end, NULL))
				maple_fatal("the upper part of a split reservation could not be stored");
			found = false;
		}
	}
}

/* The first gmap overlapping [first, end), or NULL if only reservations do. */
static struct gmap *overlapped(struct range_btree *t, page_t first, page_t end)
{
	bool found = range_btree_seek_floor(t, first);
	if (!found)
		found = range_btree_seek_ceiling(t, first);
	while (found && range_btree_cursor_start(t) < end) {
		struct gmap *gmap = range_btree_cursor_value(t);
		if (gmap != NULL && range_btree_cursor_end(t) > first)
			return gmap;
		found = range_btree_step(t);
	}
	return NULL;
}

static struct gmap *ms_insert(struct gmap_store *s, struct gmap *gmap)
{
	struct maple_store *m = FROM_STORE(s);
	struct range_btree *t = &m->tree;
	page_t first = gmap->first_page, end = first + gmap->pages;
	if (range_btree_seek_floor(t, first) && range_btree_cursor_start(t) == first && range_btree_cursor_end(t) == end &&
	    range_btree_cursor_value(t) == NULL) {
		range_btree_set_cursor_value(t, gmap);
	} else if (range_btree_insert(t, first, end, gmap)) {
		m->live_pages += gmap->pages;
	} else {
		struct gmap *other = overlapped(t, first, end);
		return other != NULL ? other : gmap;
	}
	s->size++;
	gmap->live = true;
	return NULL;
}

static struct gmap *ms_find_exact(struct gmap_store *s, page_t first, page_t pages)
{
	struct range_btree *t = &FROM_STORE(s)->tree;
	if (!range_btree_seek_floor(t, first) || range_btree_cursor_start(t) != first)
		return NULL;
	struct gmap *gmap = range_btree_cursor_value(t);
	if (gmap == NULL)
		return NULL;
	return pages == 0 || gmap->pages == pages ? gmap : NULL;
}

static struct gmap *ms_find_containing(struct gmap_store *s, page_t page)
{
	struct range_btree *t = &FROM_STORE(s)->tree;
	if (!range_btree_seek_floor(t, page))
		return NULL;
	return range_btree_cursor_end(t) > page ? range_btree_cursor_value(t) : NULL;
}

static void ms_remove(struct gmap_store *s, struct gmap *gmap)
{
	struct maple_store *m = FROM_STORE(s);
	struct range_btree *t = &m->tree;
	if (!range_btree_seek_floor(t, gmap->first_page) || range_btree_cursor_value(t) != gmap)
		maple_fatal("remove: the gmap is not in this tree");
	range_btree_erase_cursor(t);
	m->live_pages -= gmap->pages;
	s->size--;
	gmap->live = false;
}

struct gmap_collect {
	struct gmap **out;
	int64_t n;
};

static void collect_gmap(void *ctx, page_t start, page_t end, void *value)
{
	(void)start;
	(void)end;
	struct gmap_collect *c = ctx;
	if (value != NULL)
		c->out[c->n++] = value;
}

/* Every gmap, ascending, out of the tree (reservations stay), then to visit: as the TS drain. */
static void ms_drain(struct gmap_store *s, gmap_visit visit, void *ctx)
{
	if (s->size == 0)
		return;
	struct gmap_collect c = {.out = malloc((size_t)s->size * sizeof(struct gmap *)), .n = 0};
	if (c.out == NULL)
		abort();
	range_btree_for_each(&FROM_STORE(s)->tree, collect_gmap, &c);
	if (c.n != s->size)
		maple_fatal("drain: the tree holds another number of gmaps than the store counts");
	for (int64_t i = 0; i < c.n; i++)
		ms_remove(s, c.out[i]);
	for (int64_t i = 0; i < c.n; i++)
		visit(ctx, c.out[i]);
	free(c.out);
}

struct entry_tally {
	page_t pages;
	int64_t gmaps;
	check_result bad;
};

static void tally_entry(void *ctx, page_t start, page_t end, void *value)
{
	struct entry_tally *tally = ctx;
	tally->pages += end - start;
	const struct gmap *gmap = value;
	if (gmap == NULL)
		return;
	tally->gmaps++;
	if (tally->bad == NULL && (gmap->first_page != start || gmap->first_page + gmap->pages != end))
		tally->bad = "maple store: a gmap is stored at another range than its own";
	if (tally->bad == NULL && !gmap->live)
		tally->bad = "maple store: a stored gmap is not live";
}

static check_result maple_check(struct maple_store *m)
{
	check_result bad = range_btree_check(&m->tree);
	if (bad != NULL)
		return bad;
	struct entry_tally tally = {0, 0, NULL};
	range_btree_for_each(&m->tree, tally_entry, &tally);
	if (tally.bad != NULL)
		return tally.bad;
	if (tally.pages != m->live_pages)
		return "maple store: the entries hold another number of pages than live_pages";
	if (tally.gmaps != m->store.size)
		return "maple store: the tree holds another number of gmaps than the store counts";
	return NULL;
}

static check_result ms_alloc_check(struct offset_allocator *a)
{
	return maple_check(FROM_ALLOC(a));
}

static check_result ms_store_check(struct gmap_store *s)
{
	return maple_check(FROM_STORE(s));
}

static void release_face(struct maple_store *m)
{
	if (--m->faces > 0)
		return;
	range_btree_destroy(&m->tree);
	free(m);
}

static void ms_alloc_destroy(struct offset_allocator *a)
{
	release_face(FROM_ALLOC(a));
}

static void ms_store_destroy(struct gmap_store *s)
{
	release_face(FROM_STORE(s));
}

static const struct offset_allocator_ops ms_alloc_ops = {
	.alloc = ms_alloc, .free = ms_free, .check = ms_alloc_check, .destroy = ms_alloc_destroy,
};

static const struct gmap_store_ops ms_store_ops = {
	.insert = ms_insert,
	.find_exact = ms_find_exact,
	.find_containing = ms_find_containing,
	.remove = ms_remove,
	.drain = ms_drain,
	.check = ms_store_check,
	.destroy = ms_store_destroy,
};

struct maple_store *maple_store_new(page_t space, const struct quirks *q, int faces)
{
	struct maple_store *m = calloc(1, sizeof(*m));
	if (m == NULL)
		abort();
	m->alloc.ops = &ms_alloc_ops;
	m->alloc.space = space;
	m->store.ops = &ms_store_ops;
	m->faces = faces;
	m->strict_gap = q->strict_gap;
	range_btree_init(&m->tree, space);
	return m;
}

struct offset_allocator *maple_store_allocator(struct maple_store *m)
{
	return &m->alloc;
}

struct gmap_store *maple_store_gmaps(struct maple_store *m)
{
	return &m->store;
}
