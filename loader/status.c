// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf status and trace: the attached policy, the kernel's counters
 * (debugfs zswap/bpf_*), the policy's own "stats" map and its "events"
 * ring buffer.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "event.h"
#include "main.h"

const char *const policy_stat_names[] = {
	[ZSWAP_BPF_STAT_SELECTED] = "selected",
	[ZSWAP_BPF_STAT_ENDED] = "ended",
	[ZSWAP_BPF_STAT_BYTES] = "bytes",
	[ZSWAP_BPF_STAT_EMPTY] = "empty",
};

/* debugfs zswap/<file>, and the name status and trace print */
static const struct {
	const char *file;
	const char *name;
} counters[] = {
	{ "bpf_runs", "runs" },
	{ "bpf_steps", "steps" },
	{ "bpf_written_back_bytes", "written_back_bytes" },
	{ "bpf_invalid_choices", "invalid_choices" },
	{ "bpf_refused_choices", "refused_choices" },
	{ "bpf_fallbacks", "fallbacks" },
	{ "bpf_ejections", "ejections" },
};

#define NR_COUNTERS (int)(sizeof(counters) / sizeof(counters[0]))

_Static_assert(NR_COUNTERS == NR_KERNEL_COUNTERS, "update NR_KERNEL_COUNTERS");
#define MAX_STATS 16

/* The pinned link of the policy zswap-bpf loaded */
struct link_state {
	bool pinned;
	__u32 link_id;
	__u32 map_id;
	char map_name[BPF_OBJ_NAME_LEN];
	time_t loaded;
};

/* Sum of the policy's per-CPU "stats" map; -errno if not loaded */
int policy_stats_read(uint64_t *vals, int max, int *nr)
{
	struct bpf_map_info mi = {};
	__u32 len = sizeof(mi), key;
	char path[PATH_MAX];
	int fd, ncpu, i, err = 0;
	uint64_t *percpu;

	pin_path(path, sizeof(path), "stats");
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	ncpu = libbpf_num_possible_cpus();
	if (bpf_map_get_info_by_fd(fd, &mi, &len) || ncpu <= 0 ||
	    mi.type != BPF_MAP_TYPE_PERCPU_ARRAY || mi.value_size != 8) {
		close(fd);
		return -EINVAL;
	}
	percpu = calloc(ncpu, sizeof(*percpu));
	*nr = (int)mi.max_entries < max ? (int)mi.max_entries : max;
	for (key = 0; percpu && (int)key < *nr; key++) {
		vals[key] = 0;
		if (bpf_map_lookup_elem(fd, &key, percpu)) {
			err = -errno;
			break;
		}
		for (i = 0; i < ncpu; i++)
			vals[key] += percpu[i];
	}
	free(percpu);
	close(fd);
	return percpu ? err : -ENOMEM;
}

/* The name of the policy's stat @i: its enum name, or "stat_<i>" */
const char *policy_stat_name(int i, char *buf, size_t len)
{
	if (i < ZSWAP_BPF_STAT_NR)
		return policy_stat_names[i];
	snprintf(buf, len, "stat_%d", i);
	return buf;
}

/* The link pinned in @dir, if any */
static void link_state_read(struct link_state *ls, const char *dir)
{
	struct bpf_link_info li = {};
	struct bpf_map_info mi = {};
	__u32 llen = sizeof(li), mlen = sizeof(mi);
	char path[PATH_MAX];
	struct stat st;
	int lfd, mfd;

	memset(ls, 0, sizeof(*ls));
	snprintf(path, sizeof(path), "%s/link", dir);
	lfd = bpf_obj_get(path);
	if (lfd < 0)
		return;
	ls->pinned = true;
	if (!stat(path, &st))
		ls->loaded = st.st_ctime;
	if (!bpf_link_get_info_by_fd(lfd, &li, &llen)) {
		ls->link_id = li.id;
		ls->map_id = link_info_struct_ops_map_id(&li);
		mfd = bpf_map_get_fd_by_id(ls->map_id);
		if (mfd >= 0 && !bpf_map_get_info_by_fd(mfd, &mi, &mlen))
			snprintf(ls->map_name, sizeof(ls->map_name), "%s",
				 mi.name);
		if (mfd >= 0)
			close(mfd);
	}
	close(lfd);
}

const char *kernel_counter_name(int i)
{
	return counters[i].name;
}

