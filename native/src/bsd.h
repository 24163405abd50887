/*
 * The BSD intrusive-structure macros, from the system: libbsd's overlay of <sys/queue.h> (TAILQ)
 * and <sys/tree.h> (RB_*), the macro family FreeBSD's gntdev itself is written with. Built with
 * `pkg-config --cflags libbsd-overlay` (-isystem /usr/include/bsd -DLIBBSD_OVERLAY).
 *
 * Debian's libbsd cdefs.h leaves __unused undefined (it clashes with glibc field names), but
 * RB_GENERATE_STATIC marks its helpers __unused, so it is defined here, before any tree.
 */
#ifndef GNT_BSD_H
#define GNT_BSD_H

#include <sys/queue.h>
#include <sys/tree.h>

#ifndef __unused
#define __unused __attribute__((unused))
#endif

#endif
