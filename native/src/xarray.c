/* The XArray-style radix tree (see xarray.h). */
#include "xarray.h"

#include <string.h>

/* 64^level; levels 0..9 cover every index below 2^54. */
static page_t level_scale(int level)
{
	return (page_t)1 << (XA_CHUNK_SHIFT * level);
}

static int chunk_of(page_t index, int level)
{
	return (int)((index >> (XA_CHUNK_SHIFT * level)) & XA_CHUNK_MASK);
}

/* Can a root of this level hold index? (level 8 already reaches 2^54.) */
static bool reaches(int level, page_t index)
{
	return level >= 8 || index < level_scale(level + 1);
}

void xa_init(struct xarray *xa)
{
	xa->root = NULL;
	xa->count = 0;
	zone_init(&xa->zone, sizeof(struct xa_node));
}

void xa_destroy(struct xarray *xa)
{
	zone_destroy(&xa->zone);
	xa->root = NULL;
	xa->count = 0;
}

static struct xa_node *node_new(struct xarray *xa, int level, struct xa_node *parent, int offset)
{
	struct xa_node *node = zone_alloc(&xa->zone);
	memset(node, 0, sizeof(*node));
	node->level = level;
	node->parent = parent;
	node->offset = offset;
	return node;
}

struct xa_node *xa_leaf_of(const struct xarray *xa, page_t index)
{
	struct xa_node *node = xa->root;
	if (node == NULL || index < 0 || !reaches(node->level, index))
		return NULL;
	while (node->level > 0) {
		node = node->slots[chunk_of(index, node->level)];
		if (node == NULL)
			return NULL;
	}
	return node;
}

void *xa_load(const struct xarray *xa, page_t index)
{
	struct xa_node *leaf = xa_leaf_of(xa, index);
	return leaf == NULL ? NULL : leaf->slots[index & XA_CHUNK_MASK];
}

/* The leaf covering index, growing the tree upwards and creating nodes downwards as needed. */
static struct xa_node *create_leaf(struct xarray *xa, page_t index)
{
	struct xa_node *root = xa->root;
	if (root == NULL) {
		/* Start as tall as this index needs, as xa_store sizes the first node. */
		int level = 0;
		while (!reaches(level, index))
			level++;
		root = node_new(xa, level, NULL, 0);
		xa->root = root;
	}
	while (!reaches(root->level, index)) {
		/* xas_expand: the old root becomes slot 0 of a taller one. */
		struct xa_node *top = node_new(xa, root->level + 1, NULL, 0);
		top->slots[0] = root;
		top->count = 1;
		root->parent = top;
		root->offset = 0;
		xa->root = top;
		root = top;
	}
	struct xa_node *node = root;
	while (node->level > 0) {
		int chunk = chunk_of(index, node->level);
		struct xa_node *child = node->slots[chunk];
		if (child == NULL) {
			child = node_new(xa, node->level - 1, node, chunk);
			node->slots[chunk] = child;
			node->count++;
		}
		node = child;
	}
	return node;
}

void *xa_insert(struct xarray *xa, page_t index, void *entry)
{
	struct xa_node *leaf = create_leaf(xa, index);
	int slot = (int)(index & XA_CHUNK_MASK);
	if (leaf->slots[slot] != NULL)
		return leaf->slots[slot];
	leaf->slots[slot] = entry;
	leaf->count++;
	xa->count++;
	return NULL;
}

/* xas_shrink: while the root is an inner node using only slot 0, its child becomes the root. */
static void shrink(struct xarray *xa)
{
	struct xa_node *root = xa->root;
	while (root != NULL && root->level > 0 && root->count == 1 && root->slots[0] != NULL) {
		struct xa_node *child = root->slots[0];
		zone_free(&xa->zone, root);
		child->parent = NULL;
		child->offset = 0;
		xa->root = child;
		root = child;
	}
}

void *xa_erase_in_leaf(struct xarray *xa, struct xa_node *leaf, int slot)
{
	void *entry = leaf->slots[slot];
	if (entry == NULL)
		return NULL;
	leaf->slots[slot] = NULL;
	leaf->count--;
	xa->count--;
	struct xa_node *node = leaf;
	while (node->count == 0) {
		struct xa_node *parent = node->parent;
		int offset = node->offset;
		zone_free(&xa->zone, node);
		if (parent == NULL) {
			xa->root = NULL;
			return entry;
		}
		parent->slots[offset] = NULL;
		parent->count--;
		node = parent;
	}
	shrink(xa);
	return entry;
}

static void walk(const struct xa_node *node, page_t base, void (*fn)(void *, page_t, void *), void *ctx)
{
	page_t scale = level_scale(node->level);
	for (int i = 0; i < XA_CHUNK_SIZE; i++) {
		if (node->slots[i] == NULL)
			continue;
		if (node->level == 0)
			fn(ctx, base + i, node->slots[i]);
		else
			walk(node->slots[i], base + i * scale, fn, ctx);
	}
}

void xa_for_each(const struct xarray *xa, void (*fn)(void *ctx, page_t index, void *entry), void *ctx)
{
	if (xa->root != NULL)
		walk(xa->root, 0, fn, ctx);
}

static void free_nodes(struct xarray *xa, struct xa_node *node)
{
	if (node->level > 0)
		for (int i = 0; i < XA_CHUNK_SIZE; i++)
			if (node->slots[i] != NULL)
				free_nodes(xa, node->slots[i]);
	zone_free(&xa->zone, node);
}

void xa_clear(struct xarray *xa)
{
	if (xa->root != NULL)
		free_nodes(xa, xa->root);
	xa->root = NULL;
	xa->count = 0;
}

static check_result check_node(const struct xa_node *node, page_t base, page_t (*key_of)(const void *), int64_t *entries)
{
	int used = 0;
	for (int i = 0; i < XA_CHUNK_SIZE; i++) {
		const void *slot = node->slots[i];
		if (slot == NULL)
			continue;
		used++;
		page_t index = base + i * level_scale(node->level);
		if (node->level == 0) {
			(*entries)++;
			if (key_of != NULL && key_of(slot) != index)
				return "xarray: entry stored at the wrong index";
			continue;
		}
		const struct xa_node *child = slot;
		if (child->level != node->level - 1)
			return "xarray: child level is not one below its parent";
		if (child->parent != node || child->offset != i)
			return "xarray: child does not point back at its slot";
		check_result bad = check_node(child, index, key_of, entries);
		if (bad != NULL)
			return bad;
	}
	if (used != node->count)
		return "xarray: node count does not match its slots";
	if (used == 0)
		return "xarray: empty node left linked";
	return NULL;
}

check_result xa_check(const struct xarray *xa, page_t (*key_of)(const void *entry))
{
	const struct xa_node *root = xa->root;
	if (root == NULL)
		return xa->count == 0 ? NULL : "xarray: empty tree with a non-zero size";
	if (root->parent != NULL)
		return "xarray: root has a parent";
	if (root->level > 0) {
		bool other = false;
		for (int i = 1; i < XA_CHUNK_SIZE; i++)
			if (root->slots[i] != NULL)
				other = true;
		if (!other)
			return "xarray: inner root uses only slot 0 (not shrunk)";
	}
	int64_t entries = 0;
	check_result bad = check_node(root, 0, key_of, &entries);
	if (bad == NULL && entries != xa->count)
		bad = "xarray: size does not match the entries reachable";
	return bad;
}
