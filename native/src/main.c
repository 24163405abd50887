/*
 * gntbench-native: the bookkeeping of the Xen grant device in C, driven by the op streams the TS
 * model replays (src/native/). Two modes:
 *
 *   gntbench-native check [FILE]    replay setup + measured once on one state, checking every
 *                                   structure's invariants after each op; print one line per op:
 *                                   `R result` (`R 0 first pages` for a successful GET_OFFSET),
 *                                   and `S phase <device stats> ok failed skipped` after each part.
 *   gntbench-native time --sample-ms MS --samples N [--warmup-ms MS] [--clock monotonic|raw] [--planted-percent P --planted-seed S] [FILE]
 *                                   per sample: k fresh states, each built untimed from the setup
 *                                   and its measured ops timed (CLOCK_MONOTONIC, or
 *                                   CLOCK_MONOTONIC_RAW with --clock raw), k chosen before the
 *                                   sample so that it holds about MS of measured time; print JSON
 *                                   with ns/op per sample.
 *
 * The time mode keeps the process's heap steady (steady_heap): after the warm-up, replicates
 * reuse memory already faulted in, so no page fault of a fresh heap page lands in a timed window.
 *
 * The stream comes from FILE or stdin. Exit status: 0 ok, 1 an invariant or integrity check
 * failed, 2 bad usage or a malformed stream.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "device-state.h"

#define GNTBENCH_NATIVE_VERSION "3"

static char *read_all(FILE *f)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	if (buf == NULL)
		abort();
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (cap - n - 1 == 0) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (buf == NULL)
				abort();
		}
	}
	buf[n] = '\0';
	return buf;
}

static void print_stats(const char *phase, const struct device_state *st)
{
	struct device_stats s;
	gntdev_stats(&st->device, &s);
	printf("S %s %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64
	       " %" PRId64 " %" PRId64 "\n",
	       phase, s.grefs, s.gmaps, s.vmas, s.pending_cleanup, s.reclaimed, s.notify_cleared_bytes, s.notify_events_sent,
	       s.collisions, st->applier.ok, st->applier.failed, st->applier.skipped);
}

static int replay_checked(struct device_state *st, const struct op *ops, int64_t n, int64_t base)
{
	for (int64_t i = 0; i < n; i++) {
		int64_t r = applier_apply(&st->applier, &ops[i]);
		if (ops[i].kind == OP_GET_OFFSET && r == 0)
			printf("R 0 %" PRId64 " %" PRId64 "\n", st->applier.last_first, st->applier.last_pages);
		else
			printf("R %" PRId64 "\n", r);
		check_result bad = gntdev_check(&st->device);
		if (bad != NULL) {
			printf("E %" PRId64 " %s\n", base + i, bad);
			fprintf(stderr, "gntbench-native: invariant broken after op #%" PRId64 ": %s\n", base + i, bad);
			return 1;
		}
	}
	return 0;
}

static int run_check(const struct stream *s)
{
	struct device_state st;
	device_state_open(&st, s);
	int status = replay_checked(&st, s->setup, s->nsetup, 0);
	if (status == 0) {
		print_stats("setup", &st);
		status = replay_checked(&st, s->measured, s->nmeasured, s->nsetup);
	}
	if (status == 0)
		print_stats("measured", &st);
	device_state_destroy(&st);
	return status;
}

/* The clock of the timed windows: CLOCK_MONOTONIC, or CLOCK_MONOTONIC_RAW (--clock raw: no NTP
 * frequency slewing; a vDSO call on x86 Linux since 5.3, a real system call before). */
