// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf trace: the kernel's counters every INTERVAL, or each
 * attachment's step events from its "events" ring buffer.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "event.h"
#include "main.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void trace_line(double t, const uint64_t *d,
		       const struct bpf_policy_info *info)
{
	int i;

	if (json_output) {
		jw_init(&jw, stdout, false);
		jw_start_object(&jw);
		jw_double_field(&jw, "time", t);
		for (i = 0; i < NR_KERNEL_COUNTERS; i++)
			jw_uint_field(&jw, kernel_counter_name(i), d[i]);
		jw_string_field(&jw, "policy", info->name);
		jw_string_field(&jw, "state", info->state);
		jw_end_object(&jw);
	} else {
		printf("%8.1f", t);
		for (i = 0; i < NR_KERNEL_COUNTERS; i++)
			printf(" %*llu", i == 2 ? 12 : 8,
			       (unsigned long long)d[i]);
		printf("  %s %s\n", info->name[0] ? info->name : "-",
		       info->state);
	}
	fflush(stdout);
}

static void trace_usage(FILE *out)
{
	fprintf(out,
		"Usage: %s trace [INTERVAL]\n"
		"\n"
		"Stream the writeback steps of every loaded policy (at the root and at\n"
		"each cgroup) until Ctrl-C, one line each: time (s), the cgroup the\n"
		"policy that made the step is attached at, run reason (proactive or\n"
		"pool-limit), step of the run, cgroup id and path, compressed bytes\n"
		"written back and the result: ok, nothing there (-ENOENT) or nothing\n"
		"written (-EAGAIN). With -j, one JSON object per line. Policies loaded,\n"
		"replaced or unloaded meanwhile are followed.\n"
		"\n"
		"A policy without an events map (ZSWAP_BPF_EVENTS_MAP), or none loaded\n"
		"by %s: every INTERVAL seconds (default 1), how much the kernel's\n"
		"counters of policy-driven writeback grew, when they did. Without\n"
		"debugfs there are no counters: it waits for a policy's events.\n"
		"bpf_printk() output of a policy is in\n"
		"/sys/kernel/debug/tracing/trace_pipe.\n",
		bin_name, bin_name);
}

static int parse_interval(int argc, char **argv, double *interval)
{
	char *end;

	if (argc > 1)
		return usage_error("trace", "unexpected argument '%s'",
				   argv[1]);
	if (!argc)
		return 0;
	*interval = strtod(argv[0], &end);
	if (*end || end == argv[0] || *interval < 0.1 || *interval > 3600)
		return usage_error("trace",
				   "bad INTERVAL '%s': seconds, 0.1 to 3600",
				   argv[0]);
	return 0;
}

