/*
 * Parser of the stream text (format in stream.h). Tokens are whitespace separated; the header
 * is a fixed sequence of `keyword values` lines, so a stream from another encoder version fails
 * loudly on its first unexpected keyword instead of being half understood.
 */
#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct cursor {
	const char *p;
	int64_t line;
	const char *error;
	char token[64];
};

static bool next_token(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r') {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
	if (*c->p == '\0') {
		c->error = "unexpected end of the stream";
		return false;
	}
	size_t n = 0;
	while (*c->p != '\0' && *c->p != ' ' && *c->p != '\t' && *c->p != '\n' && *c->p != '\r') {
		if (n + 1 >= sizeof(c->token)) {
			c->error = "token too long";
			return false;
		}
		c->token[n++] = *c->p++;
	}
	c->token[n] = '\0';
	return true;
}

static bool expect(struct cursor *c, const char *word)
{
	if (!next_token(c))
		return false;
	if (strcmp(c->token, word) != 0) {
		c->error = "unexpected keyword (the encoder and the engine disagree on the format)";
		return false;
	}
	return true;
}

static bool read_int(struct cursor *c, int64_t *out)
{
	if (!next_token(c))
		return false;
	if (strcmp(c->token, "inf") == 0) {
		*out = GNT_UNLIMITED;
		return true;
	}
	char *end;
	errno = 0;
	long long v = strtoll(c->token, &end, 10);
	if (errno != 0 || *end != '\0' || end == c->token) {
		c->error = "expected an integer";
		return false;
	}
	*out = v;
	return true;
}

static bool read_bool(struct cursor *c, bool *out)
{
	int64_t v;
	if (!read_int(c, &v))
		return false;
	if (v != 0 && v != 1) {
		c->error = "expected 0 or 1";
		return false;
	}
	*out = v == 1;
	return true;
}

static bool read_allocator(struct cursor *c, enum allocator_kind *out)
{
	static const char *names[] = {"bump", "list", "rbtree", "rangeset", "linux-gmap-list", "augtree", "maple", "maple-fused"};
	if (!next_token(c))
		return false;
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(c->token, names[i]) == 0) {
			*out = (enum allocator_kind)i;
			return true;
		}
	c->error = "unknown allocator kind";
	return false;
}

static bool read_store(struct cursor *c, enum store_kind *out)
{
	static const char *names[] = {"list", "rbtree", "rangeset", "linux-gmap-list", "augtree", "xarray", "maple", "maple-fused"};
	if (!next_token(c))
		return false;
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(c->token, names[i]) == 0) {
			*out = (enum store_kind)i;
			return true;
		}
	c->error = "unknown store kind";
	return false;
}

static bool read_cleanup_on(struct cursor *c, unsigned *out)
{
	static const char *names[] = {"alloc", "dealloc", "map", "unmap", "munmap", "close"};
	int64_t n;
	if (!read_int(c, &n))
		return false;
	*out = 0;
	for (int64_t k = 0; k < n; k++) {
		if (!next_token(c))
			return false;
		int i;
		for (i = 0; i < 6; i++)
			if (strcmp(c->token, names[i]) == 0)
				break;
		if (i == 6) {
			c->error = "unknown cleanup trigger";
			return false;
		}
		*out |= 1u << i;
	}
	return true;
}

static bool in_table(struct cursor *c, int64_t v, int64_t size)
{
	if (v < 0 || v >= size) {
		c->error = "handle or VMA slot outside the stream's tables";
		return false;
	}
	return true;
}

