/*
 * The time mode of gntbench-native: samples of fresh states of one or more lanes. With several
 * lanes (one per strategy of a cell, all in one process) the samples are interleaved: cycle c
 * takes one sample of every lane, in an order shuffled afresh per cycle. A lane holds one stream
 * per distinct sample stream: sample c replays stream c mod streams_per_lane. See sampler.c.
 */
#ifndef GNT_SAMPLER_H
#define GNT_SAMPLER_H

#include <stdint.h>
#include <time.h>

#include "stream.h"

/*
 * Bump when the input or the output changes. Version 7 (each lane's state built once in a heap of
 * its own and copied back per replicate) was withdrawn: it changed what was measured (README,
 * "How a verdict is made"); its result files say "7". Version 8: lanes of several streams (one
 * per sample), a reference per stream.
 */
#define GNTBENCH_NATIVE_VERSION "8"

struct sampler_options {
	double sample_ms;
	int64_t samples;
	double warmup_ms;
	/* Streams per lane: the lane's sample c replays its stream c mod streams_per_lane. */
	int streams_per_lane;
	/* Per lane: planted extra work, percent (calibration); 0 for none. */
	const double *planted_percent;
	/* Seeds the order of each cycle and the planted rounding. */
	uint64_t seed;
	clockid_t clock;
	const char *clock_name;
};

/*
 * Time `nlanes` lanes of o->streams_per_lane consecutive streams each, and print one JSON object
 * with every lane's samples. Returns the exit status (0, 1 or 2).
 */
int sampler_run(const struct stream *streams, int nlanes, const struct sampler_options *o);

#endif