/* The kernel's counters every @interval s, for policies without events */
static int trace_counters(double interval, struct bpf_policy_info *last,
			  uint64_t *prev)
{
	uint64_t cur[NR_KERNEL_COUNTERS], d[NR_KERNEL_COUNTERS];
	struct bpf_policy_info info;
	struct timespec ts;
	bool changed;
	double t0;
	int i;

	p_note("tracing zswap writeback every %gs, Ctrl-C to stop", interval);
	if (!json_output)
		printf("%8s %8s %8s %12s %8s %8s %8s  %s\n", "TIME", "RUNS",
		       "STEPS", "BYTES", "INVALID", "FALLBACK", "EJECT",
		       "POLICY STATE");
	t0 = now_sec();
	while (!stop) {
		ts.tv_sec = (time_t)interval;
		ts.tv_nsec = (long)((interval - ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
		if (kernel_policy_info(&info) || kernel_counters_read(cur))
			break;
		changed = strcmp(info.name, last->name) ||
			  strcmp(info.state, last->state);
		for (i = 0; i < NR_KERNEL_COUNTERS; i++) {
			d[i] = cur[i] - prev[i];
			changed |= d[i] != 0;
			prev[i] = cur[i];
		}
		if (changed)
			trace_line(now_sec() - t0, d, &info);
		if (strcmp(info.last_exit, last->last_exit) ||
		    strcmp(info.last_exit_reason, last->last_exit_reason))
			p_note("policy exit: %s: %s", info.last_exit,
			       info.last_exit_reason);
		*last = info;
	}
	return 0;
}

/* Attachments a trace follows at most */
#define MAX_TRACE_SRCS 64

/* One attachment's events map (ZSWAP_BPF_EVENTS_MAP), which its policy writes */
struct trace_src {
	struct trace_ctx *tc;
	__u64 cgid; /* its cgroup-<id> pin directory, 0 for the root's */
	__u32 map_id;
	int fd;
};

/* Every attachment's events, read through one ring_buffer */
struct trace_ctx {
	struct ring_buffer *rb;
	struct trace_src srcs[MAX_TRACE_SRCS];
	int nr;
	double t0;
	struct cgid_cache cgs;
};

/* The events map pinned in @dir: an fd, its id into @id; -errno if none */
static int events_open(const char *dir, __u32 *id)
{
	struct bpf_map_info mi = {};
	__u32 len = sizeof(mi);
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/events", dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	if (bpf_map_get_info_by_fd(fd, &mi, &len) ||
	    mi.type != BPF_MAP_TYPE_RINGBUF) {
		close(fd);
		return -EINVAL;
	}
	*id = mi.id;
	return fd;
}

/*
 * The path of cgroup @id. A cgroup made since the last walk costs a new
 * walk, at most one a second: ids of removed cgroups must not cost one each.
 */
static const char *trace_cgroup(struct trace_ctx *tc, __u64 id)
{
	const char *path = cgid_cache_find(&tc->cgs, id);

	if (path || now_sec() - tc->cgs.filled < 1)
		return path;
	cgid_cache_fill(&tc->cgs, cgroup_root());
	tc->cgs.filled = now_sec();
	return cgid_cache_find(&tc->cgs, id);
}

static int on_event(void *ctx, void *data, size_t len)
{
	const struct zswap_bpf_event *e = data;
	struct trace_src *ts = ctx;
	struct trace_ctx *tc = ts->tc;
	/* the root cgroup's id is 1 */
	struct event_src src = { .cgid = ts->cgid ?: 1, .path = "/" };
	double t;

	if (len < sizeof(*e))
		return 0;
	t = e->time_ns / 1e9 - tc->t0;
	/* what the buffer kept from before we started is not live */
	if (t < 0)
		return 0;
	if (ts->cgid)
		src.path = trace_cgroup(tc, ts->cgid);
	event_print(stdout, &src, e, t, trace_cgroup(tc, e->cgid),
		    json_output);
	return 0;
}

static void trace_detach(struct trace_ctx *tc)
{
	int i;

	ring_buffer__free(tc->rb);
	tc->rb = NULL;
	for (i = 0; i < tc->nr; i++)
		close(tc->srcs[i].fd);
	tc->nr = 0;
}

static int src_cmp(const void *a, const void *b)
{
	const struct trace_src *x = a, *y = b;

	return x->cgid < y->cgid ? -1 : x->cgid > y->cgid;
}

/* The attachments' events maps trace_scan() has found so far */
struct scan_ctx {
	struct trace_src *v;
	int nr;
};

/* Add the events map pinned in @dir, for the attachment at @cgid */
static void scan_one(unsigned long long cgid, const char *dir, void *ctx)
{
	struct scan_ctx *sc = ctx;
	__u32 id;
	int fd;

	if (sc->nr == MAX_TRACE_SRCS)
		return;
	fd = events_open(dir, &id);
	if (fd < 0)
		return;
	sc->v[sc->nr++] = (struct trace_src){ .cgid = cgid, .map_id = id,
					      .fd = fd };
}

/* Every attachment's events map now: the root's, then each cgroup-<id> */
static int trace_scan(struct trace_src *v)
{
	struct scan_ctx sc = { .v = v };

	scan_one(0, pin_base_dir(), &sc);
	cgroup_pin_dirs(scan_one, &sc);
	qsort(v, sc.nr, sizeof(*v), src_cmp);
	return sc.nr;
}

static bool same_srcs(const struct trace_src *a, int na,
		      const struct trace_src *b, int nb)
{
	int i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].cgid != b[i].cgid || a[i].map_id != b[i].map_id)
			return false;
	return true;
}