static bool read_op(struct cursor *c, const struct stream *s, struct op *op)
{
	memset(op, 0, sizeof(*op));
	if (!next_token(c))
		return false;
	char k = c->token[0];
	if (c->token[1] != '\0')
		k = '?';
	int64_t domid = 0;
	bool ok = true;
	switch (k) {
	case 'A':
		op->kind = OP_ALLOC;
		ok = read_int(c, &op->handle) && read_int(c, &domid) && read_int(c, &op->pages) && read_bool(c, &op->writable) &&
		     in_table(c, op->handle, s->handles);
		break;
	case 'D':
		op->kind = OP_DEALLOC;
		ok = read_int(c, &op->handle) && read_int(c, &op->page_offset) && read_int(c, &op->pages) && in_table(c, op->handle, s->handles);
		break;
	case 'M':
		op->kind = OP_MAP;
		ok = read_int(c, &op->handle) && read_int(c, &domid) && read_int(c, &op->pages) && in_table(c, op->handle, s->handles);
		if (ok && (op->pages < 0 || op->pages > (INT64_C(1) << 26))) {
			c->error = "MAP with an unreasonable number of refs";
			return false;
		}
		if (ok) {
			op->refs = malloc((size_t)(op->pages > 0 ? op->pages : 1) * sizeof(uint32_t));
			if (op->refs == NULL)
				abort();
			for (int64_t i = 0; ok && i < op->pages; i++) {
				int64_t ref;
				ok = read_int(c, &ref);
				op->refs[i] = (uint32_t)ref;
			}
		}
		break;
	case 'U':
		op->kind = OP_UNMAP;
		ok = read_int(c, &op->handle) && read_int(c, &op->pages) && in_table(c, op->handle, s->handles);
		break;
	case 'V':
		op->kind = OP_MMAP;
		ok = read_int(c, &op->vma) && read_int(c, &op->handle) && read_int(c, &op->page_offset) && read_int(c, &op->pages) &&
		     read_bool(c, &op->writable) && in_table(c, op->handle, s->handles) && in_table(c, op->vma, s->vmas);
		break;
	case 'X':
		op->kind = OP_MUNMAP;
		ok = read_int(c, &op->vma) && in_table(c, op->vma, s->vmas);
		break;
	case 'G':
		op->kind = OP_GET_OFFSET;
		ok = read_int(c, &op->vma) && in_table(c, op->vma, s->vmas);
		break;
	case 'N':
		op->kind = OP_NOTIFY;
		ok = read_int(c, &op->handle) && read_int(c, &op->page_offset) && read_int(c, &op->byte_in_page) && read_int(c, &op->action) &&
		     read_int(c, &op->port) && in_table(c, op->handle, s->handles);
		break;
	case 'F':
	case 'f':
		op->kind = k == 'F' ? OP_FOREIGN_MAP : OP_FOREIGN_UNMAP;
		ok = read_int(c, &op->handle) && read_int(c, &op->page_offset) && read_int(c, &op->pages) && in_table(c, op->handle, s->handles);
		break;
	case 'C':
		op->kind = OP_CLOSE;
		break;
	default:
		c->error = "unknown op";
		return false;
	}
	op->domid = (int32_t)domid;
	return ok;
}

static bool read_ops(struct cursor *c, const struct stream *s, const char *section, struct op **ops, int64_t *n)
{
	if (!expect(c, section) || !read_int(c, n))
		return false;
	if (*n < 0 || *n > (INT64_C(1) << 28)) {
		c->error = "unreasonable op count";
		return false;
	}
	*ops = calloc((size_t)(*n > 0 ? *n : 1), sizeof(struct op));
	if (*ops == NULL)
		abort();
	for (int64_t i = 0; i < *n; i++)
		if (!read_op(c, s, &(*ops)[i]))
			return false;
	return true;
}

