/* The maple-like range B+ tree (see range-btree.h). */
#include "range-btree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A broken promise of the gap tracking: only a bug can get here, so stop loudly. */
static void bt_fatal(const char *what)
{
	fprintf(stderr, "gntbench-native: invariant broken: range B-tree: %s\n", what);
	exit(1);
}

static struct bt_node *node_new(struct range_btree *t, bool leaf)
{
	struct bt_node *node = zone_alloc(&t->zone);
	memset(node, 0, sizeof(*node));
	node->leaf = leaf;
	t->nodes++;
	return node;
}

static void node_free(struct range_btree *t, struct bt_node *node)
{
	t->nodes--;
	zone_free(&t->zone, node);
}

void range_btree_init(struct range_btree *t, page_t space)
{
	zone_init(&t->zone, sizeof(struct bt_node));
	t->space = space;
	t->entries = 0;
	t->nodes = 0;
	t->cur_leaf = NULL;
	t->cur_index = 0;
	t->root = node_new(t, true);
}

void range_btree_destroy(struct range_btree *t)
{
	zone_destroy(&t->zone);
	t->root = NULL;
	t->cur_leaf = NULL;
	t->entries = 0;
	t->nodes = 0;
}

static page_t last_end_of_leaf(const struct bt_node *leaf)
{
	return leaf->u.leaf.ends[leaf->count - 1];
}

/* The leaf whose pivots bracket key. */
static struct bt_node *descend(const struct range_btree *t, page_t key)
{
	struct bt_node *node = t->root;
	while (!node->leaf) {
		int i = node->count - 1;
		while (i > 0 && node->keys[i] > key)
			i--;
		node = node->u.kids[i];
	}
	return node;
}

/* Index of the last entry with start <= key in leaf, or -1. */
static int floor_index(const struct bt_node *leaf, page_t key)
{
	int i = leaf->count - 1;
	while (i >= 0 && leaf->keys[i] > key)
		i--;
	return i;
}

static void recompute(struct bt_node *node)
{
	page_t max = 0;
	if (node->leaf) {
		const struct bt_node *prev = node->prev;
		page_t prev_end = prev == NULL ? 0 : last_end_of_leaf(prev);
		for (int i = 0; i < node->count; i++) {
			page_t gap = node->keys[i] - prev_end;
			if (gap > max)
				max = gap;
			prev_end = node->u.leaf.ends[i];
		}
	} else {
		for (int i = 0; i < node->count; i++) {
			page_t g = node->u.kids[i]->max_gap;
			if (g > max)
				max = g;
		}
	}
	node->max_gap = max;
}

/* After a change of entries (not of shape) in one leaf: recompute upwards while values change. */
static void refresh(struct bt_node *node)
{
	while (node != NULL) {
		page_t old = node->max_gap;
		recompute(node);
		if (node->max_gap == old)
			break;
		node = node->parent;
	}
}

/* Recompute a node and every ancestor (after a change of shape). */
static void fix_up(struct bt_node *node)
{
	for (; node != NULL; node = node->parent)
		recompute(node);
}

/* After a change at key: the leaf holding it and its two neighbours, each up to the root. */
static void fix_around(struct range_btree *t, page_t key)
{
	struct bt_node *leaf = descend(t, key);
	if (leaf->prev != NULL)
		fix_up(leaf->prev);
	fix_up(leaf);
	if (leaf->next != NULL)
		fix_up(leaf->next);
}

static int child_index(const struct bt_node *parent, const struct bt_node *kid)
{
	int i = 0;
	while (parent->u.kids[i] != kid)
		i++;
	return i;
}

