/*
 * Invariant checks for the system's red-black trees (check mode only): tree.h has none. For a
 * tree `name` of `type` linked through `field` and keyed by the page field `key`,
 * RB_CHECK_FUNCTIONS generates name_check_shape(head, check_order), verifying
 *   1. the root is black and has no parent; parent links mirror child links;
 *   2. a red node has no red child;
 *   3. every path to a leaf crosses the same number of black nodes;
 *   4. with check_order, in-order neighbours are strictly increasing under page_compare
 *      (skipped for FreeBSD's truncated comparator, which need not order them consistently).
 */
#ifndef GNT_RB_CHECK_H
#define GNT_RB_CHECK_H

#include "bsd.h"
#include "page-compare.h"

#define RB_CHECK_FUNCTIONS(name, type, field, key)                                          \
	static int name##_check_node(struct type *x, const char **bad)                       \
	{                                                                                     \
		if (x == NULL)                                                                \
			return 1;                                                             \
		struct type *l = RB_LEFT(x, field), *r = RB_RIGHT(x, field);                  \
		if ((l != NULL && RB_PARENT(l, field) != x) ||                                \
		    (r != NULL && RB_PARENT(r, field) != x))                                  \
			*bad = #name ": parent link does not point back";                     \
		if (RB_COLOR(x, field) == RB_RED &&                                           \
		    ((l != NULL && RB_COLOR(l, field) == RB_RED) ||                           \
		     (r != NULL && RB_COLOR(r, field) == RB_RED)))                            \
			*bad = #name ": red node with a red child";                           \
		int hl = name##_check_node(l, bad), hr = name##_check_node(r, bad);           \
		if (hl != hr)                                                                 \
			*bad = #name ": black heights differ";                                \
		return hl + (RB_COLOR(x, field) == RB_BLACK ? 1 : 0);                         \
	}                                                                                     \
	static __unused const char *name##_check_shape(struct name *head, bool check_order)  \
	{                                                                                     \
		const char *bad = NULL;                                                       \
		struct type *root = RB_ROOT(head);                                            \
		if (root == NULL)                                                             \
			return NULL;                                                          \
		if (RB_PARENT(root, field) != NULL)                                           \
			return #name ": root has a parent";                                   \
		if (RB_COLOR(root, field) != RB_BLACK)                                        \
			return #name ": root is red";                                         \
		name##_check_node(root, &bad);                                                \
		if (bad != NULL || !check_order)                                              \
			return bad;                                                           \
		struct type *x, *prev = NULL;                                                 \
		RB_FOREACH(x, name, head)                                                     \
		{                                                                             \
			if (prev != NULL && !(page_compare(prev->key, x->key) < 0))           \
				return #name ": in-order neighbours not increasing";          \
			prev = x;                                                             \
		}                                                                             \
		return NULL;                                                                  \
	}

#endif
