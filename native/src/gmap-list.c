/* Linear scans over a sorted gmap TAILQ (see gmap-list.h). */
#include "gmap-list.h"

struct gmap *gmap_list_find_exact(struct gmap_list *gmaps, page_t first, page_t pages)
{
	struct gmap *gmap;
	TAILQ_FOREACH(gmap, gmaps, link.tq) {
		if (gmap->first_page == first && (pages == 0 || gmap->pages == pages))
			return gmap;
	}
	return NULL;
}

struct gmap *gmap_list_find_containing(struct gmap_list *gmaps, page_t page)
{
	struct gmap *gmap;
	TAILQ_FOREACH(gmap, gmaps, link.tq) {
		if (gmap->first_page <= page && page < gmap->first_page + gmap->pages)
			return gmap;
	}
	return NULL;
}

struct gmap *gmap_list_insert_sorted(struct gmap_list *gmaps, struct gmap *gmap)
{
	struct gmap *at;
	TAILQ_FOREACH(at, gmaps, link.tq) {
		if (at->first_page == gmap->first_page)
			return at;
		if (at->first_page > gmap->first_page) {
			TAILQ_INSERT_BEFORE(at, gmap, link.tq);
			gmap->live = true;
			return NULL;
		}
	}
	TAILQ_INSERT_TAIL(gmaps, gmap, link.tq);
	gmap->live = true;
	return NULL;
}

void gmap_list_drain(struct gmap_list *gmaps, gmap_visit visit, void *ctx)
{
	struct gmap *gmap;
	while ((gmap = TAILQ_FIRST(gmaps)) != NULL) {
		TAILQ_REMOVE(gmaps, gmap, link.tq);
		gmap->live = false;
		visit(ctx, gmap);
	}
}

check_result gmap_list_check(struct gmap_list *gmaps, int64_t size)
{
	int64_t n = 0;
	page_t prev = -1;
	struct gmap *gmap;
	TAILQ_FOREACH(gmap, gmaps, link.tq) {
		if (*gmap->link.tq.tqe_prev != gmap)
			return "gmap list: back link broken";
		if (!gmap->live)
			return "gmap list: linked gmap not live";
		if (gmap->first_page <= prev)
			return "gmap list: first pages not ascending";
		prev = gmap->first_page;
		n++;
	}
	return n == size ? NULL : "gmap list: size does not match the list";
}