/* Split an overfull node; the right half goes to the parent (a new root if needed). */
static void split(struct range_btree *t, struct bt_node *node)
{
	struct bt_node *right = node_new(t, node->leaf);
	int keep = node->count / 2;
	int moved = node->count - keep;
	for (int j = 0; j < moved; j++) {
		right->keys[j] = node->keys[keep + j];
		if (node->leaf) {
			right->u.leaf.ends[j] = node->u.leaf.ends[keep + j];
			right->u.leaf.vals[j] = node->u.leaf.vals[keep + j];
			node->u.leaf.vals[keep + j] = NULL;
		} else {
			struct bt_node *kid = node->u.kids[keep + j];
			right->u.kids[j] = kid;
			kid->parent = right;
			node->u.kids[keep + j] = NULL;
		}
	}
	right->count = moved;
	node->count = keep;
	if (node->leaf) {
		right->next = node->next;
		if (node->next != NULL)
			node->next->prev = right;
		right->prev = node;
		node->next = right;
	}
	/* Leaf: the right half's first start. Inner: the pivot of its first child, pushed up. */
	page_t separator = right->keys[0];
	recompute(node);
	recompute(right);
	struct bt_node *parent = node->parent;
	if (parent == NULL) {
		parent = node_new(t, false);
		parent->u.kids[0] = node;
		parent->count = 1;
		node->parent = parent;
		t->root = parent;
	}
	int at = child_index(parent, node) + 1;
	for (int j = parent->count; j > at; j--) {
		parent->u.kids[j] = parent->u.kids[j - 1];
		parent->keys[j] = parent->keys[j - 1];
	}
	parent->u.kids[at] = right;
	parent->keys[at] = separator;
	parent->count++;
	right->parent = parent;
	recompute(parent);
	if (parent->count > BT_MAX)
		split(t, parent);
}

/* Set the pivot between leaf and leaf->next (at their lowest common ancestor) to the next leaf's first start. */
static void raise_separator_after(struct bt_node *leaf)
{
	page_t first = leaf->next->keys[0];
	struct bt_node *node = leaf, *parent = leaf->parent;
	while (parent != NULL) {
		int at = child_index(parent, node);
		if (at < parent->count - 1) {
			parent->keys[at + 1] = first;
			return;
		}
		node = parent;
		parent = node->parent;
	}
}

static void borrow_from_left(struct bt_node *parent, int at, struct bt_node *left, struct bt_node *node)
{
	for (int j = node->count; j > 0; j--) {
		node->keys[j] = node->keys[j - 1];
		if (node->leaf) {
			node->u.leaf.ends[j] = node->u.leaf.ends[j - 1];
			node->u.leaf.vals[j] = node->u.leaf.vals[j - 1];
		} else {
			node->u.kids[j] = node->u.kids[j - 1];
		}
	}
	int last = left->count - 1;
	if (node->leaf) {
		node->keys[0] = left->keys[last];
		node->u.leaf.ends[0] = left->u.leaf.ends[last];
		node->u.leaf.vals[0] = left->u.leaf.vals[last];
		left->u.leaf.vals[last] = NULL;
		parent->keys[at] = node->keys[0];
	} else {
		/* The parent's pivot comes down before the old first child; the moved child's goes up. */
		node->keys[1] = parent->keys[at];
		struct bt_node *kid = left->u.kids[last];
		node->u.kids[0] = kid;
		kid->parent = node;
		left->u.kids[last] = NULL;
		parent->keys[at] = left->keys[last];
	}
	left->count--;
	node->count++;
	recompute(left);
	recompute(node);
	recompute(parent);
}

static void borrow_from_right(struct bt_node *parent, int at, struct bt_node *node, struct bt_node *right)
{
	int n = node->count;
	if (node->leaf) {
		node->keys[n] = right->keys[0];
		node->u.leaf.ends[n] = right->u.leaf.ends[0];
		node->u.leaf.vals[n] = right->u.leaf.vals[0];
	} else {
		node->keys[n] = parent->keys[at + 1];
		struct bt_node *kid = right->u.kids[0];
		node->u.kids[n] = kid;
		kid->parent = node;
	}
	/* Right's second key (leaf: its next start; inner: its next child's pivot) separates now. */
	page_t separator = right->keys[1];
	for (int j = 1; j < right->count; j++) {
		right->keys[j - 1] = right->keys[j];
		if (right->leaf) {
			right->u.leaf.ends[j - 1] = right->u.leaf.ends[j];
			right->u.leaf.vals[j - 1] = right->u.leaf.vals[j];
		} else {
			right->u.kids[j - 1] = right->u.kids[j];
		}
	}
	right->count--;
	if (right->leaf)
		right->u.leaf.vals[right->count] = NULL;
	else
		right->u.kids[right->count] = NULL;
	parent->keys[at + 1] = separator;
	node->count++;
	recompute(node);
	recompute(right);
	recompute(parent);
}

static void rebalance(struct range_btree *t, struct bt_node *node);

