/*
 * Gref store of FreeBSD gntdev (sys/dev/xen/gntdev/gntdev.c gref_tree;
 * src/strategies/rbtree-gref-store.ts): a red-black tree of gref records keyed by page. A
 * record whose key collides is not linked (FreeBSD ignores RB_INSERT's result). find-run is
 * RB_FIND of the first page, then RB_NEXT while each page is exactly the expected one (an alias
 * the truncated comparator finds is rejected). O(log n + pages).
 */
#include <stdlib.h>

#include "gref-store.h"
#include "page-compare.h"
#include "rb-check.h"

static int gref_cmp(struct gref *a, struct gref *b)
{
	return page_compare(a->page, b->page);
}

RB_HEAD(gref_tree, gref);
RB_GENERATE_STATIC(gref_tree, gref, link.rb, gref_cmp)
RB_CHECK_FUNCTIONS(gref_tree, gref, link.rb, page)

struct rbtree_gref_store {
	struct gref_store base;
	struct gref_tree grefs;
};

#define TREE(s) (&((struct rbtree_gref_store *)(s))->grefs)

static int64_t rgs_insert_run(struct gref_store *s, struct gref **run, int64_t n)
{
	int64_t dropped = 0;
	for (int64_t i = 0; i < n; i++) {
		if (RB_INSERT(gref_tree, TREE(s), run[i]) == NULL) {
			run[i]->live = true;
			s->size++;
		} else {
			dropped++;
		}
	}
	return dropped;
}

static struct gref *rgs_find(struct gref_store *s, page_t page)
{
	struct gref key;
	key.page = page;
	return RB_FIND(gref_tree, TREE(s), &key);
}

static bool rgs_find_run(struct gref_store *s, page_t first, page_t pages, struct gref **out)
{
	if (pages < 1)
		return false;
	struct gref *gref = rgs_find(s, first);
	page_t found = 0;
	while (gref != NULL && found < pages) {
		if (gref->page != first + found)
			return false;
		out[found++] = gref;
		if (found < pages)
			gref = RB_NEXT(gref_tree, TREE(s), gref);
	}
	return found == pages;
}

static bool rgs_remove_run(struct gref_store *s, page_t first, page_t pages, struct gref **out)
{
	if (!rgs_find_run(s, first, pages, out))
		return false;
	for (page_t i = 0; i < pages; i++) {
		RB_REMOVE(gref_tree, TREE(s), out[i]);
		out[i]->live = false;
	}
	s->size -= pages;
	return true;
}

static struct gref *rgs_find_page(struct gref_store *s, page_t page)
{
	struct gref *gref = rgs_find(s, page);
	return gref != NULL && gref->page == page ? gref : NULL;
}

static void rgs_drain(struct gref_store *s, gref_visit visit, void *ctx)
{
	struct gref *gref, *next;
	RB_FOREACH_SAFE(gref, gref_tree, TREE(s), next) {
		RB_REMOVE(gref_tree, TREE(s), gref);
		gref->live = false;
		s->size--;
		visit(ctx, gref);
	}
}

static check_result rgs_check(struct gref_store *s)
{
	check_result bad = gref_tree_check_shape(TREE(s), !page_compare_truncated);
	if (bad != NULL)
		return bad;
	int64_t n = 0;
	struct gref *gref;
	RB_FOREACH(gref, gref_tree, TREE(s)) {
		if (!gref->live)
			return "rbtree gref store: linked record not live";
		n++;
	}
	return n == s->size ? NULL : "rbtree gref store: size does not match the tree";
}

static void rgs_destroy(struct gref_store *s)
{
	free(s);
}

static const struct gref_store_ops rgs_ops = {
	.insert_run = rgs_insert_run,
	.find_run = rgs_find_run,
	.remove_run = rgs_remove_run,
	.find_page = rgs_find_page,
	.drain = rgs_drain,
	.check = rgs_check,
	.destroy = rgs_destroy,
};

struct gref_store *rbtree_gref_store_new(void)
{
	struct rbtree_gref_store *t = calloc(1, sizeof(*t));
	if (t == NULL)
		abort();
	t->base.ops = &rgs_ops;
	RB_INIT(&t->grefs);
	return &t->base;
}
