/*
 * The records of one open grant device file (src/strategies/types.ts Gref, Gmap): a gref is one
 * page we allocated and granted (alloc side, one record per page), a gmap is the run of foreign
 * grants one MAP_GRANT_REF call recorded (map side). Like FreeBSD's records, the list and tree
 * links share a union (a record is in one store at a time) and a separate STAILQ-style link
 * holds it in the global cleanup queue.
 */
#ifndef GNT_RECORDS_H
#define GNT_RECORDS_H

#include "bsd.h"
#include "types.h"

/* What SET_UNMAP_NOTIFY stored; the last call wins. */
struct unmap_notify {
	bool set;
	int action;
	int64_t byte_in_record;
	int64_t port;
};

struct gref {
	page_t page;
	uint32_t grant_ref;
	int32_t domid;
	bool writable;
	bool live;          /* in its file's gref store (ALLOC to DEALLOC or close) */
	bool notify_fired;
	int32_t map_count;  /* local mmaps covering this page */
	struct unmap_notify notify;
	union {
		TAILQ_ENTRY(gref) tq;
		RB_ENTRY(gref) rb;
	} link;
	struct gref *cq_next; /* cleanup queue (STAILQ_ENTRY) */
};

struct gmap {
	page_t first_page;
	page_t pages;
	int32_t domid;
	int32_t map_count;  /* live VMAs of this gmap */
	bool ever_mapped;   /* the first mmap made the map hypercall */
	int8_t readonly;    /* Linux: fixed by the first mmap; -1 until then */
	bool live;          /* in its file's gmap store (MAP to UNMAP or close) */
	bool notify_fired;
	struct unmap_notify notify;
	uint32_t *grant_refs; /* the peer's refs, copied at MAP (copy_from_user) */
	page_t subtree_end;   /* interval-tree gmap store: the furthest end in this node's subtree */
	union {
		TAILQ_ENTRY(gmap) tq;
		RB_ENTRY(gmap) rb;
	} link;
	struct gmap *cq_next;
};

TAILQ_HEAD(gref_list, gref);
TAILQ_HEAD(gmap_list, gmap);

#endif
