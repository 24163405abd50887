/*
 * One freshly built device state (src/workloads/device-state.ts): a new domain and peer, a new open
 * file whose bookkeeping is the stream's strategy, and an applier. Every replicate builds its own
 * and tears it down afterwards: replicates share nothing but the stream.
 */
#ifndef GNT_DEVICE_STATE_H
#define GNT_DEVICE_STATE_H

#include "applier.h"

struct device_state {
	struct domain domain;
	struct strategy strategy;
	struct gntdev device;
	struct applier applier;
};

void device_state_open(struct device_state *st, const struct stream *s);
void device_state_destroy(struct device_state *st);

#endif
