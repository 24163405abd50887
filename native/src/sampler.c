/*
 * Samples of copies of one built state, interleaved across the strategies of a cell.
 *
 * A replicate is a fresh copy of the lane's device state, built once per process (setup
 * untimed), then the measured ops timed. A sample is k replicates, k fixed before the sample from
 * the stream's mean measured time so far so that it holds about sample_ms; its value is measured
 * ns / (k × measured ops).
 *
 * Why copies, not rebuilds (version 7). Every replicate must start from the same state, and
 * versions up to 6 rebuilt it from the setup ops each time, untimed. At N = 4096 that rebuild
 * cost five to ten times the timed part (a list's first-fit setup is quadratic): a round of ten
 * strategies took 1.0–1.8 s of which 0.2 s was timed, and the six N = 4096 cells took 60 % of a
 * pass over the suite. Now each lane builds its state once, in the state heap (state-heap.h),
 * snapshots the heap, and copies the snapshot back before each replicate: the same bytes at the
 * same addresses, so the measured ops see exactly the state a rebuild would give, bookkeeping of
 * the heap included, for a memcpy of the state's size. The lanes share the heap's address range;
 * only one lane's state is in it at a time.
 *
 * Why interleave. On this kind of machine (a virtual CPU on a shared host) the speed of a process
 * drifts between levels that last hundreds of milliseconds: one fixed stream read 41 ns/op in one
 * stretch and 28 ns/op in the next, in the same process. When every strategy runs in its own
 * process, one after another, each process lands in whatever level the host is in, and that
 * difference goes into every comparison (log-ratio sd between rounds ≈ 12 %). With all the
 * strategies of a round in one process, one sample each per cycle in a freshly shuffled order,
 * a level shift hits every strategy alike and cancels in their ratio (≈ 3 %; README "How a
 * verdict is made"). C has no JIT whose state one strategy could leave for another.
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
 * A planted difference (calibration): each sample of a planted stream runs e extra replicates
 * beyond its nominal k, all timed, while ns/op is still divided by k; e is k·p/100 rounded at
 * random so that E[(k + e)/k] = 1 + p/100 exactly.
 */
#define _POSIX_C_SOURCE 200809L

#include "sampler.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "device-state.h"
#include "state-heap.h"

/* Replicates per sample at most (a measured part that reads as 0 ns must not loop forever). */
#define MAX_REPLICATES_PER_SAMPLE 10000000