/* Fold `right` (child at + 1) into `left` (child at) and drop it from the parent. */
static void merge(struct range_btree *t, struct bt_node *parent, int at, struct bt_node *left, struct bt_node *right)
{
	int n = left->count;
	for (int j = 0; j < right->count; j++) {
		if (left->leaf) {
			left->keys[n + j] = right->keys[j];
			left->u.leaf.ends[n + j] = right->u.leaf.ends[j];
			left->u.leaf.vals[n + j] = right->u.leaf.vals[j];
		} else {
			/* Right's first child takes the parent's pivot as its own. */
			left->keys[n + j] = j == 0 ? parent->keys[at + 1] : right->keys[j];
			struct bt_node *kid = right->u.kids[j];
			left->u.kids[n + j] = kid;
			kid->parent = left;
		}
	}
	left->count = n + right->count;
	if (left->leaf) {
		left->next = right->next;
		if (right->next != NULL)
			right->next->prev = left;
	}
	node_free(t, right);
	for (int j = at + 2; j < parent->count; j++) {
		parent->u.kids[j - 1] = parent->u.kids[j];
		parent->keys[j - 1] = parent->keys[j];
	}
	parent->count--;
	parent->u.kids[parent->count] = NULL;
	recompute(left);
	recompute(parent);
	if (parent == t->root) {
		if (parent->count == 1) {
			/* The root lost its last pair of children: its only child becomes the root. */
			t->root = left;
			left->parent = NULL;
			node_free(t, parent);
		}
	} else if (parent->count < BT_MIN) {
		rebalance(t, parent);
	}
}

/* A non-root node fell below BT_MIN: borrow from a sibling that can spare one, else merge. */
static void rebalance(struct range_btree *t, struct bt_node *node)
{
	struct bt_node *parent = node->parent;
	int at = child_index(parent, node);
	struct bt_node *left = at > 0 ? parent->u.kids[at - 1] : NULL;
	struct bt_node *right = at + 1 < parent->count ? parent->u.kids[at + 1] : NULL;
	if (left != NULL && left->count > BT_MIN)
		borrow_from_left(parent, at, left, node);
	else if (right != NULL && right->count > BT_MIN)
		borrow_from_right(parent, at, node, right);
	else if (left != NULL)
		merge(t, parent, at - 1, left, node);
	else
		merge(t, parent, at, node, right);
}

bool range_btree_seek_floor(struct range_btree *t, page_t key)
{
	struct bt_node *leaf = descend(t, key);
	int i = floor_index(leaf, key);
	if (i < 0) {
		/* Every start in earlier leaves is below this leaf's pivot, hence below key. */
		struct bt_node *prev = leaf->prev;
		t->cur_leaf = prev;
		if (prev == NULL)
			return false;
		t->cur_index = prev->count - 1;
		return true;
	}
	t->cur_leaf = leaf;
	t->cur_index = i;
	return true;
}

bool range_btree_seek_ceiling(struct range_btree *t, page_t key)
{
	struct bt_node *leaf = descend(t, key);
	int i = floor_index(leaf, key);
	t->cur_leaf = leaf;
	t->cur_index = i;
	if (i >= 0 && leaf->keys[i] == key)
		return true;
	t->cur_index = i + 1;
	if (t->cur_index < leaf->count)
		return true;
	/* Past this leaf's last entry: the next leaf's first (non-root leaves are never empty). */
	t->cur_leaf = leaf->next;
	t->cur_index = 0;
	return t->cur_leaf != NULL;
}

bool range_btree_step(struct range_btree *t)
{
	struct bt_node *leaf = t->cur_leaf;
	if (leaf == NULL)
		return false;
	t->cur_index++;
	if (t->cur_index >= leaf->count) {
		t->cur_leaf = leaf->next;
		t->cur_index = 0;
		return t->cur_leaf != NULL;
	}
	return true;
}

void range_btree_shrink_cursor(struct range_btree *t, page_t start, page_t end)
{
	struct bt_node *leaf = t->cur_leaf;
	int i = t->cur_index;
	bool moved = leaf->keys[i] != start;
	leaf->keys[i] = start;
	leaf->u.leaf.ends[i] = end;
	bool last = i == leaf->count - 1;
	/* The last start may now pass the pivot above the next leaf, which can be lower than
	 * that leaf's first start (pivots are not lowered on erase): raise it. */
	if (moved && last && leaf->next != NULL)
		raise_separator_after(leaf);
	refresh(leaf);
	if (last && leaf->next != NULL)
		refresh(leaf->next);
}

