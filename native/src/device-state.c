/* Building and tearing down one device state (see device-state.h). */
#include "device-state.h"

void device_state_open(struct device_state *st, const struct stream *s)
{
	domain_init(&st->domain, s->grant_table_entries, s->granted, s->ngranted);
	strategy_init(&st->strategy, &s->strategy);
	gntdev_open(&st->device, &st->domain, &st->strategy);
	applier_init(&st->applier, &st->device, s);
}

void device_state_destroy(struct device_state *st)
{
	applier_destroy(&st->applier);
	gntdev_destroy(&st->device);
	strategy_destroy(&st->strategy);
	domain_destroy(&st->domain);
}
