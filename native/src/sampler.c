/*
 * Samples of fresh states, interleaved across the strategies of a cell.
 *
 * A replicate is a fresh device state built untimed from the setup, then the measured ops timed.
 * A sample is k replicates, k fixed before the sample from the stream's mean measured time so far
 * so that it holds about sample_ms; its value is measured ns / (k × measured ops).
 *
 * Why interleave. On this kind of machine (a virtual CPU on a shared host) the speed of a process
 * drifts between levels that last hundreds of milliseconds: one fixed stream read 41 ns/op in one
 * stretch and 28 ns/op in the next, in the same process. When every strategy runs in its own
 * process, one after another, each process lands in whatever level the host is in, and that
 * difference goes into every comparison (log-ratio sd between rounds ≈ 12 %). With all the
 * strategies of a round in one process, one sample each per cycle in a freshly shuffled order,
 * a level shift hits every strategy alike and cancels in their ratio (≈ 3 %; README "How a
 * verdict is made"). C has no JIT whose state one strategy could leave for another; what the
 * strategies share is the heap, kept steady (no trimming) and reached in a random order.
 *
 * Why whole samples, not replicates, are interleaved. Version 5 interleaved the replicates too
 * (each strategy's k replicates spread over the cycle) and it made a strategy's time depend on
 * which others shared the round: at N = 64, where a batch lasts ~0.1 ms, the code of eight other
 * strategies ran between two batches of one, and rbtree ÷ Linux's gntdev read −22.0 % in a round
 * of the two alone but +2.8 % in a round of nine (qdisk-map; churn −13.3 % and +26.2 %;
 * results/composition-v5-*.json). With whole samples the same rounds read −20.9 % and −17.6 %
 * (churn −9.6 % and −10.3 %; results/composition-v4-*.json): a strategy meets the others' code
 * only at a sample's edges, which leaves a few points, not twenty-five.
 *
 * Why a lane can hold several streams (version 8). The work of a strategy relative to another
 * varies from one generated stream to the next (sd 3.7–7 % in the ratio for churn, lookup-heavy and
 * qdisk-map at N = 512), and with one stream per round that variation is all in the round's
 * value: the largest part of the between-round spread. With one stream per sample, each a fresh
 * seed shared by every lane, a round averages over as many streams as it has samples. A sample
 * is timed exactly as before: k fresh states of one stream.
 *
 * A planted difference (calibration): each sample of a planted lane runs e extra replicates
 * beyond its nominal k, all timed, while ns/op is still divided by k; e is k·p/100 rounded at
 * random so that E[(k + e)/k] = 1 + p/100 exactly.
 */
#define _POSIX_C_SOURCE 200809L

#include "sampler.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "device-state.h"

/* Replicates per sample at most (a measured part that reads as 0 ns must not loop forever). */
#define MAX_REPLICATES_PER_SAMPLE 10000000

