/*
 * A maple-tree-like B+ tree of disjoint ranges with gap tracking: the C counterpart of
 * src/structures/range-btree.ts, written here from that model and from the behaviour the maple
 * tree documentation describes (Documentation/core-api/maple_tree.rst: fixed fan-out range nodes
 * with pivots, the largest free gap of every subtree kept in its node so that mas_empty_area
 * finds the lowest gap of a given size in one descent). No kernel source is used; the node is a
 * plain B+ tree node, not maple's encoded slots.
 *
 * Shape. Leaves hold up to BT_MAX entries [start, end) with a value each, sorted and disjoint,
 * chained left to right. Inner nodes hold up to BT_MAX children and a pivot before each child
 * but the first: every start in child i-1 is < pivot[i] <= every start in child i (pivots are
 * not lowered when entries go, only raised where a shrink needs it). Every node but the root
 * holds at least BT_MIN entries/children; an inner root at least two children.
 *
 * Gaps. An entry's gap is the free space just before it: start - (end of the previous entry in
 * the whole tree, or 0). A node's max_gap is the largest gap of the entries below it. The space
 * above the last entry (the tail, up to `space`) is not an entry's gap and is tested on its own
 * (Linux's strict-gap rule treats holes and the tail differently).
 *
 * A cursor (the entry the last seek or step landed on) drives the maple store's free, which
 * walks, trims and erases entries in place, as the TS model does.
 *
 * Invariants (range_btree_check, check mode): the shape and fill rules, parent links, the leaf
 * chain in tree order, every leaf at one depth, pivots increasing and bracketing their
 * children's starts, entries non-empty, disjoint, sorted and inside [0, space), every max_gap
 * equal to the largest gap below it, the entry and node counts, and the node zone's count.
 */
#ifndef GNT_RANGE_BTREE_H
#define GNT_RANGE_BTREE_H

#include "types.h"
#include "zone.h"

/* Fan-out: entries per leaf and children per inner node (maple: 16 slots per range node). */
#define BT_MAX 16
#define BT_MIN 8

struct bt_node {
	bool leaf;
	int count;
	page_t max_gap;
	struct bt_node *parent;
	struct bt_node *prev, *next; /* leaves only: the chain in tree order */
	/* Leaf: entry starts. Inner: pivots (index 0 unused). One slot of slack: split at BT_MAX + 1. */
	page_t keys[BT_MAX + 1];
	union {
		struct {
			page_t ends[BT_MAX + 1]; /* exclusive */
			void *vals[BT_MAX + 1];
		} leaf;
		struct bt_node *kids[BT_MAX + 1];
	} u;
};

struct range_btree {
	page_t space;
	struct bt_node *root;
	int64_t entries;
	int64_t nodes;
	/* Cursor: the entry the last seek/step landed on (cur_leaf NULL: none). */
	struct bt_node *cur_leaf;
	int cur_index;
	struct zone zone;
};

void range_btree_init(struct range_btree *t, page_t space);
void range_btree_destroy(struct range_btree *t);

/* Cursor on the entry with the largest start <= key; false (cursor off) if none. O(log n). */
bool range_btree_seek_floor(struct range_btree *t, page_t key);
/* Cursor on the first entry with start >= key; false if none. O(log n). */
bool range_btree_seek_ceiling(struct range_btree *t, page_t key);
/* Cursor to the next entry; false (cursor off) at the end. O(1). */
bool range_btree_step(struct range_btree *t);

static inline page_t range_btree_cursor_start(const struct range_btree *t)
{
	return t->cur_leaf->keys[t->cur_index];
}

static inline page_t range_btree_cursor_end(const struct range_btree *t)
{
	return t->cur_leaf->u.leaf.ends[t->cur_index];
}

static inline void *range_btree_cursor_value(const struct range_btree *t)
{
	return t->cur_leaf->u.leaf.vals[t->cur_index];
}

static inline void range_btree_set_cursor_value(struct range_btree *t, void *value)
{
	t->cur_leaf->u.leaf.vals[t->cur_index] = value;
}

/* Shrink the cursor entry to [start, end) inside its old range (non-empty). */
void range_btree_shrink_cursor(struct range_btree *t, page_t start, page_t end);
/* Erase the cursor entry; the cursor is off afterwards. */
void range_btree_erase_cursor(struct range_btree *t);

/* Store [start, end) -> value if it overlaps no entry and lies in [0, space); false otherwise. */
bool range_btree_insert(struct range_btree *t, page_t start, page_t end, void *value);

/*
 * First fit: the lowest page p with [p, p + k) free, where a hole below an entry must be at
 * least min_gap and the tail (after the last entry, up to space) at least min_tail; -1 if none.
 */
page_t range_btree_lowest_gap(struct range_btree *t, page_t min_gap, page_t min_tail);
/* End of the last entry (0 when empty). */
page_t range_btree_last_end(const struct range_btree *t);

void range_btree_for_each(const struct range_btree *t, void (*fn)(void *ctx, page_t start, page_t end, void *value), void *ctx);

check_result range_btree_check(const struct range_btree *t);

#endif
