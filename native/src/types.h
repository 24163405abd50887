/*
 * Shared vocabulary of the native engine: page numbers, errno values and the device's limits.
 * Mirrors src/strategies/types.ts and src/errno.ts. Offsets are page numbers in int64_t: the
 * whole u64 byte space is 2^52 pages, so every value the TS model holds in a double fits.
 */
#ifndef GNT_TYPES_H
#define GNT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t page_t;

/* Linux/FreeBSD errno values (src/errno.ts); failures are returned negated, never raised. */
#define GNT_ENOENT 2
#define GNT_ENOMEM 12
#define GNT_EINVAL 22
#define GNT_ENOTTY 25
#define GNT_ENOSPC 28
#define GNT_EOVERFLOW 75

#define PAGE_BYTES 4096
#define UNMAP_NOTIFY_CLEAR_BYTE 1
#define UNMAP_NOTIFY_SEND_EVENT 2

/* "No limit" (Infinity in the TS model). */
#define GNT_UNLIMITED INT64_MAX

/* Result of an op whose handle or VMA slot holds no successful result (apply.ts SKIPPED). */
#define GNT_SKIPPED (-1000000)

/* Documented kernel quirks (src/strategies/quirks.ts); all off means correct behaviour. */
struct quirks {
	bool truncated_compare;
	bool strict_gap;
	bool int_page_index; /* ioctl byte boundary only: no effect on the page-level device */
	bool bump_wrap;
	bool claim_no_merge;
};

/* Invariant failure: a message for check mode, or NULL when all is well. */
typedef const char *check_result;

/* Every run length test of the allocators (allocator-options.ts isBadRunLength). */
static inline bool bad_run_length(page_t pages, page_t space)
{
	return pages < 1 || pages > space;
}

#endif
