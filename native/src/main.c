/*
 * gntbench-native: the bookkeeping of the Xen grant device in C, driven by the op streams the TS
 * model replays (src/native/). Two modes:
 *
 *   gntbench-native check [FILE]    replay setup + measured once on one state, checking every
 *                                   structure's invariants after each op; print one line per op:
 *                                   `R result` (`R 0 first pages` for a successful GET_OFFSET),
 *                                   and `S phase <device stats> ok failed skipped` after each part.
 *   gntbench-native time --sample-ms MS --samples N [--warmup-ms MS] [--clock monotonic|raw]
 *                        [--seed S] [--planted-percent P[,P...]] [--streams-per-lane M] [FILE]
 *                                   time the input's lanes (one or more, one per strategy of a
 *                                   cell) in this one process, their samples interleaved in a
 *                                   shuffled order per cycle (sampler.c says how and why); print
 *                                   JSON with ns/op per sample and lane. A lane is M consecutive
 *                                   streams of the input (default 1); sample c replays its
 *                                   stream c mod M.
 *
 * The input comes from FILE or stdin. Exit status: 0 ok, 1 an invariant or integrity check
 * failed, 2 bad usage or a malformed stream.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device-state.h"
#include "sampler.h"

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

static int usage(const char *why)
{
	fprintf(stderr, "gntbench-native: %s (usage: gntbench-native check [FILE] | time --sample-ms MS --samples N [--warmup-ms MS] [--clock monotonic|raw] [--seed S] [--planted-percent P[,P...]] [--streams-per-lane M] [FILE] | --version)\n", why);
	return 2;
}

/* The streams of the input: it holds one or more, each starting with its header line. */
#define MAX_STREAMS 64

static int split_streams(char *text, char **starts)
{
	static const char header[] = "gntbench-native-stream";
	int n = 0;
	starts[n++] = text;
	for (char *p = strchr(text, '\n'); p != NULL; p = strchr(p + 1, '\n')) {
		if (strncmp(p + 1, header, sizeof header - 1) != 0)
			continue;
		if (n == MAX_STREAMS)
			return -1;
		*p = '\0';
		starts[n++] = p + 1;
	}
	return n;
}

/* "P" or "P1,P2,…": one percentage for every lane, or one per lane. */
static bool parse_planted(const char *text, double *out, int *count)
{
	int n = 0;
	const char *p = text;
	for (;;) {
		char *end;
		double v = strtod(p, &end);
		if (end == p || !(v >= 0 && v <= 1000) || n == MAX_STREAMS)
			return false;
		out[n++] = v;
		if (*end == '\0')
			break;
		if (*end != ',')
			return false;
		p = end + 1;
	}
	*count = n;
	return true;
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
	struct sampler_options o = {.warmup_ms = 100, .clock = CLOCK_MONOTONIC, .clock_name = "CLOCK_MONOTONIC"};
	double planted[MAX_STREAMS] = {0};
	int nplanted = 0;
	long long per_lane = 1;
	const char *path = NULL;
	for (int i = 2; i < argc; i++) {
		if (time_mode && i + 1 < argc && strcmp(argv[i], "--sample-ms") == 0) {
			o.sample_ms = strtod(argv[++i], NULL);
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--samples") == 0) {
			o.samples = strtoll(argv[++i], NULL, 10);
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--warmup-ms") == 0) {
			o.warmup_ms = strtod(argv[++i], NULL);
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--clock") == 0) {
			const char *name = argv[++i];
			if (strcmp(name, "raw") == 0) {
#ifdef CLOCK_MONOTONIC_RAW
				o.clock = CLOCK_MONOTONIC_RAW;
				o.clock_name = "CLOCK_MONOTONIC_RAW";
#else
				return usage("--clock raw: this system has no CLOCK_MONOTONIC_RAW");
#endif
			} else if (strcmp(name, "monotonic") != 0) {
				return usage("--clock must be monotonic or raw");
			}
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--planted-percent") == 0) {
			if (!parse_planted(argv[++i], planted, &nplanted))
				return usage("--planted-percent takes percentages from 0 to 1000, comma separated");
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--streams-per-lane") == 0) {
			per_lane = strtoll(argv[++i], NULL, 10);
			if (per_lane < 1 || per_lane > MAX_STREAMS)
				return usage("--streams-per-lane takes an integer from 1 to 64");
		} else if (time_mode && i + 1 < argc && strcmp(argv[i], "--seed") == 0) {
			o.seed = strtoull(argv[++i], NULL, 10);
		} else if (path == NULL && argv[i][0] != '-') {
			path = argv[i];
		} else {
			return usage("unknown argument");
		}
	}
	if (time_mode && (!(o.sample_ms > 0) || o.samples < 1 || o.samples > 100000 || !(o.warmup_ms >= 0)))
		return usage("time needs --sample-ms > 0 and --samples >= 1");
	FILE *f = path == NULL ? stdin : fopen(path, "r");
	if (f == NULL)
		return usage("cannot open the stream file");
	char *text = read_all(f);
	if (f != stdin)
		fclose(f);
	char *starts[MAX_STREAMS];
	int n = split_streams(text, starts);
	if (n < 0 || (!time_mode && n != 1)) {
		free(text);
		return usage(n < 0 ? "more than 64 streams" : "check takes one stream");
	}
	if (n % per_lane != 0) {
		free(text);
		return usage("--streams-per-lane: the input's streams do not divide into lanes of that many");
	}
	int lanes = n / (int)per_lane;
	if (nplanted > 1 && nplanted != lanes) {
		free(text);
		return usage("--planted-percent: give one percentage, or one per lane");
	}
	for (int i = 1; i < lanes; i++)
		planted[i] = nplanted == 1 ? planted[0] : planted[i];
	struct stream streams[MAX_STREAMS];
	int parsed = 0, status = 0;
	for (; parsed < n; parsed++) {
		const char *error = NULL;
		int64_t line = 0;
		if (!stream_parse(starts[parsed], &streams[parsed], &error, &line)) {
			if (n == 1)
				fprintf(stderr, "gntbench-native: stream line %" PRId64 ": %s\n", line, error);
			else
				fprintf(stderr, "gntbench-native: stream %d line %" PRId64 ": %s\n", parsed + 1, line, error);
			status = 2;
			break;
		}
	}
	free(text);
	if (status == 0) {
		o.planted_percent = planted;
		o.streams_per_lane = (int)per_lane;
		status = time_mode ? sampler_run(streams, lanes, &o) : run_check(&streams[0]);
	}
	for (int i = 0; i < parsed; i++)
		stream_free(&streams[i]);
	return status;
}