void range_btree_erase_cursor(struct range_btree *t)
{
	struct bt_node *leaf = t->cur_leaf;
	int i = t->cur_index;
	page_t key = leaf->keys[i];
	t->cur_leaf = NULL;
	for (int j = i + 1; j < leaf->count; j++) {
		leaf->keys[j - 1] = leaf->keys[j];
		leaf->u.leaf.ends[j - 1] = leaf->u.leaf.ends[j];
		leaf->u.leaf.vals[j - 1] = leaf->u.leaf.vals[j];
	}
	leaf->count--;
	leaf->u.leaf.vals[leaf->count] = NULL;
	t->entries--;
	if (leaf != t->root && leaf->count < BT_MIN) {
		rebalance(t, leaf);
		fix_around(t, key);
		return;
	}
	/* No node changed shape: only this leaf's gaps and, if its last entry went, the next
	 * leaf's first gap can have changed. */
	refresh(leaf);
	if (i == leaf->count && leaf->next != NULL)
		refresh(leaf->next);
}

bool range_btree_insert(struct range_btree *t, page_t start, page_t end, void *value)
{
	if (start < 0 || end <= start || end > t->space)
		return false;
	struct bt_node *leaf = descend(t, start);
	int i = floor_index(leaf, start);
	page_t pred_end = i >= 0 ? leaf->u.leaf.ends[i] : leaf->prev == NULL ? 0 : last_end_of_leaf(leaf->prev);
	if (pred_end > start)
		return false;
	const struct bt_node *succ = i + 1 < leaf->count ? leaf : leaf->next;
	if (succ != NULL && succ->keys[succ == leaf ? i + 1 : 0] < end)
		return false;
	for (int j = leaf->count; j > i + 1; j--) {
		leaf->keys[j] = leaf->keys[j - 1];
		leaf->u.leaf.ends[j] = leaf->u.leaf.ends[j - 1];
		leaf->u.leaf.vals[j] = leaf->u.leaf.vals[j - 1];
	}
	leaf->keys[i + 1] = start;
	leaf->u.leaf.ends[i + 1] = end;
	leaf->u.leaf.vals[i + 1] = value;
	leaf->count++;
	t->entries++;
	if (leaf->count > BT_MAX) {
		split(t, leaf);
		fix_around(t, start);
		return true;
	}
	refresh(leaf);
	if (i + 2 == leaf->count && leaf->next != NULL)
		refresh(leaf->next);
	return true;
}

page_t range_btree_lowest_gap(struct range_btree *t, page_t min_gap, page_t min_tail)
{
	struct bt_node *node = t->root;
	if (node->max_gap >= min_gap) {
		while (!node->leaf) {
			int i = 0;
			while (i < node->count - 1 && node->u.kids[i]->max_gap < min_gap)
				i++;
			node = node->u.kids[i];
		}
		page_t prev_end = node->prev == NULL ? 0 : last_end_of_leaf(node->prev);
		for (int i = 0; i < node->count; i++) {
			if (node->keys[i] - prev_end >= min_gap)
				return prev_end;
			prev_end = node->u.leaf.ends[i];
		}
		bt_fatal("max_gap promised a gap the leaf does not have");
	}
	page_t last = range_btree_last_end(t);
	return t->space - last >= min_tail ? last : -1;
}

page_t range_btree_last_end(const struct range_btree *t)
{
	const struct bt_node *node = t->root;
	while (!node->leaf)
		node = node->u.kids[node->count - 1];
	return node->count == 0 ? 0 : last_end_of_leaf(node);
}

void range_btree_for_each(const struct range_btree *t, void (*fn)(void *ctx, page_t start, page_t end, void *value), void *ctx)
{
	const struct bt_node *node = t->root;
	while (!node->leaf)
		node = node->u.kids[0];
	for (; node != NULL; node = node->next)
		for (int i = 0; i < node->count; i++)
			fn(ctx, node->keys[i], node->u.leaf.ends[i], node->u.leaf.vals[i]);
}

/* ---- check mode ---------------------------------------------------------------------------- */

struct check_walk {
	const struct range_btree *t;
	int leaf_depth;
	int64_t nodes;
	int64_t entries;
	const struct bt_node *last_leaf; /* the previous leaf in tree order */
	page_t prev_end;                 /* end of the previous entry in tree order */
};

