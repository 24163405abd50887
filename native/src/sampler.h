/*
 * The time mode of gntbench-native: samples of fresh states of one or more streams. With several
 * streams (one per strategy of a cell, all in one process) the samples are interleaved: cycle c
 * takes one sample of every stream, in an order shuffled afresh per cycle. See sampler.c.
 */
#ifndef GNT_SAMPLER_H
#define GNT_SAMPLER_H

#include <stdint.h>
#include <time.h>

#include "stream.h"

/*
 * Bump when the input or the output changes. Version 7 (each lane's state built once in a heap of
 * its own and copied back per replicate) was withdrawn: it changed what was measured (README,
 * "How a verdict is made"); its result files say "7", so the next version is 8.
 */
#define GNTBENCH_NATIVE_VERSION "6"

struct sampler_options {
	double sample_ms;
	int64_t samples;
	double warmup_ms;
	/* Per stream: planted extra work, percent (calibration); 0 for none. */
	const double *planted_percent;
	/* Seeds the order of each cycle and the planted rounding. */
	uint64_t seed;
	clockid_t clock;
	const char *clock_name;
};

/* Print one JSON object with every stream's samples. Returns the exit status (0, 1 or 2). */
int sampler_run(const struct stream *streams, int nstreams, const struct sampler_options *o);

#endif