static clockid_t timing_clock = CLOCK_MONOTONIC;
static const char *timing_clock_name = "CLOCK_MONOTONIC";

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(timing_clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * glibc gives freed memory back to the kernel (heap trimming, and big blocks served by mmap are
 * unmapped at free), so each fresh state could fault its pages in again, some of them inside
 * a timed window (a MAP's ref copy, a zone chunk, a grown array). Keep everything mapped once
 * faulted: no trimming, and blocks up to glibc's 32 MiB cap from the heap. The same calls happen
 * in the same order; only where the pages come from changes. Returns what was set, for the JSON.
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

/* Warm replicates a sample's size is estimated from, at least (the warm-up may be shorter). */
#define SIZING_REPLICATES 2
/* Replicates per sample at most (a measured part that reads as 0 ns must not loop forever). */
#define MAX_REPLICATES_PER_SAMPLE 10000000

static bool same_work(const struct counts *a, const struct counts *b)
{
	return a->ok == b->ok && a->failed == b->failed && a->skipped == b->skipped;
}

/* Replicates for a sample of `target` ns, from the mean measured ns of the warm replicates so far. */
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

/*
 * A planted difference (calibration): each sample runs e extra replicates beyond its nominal k, all
 * timed, while ns/op is still divided by k. e is k·p/100 rounded at random (floor, plus one with
 * the fraction's probability) so that E[(k + e)/k] = 1 + p/100 exactly; the extra replicates are
 * the same work through the same loop, so the arm differs from A by nothing but the amount.
 */
static uint64_t planted_state = 0x9e3779b97f4a7c15u;

static double planted_draw(void)
{
	/* splitmix64: enough for a rounding decision, seeded from the stream seed by the caller. */
	uint64_t z = (planted_state += 0x9e3779b97f4a7c15u);
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
	return (int64_t)whole + (planted_draw() < wanted - whole ? 1 : 0);
}

static int run_time(const struct stream *s, double sample_ms, int64_t samples, double warmup_ms, double planted_percent)
{
	if (s->nmeasured == 0) {
		fprintf(stderr, "gntbench-native: the stream has no measured ops to time\n");
		return 2;
	}
	const char *heap = steady_heap();
	struct counts reference, work;
	bool setup_ok;
	replicate(s, &reference, &setup_ok);
	if (!setup_ok) {
		fprintf(stderr, "gntbench-native: the setup did not fully succeed; nothing to time\n");
		return 1;
	}
	/*
	 * Warm caches, branch predictors and the heap (its peak is faulted in and then kept) as the
	 * JS engine's warm-up warms its JIT; then at least SIZING_REPLICATES warm replicates, whose
	 * measured time sizes the first sample.
	 */
	int64_t timed_ns = 0, timed_reps = 0;
	int64_t warm_until = now_ns() + (int64_t)(warmup_ms * 1e6);
	while (now_ns() < warm_until || timed_reps < SIZING_REPLICATES) {
		timed_ns += replicate(s, &work, &setup_ok);
		timed_reps++;
	}
	int64_t target = (int64_t)(sample_ms * 1e6);
	printf("{\"engine\":\"native\",\"version\":\"" GNTBENCH_NATIVE_VERSION "\",\"clock\":\"%s\",\"heap\":\"%s\",\"opsPerReplicate\":%" PRId64
	       ",\"reference\":{\"ok\":%" PRId64 ",\"failed\":%" PRId64 ",\"skipped\":%" PRId64 "},\"samples\":[",
	       timing_clock_name, heap, s->nmeasured, reference.ok, reference.failed, reference.skipped);
	int64_t *states = malloc((size_t)samples * sizeof(int64_t));
	if (states == NULL)
		abort();
	for (int64_t k = 0; k < samples; k++) {
		/* k is fixed before the sample starts (from everything timed so far), so when a sample
		 * ends never depends on its own times. */
		int64_t reps = replicates_for(target, timed_ns, timed_reps);
		int64_t run = reps + planted_replicates(planted_percent, reps);
		int64_t total = 0;
		for (int64_t r = 0; r < run; r++) {
			total += replicate(s, &work, &setup_ok);
			if (!setup_ok || !same_work(&work, &reference)) {
				printf("]}\n");
				fprintf(stderr, "gntbench-native: a replicate did different work from the first one\n");
				free(states);
				return 1;
			}
		}
		timed_ns += total;
		timed_reps += run;
		states[k] = reps;
		printf("%s%.6f", k == 0 ? "" : ",", (double)total / ((double)reps * (double)s->nmeasured));
	}
	printf("],\"replicatesPerSample\":[");
	for (int64_t k = 0; k < samples; k++)
		printf("%s%" PRId64, k == 0 ? "" : ",", states[k]);
	printf("]}\n");
	free(states);
	return 0;
}

static int usage(const char *why)
{
	fprintf(stderr, "gntbench-native: %s (usage: gntbench-native check [FILE] | time --sample-ms MS --samples N [--warmup-ms MS] [--clock monotonic|raw] [--planted-percent P --planted-seed S] [FILE] | --version)\n", why);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("gntbench-native %s\n", GNTBENCH_NATIVE_VERSION);
		return 0;
	}
	if (argc < 2)
		return usage("no mode given");
	bool time_mode = strcmp(argv[1], "time") == 0;
	if (!time_mode && strcmp(argv[1], "check") != 0)
		return usage("unknown mode");
	double sample_ms = 0, warmup_ms = 100, planted_percent = 0;
	int64_t samples = 0;
	const char *path = NULL;
	for (int i = 2; i < argc; i++) {
		if (time_mode && i + 1 < argc && strcmp(argv[i], "--sample-ms") == 0) {
			sample_ms = strtod(argv[++i], NULL);
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--samples") == 0) {
			samples = strtoll(argv[++i], NULL, 10);
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--warmup-ms") == 0) {
			warmup_ms = strtod(argv[++i], NULL);
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--clock") == 0) {
			const char *name = argv[++i];
			if (strcmp(name, "raw") == 0) {
#ifdef CLOCK_MONOTONIC_RAW
				timing_clock = CLOCK_MONOTONIC_RAW;
				timing_clock_name = "CLOCK_MONOTONIC_RAW";
#else
				return usage("--clock raw: this system has no CLOCK_MONOTONIC_RAW");
#endif
			} else if (strcmp(name, "monotonic") != 0) {
				return usage("--clock must be monotonic or raw");
			}
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--planted-percent") == 0) {
			planted_percent = strtod(argv[++i], NULL);
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--planted-seed") == 0) {
			planted_state ^= strtoull(argv[++i], NULL, 10);
		} else if (path == NULL && argv[i][0] != '-') {
			path = argv[i];
		} else {
			return usage("unknown argument");
		}
	}
	if (time_mode && (!(sample_ms > 0) || samples < 1 || samples > 100000 || !(warmup_ms >= 0) || !(planted_percent >= 0 && planted_percent <= 1000)))
		return usage("time needs --sample-ms > 0 and --samples >= 1");
	FILE *f = path == NULL ? stdin : fopen(path, "r");
	if (f == NULL)
		return usage("cannot open the stream file");
	char *text = read_all(f);
	if (f != stdin)
		fclose(f);
	struct stream s;
	const char *error = NULL;
	int64_t line = 0;
	if (!stream_parse(text, &s, &error, &line)) {
		fprintf(stderr, "gntbench-native: stream line %" PRId64 ": %s\n", line, error);
		free(text);
		return 2;
	}
	free(text);
	int status = time_mode ? run_time(&s, sample_ms, samples, warmup_ms, planted_percent) : run_check(&s);
	stream_free(&s);
	return status;
}