/* Entries of subtree `node` must start in [low, high). Returns the node's true max gap via *gap. */
static check_result check_node(struct check_walk *w, const struct bt_node *node, int depth, page_t low, page_t high, page_t *gap)
{
	const struct range_btree *t = w->t;
	w->nodes++;
	if (node->count > BT_MAX)
		return "range B-tree fan-out: a node holds more than BT_MAX";
	if (node != t->root && node->count < BT_MIN)
		return "range B-tree fill: a non-root node holds fewer than BT_MIN";
	page_t max = 0;
	if (node->leaf) {
		if (w->leaf_depth < 0)
			w->leaf_depth = depth;
		else if (w->leaf_depth != depth)
			return "range B-tree depth: leaves at different depths";
		if (node->prev != w->last_leaf)
			return "range B-tree chain: a leaf's prev link is not the previous leaf";
		if (w->last_leaf != NULL && w->last_leaf->next != node)
			return "range B-tree chain: a leaf's next link is not the next leaf";
		if (node != t->root && node->parent == NULL)
			return "range B-tree: a non-root leaf without a parent";
		w->last_leaf = node;
		for (int i = 0; i < node->count; i++) {
			page_t s = node->keys[i], e = node->u.leaf.ends[i];
			if (s < low || s >= high)
				return "range B-tree pivots: an entry's start lies outside its pivots";
			if (!(e > s))
				return "range B-tree entries: an empty or reversed range";
			if (s < w->prev_end)
				return "range B-tree entries: ranges overlap or are out of order";
			if (s < 0 || e > t->space)
				return "range B-tree entries: a range outside [0, space)";
			if (s - w->prev_end > max)
				max = s - w->prev_end;
			w->prev_end = e;
			w->entries++;
		}
		for (int i = node->count; i <= BT_MAX; i++)
			if (node->u.leaf.vals[i] != NULL)
				return "range B-tree: a value left in an unused leaf slot";
	} else {
		if (node->count < 1)
			return "range B-tree fill: an empty inner node";
		for (int i = 0; i < node->count; i++) {
			const struct bt_node *kid = node->u.kids[i];
			if (kid == NULL)
				return "range B-tree: a null child";
			if (kid->parent != node)
				return "range B-tree parent links: a child does not point back";
			page_t lo = i == 0 ? low : node->keys[i];
			page_t hi = i + 1 < node->count ? node->keys[i + 1] : high;
			if (i > 0 && !(lo >= low && lo < high))
				return "range B-tree pivots: a pivot outside its parent's range";
			if (i + 1 < node->count && !(hi > lo))
				return "range B-tree pivots: pivots not increasing";
			page_t kid_gap = 0;
			check_result bad = check_node(w, kid, depth + 1, lo, hi, &kid_gap);
			if (bad != NULL)
				return bad;
			if (kid_gap > max)
				max = kid_gap;
		}
		for (int i = node->count; i <= BT_MAX; i++)
			if (node->u.kids[i] != NULL)
				return "range B-tree: a child left in an unused slot";
	}
	if (node->max_gap != max)
		return node->leaf ? "range B-tree gaps: a leaf's max_gap is not its largest gap" : "range B-tree gaps: an inner node's max_gap is not its children's largest";
	*gap = max;
	return NULL;
}

check_result range_btree_check(const struct range_btree *t)
{
	const struct bt_node *root = t->root;
	if (root == NULL)
		return "range B-tree: no root";
	if (root->parent != NULL)
		return "range B-tree: the root has a parent";
	if (!root->leaf && root->count < 2)
		return "range B-tree: an inner root with fewer than two children";
	struct check_walk w = {.t = t, .leaf_depth = -1, .nodes = 0, .entries = 0, .last_leaf = NULL, .prev_end = 0};
	page_t gap = 0;
	check_result bad = check_node(&w, root, 0, INT64_MIN, INT64_MAX, &gap);
	if (bad != NULL)
		return bad;
	if (w.last_leaf != NULL && w.last_leaf->next != NULL)
		return "range B-tree chain: the last leaf has a next link";
	if (w.nodes != t->nodes)
		return "range B-tree: the node count does not match the nodes reachable";
	if ((int64_t)t->zone.in_use != t->nodes)
		return "range B-tree: the node zone holds nodes the tree does not reach";
	if (w.entries != t->entries)
		return "range B-tree: the entry count does not match the entries reachable";
	return NULL;
}