bool stream_parse(const char *text, struct stream *s, const char **error, int64_t *error_line)
{
	memset(s, 0, sizeof(*s));
	struct cursor c = {.p = text, .line = 1, .error = NULL};
	struct strategy_spec *st = &s->strategy;
	struct quirks *q = &st->quirks;
	struct device_policy *p = &st->policy;
	int64_t version, unmap_errno, notify_errno;
	bool ok = expect(&c, "gntbench-native-stream") && read_int(&c, &version);
	if (ok && version != 2) {
		c.error = "unsupported stream version";
		ok = false;
	}
	ok = ok && expect(&c, "allocator") && read_allocator(&c, &st->allocator);
	ok = ok && expect(&c, "gref-store") && read_store(&c, &st->gref_store);
	ok = ok && expect(&c, "gmap-store") && read_store(&c, &st->gmap_store);
	ok = ok && expect(&c, "linear-containment") && read_bool(&c, &st->linear_containment);
	ok = ok && expect(&c, "gref-allocation-order") && read_bool(&c, &st->gref_allocation_order);
	ok = ok && expect(&c, "quirks") && read_bool(&c, &q->truncated_compare) && read_bool(&c, &q->strict_gap) &&
	     read_bool(&c, &q->int_page_index) && read_bool(&c, &q->bump_wrap) && read_bool(&c, &q->claim_no_merge);
	ok = ok && expect(&c, "offset-space") && read_int(&c, &st->offset_space);
	ok = ok && expect(&c, "limits") && read_int(&c, &st->limits.max_pages_per_call) && read_int(&c, &st->limits.global_gref_limit);
	ok = ok && expect(&c, "policy") && read_bool(&c, &p->supports_alloc) && read_bool(&c, &p->supports_map) &&
	     read_bool(&c, &p->unmap_count_wildcard) && read_bool(&c, &p->gref_single_mapping) && read_bool(&c, &p->gmap_single_mapping) &&
	     read_bool(&c, &p->deferred_counts_against_limit) && read_int(&c, &unmap_errno) && read_int(&c, &notify_errno);
	ok = ok && expect(&c, "cleanup-on") && read_cleanup_on(&c, &p->cleanup_on);
	int64_t mmap_errno = 0;
	ok = ok && expect(&c, "policy-more") && read_int(&c, &mmap_errno) && read_bool(&c, &p->gref_limit_counts_mmapped) &&
	     read_bool(&c, &p->gmap_readonly_checks) && read_bool(&c, &p->gmap_event_without_mmap) && read_bool(&c, &p->unmap_index_shifts) &&
	     read_bool(&c, &p->notify_lookup_first) && read_bool(&c, &p->dealloc_cleans_on_failure) && read_bool(&c, &p->failed_alloc_leaks_offsets);
	p->mmap_missing_errno = (int)mmap_errno;
	ok = ok && expect(&c, "grant-table") && read_int(&c, &s->grant_table_entries);
	ok = ok && expect(&c, "granted") && read_int(&c, &s->ngranted);
	if (ok) {
		p->unmap_missing_errno = (int)unmap_errno;
		p->notify_missing_errno = (int)notify_errno;
		if (st->offset_space < 1 || st->offset_space > (INT64_C(1) << 52)) {
			c.error = "offset space outside [1, 2^52]";
			ok = false;
		} else if ((st->gmap_store == STORE_LINUX_GMAP_LIST) != (st->allocator == ALLOCATOR_LINUX_GMAP_LIST) ||
			   (st->gmap_store == STORE_MAPLE_FUSED) != (st->allocator == ALLOCATOR_MAPLE_FUSED) ||
			   st->gref_store == STORE_LINUX_GMAP_LIST || st->gref_store == STORE_MAPLE_FUSED || st->gref_store == STORE_MAPLE ||
			   st->gref_store == STORE_AUGTREE || st->gmap_store == STORE_XARRAY) {
			c.error = "a store kind does not fit its role (the fused Linux map list and the fused maple tree are allocator and gmap store at once; augtree and maple store gmaps, xarray grefs)";
			ok = false;
		} else if (s->grant_table_entries <= 8 || s->grant_table_entries > (INT64_C(1) << 32)) {
			c.error = "grant table size outside (8, 2^32]";
			ok = false;
		} else if (s->ngranted < 0 || s->ngranted > (INT64_C(1) << 24)) {
			c.error = "unreasonable granted range count";
			ok = false;
		}
	}
	if (ok) {
		s->granted = calloc((size_t)(2 * s->ngranted + 1), sizeof(int64_t));
		if (s->granted == NULL)
			abort();
		for (int64_t i = 0; ok && i < 2 * s->ngranted; i++)
			ok = read_int(&c, &s->granted[i]);
		for (int64_t i = 0; ok && i < s->ngranted; i++) {
			const int64_t *run = &s->granted[2 * i];
			if (run[0] < 0 || run[1] < 1 || run[0] + run[1] > (INT64_C(1) << 32)) {
				c.error = "granted range outside the ref space";
				ok = false;
			} else if (i > 0 && run[0] <= run[-2] + run[-1]) {
				c.error = "granted ranges must be sorted, disjoint and not touching";
				ok = false;
			}
		}
	}
	ok = ok && expect(&c, "track-grant-refs") && read_bool(&c, &s->track_grant_refs);
	ok = ok && expect(&c, "handles") && read_int(&c, &s->handles);
	ok = ok && expect(&c, "vmas") && read_int(&c, &s->vmas);
	if (ok && (s->handles < 0 || s->vmas < 0 || s->handles > (INT64_C(1) << 28) || s->vmas > (INT64_C(1) << 28))) {
		c.error = "unreasonable table sizes";
		ok = false;
	}
	ok = ok && read_ops(&c, s, "setup", &s->setup, &s->nsetup);
	ok = ok && read_ops(&c, s, "measured", &s->measured, &s->nmeasured);
	ok = ok && expect(&c, "end");
	if (!ok) {
		*error = c.error != NULL ? c.error : "malformed stream";
		*error_line = c.line;
		stream_free(s);
		return false;
	}
	return true;
}

static void free_ops(struct op *ops, int64_t n)
{
	if (ops == NULL)
		return;
	for (int64_t i = 0; i < n; i++)
		free(ops[i].refs);
	free(ops);
}

void stream_free(struct stream *s)
{
	free_ops(s->setup, s->nsetup);
	free_ops(s->measured, s->nmeasured);
	free(s->granted);
	memset(s, 0, sizeof(*s));
}