/* The kernel's counters of policy-driven writeback, from debugfs; -errno */
int kernel_counters_read(uint64_t *vals)
{
	char path[PATH_MAX];
	int i, err;

	for (i = 0; i < NR_COUNTERS; i++) {
		snprintf(path, sizeof(path), "%s/%s", debugfs_dir(),
			 counters[i].file);
		err = read_u64(path, &vals[i]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Whether debugfs zswap/bpf_* was read. Without debugfs, status and trace
 * go on with what bpffs has (the pinned links and maps, the ring buffers):
 * the kernel's state and counters show as unavailable.
 */
static bool have_debugfs;


/* The state status and trace show without debugfs */
static void kernel_state_unavailable(struct bpf_policy_info *info,
				     uint64_t *vals)
{
	memset(info, 0, sizeof(*info));
	memset(vals, 0, NR_COUNTERS * sizeof(*vals));
	snprintf(info->state, sizeof(info->state), "unavailable");
	snprintf(info->last_exit, sizeof(info->last_exit), "unavailable");
	have_debugfs = false;
	p_note("note: the kernel's counters, policy state and attachments come from debugfs (%s), which is not there: mount debugfs for them ('mount -t debugfs none /sys/kernel/debug')",
	       debugfs_dir());
}

/*
 * Read the kernel's policy state, explaining a failure: an exit code.
 * A missing bpf_policy is a kernel without the hook if its BTF says so
 * (or, BTF unreadable, if zswap's debugfs directory is there without it);
 * else debugfs is not mounted, which only costs what it shows.
 */
static int kernel_state(struct bpf_policy_info *info, uint64_t *vals)
{
	char path[PATH_MAX];
	struct stat st;
	int err, hook;

	err = kernel_policy_info(info);
	err = err ?: kernel_counters_read(vals);
	have_debugfs = !err;
	if (!err)
		return EXIT_OK;
	if (err == -EACCES || err == -EPERM) {
		p_err("cannot read %s: %s (it needs root)", debugfs_dir(),
		      strerror(-err));
		return EXIT_REFUSED;
	}
	snprintf(path, sizeof(path), "%s/bpf_policy", debugfs_dir());
	if (err != -ENOENT) {
		p_err("cannot read %s: %s", path, strerror(-err));
		return EXIT_RUNTIME;
	}
	hook = kernel_has_hook();
	if (!hook || (hook < 0 && !stat(debugfs_dir(), &st) &&
		      S_ISDIR(st.st_mode))) {
		p_err("%s", NO_HOOK_MSG);
		return EXIT_REFUSED;
	}
	kernel_state_unavailable(info, vals);
	return EXIT_OK;
}

/* "select_memcg=12 step_done=3" as {"select_memcg": 12, "step_done": 3} */
static void slowest_json(const char *text)
{
	char name[32];
	unsigned long long us;
	int n;

	jw_name(&jw, "slowest_call_us");
	jw_start_object(&jw);
	while (sscanf(text, " %31[a-z_]=%llu%n", name, &us, &n) == 2) {
		jw_uint_field(&jw, name, us);
		text += n;
	}
	jw_end_object(&jw);
}

/*
 * The attachments, from debugfs bpf_policy's lines "attachment K=V ...
 * reason=TEXT" (one per attached policy; the reason, free text, ends the
 * line), into @att and @nr_fields. Returns the number of attachments,
 * 0 on a kernel that lists none.
 */
#define MAX_FIELDS 16
struct attach_field {
	char key[32];
	char val[160];
};

static int attachments_read(struct attach_field (*att)[MAX_FIELDS],
			    int *nr_fields, int max)
{
	static char text[16384];
	char path[PATH_MAX];
	const char *line, *next, *p, *eq, *end;
	int n = 0, f;
	size_t len;

	snprintf(path, sizeof(path), "%s/bpf_policy", debugfs_dir());
	if (read_text(path, text, sizeof(text)) < 0)
		return 0;
	for (line = text; line && *line && n < max; line = next) {
		next = strchr(line, '\n');
		end = next ? next : line + strlen(line);
		if (next)
			next++;
		if (strncmp(line, "attachment ", 11))
			continue;
		f = 0;
		for (p = line + 11; p < end && f < MAX_FIELDS; f++) {
			eq = memchr(p, '=', end - p);
			if (!eq)
				break;
			len = eq - p < 31 ? eq - p : 31;
			memcpy(att[n][f].key, p, len);
			att[n][f].key[len] = '\0';
			p = eq + 1;
			eq = strcmp(att[n][f].key, "reason") ?
				     memchr(p, ' ', end - p) : NULL;
			if (!eq)
				eq = end;
			len = eq - p < 159 ? eq - p : 159;
			memcpy(att[n][f].val, p, len);
			att[n][f].val[len] = '\0';
			p = eq + 1;
		}
		nr_fields[n++] = f;
	}
	return n;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

#define MAX_ATTACH 64
static struct attach_field att[MAX_ATTACH][MAX_FIELDS];
static int att_fields[MAX_ATTACH];

static const char *att_get(int i, const char *key)
{
	int f;

	for (f = 0; f < att_fields[i]; f++)
		if (!strcmp(att[i][f].key, key))
			return att[i][f].val;
	return "";
}

static void attachments_json(int nr)
{
	int i, f;

	jw_name(&jw, "attachments");
	jw_start_array(&jw);
	for (i = 0; i < nr; i++) {
		jw_start_object(&jw);
		for (f = 0; f < att_fields[i]; f++) {
			if (all_digits(att[i][f].val) &&
			    strcmp(att[i][f].key, "name"))
				jw_uint_field(&jw, att[i][f].key,
					      strtoull(att[i][f].val, NULL, 10));
			else
				jw_string_field(&jw, att[i][f].key,
						att[i][f].val);
		}
		jw_end_object(&jw);
	}
	jw_end_array(&jw);
}

static void attachments_plain(int nr)
{
	const char *reason;
	int i;

	if (!nr)
		return;
	printf("attachments:\n");
	for (i = 0; i < nr; i++) {
		printf("  %s (cgroup id %s): policy %s, %s\n", att_get(i, "cgroup"),
		       att_get(i, "cgroup_id"), att_get(i, "name"),
		       att_get(i, "state"));
		printf("    runs %s, steps %s, written back %s B, invalid %s, refused %s, fallbacks %s, slowest call %s us\n",
		       att_get(i, "runs"), att_get(i, "steps"),
		       att_get(i, "written_back_bytes"),
		       att_get(i, "invalid_choices"),
		       att_get(i, "refused_choices"), att_get(i, "fallbacks"),
		       att_get(i, "slowest_us"));
		reason = att_get(i, "reason");
		printf("    last exit %s%s%s\n", att_get(i, "exit"),
		       reason[0] ? ": " : "", reason);
	}
}

/*
 * Call @fn with @ctx, the cgroup id and the path of each cgroup-<id> pin
 * directory: an attachment at a cgroup, as load --cgroup makes them
 */
static void cgroup_pin_dirs(void (*fn)(unsigned long long id, const char *dir,
				       void *ctx),
			    void *ctx)
{
	DIR *d = opendir(pin_base_dir());
	char dir[PATH_MAX];
	unsigned long long id;
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (sscanf(de->d_name, "cgroup-%llu", &id) != 1 || !id)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", pin_base_dir(),
			 de->d_name);
		fn(id, dir, ctx);
	}
	if (d)
		closedir(d);
}

/* What pinned_attachments() hands each pinned link to, and counts */
struct pinned_walk {
	void (*fn)(unsigned long long id, const char *cg,
		   const struct link_state *ls);
	struct cgid_cache cgs;
	bool filled;
	int nr;
};

static void pinned_one(unsigned long long id, const char *dir, void *ctx)
{
	struct pinned_walk *w = ctx;
	struct link_state ls;
	const char *cg;

	link_state_read(&ls, dir);
	if (!ls.pinned)
		return;
	if (!w->filled)
		cgid_cache_fill(&w->cgs, cgroup_root());
	w->filled = true;
	cg = cgid_cache_find(&w->cgs, id);
	w->fn(id, cg ? cg : "", &ls);
	w->nr++;
}

/*
 * Without debugfs, the attachments are what bpffs holds: a cgroup-<id>
 * directory with a pinned link for each. @fn gets each one's cgroup id,
 * path ("" if gone) and link. Returns how many there are.
 */
static int pinned_attachments(void (*fn)(unsigned long long id,
					  const char *cg,
					  const struct link_state *ls))
{
	struct pinned_walk w = { .fn = fn };

	cgroup_pin_dirs(pinned_one, &w);
	cgid_cache_free(&w.cgs);
	return w.nr;
}

static void pinned_json(unsigned long long id, const char *cg,
			const struct link_state *ls)
{
	jw_start_object(&jw);
	jw_string_field(&jw, "cgroup", cg);
	jw_uint_field(&jw, "cgroup_id", id);
	jw_string_field(&jw, "name", ls->map_name);
	jw_uint_field(&jw, "link_id", ls->link_id);
	jw_uint_field(&jw, "map_id", ls->map_id);
	jw_end_object(&jw);
}

static void pinned_plain(unsigned long long id, const char *cg,
			 const struct link_state *ls)
{
	printf("  %s (cgroup id %llu): policy %s (link id %u, map id %u)\n",
	       cg[0] ? cg : "(removed)", id, ls->map_name, ls->link_id,
	       ls->map_id);
}

static void status_json(const struct bpf_policy_info *info,
			const struct link_state *ls, const uint64_t *vals,
			const uint64_t *pstats, int nr_pstats)
{
	char buf[32], path[PATH_MAX];
	int i;

	jw_init(&jw, stdout, opts.pretty);
	jw_start_object(&jw);
	jw_name(&jw, "policy");
	if (info->name[0])
		jw_string(&jw, info->name);
	else
		jw_null(&jw);
	jw_string_field(&jw, "state", info->state);
	jw_string_field(&jw, "last_exit", info->last_exit);
	jw_string_field(&jw, "last_exit_reason", info->last_exit_reason);
	slowest_json(info->slowest_us);
	jw_name(&jw, "link");
	if (ls->pinned) {
		pin_path(path, sizeof(path), "link");
		jw_start_object(&jw);
		jw_uint_field(&jw, "id", ls->link_id);
		jw_uint_field(&jw, "map_id", ls->map_id);
		jw_string_field(&jw, "map_name", ls->map_name);
		jw_string_field(&jw, "pinned", path);
		jw_int_field(&jw, "loaded_at", ls->loaded);
		jw_end_object(&jw);
	} else {
		jw_null(&jw);
	}
	jw_name(&jw, "kernel");
	if (have_debugfs) {
		jw_start_object(&jw);
		for (i = 0; i < NR_COUNTERS; i++)
			jw_uint_field(&jw, counters[i].name, vals[i]);
		jw_end_object(&jw);
	} else {
		jw_null(&jw);
	}
	jw_bool_field(&jw, "debugfs", have_debugfs);
	jw_name(&jw, "policy_stats");
	if (nr_pstats >= 0) {
		jw_start_object(&jw);
		for (i = 0; i < nr_pstats; i++)
			jw_uint_field(&jw,
				      policy_stat_name(i, buf, sizeof(buf)),
				      pstats[i]);
		jw_end_object(&jw);
	} else {
		jw_null(&jw);
	}
	if (have_debugfs) {
		attachments_json(attachments_read(att, att_fields, MAX_ATTACH));
	} else {
		jw_name(&jw, "attachments");
		jw_start_array(&jw);
		pinned_attachments(pinned_json);
		jw_end_array(&jw);
	}
	jw_end_object(&jw);
}

static void status_plain(const struct bpf_policy_info *info,
			 const struct link_state *ls, const uint64_t *vals,
			 const uint64_t *pstats, int nr_pstats)
{
	char buf[32], when[64];
	int i;

	printf("policy     %s\n", info->name[0] ? info->name : "(none)");
	printf("state      %s\n", info->state);
	if (ls->pinned) {
		strftime(when, sizeof(when), "%F %T", localtime(&ls->loaded));
		printf("loaded     %s by %s (link id %u, map id %u %s)\n", when,
		       bin_name, ls->link_id, ls->map_id, ls->map_name);
	} else if (info->name[0]) {
		printf("loaded     not by %s (no pin under %s)\n", bin_name,
		       pin_dir());
	}
	if (info->slowest_us[0])
		printf("slowest    %s (us, each callback's slowest call)\n",
		       info->slowest_us);
	printf("last exit  %s%s%s\n", info->last_exit,
	       info->last_exit_reason[0] ? ": " : "", info->last_exit_reason);
	if (!strcmp(info->state, "ejected"))
		printf("note       the kernel ejected %s for the reason above and writes back\n"
		       "           round-robin; it stays attached until '%s unload' or\n"
		       "           '%s load --replace POLICY'\n",
		       info->name[0] ? info->name : "the policy", bin_name,
		       bin_name);
	if (!have_debugfs) {
		printf("attachments at cgroups (pinned under %s):\n",
		       pin_base_dir());
		if (!pinned_attachments(pinned_plain))
			printf("  none\n");
		printf("kernel counters: unavailable (no debugfs)\n");
	} else {
		attachments_plain(attachments_read(att, att_fields, MAX_ATTACH));
		printf("kernel counters:\n");
	}
	for (i = 0; have_debugfs && i < NR_COUNTERS; i++)
		printf("  %-20s %llu\n", counters[i].name,
		       (unsigned long long)vals[i]);
	if (nr_pstats < 0)
		return;
	printf("policy stats:\n");
	for (i = 0; i < nr_pstats; i++)
		printf("  %-20s %llu\n", policy_stat_name(i, buf, sizeof(buf)),
		       (unsigned long long)pstats[i]);
}

int do_status(int argc, char **argv)
{
	uint64_t vals[NR_COUNTERS], pstats[MAX_STATS];
	struct bpf_policy_info info;
	struct link_state ls;
	int ret, nr = -1;

	if (is_help(argc, argv)) {
		printf("Usage: %s status\n\nThe root cgroup's policy, how the last policy stopped, every\nattachment (cgroup, policy, state, counters, last exit), the kernel's\ncounters of policy-driven writeback and the root policy's own stats.\n",
		       bin_name);
		return EXIT_OK;
	}
	if (argc)
		return usage_error("status", "unexpected argument '%s'",
				   argv[0]);
	ret = kernel_state(&info, vals);
	if (ret)
		return ret;
	link_state_read(&ls, pin_dir());
	/* without debugfs, the pinned link names the policy */
	if (!have_debugfs && ls.pinned)
		snprintf(info.name, sizeof(info.name), "%s", ls.map_name);
	if (policy_stats_read(pstats, MAX_STATS, &nr))
		nr = -1;
	if (json_output)
		status_json(&info, &ls, vals, pstats, nr);
	else
		status_plain(&info, &ls, vals, pstats, nr);
	return EXIT_OK;
}

/* --- trace ------------------------------------------------------------- */

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
		for (i = 0; i < NR_COUNTERS; i++)
			jw_uint_field(&jw, counters[i].name, d[i]);
		jw_string_field(&jw, "policy", info->name);
		jw_string_field(&jw, "state", info->state);
		jw_end_object(&jw);
	} else {
		printf("%8.1f", t);
		for (i = 0; i < NR_COUNTERS; i++)
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
		return EXIT_OK;
	*interval = strtod(argv[0], &end);
	if (*end || end == argv[0] || *interval < 0.1 || *interval > 3600)
		return usage_error("trace",
				   "bad INTERVAL '%s': seconds, 0.1 to 3600",
				   argv[0]);
	return EXIT_OK;
}

/* The kernel's counters every @interval s, for policies without events */
static int trace_counters(double interval, struct bpf_policy_info *last,
			  uint64_t *prev)
{
	uint64_t cur[NR_COUNTERS], d[NR_COUNTERS];
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
		for (i = 0; i < NR_COUNTERS; i++) {
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
	return EXIT_OK;
}

/* Attachments a trace follows at most */
#define MAX_TRACE_SRCS 64

/* One attachment's events map (ZSWAP_BPF_EVENTS_MAP), which step_done writes */
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
		return EXIT_OK;
	p_err("cannot read a policy's events ring buffer: %s",
	      strerror(-err));
	trace_detach(tc);
	return EXIT_RUNTIME;
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
		return EXIT_OK;
	}
	if (!nr)
		p_note("no policy is loaded (no %s/events): waiting for the next",
		       pin_base_dir());
	else
		p_note("following the events of a newly loaded policy (%d attachment%s)",
		       nr, nr == 1 ? "" : "s");
	return trace_attach(tc, v, nr);
}