/* Read from the @nr maps of @v, whose fds it takes, instead of the current */
static int trace_attach(struct trace_ctx *tc, struct trace_src *v, int nr)
{
	int i, err = 0;

	trace_detach(tc);
	memcpy(tc->srcs, v, nr * sizeof(*v));
	tc->nr = nr;
	for (i = 0; i < nr && !err; i++) {
		tc->srcs[i].tc = tc;
		if (!tc->rb) {
			tc->rb = ring_buffer__new(v[i].fd, on_event,
						  &tc->srcs[i], NULL);
			err = tc->rb ? 0 : -errno;
		} else {
			err = ring_buffer__add(tc->rb, v[i].fd, on_event,
					       &tc->srcs[i]);
		}
	}
	if (!err)
		return 0;
	p_err("cannot read a policy's events ring buffer: %s",
	      strerror(-err));
	trace_detach(tc);
	return errno_as(err, EXIT_RUNTIME);
}

/* 0 for what a ring_buffer__poll() or __consume() returned, or the error */
static int trace_read_result(int n)
{
	if (n >= 0 || n == -EINTR)
		return 0;
	p_err("reading the events ring buffer: %s", strerror(-n));
	return errno_as(n, EXIT_RUNTIME);
}

/*
 * Read what the buffers hold now. A policy keeps only a few records until
 * a reader has consumed one (zswap_bpf_emit()): the first read opens the
 * flow, so it comes as soon as the buffers are open.
 */
static int trace_drain(struct trace_ctx *tc)
{
	return trace_read_result(tc->rb ? ring_buffer__consume(tc->rb) : 0);
}

/*
 * A load or replace pins a policy's events map, an unload removes the pin:
 * follow them, so that a trace outlives policy changes, at every cgroup.
 */
static int trace_follow(struct trace_ctx *tc)
{
	struct trace_src v[MAX_TRACE_SRCS];
	int i, nr = trace_scan(v);

	if (same_srcs(v, nr, tc->srcs, tc->nr)) {
		for (i = 0; i < nr; i++)
			close(v[i].fd);
		return 0;
	}
	if (!nr)
		p_note("no policy is loaded (no %s/events): waiting for the next",
		       pin_base_dir());
	else
		p_note("following the events of a newly loaded policy (%d attachment%s)",
		       nr, nr == 1 ? "" : "s");
	return trace_attach(tc, v, nr) ?: trace_drain(tc);
}

static int trace_events(struct trace_src *v, int nr)
{
	struct trace_ctx tc = { .t0 = now_sec() };
	double checked = tc.t0;
	int ret, n = 0;

	ret = trace_attach(&tc, v, nr);
	if (ret)
		return ret;
	p_note("tracing the writeback steps of %d attachment%s, Ctrl-C to stop",
	       nr, nr == 1 ? "" : "s");
	if (!json_output)
		event_header(stdout);
	/* first the buffers, which keep little until read; then the paths */
	ret = trace_drain(&tc);
	if (!tc.cgs.filled) {
		cgid_cache_fill(&tc.cgs, cgroup_root());
		tc.cgs.filled = now_sec();
	}
	fflush(stdout);
	while (!stop && !ret) {
		n = 0;
		if (tc.rb)
			n = ring_buffer__poll(tc.rb, 250);
		else
			usleep(250000);
		ret = trace_read_result(n);
		fflush(stdout);
		if (now_sec() - checked >= 1) {
			checked = now_sec();
			ret = ret ?: trace_follow(&tc);
		}
	}
	trace_detach(&tc);
	cgid_cache_free(&tc.cgs);
	return ret;
}

int do_trace(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct trace_src v[MAX_TRACE_SRCS];
	uint64_t prev[NR_KERNEL_COUNTERS];
	struct bpf_policy_info last;
	double interval = 1;
	int nr, err;

	if (is_help(argc, argv)) {
		trace_usage(stdout);
		return EXIT_OK;
	}
	err = parse_interval(argc, argv, &interval);
	err = err ?: kernel_state(&last, prev);
	if (err)
		return exit_code_from_errno(err);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	nr = trace_scan(v);
	/* without debugfs there are no counters: wait for a policy's events */
	if (nr || !have_debugfs)
		return exit_code_from_errno(trace_events(v, nr));
	p_note("no policy events to stream (no %s/events or %s/cgroup-ID/events; a policy built without ZSWAP_BPF_EVENTS_MAP has none): showing the kernel's counters instead",
	       pin_base_dir(), pin_base_dir());
	return exit_code_from_errno(trace_counters(interval, &last, prev));
}
