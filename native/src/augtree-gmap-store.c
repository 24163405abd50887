/*
 * Gmap store over an augmented red-black tree, an interval tree (src/strategies/
 * augtree-gmap-store.ts): gmaps keyed by first page, each subtree knowing the furthest page it
 * covers, as Linux's VMA tree kept rb_subtree_gap beside the VMAs. SET_UNMAP_NOTIFY's containment
 * lookup is one root-to-leaf path returning the lowest-starting gmap that holds the page (what
 * the list store's in-order scan returns, even if gmaps overlapped). find-exact is RB_FIND plus
 * the count test. Keys are ordered exactly: the truncated comparator is FreeBSD's, not this tree's.
 *
 * tree.h calls RB_AUGMENT(x) after each structural change at x: recompute x and its ancestors.
 */
#include <stdlib.h>

#include "records.h"

static void gmap_augment(struct gmap *x);
#undef RB_AUGMENT
#define RB_AUGMENT(x) gmap_augment(x)

#include "gmap-store.h"
#include "rb-check.h"

static page_t end_of(const struct gmap *g)
{
	return g->first_page + g->pages;
}

static page_t subtree_end_of(const struct gmap *x)
{
	page_t m = end_of(x);
	const struct gmap *l = x->link.rb.rbe_left, *r = x->link.rb.rbe_right;
	if (l != NULL && l->subtree_end > m)
		m = l->subtree_end;
	if (r != NULL && r->subtree_end > m)
		m = r->subtree_end;
	return m;
}

static void gmap_augment(struct gmap *x)
{
	for (; x != NULL; x = x->link.rb.rbe_parent)
		x->subtree_end = subtree_end_of(x);
}

static int gmap_exact_cmp(struct gmap *a, struct gmap *b)
{
	return a->first_page < b->first_page ? -1 : a->first_page > b->first_page ? 1 : 0;
}

RB_HEAD(interval_tree, gmap);
RB_GENERATE_STATIC(interval_tree, gmap, link.rb, gmap_exact_cmp)
RB_CHECK_FUNCTIONS(interval_tree, gmap, link.rb, first_page)

struct augtree_gmap_store {
	struct gmap_store base;
	struct interval_tree gmaps;
};

#define AT(s) (&((struct augtree_gmap_store *)(s))->gmaps)

static struct gmap *ags_insert(struct gmap_store *s, struct gmap *gmap)
{
	gmap->subtree_end = end_of(gmap);
	struct gmap *existing = RB_INSERT(interval_tree, AT(s), gmap);
	if (existing == NULL) {
		gmap->live = true;
		s->size++;
	}
	return existing;
}

static struct gmap *ags_find_exact(struct gmap_store *s, page_t first, page_t pages)
{
	struct gmap key;
	key.first_page = first;
	struct gmap *gmap = RB_FIND(interval_tree, AT(s), &key);
	if (gmap == NULL)
		return NULL;
	return pages == 0 || gmap->pages == pages ? gmap : NULL;
}

/*
 * Stabbing query: the lowest-starting gmap with first_page <= page < end. Below a node whose key
 * is <= page every left-subtree key is too, so a left subtree reaching past page is sure to hold
 * an answer and the search never backtracks.
 */
static struct gmap *ags_find_containing(struct gmap_store *s, page_t page)
{
	struct gmap *x = RB_ROOT(AT(s)), *found = NULL;
	while (x != NULL) {
		if (x->first_page > page) {
			x = RB_LEFT(x, link.rb);
			continue;
		}
		struct gmap *l = RB_LEFT(x, link.rb);
		if (l != NULL && l->subtree_end > page) {
			x = l;
			continue;
		}
		if (end_of(x) > page) {
			found = x;
			break;
		}
		x = RB_RIGHT(x, link.rb);
	}
	return found;
}

static void ags_remove(struct gmap_store *s, struct gmap *gmap)
{
	RB_REMOVE(interval_tree, AT(s), gmap);
	gmap->live = false;
	s->size--;
}

static void ags_drain(struct gmap_store *s, gmap_visit visit, void *ctx)
{
	struct gmap *gmap, *next;
	RB_FOREACH_SAFE(gmap, interval_tree, AT(s), next) {
		RB_REMOVE(interval_tree, AT(s), gmap);
		gmap->live = false;
		s->size--;
		visit(ctx, gmap);
	}
}

static check_result ags_check(struct gmap_store *s)
{
	check_result bad = interval_tree_check_shape(AT(s), false);
	if (bad != NULL)
		return bad;
	int64_t n = 0;
	page_t prev = -1;
	struct gmap *gmap;
	RB_FOREACH(gmap, interval_tree, AT(s)) {
		if (gmap->subtree_end != subtree_end_of(gmap))
			return "augtree gmap store: subtree end out of date";
		if (gmap->first_page <= prev)
			return "augtree gmap store: keys not increasing";
		if (!gmap->live)
			return "augtree gmap store: linked gmap not live";
		prev = gmap->first_page;
		n++;
	}
	return n == s->size ? NULL : "augtree gmap store: size does not match the tree";
}

static void ags_destroy(struct gmap_store *s)
{
	free(s);
}

static const struct gmap_store_ops ags_ops = {
	.insert = ags_insert,
	.find_exact = ags_find_exact,
	.find_containing = ags_find_containing,
	.remove = ags_remove,
	.drain = ags_drain,
	.check = ags_check,
	.destroy = ags_destroy,
};

struct gmap_store *augtree_gmap_store_new(void)
{
	struct augtree_gmap_store *t = calloc(1, sizeof(*t));
	if (t == NULL)
		abort();
	t->base.ops = &ags_ops;
	RB_INIT(&t->gmaps);
	return &t->base;
}