static int trace_events(struct trace_src *v, int nr)
{
	struct trace_ctx tc = { .t0 = now_sec() };
	double checked = tc.t0;
	int ret, n = 0;

	ret = trace_attach(&tc, v, nr);
	if (ret)
		return ret;
	cgid_cache_fill(&tc.cgs, cgroup_root());
	tc.cgs.filled = now_sec();
	p_note("tracing the writeback steps of %d attachment%s, Ctrl-C to stop",
	       nr, nr == 1 ? "" : "s");
	if (!json_output)
		event_header(stdout);
	fflush(stdout);
	while (!stop && !ret) {
		n = 0;
		if (tc.rb)
			n = ring_buffer__poll(tc.rb, 250);
		else
			usleep(250000);
		if (n < 0 && n != -EINTR) {
			p_err("reading the events ring buffer: %s",
			      strerror(-n));
			ret = EXIT_RUNTIME;
		}
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
	uint64_t prev[NR_COUNTERS];
	struct bpf_policy_info last;
	double interval = 1;
	int nr, ret;

	if (is_help(argc, argv)) {
		trace_usage(stdout);
		return EXIT_OK;
	}
	ret = parse_interval(argc, argv, &interval);
	ret = ret ?: kernel_state(&last, prev);
	if (ret)
		return ret;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	nr = trace_scan(v);
	/* without debugfs there are no counters: wait for a policy's events */
	if (nr || !have_debugfs)
		return trace_events(v, nr);
	p_note("no policy events to stream (no %s/events or %s/cgroup-ID/events; a policy built without ZSWAP_BPF_EVENTS_MAP has none): showing the kernel's counters instead",
	       pin_base_dir(), pin_base_dir());
	return trace_counters(interval, &last, prev);
}
