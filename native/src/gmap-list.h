/*
 * The sorted gmap TAILQ shared by Linux gntdev's map list (linux-gmap-list.c) and the stand-alone
 * list gmap store (list-gmap-store.c): the kernel's linear scans, which stop at the first match
 * and walk the whole list on a miss.
 */
#ifndef GNT_GMAP_LIST_H
#define GNT_GMAP_LIST_H

#include "gmap-store.h"

/* Index and count (count 0 matches any, as Linux's UNMAP allows). O(n). */
struct gmap *gmap_list_find_exact(struct gmap_list *gmaps, page_t first, page_t pages);
/* The gmap whose pages hold `page` (SET_UNMAP_NOTIFY). O(n). */
struct gmap *gmap_list_find_containing(struct gmap_list *gmaps, page_t page);
/* Sorted insert from the head; a live gmap with the same first page is returned instead. */
struct gmap *gmap_list_insert_sorted(struct gmap_list *gmaps, struct gmap *gmap);
void gmap_list_drain(struct gmap_list *gmaps, gmap_visit visit, void *ctx);
check_result gmap_list_check(struct gmap_list *gmaps, int64_t size);

#endif
