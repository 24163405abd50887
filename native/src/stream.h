/*
 * The op stream the TS side replays, as src/native/stream-encoding.ts writes it: the resolved
 * strategy, the domain's settings, the peer's grants, then the bound DeviceOps of the setup and
 * the measured part (src/workloads/types.ts). Line-oriented text: a fixed header, then one op
 * per line. The header, item by item (tokens are whitespace separated):
 *
 *   gntbench-native-stream 2
 *   allocator bump|list|rbtree|rangeset|linux-gmap-list|augtree|maple|maple-fused
 *   gref-store list|rbtree|rangeset|xarray gmap-store list|rbtree|rangeset|linux-gmap-list|augtree|maple|maple-fused
 *                                          (*-fused: one object is allocator and gmap store; both or neither)
 *   linear-containment 0|1                 gref-allocation-order 0|1
 *   quirks truncatedCompare strictGap intPageIndex bumpWrap claimNoMerge     (0|1 each)
 *   offset-space PAGES
 *   limits maxPagesPerCall globalGrefLimit                                   (inf: none)
 *   policy supportsAlloc supportsMap unmapCountWildcard grefSingleMapping gmapSingleMapping
 *          deferredCountsAgainstLimit unmapMissingErrno notifyMissingErrno
 *   cleanup-on N trigger...                (alloc dealloc map unmap munmap close)
 *   policy-more mmapMissingErrno grefLimitCountsMmapped gmapReadonlyChecks gmapEventWithoutMmap
 *          unmapIndexShifts notifyLookupFirst deallocCleansOnFailure failedAllocLeaksOffsets
 *   grant-table ENTRIES
 *   granted N first count ...              (the peer's grants, sorted disjoint runs)
 *   track-grant-refs 0|1    handles N    vmas N
 *   setup N  <N ops>    measured N  <N ops>    end
 *
 * The ops:
 *
 *   A h domid pages writable        ALLOC_GREF into handle h
 *   D h pageOffset pages            DEALLOC_GREF
 *   M h domid n ref1 .. refn        MAP_GRANT_REF of the peer's refs into handle h
 *   U h pages                       UNMAP_GRANT_REF (pages 0: Linux's wildcard)
 *   V vma h pageOffset pages w      mmap into VMA slot vma
 *   X vma                           munmap
 *   G vma                           GET_OFFSET_FOR_VADDR
 *   N h pageOffset byte action port SET_UNMAP_NOTIFY
 *   F h pageOffset pages            the peer maps our grants (foreign access)
 *   f h pageOffset pages            the peer unmaps them
 *   C                               close()
 */
#ifndef GNT_STREAM_H
#define GNT_STREAM_H

#include "strategy.h"

enum op_kind { OP_ALLOC, OP_DEALLOC, OP_MAP, OP_UNMAP, OP_MMAP, OP_MUNMAP, OP_GET_OFFSET, OP_NOTIFY, OP_FOREIGN_MAP, OP_FOREIGN_UNMAP, OP_CLOSE };

struct op {
	enum op_kind kind;
	bool writable;
	int32_t domid;
	int64_t handle;
	int64_t vma;
	int64_t page_offset;
	int64_t pages;
	int64_t byte_in_page;
	int64_t action;
	int64_t port;
	uint32_t *refs; /* MAP only: `pages` refs */
};

struct stream {
	struct strategy_spec strategy;
	int64_t grant_table_entries;
	int64_t *granted; /* (first, count) pairs */
	int64_t ngranted;
	bool track_grant_refs;
	int64_t handles;
	int64_t vmas;
	struct op *setup;
	int64_t nsetup;
	struct op *measured;
	int64_t nmeasured;
};

/* Parse the whole text; on error returns false with a one-line message in *error. */
bool stream_parse(const char *text, struct stream *out, const char **error, int64_t *error_line);
void stream_free(struct stream *s);

#endif