static clockid_t timing_clock = CLOCK_MONOTONIC;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(timing_clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * glibc gives freed memory back to the kernel (heap trimming, and big blocks served by mmap are
 * unmapped at free), so each fresh state could fault its pages in again, some of them inside
 * a timed window. Keep everything mapped once faulted: no trimming, and blocks up to glibc's
 * 32 MiB cap from the heap. Returns what was set, for the JSON.
 */
static const char *steady_heap(void)
{
#if defined(__GLIBC__)
	int no_trim = mallopt(M_TRIM_THRESHOLD, -1);
	int heap_blocks = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	return no_trim && heap_blocks ? "glibc: no trim, mmap threshold 32 MiB" : "glibc: mallopt refused";
#else
	return "libc defaults";
#endif
}

struct counts {
	int64_t ok, failed, skipped;
};

static bool same_work(const struct counts *a, const struct counts *b)
{
	return a->ok == b->ok && a->failed == b->failed && a->skipped == b->skipped;
}

/* One replicate: a fresh state, setup untimed, measured timed. Returns the measured ns. */
static int64_t replicate(const struct stream *s, struct counts *work, bool *setup_ok)
{
	struct device_state st;
	device_state_open(&st, s);
	for (int64_t i = 0; i < s->nsetup; i++)
		applier_apply(&st.applier, &s->setup[i]);
	*setup_ok = st.applier.failed == 0 && st.applier.skipped == 0;
	struct counts before = {st.applier.ok, st.applier.failed, st.applier.skipped};
	const struct op *ops = s->measured;
	int64_t n = s->nmeasured;
	int64_t t0 = now_ns();
	for (int64_t i = 0; i < n; i++)
		applier_apply(&st.applier, &ops[i]);
	int64_t t1 = now_ns();
	work->ok = st.applier.ok - before.ok;
	work->failed = st.applier.failed - before.failed;
	work->skipped = st.applier.skipped - before.skipped;
	device_state_destroy(&st);
	return t1 - t0;
}

/* Replicates for a sample of `target` ns, from the mean measured ns of the replicates so far. */
static int64_t replicates_for(int64_t target, int64_t timed_ns, int64_t timed_reps)
{
	double mean = (double)timed_ns / (double)timed_reps;
	if (!(mean >= 1))
		mean = 1;
	double k = (double)target / mean;
	if (k > MAX_REPLICATES_PER_SAMPLE)
		return MAX_REPLICATES_PER_SAMPLE;
	int64_t n = (int64_t)k;
	if ((double)n < k)
		n++; /* ceil */
	return n < 1 ? 1 : n;
}

/* splitmix64: the cycle orders and the planted rounding. */
static uint64_t rng_state;

static double draw(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static int64_t planted_replicates(double percent, int64_t reps)
{
	if (!(percent > 0))
		return 0;
	double wanted = percent / 100.0 * (double)reps;
	double whole = (double)(int64_t)wanted;
	return (int64_t)whole + (draw() < wanted - whole ? 1 : 0);
}

/* What the sampler keeps per lane: its streams, a reference work per stream, its samples. */
struct lane {
	const struct stream *s; /* streams_per_lane consecutive streams */
	int nstreams;
	double planted_percent;
	struct counts *reference; /* per stream, once its first replicate has run */
	bool *referenced;
	int64_t timed_ns, timed_reps;
	int64_t warm_ns; /* wall time spent warming this lane so far (the reference replicate's) */
	double *values;
	int64_t *reps;
};

/*
 * Warm caches, branch predictors and the heap until warmup_ms of this lane's wall time has passed,
 * counting the reference replicate, which is the first warm replicate: its measured time sizes
 * the first sample (any k gives an unbiased ns/op; sizing only sets a sample's length). A lane
 * whose replicate alone outlasts the warm-up (a list at N = 4096 builds its state in tens of ms)
 * goes straight to its samples; versions 4 and 5 always added two more replicates, three fresh
 * states of which only the reference's work was used: a third of such a lane's time in a round.
 * The warm-up replays the lane's first stream.
 */
static void warm(struct lane *l, double warmup_ms)
{
	struct counts work;
	bool setup_ok;
	int64_t until = now_ns() + (int64_t)(warmup_ms * 1e6) - l->warm_ns;
	while (now_ns() < until) {
		l->timed_ns += replicate(&l->s[0], &work, &setup_ok);
		l->timed_reps++;
	}
}

/*
 * One sample of a lane, replaying its stream index mod nstreams; false when a replicate did other
 * work than that stream's first one. A stream not yet replayed takes its reference from the
 * sample's first replicate, which is timed like the others: the first sample replays the stream
 * whose reference the warm-up fixed, and every later stream's first state is as fresh as any.
 */
static bool sample(struct lane *l, int64_t index, int64_t target)
{
	struct counts work;
	bool setup_ok;
	int which = (int)(index % l->nstreams);
	const struct stream *s = &l->s[which];
	int64_t reps = replicates_for(target, l->timed_ns, l->timed_reps);
	int64_t run = reps + planted_replicates(l->planted_percent, reps);
	int64_t total = 0;
	for (int64_t r = 0; r < run; r++) {
		total += replicate(s, &work, &setup_ok);
		if (!setup_ok)
			return false;
		if (!l->referenced[which]) {
			l->reference[which] = work;
			l->referenced[which] = true;
		} else if (!same_work(&work, &l->reference[which])) {
			return false;
		}
	}
	l->timed_ns += total;
	l->timed_reps += run;
	l->reps[index] = reps;
	l->values[index] = (double)total / ((double)reps * (double)s->nmeasured);
	return true;
}

static void print_counts(const struct counts *c)
{
	printf("{\"ok\":%" PRId64 ",\"failed\":%" PRId64 ",\"skipped\":%" PRId64 "}", c->ok, c->failed, c->skipped);
}

/* Per lane: ops per replicate and reference work of each of its streams, then its samples. */
static void print_json(const struct lane *lanes, int n, const struct sampler_options *o, const char *heap)
{
	printf("{\"engine\":\"native\",\"version\":\"%s\",\"clock\":\"%s\",\"heap\":\"%s\",\"lanes\":[", GNTBENCH_NATIVE_VERSION,
	       o->clock_name, heap);
	for (int i = 0; i < n; i++) {
		const struct lane *l = &lanes[i];
		printf("%s{\"opsPerReplicate\":[", i == 0 ? "" : ",");
		for (int j = 0; j < l->nstreams; j++)
			printf("%s%" PRId64, j == 0 ? "" : ",", l->s[j].nmeasured);
		printf("],\"references\":[");
		for (int j = 0; j < l->nstreams; j++) {
			printf("%s", j == 0 ? "" : ",");
			print_counts(&l->reference[j]);
		}
		printf("],\"samples\":[");
		for (int64_t k = 0; k < o->samples; k++)
			printf("%s%.6f", k == 0 ? "" : ",", l->values[k]);
		printf("],\"replicatesPerSample\":[");
		for (int64_t k = 0; k < o->samples; k++)
			printf("%s%" PRId64, k == 0 ? "" : ",", l->reps[k]);
		printf("]}");
	}
	printf("]}\n");
}

/* Shuffle 0..n-1 into order (Fisher–Yates). */
static void shuffle(int *order, int n)
{
	for (int i = 0; i < n; i++)
		order[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(draw() * (double)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

int sampler_run(const struct stream *streams, int n, const struct sampler_options *o)
{
	timing_clock = o->clock;
	rng_state = 0x9e3779b97f4a7c15u ^ o->seed;
	int per_lane = o->streams_per_lane < 1 ? 1 : o->streams_per_lane;
	for (int i = 0; i < n * per_lane; i++) {
		if (streams[i].nmeasured == 0) {
			fprintf(stderr, "gntbench-native: stream %d has no measured ops to time\n", i + 1);
			return 2;
		}
	}
	if (o->samples < per_lane) {
		fprintf(stderr, "gntbench-native: %d streams per lane but only %" PRId64 " samples: a stream would never be timed\n", per_lane, o->samples);
		return 2;
	}
	const char *heap = steady_heap();
	struct lane *lanes = calloc((size_t)n, sizeof *lanes);
	int *order = calloc((size_t)n, sizeof *order);
	if (lanes == NULL || order == NULL)
		abort();
	int status = 0;
	for (int i = 0; i < n && status == 0; i++) {
		struct lane *l = &lanes[i];
		l->s = &streams[i * per_lane];
		l->nstreams = per_lane;
		l->planted_percent = o->planted_percent[i];
		l->values = calloc((size_t)o->samples, sizeof *l->values);
		l->reps = calloc((size_t)o->samples, sizeof *l->reps);
		l->reference = calloc((size_t)per_lane, sizeof *l->reference);
		l->referenced = calloc((size_t)per_lane, sizeof *l->referenced);
		if (l->values == NULL || l->reps == NULL || l->reference == NULL || l->referenced == NULL)
			abort();
		bool setup_ok;
		int64_t started = now_ns();
		l->timed_ns = replicate(&l->s[0], &l->reference[0], &setup_ok);
		l->referenced[0] = true;
		l->timed_reps = 1;
		l->warm_ns = now_ns() - started;
		if (!setup_ok) {
			fprintf(stderr, "gntbench-native: lane %d: the setup did not fully succeed; nothing to time\n", i + 1);
			status = 1;
		}
	}
	if (status == 0) {
		shuffle(order, n);
		for (int q = 0; q < n; q++)
			warm(&lanes[order[q]], o->warmup_ms);
	}
	int64_t target = (int64_t)(o->sample_ms * 1e6);
	for (int64_t k = 0; k < o->samples && status == 0; k++) {
		/* A fresh order every cycle: no strategy always follows the same other one. */
		shuffle(order, n);
		for (int q = 0; q < n && status == 0; q++) {
			if (!sample(&lanes[order[q]], k, target)) {
				fprintf(stderr, "gntbench-native: lane %d stream %d: a replicate's setup failed or it did different work from the first one\n", order[q] + 1,
				        (int)(k % per_lane) + 1);
				status = 1;
			}
		}
	}
	if (status == 0)
		print_json(lanes, n, o, heap);
	for (int i = 0; i < n; i++) {
		free(lanes[i].values);
		free(lanes[i].reps);
		free(lanes[i].reference);
		free(lanes[i].referenced);
	}
	free(lanes);
	free(order);
	return status;
}
