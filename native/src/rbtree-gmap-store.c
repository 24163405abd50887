/*
 * Gmap store of FreeBSD gntdev (sys/dev/xen/gntdev/gntdev.c gmap_tree;
 * src/strategies/rbtree-gmap-store.ts): a red-black tree of map records keyed by first page.
 * find-exact is RB_FIND plus a count test (0 matches any); find-containing is a floor lookup
 * plus a range test, O(log n), or with linear_containment FreeBSD's scan of every gmap in tree
 * order, O(n), as its SET_UNMAP_NOTIFY does.
 */
#include <stdlib.h>

#include "gmap-store.h"
#include "page-compare.h"
#include "rb-check.h"

static int gmap_cmp(struct gmap *a, struct gmap *b)
{
	return page_compare(a->first_page, b->first_page);
}

RB_HEAD(gmap_tree, gmap);
RB_GENERATE_STATIC(gmap_tree, gmap, link.rb, gmap_cmp)
RB_CHECK_FUNCTIONS(gmap_tree, gmap, link.rb, first_page)

struct rbtree_gmap_store {
	struct gmap_store base;
	struct gmap_tree gmaps;
	bool linear_containment;
};

#define RT(s) ((struct rbtree_gmap_store *)(s))

static struct gmap *rms_insert(struct gmap_store *s, struct gmap *gmap)
{
	struct gmap *existing = RB_INSERT(gmap_tree, &RT(s)->gmaps, gmap);
	if (existing == NULL) {
		gmap->live = true;
		s->size++;
	}
	return existing;
}

static struct gmap *rms_find_exact(struct gmap_store *s, page_t first, page_t pages)
{
	struct gmap key;
	key.first_page = first;
	struct gmap *gmap = RB_FIND(gmap_tree, &RT(s)->gmaps, &key);
	if (gmap == NULL)
		return NULL;
	return pages == 0 || gmap->pages == pages ? gmap : NULL;
}

/* RB_PFIND (floor): the largest gmap whose key is <= page; tree.h has no such verb. */
static struct gmap *rms_pfind(struct rbtree_gmap_store *t, page_t page)
{
	struct gmap *tmp = RB_ROOT(&t->gmaps), *res = NULL;
	while (tmp != NULL) {
		int comp = page_compare(page, tmp->first_page);
		if (comp > 0) {
			res = tmp;
			tmp = RB_RIGHT(tmp, link.rb);
		} else if (comp < 0) {
			tmp = RB_LEFT(tmp, link.rb);
		} else {
			return tmp;
		}
	}
	return res;
}

static struct gmap *rms_find_containing(struct gmap_store *s, page_t page)
{
	struct rbtree_gmap_store *t = RT(s);
	if (t->linear_containment) {
		struct gmap *gmap;
		RB_FOREACH(gmap, gmap_tree, &t->gmaps) {
			if (gmap->first_page <= page && page < gmap->first_page + gmap->pages)
				return gmap;
		}
		return NULL;
	}
	struct gmap *gmap = rms_pfind(t, page);
	if (gmap == NULL)
		return NULL;
	return gmap->first_page <= page && page < gmap->first_page + gmap->pages ? gmap : NULL;
}

static void rms_remove(struct gmap_store *s, struct gmap *gmap)
{
	RB_REMOVE(gmap_tree, &RT(s)->gmaps, gmap);
	gmap->live = false;
	s->size--;
}

static void rms_drain(struct gmap_store *s, gmap_visit visit, void *ctx)
{
	struct gmap *gmap, *next;
	RB_FOREACH_SAFE(gmap, gmap_tree, &RT(s)->gmaps, next) {
		RB_REMOVE(gmap_tree, &RT(s)->gmaps, gmap);
		gmap->live = false;
		s->size--;
		visit(ctx, gmap);
	}
}

static check_result rms_check(struct gmap_store *s)
{
	check_result bad = gmap_tree_check_shape(&RT(s)->gmaps, !page_compare_truncated);
	if (bad != NULL)
		return bad;
	int64_t n = 0;
	struct gmap *gmap;
	RB_FOREACH(gmap, gmap_tree, &RT(s)->gmaps) {
		if (!gmap->live)
			return "rbtree gmap store: linked gmap not live";
		n++;
	}
	return n == s->size ? NULL : "rbtree gmap store: size does not match the tree";
}

static void rms_destroy(struct gmap_store *s)
{
	free(s);
}

static const struct gmap_store_ops rms_ops = {
	.insert = rms_insert,
	.find_exact = rms_find_exact,
	.find_containing = rms_find_containing,
	.remove = rms_remove,
	.drain = rms_drain,
	.check = rms_check,
	.destroy = rms_destroy,
};

struct gmap_store *rbtree_gmap_store_new(bool linear_containment)
{
	struct rbtree_gmap_store *t = calloc(1, sizeof(*t));
	if (t == NULL)
		abort();
	t->base.ops = &rms_ops;
	RB_INIT(&t->gmaps);
	t->linear_containment = linear_containment;
	return &t->base;
}