static clockid_t timing_clock = CLOCK_MONOTONIC;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(timing_clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct counts {
	int64_t ok, failed, skipped;
};

static bool same_work(const struct counts *a, const struct counts *b)
{
	return a->ok == b->ok && a->failed == b->failed && a->skipped == b->skipped;
}

/*
 * What the sampler keeps per stream. `state` points into the state heap, at the same address in
 * every lane (each lane's build starts from an empty heap), and is valid only after `snapshot`
 * has been copied back.
 */
struct lane {
	const struct stream *s;
	double planted_percent;
	struct state_heap_snapshot snapshot;
	struct device_state *state;
	struct counts after_setup;
	struct counts reference;
	int64_t timed_ns, timed_reps;
	int64_t warm_ns; /* wall time spent warming this lane so far (build and reference replicate) */
	double *values;
	int64_t *reps;
};

/* Build the lane's state once, setup untimed, and keep a copy. False when the setup failed. */
static bool build(struct lane *l)
{
	state_heap_reset();
	struct device_state *st = state_malloc(sizeof *st);
	device_state_open(st, l->s);
	for (int64_t i = 0; i < l->s->nsetup; i++)
		applier_apply(&st->applier, &l->s->setup[i]);
	l->after_setup = (struct counts){st->applier.ok, st->applier.failed, st->applier.skipped};
	state_heap_snapshot(&l->snapshot);
	l->state = st;
	return st->applier.failed == 0 && st->applier.skipped == 0;
}

/* One replicate: the built state copied back, measured ops timed. Returns the measured ns. */
static int64_t replicate(const struct lane *l, struct counts *work)
{
	state_heap_restore(&l->snapshot);
	struct applier *a = &l->state->applier;
	const struct op *ops = l->s->measured;
	int64_t n = l->s->nmeasured;
	int64_t t0 = now_ns();
	for (int64_t i = 0; i < n; i++)
		applier_apply(a, &ops[i]);
	int64_t t1 = now_ns();
	work->ok = a->ok - l->after_setup.ok;
	work->failed = a->failed - l->after_setup.failed;
	work->skipped = a->skipped - l->after_setup.skipped;
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

/*
 * Warm caches, branch predictors and the heap until warmup_ms of this lane's wall time has passed,
 * counting the build and the reference replicate, which is the first warm replicate: its measured
 * time sizes the first sample (any k gives an unbiased ns/op; sizing only sets a sample's length).
 * A lane whose build alone outlasts the warm-up (a list at N = 4096 builds its state in tens of ms)
 * goes straight to its samples.
 */
static void warm(struct lane *l, double warmup_ms)
{
	struct counts work;
	int64_t until = now_ns() + (int64_t)(warmup_ms * 1e6) - l->warm_ns;
	while (now_ns() < until) {
		l->timed_ns += replicate(l, &work);
		l->timed_reps++;
	}
}

/* One sample of a lane; false when a replicate did other work than the first one. */
static bool sample(struct lane *l, int64_t index, int64_t target)
{
	struct counts work;
	int64_t reps = replicates_for(target, l->timed_ns, l->timed_reps);
	int64_t run = reps + planted_replicates(l->planted_percent, reps);
	int64_t total = 0;
	for (int64_t r = 0; r < run; r++) {
		total += replicate(l, &work);
		if (!same_work(&work, &l->reference))
			return false;
	}
	l->timed_ns += total;
	l->timed_reps += run;
	l->reps[index] = reps;
	l->values[index] = (double)total / ((double)reps * (double)l->s->nmeasured);
	return true;
}

static void print_json(const struct lane *lanes, int n, const struct sampler_options *o)
{
	printf("{\"engine\":\"native\",\"version\":\"%s\",\"clock\":\"%s\",\"heap\":\"%s\",\"streams\":[", GNTBENCH_NATIVE_VERSION,
	       o->clock_name, "state heap: size classes; each lane's built state copied back per replicate");
	for (int i = 0; i < n; i++) {
		const struct lane *l = &lanes[i];
		printf("%s{\"opsPerReplicate\":%" PRId64 ",\"reference\":{\"ok\":%" PRId64 ",\"failed\":%" PRId64 ",\"skipped\":%" PRId64
		       "},\"samples\":[",
		       i == 0 ? "" : ",", l->s->nmeasured, l->reference.ok, l->reference.failed, l->reference.skipped);
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
	if (n < 1)
		return 2;
	for (int i = 0; i < n; i++) {
		if (streams[i].nmeasured == 0) {
			fprintf(stderr, "gntbench-native: stream %d has no measured ops to time\n", i + 1);
			return 2;
		}
	}
	struct lane *lanes = calloc((size_t)n, sizeof *lanes);
	int *order = calloc((size_t)n, sizeof *order);
	if (lanes == NULL || order == NULL)
		abort();
	int status = 0;
	for (int i = 0; i < n && status == 0; i++) {
		struct lane *l = &lanes[i];
		l->s = &streams[i];
		l->planted_percent = o->planted_percent[i];
		l->values = calloc((size_t)o->samples, sizeof *l->values);
		l->reps = calloc((size_t)o->samples, sizeof *l->reps);
		if (l->values == NULL || l->reps == NULL)
			abort();
		int64_t started = now_ns();
		bool setup_ok = build(l);
		l->timed_ns = replicate(l, &l->reference);
		l->timed_reps = 1;
		l->warm_ns = now_ns() - started;
		if (!setup_ok) {
			fprintf(stderr, "gntbench-native: stream %d: the setup did not fully succeed; nothing to time\n", i + 1);
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
				fprintf(stderr, "gntbench-native: stream %d: a replicate did different work from the first one\n", order[q] + 1);
				status = 1;
			}
		}
	}
	if (status == 0)
		print_json(lanes, n, o);
	for (int i = 0; i < n; i++) {
		free(lanes[i].values);
		free(lanes[i].reps);
		state_heap_snapshot_free(&lanes[i].snapshot);
	}
	free(lanes);
	free(order);
	return status;
}
