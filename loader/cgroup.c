// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf reclaim and stats: proactive writeback through memory.reclaim
 * "SIZE source=zswap", and the zswap counters of a cgroup subtree.
 *
 * memory.stat is flushed lazily: a small change can take up to ~2 s to show,
 * so the bytes reported right after a writeback can fall short.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "main.h"

#define MAX_STATS 16

enum {
	MS_ZSWAP, /* compressed bytes */
	MS_ZSWAPPED, /* pages */
	MS_ZSWPIN,
	MS_ZSWPOUT,
	MS_ZSWPWB,
	MS_PROACTIVE, /* zswpwb_proactive_b, compressed bytes */
	MS_NR,
};

static const char *const ms_keys[MS_NR] = {
	"zswap",   "zswapped", "zswpin",
	"zswpout", "zswpwb",   "zswpwb_proactive_b",
};

/* One memcg of a subtree */
struct memcg_row {
	char path[PATH_MAX];
	unsigned long long id;
	uint64_t v[MS_NR];
	bool found[MS_NR];
	int writeback; /* memory.zswap.writeback; -1 if none */
	int parent; /* index in the table; -1 for the top */
};

struct memcg_table {
	struct memcg_row *rows;
	int nr, cap;
};

static int memcg_read(const char *path, int parent, struct memcg_table *tb)
{
	char file[PATH_MAX + 32], text[8192];
	struct memcg_row *r;
	struct stat st;
	uint64_t wb;

	snprintf(file, sizeof(file), "%s/memory.stat", path);
	if (read_text(file, text, sizeof(text)) < 0 || stat(path, &st))
		return -1;
	if (tb->nr == tb->cap) {
		tb->cap = tb->cap ? 2 * tb->cap : 16;
		r = realloc(tb->rows, tb->cap * sizeof(*r));
		if (!r)
			return -1;
		tb->rows = r;
	}
	r = &tb->rows[tb->nr];
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->id = st.st_ino;
	r->parent = parent;
	memstat_parse(text, ms_keys, MS_NR, r->v, r->found);
	snprintf(file, sizeof(file), "%s/memory.zswap.writeback", path);
	r->writeback = read_u64(file, &wb) ? -1 : (int)wb;
	return tb->nr++;
}

/* @path and its descendants with a memory controller, in pre-order */
static void memcg_walk(const char *path, int parent, struct memcg_table *tb)
{
	char child[PATH_MAX];
	struct dirent **ents;
	int i, n, self;

	self = memcg_read(path, parent, tb);
	if (self < 0)
		return;
	n = scandir(path, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_type == DT_DIR && ents[i]->d_name[0] != '.' &&
		    snprintf(child, sizeof(child), "%s/%s", path,
			     ents[i]->d_name) < (int)sizeof(child))
			memcg_walk(child, self, tb);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/*
 * The cgroup directory CGROUP names, checked: an exit code. A missing
 * directory, or one without memory.@file, is a usage error.
 */
static int cgroup_arg(const char *cmd, const char *arg, char *path, size_t len,
		      const char *file)
{
	char f[PATH_MAX + 32];
	struct stat st;

	if (cgroup_resolve(cgroup_root(), arg, path, len))
		return usage_error(
			cmd,
			"bad CGROUP '%s': a path, absolute or under %s, without '..'",
			arg, cgroup_root());
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		p_err("cgroup '%s' does not exist (no directory %s)", arg,
		      path);
		return EXIT_USAGE;
	}
	snprintf(f, sizeof(f), "%s/%s", path, file);
	if (access(f, F_OK)) {
		p_err("cgroup '%s' has no memory controller (no %s): enable it with 'echo +memory > PARENT/cgroup.subtree_control'",
		      arg, f);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * The cgroup a policy attaches at, for load and unload --cgroup: sets the
 * attachment (attach_cgroup_set()) and opens the directory, in *@fd, for
 * the link's target. The root cgroup is no target (*@fd = -1), so that its
 * attachment keeps the pins of a system-wide one. An exit code.
 */
int attach_cgroup_arg(const char *cmd, const char *arg, int *fd)
{
	struct stat st, root;
	char path[PATH_MAX];
	int ret;

	*fd = -1;
	ret = cgroup_arg(cmd, arg, path, sizeof(path), "memory.stat");
	if (ret)
		return ret;
	if (stat(cgroup_root(), &root)) {
		p_err("cannot read %s: %s", cgroup_root(), strerror(errno));
		return EXIT_RUNTIME;
	}
	*fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st)) {
		p_err("cannot open cgroup '%s' (%s): %s", arg, path,
		      strerror(errno));
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return EXIT_RUNTIME;
	}
	if (st.st_ino == root.st_ino && st.st_dev == root.st_dev) {
		close(*fd);
		*fd = -1;
		return EXIT_OK;
	}
	/* a cgroup's id is its directory's inode number */
	attach_cgroup_set(st.st_ino);
	attach_cgroup_opt_set(arg);
	return EXIT_OK;
}

/*
 * Whether the cgroup @arg names a well-formed path whose directory does not
 * exist (removed, or never created): unload --if-loaded's "nothing loaded
 * there", since the kernel detaches a cgroup's policy with the cgroup.
 */
bool cgroup_gone(const char *arg)
{
	char path[PATH_MAX];
	struct stat st;

	return !cgroup_resolve(cgroup_root(), arg, path, sizeof(path)) &&
	       stat(path, &st) && errno == ENOENT;
}

/* --- reclaim ----------------------------------------------------------- */

/*
 * A Ctrl-C must stop reclaim's write to memory.reclaim whenever it comes
 * after the handler is set. In the write, the kernel ends it with EINTR
 * (no SA_RESTART). Before it -- after sigaction(), before write(2) has
 * looked up its fd -- a flag checked first would leave a window between
 * the check and the syscall, and write(2) has no pselect()-like form. So
 * the handler closes the window itself: it dup2()s a read-only fd over
 * memory.reclaim's, and a write not yet started fails at once with EBADF
 * (a started one holds its file and gets EINTR). @interrupted then tells
 * the two failures apart: there is no window at all.
 */
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t reclaim_fd = -1;
static volatile sig_atomic_t dud_fd = -1;

static void on_sigint(int sig)
{
	int saved = errno;

	(void)sig;
	interrupted = 1;
	if (reclaim_fd >= 0 && dud_fd >= 0)
		dup2(dud_fd, reclaim_fd);
	errno = saved;
}

/* write(2) @cmd to @fd, which SIGINT turns to a dud; 0 or -errno */
static int reclaim_write_fd(int fd, const char *cmd, int len)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	int err = 0;

	interrupted = 0;
	reclaim_fd = fd;
	/* no SA_RESTART: Ctrl-C makes the write return EINTR */
	sigaction(SIGINT, &sa, &old);
	if (write(fd, cmd, len) < 0)
		err = -errno;
	sigaction(SIGINT, &old, NULL);
	reclaim_fd = -1;
	/* a write that completed stands; a failed one was interrupted */
	return err && interrupted ? -EINTR : err;
}

/* Write "@bytes source=zswap" to @path/memory.reclaim: 0 or -errno */
static int reclaim_write(const char *path, uint64_t bytes)
{
	char file[PATH_MAX + 32], cmd[64];
	int fd, len, err;

	snprintf(file, sizeof(file), "%s/memory.reclaim", path);
	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dud_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (dud_fd < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	len = snprintf(cmd, sizeof(cmd), "%llu source=zswap",
		       (unsigned long long)bytes);
	err = reclaim_write_fd(fd, cmd, len);
	close(dud_fd);
	dud_fd = -1;
	close(fd);
	return err;
}

/* The nearest of @path and its ancestors with memory.zswap.writeback 0 */
static bool writeback_disabled_at(const char *path, char *where, size_t len)
{
	char dir[PATH_MAX], f[PATH_MAX + 32], *slash;
	size_t root_len = strlen(cgroup_root());
	uint64_t v;

	snprintf(dir, sizeof(dir), "%s", path);
	while (strlen(dir) >= root_len) {
		snprintf(f, sizeof(f), "%s/memory.zswap.writeback", dir);
		if (!read_u64(f, &v) && !v) {
			snprintf(where, len, "%s", f);
			return true;
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	return false;
}

/* Explain EINVAL from memory.reclaim; returns EXIT_REFUSED */
static int reclaim_refused(const char *path, bool has_counter)
{
	char where[PATH_MAX + 32];

	if (!has_counter)
		p_err("the kernel refused 'source=zswap' (EINVAL): it has no proactive zswap writeback; boot the kernel built from kernel-patches/ (make kernel)");
	else if (writeback_disabled_at(path, where, sizeof(where)))
		p_err("the kernel refused (EINVAL): zswap writeback is disabled for %s by %s = 0; enable it with 'echo 1 > %s'",
		      path, where, where);
	else
		p_err("the kernel refused '... source=zswap' for %s (EINVAL)",
		      path);
	return EXIT_REFUSED;
}

static const char *reclaim_result(int err)
{
	switch (err) {
	case 0:
		return "met";
	case -EAGAIN:
		return "partial";
	case -EINTR:
		return "interrupted";
	default:
		return "failed";
	}
}

/* Bytes each memcg itself gave: its delta less its children's */
static void reclaim_local(const struct memcg_table *a,
			  const struct memcg_table *b, int64_t *local)
{
	int i, p;

	for (i = 0; i < b->nr; i++)
		local[i] = 0;
	for (i = 0; i < b->nr && i < a->nr; i++) {
		int64_t d =
			b->rows[i].v[MS_PROACTIVE] - a->rows[i].v[MS_PROACTIVE];

		local[i] += d;
		p = b->rows[i].parent;
		if (p >= 0)
			local[p] -= d;
	}
}

static void reclaim_print(const char *path, uint64_t req, int err, double secs,
			  const struct memcg_table *a,
			  const struct memcg_table *b)
{
	uint64_t done = b->rows[0].v[MS_PROACTIVE] - a->rows[0].v[MS_PROACTIVE];
	int64_t *local = calloc(b->nr, sizeof(*local));
	char rq[32], dn[32], by[32];
	int i, shown = 0;

	/* same walk twice: a memcg created in between breaks the pairing */
	if (local && a->nr == b->nr)
		reclaim_local(a, b, local);
	format_bytes(req, rq, sizeof(rq));
	format_bytes(done, dn, sizeof(dn));
	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_start_object(&jw);
		jw_string_field(&jw, "cgroup", path);
		jw_uint_field(&jw, "requested_bytes", req);
		jw_uint_field(&jw, "written_back_bytes", done);
		jw_string_field(&jw, "result", reclaim_result(err));
		jw_double_field(&jw, "elapsed_s", secs);
		jw_name(&jw, "from");
		jw_start_array(&jw);
	} else {
		printf("%s: requested %s, written back %s (%s) in %.3f s\n",
		       path, rq, dn, reclaim_result(err), secs);
	}
	for (i = 0; local && i < b->nr && a->nr == b->nr; i++) {
		if (local[i] <= 0)
			continue;
		if (json_output) {
			jw_start_object(&jw);
			jw_string_field(&jw, "cgroup", b->rows[i].path);
			jw_uint_field(&jw, "id", b->rows[i].id);
			jw_uint_field(&jw, "bytes", local[i]);
			jw_end_object(&jw);
			continue;
		}
		format_bytes(local[i], by, sizeof(by));
		printf("%s %s %s", shown++ ? "," : "  from", b->rows[i].path,
		       by);
	}
	if (json_output) {
		jw_end_array(&jw);
		jw_end_object(&jw);
	} else {
		if (shown)
			printf("\n");
		printf("  (memory.stat is flushed lazily: small amounts can show up to ~2 s late)\n");
	}
	free(local);
}

static void reclaim_usage(FILE *out)
{
	fprintf(out,
		"Usage: %s reclaim CGROUP SIZE\n"
		"\n"
		"       CGROUP := { /sys/fs/cgroup/PATH | PATH relative to /sys/fs/cgroup }\n"
		"       SIZE   := BYTES[K|M|G|T]\n"
		"\n"
		"Write back up to SIZE bytes of compressed zswap data of the CGROUP\n"
		"subtree to swap (memory.reclaim \"SIZE source=zswap\"), and report what\n"
		"was written back (memory.stat zswpwb_proactive_b) and where from.\n"
		"Exit status: 0 budget met, 4 less written (EAGAIN), 3 refused (EINVAL),\n"
		"5 interrupted (EINTR), 2 usage error, 1 other error.\n",
		bin_name);
}

int do_reclaim(int argc, char **argv)
{
	struct memcg_table before = {}, after = {};
	char path[PATH_MAX];
	uint64_t bytes;
	double t0, secs;
	int ret, err;

	if (is_help(argc, argv)) {
		reclaim_usage(stdout);
		return EXIT_OK;
	}
	if (argc != 2)
		return usage_error("reclaim", "reclaim needs CGROUP and SIZE");
	err = parse_size(argv[1], &bytes);
	if (err)
		return usage_error(
			"reclaim", "bad SIZE '%s': %s", argv[1],
			err == -ERANGE ?
				"too large" :
				"expected bytes with an optional K, M, G or T suffix, e.g. 64M");
	ret = cgroup_arg("reclaim", argv[0], path, sizeof(path),
			 "memory.reclaim");
	if (ret)
		return ret;
	memcg_walk(path, -1, &before);
	t0 = now_sec();
	err = reclaim_write(path, bytes);
	secs = now_sec() - t0;
	if (err == -EINVAL) {
		ret = reclaim_refused(
			path, before.nr && before.rows[0].found[MS_PROACTIVE]);
	} else if (err && err != -EAGAIN && err != -EINTR) {
		p_err("writing %s/memory.reclaim: %s", path, strerror(-err));
		ret = exit_code_from_errno(err);
	} else {
		memcg_walk(path, -1, &after);
		if (before.nr && after.nr)
			reclaim_print(path, bytes, err, secs, &before, &after);
		ret = exit_code_from_errno(err);
	}
	free(before.rows);
	free(after.rows);
	return ret;
}

/* --- stats ------------------------------------------------------------- */

static void stats_row_json(const struct memcg_row *r)
{
	int i;

	jw_start_object(&jw);
	jw_string_field(&jw, "cgroup", cgroup_rel(cgroup_root(), r->path));
	jw_uint_field(&jw, "id", r->id);
	for (i = 0; i < MS_NR; i++) {
		jw_name(&jw, ms_keys[i]);
		if (r->found[i])
			jw_uint(&jw, r->v[i]);
		else
			jw_null(&jw);
	}
	jw_name(&jw, "writeback");
	if (r->writeback >= 0)
		jw_bool(&jw, r->writeback);
	else
		jw_null(&jw);
	jw_end_object(&jw);
}

static void stats_row_plain(const struct memcg_row *r)
{
	char z[32], p[32];

	format_bytes(r->v[MS_ZSWAP], z, sizeof(z));
	format_bytes(r->v[MS_PROACTIVE], p, sizeof(p));
	printf("%-24s %8llu %10s %9llu %9llu %9llu %9llu %10s %3s\n",
	       cgroup_rel(cgroup_root(), r->path), r->id, z,
	       (unsigned long long)r->v[MS_ZSWAPPED],
	       (unsigned long long)r->v[MS_ZSWPIN],
	       (unsigned long long)r->v[MS_ZSWPOUT],
	       (unsigned long long)r->v[MS_ZSWPWB],
	       r->found[MS_PROACTIVE] ? p : "-",
	       r->writeback < 0 ? "-" :
	       r->writeback	? "on" :
				  "off");
}

static const struct {
	const char *name, *type, *help;
} prom_metrics[MS_NR] = {
	{ "zswap_bpf_zswap_bytes", "gauge",
	  "Compressed bytes in zswap (memory.stat zswap)" },
	{ "zswap_bpf_zswapped_pages", "gauge",
	  "Pages stored in zswap (memory.stat zswapped)" },
	{ "zswap_bpf_zswpin_total", "counter",
	  "Pages loaded from zswap (memory.stat zswpin)" },
	{ "zswap_bpf_zswpout_total", "counter",
	  "Pages stored to zswap (memory.stat zswpout)" },
	{ "zswap_bpf_zswpwb_total", "counter",
	  "Pages written back from zswap to swap (memory.stat zswpwb)" },
	{ "zswap_bpf_proactive_written_back_bytes_total", "counter",
	  "Compressed bytes written back by memory.reclaim source=zswap" },
};

/*
 * A label value of the text exposition format: quoted, with only backslash,
 * double quote and newline escaped. JSON's escapes (\t, \u0009) are parse
 * errors there, and any delegated user can name a cgroup with a tab.
 */
static void prom_quote(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			printf("\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
	putchar('"');
}

static void prom_header(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void prom_memcgs(const struct memcg_table *tb)
{
	int i, m;

	for (m = 0; m < MS_NR; m++) {
		prom_header(prom_metrics[m].name, prom_metrics[m].type,
			    prom_metrics[m].help);
		for (i = 0; i < tb->nr; i++) {
			if (!tb->rows[i].found[m])
				continue;
			printf("%s{cgroup=", prom_metrics[m].name);
			prom_quote(cgroup_rel(cgroup_root(), tb->rows[i].path));
			printf(",id=\"%llu\"} %llu\n", tb->rows[i].id,
			       (unsigned long long)tb->rows[i].v[m]);
		}
	}
}

/* The policy's stats map: one counter each, labelled with the policy */
static const struct {
	const char *name, *help;
} prom_policy_stats[ZSWAP_BPF_STAT_NR] = {
	[ZSWAP_BPF_STAT_SELECTED] = { "zswap_bpf_policy_selected_total",
				      "Memcgs the policy chose" },
	[ZSWAP_BPF_STAT_ENDED] = { "zswap_bpf_policy_ended_total",
				   "Writeback runs the policy ended" },
	[ZSWAP_BPF_STAT_BYTES] = { "zswap_bpf_policy_written_back_bytes_total",
				   "Compressed bytes written back in the policy's steps" },
	[ZSWAP_BPF_STAT_EMPTY] = { "zswap_bpf_policy_empty_steps_total",
				   "Steps on memcgs with nothing to write back" },
};

static void prom_policy(const char *policy, const uint64_t *ps, int nr_ps)
{
	char buf[32];
	int i;

	for (i = 0; i < nr_ps; i++) {
		if (i < ZSWAP_BPF_STAT_NR) {
			prom_header(prom_policy_stats[i].name, "counter",
				    prom_policy_stats[i].help);
			printf("%s{policy=", prom_policy_stats[i].name);
		} else {
			if (i == ZSWAP_BPF_STAT_NR)
				prom_header(
					"zswap_bpf_policy_stat_total",
					"counter",
					"The policy's own stats past the common ones");
			printf("zswap_bpf_policy_stat_total{stat=\"%s\",policy=",
			       policy_stat_name(i, buf, sizeof(buf)));
		}
		prom_quote(policy);
		printf("} %llu\n", (unsigned long long)ps[i]);
	}
}

/* Each callback's slowest call since the policy was attached (debugfs) */
static void prom_slowest(const struct bpf_policy_info *info)
{
	const char *text = info->slowest_us;
	unsigned long long us;
	char cb[32];
	int n;

	if (!info->name[0] || !text[0])
		return;
	prom_header("zswap_bpf_policy_slowest_call_us", "gauge",
		    "The slowest call of each callback of the attached policy, in microseconds");
	while (sscanf(text, " %31[a-z_]=%llu%n", cb, &us, &n) == 2) {
		printf("zswap_bpf_policy_slowest_call_us{policy=");
		prom_quote(info->name);
		printf(",callback=\"%s\"} %llu\n", cb, us);
		text += n;
	}
}

/*
 * The kernel's side: which state the policy is in (one series per state,
 * 1 for the current one, to alert on "ejected") and its counters.
 */
static void prom_kernel(const struct bpf_policy_info *info)
{
	static const char *const states[] = { "none", "enabled", "ejected" };
	uint64_t c[NR_KERNEL_COUNTERS];
	char name[64];
	size_t i;

	prom_header(
		"zswap_bpf_policy_state", "gauge",
		"1 for the attached policy's state (none, enabled, ejected)");
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		printf("zswap_bpf_policy_state{policy=");
		prom_quote(info->name);
		printf(",state=\"%s\"} %d\n", states[i],
		       !strcmp(info->state, states[i]));
	}
	prom_slowest(info);
	if (kernel_counters_read(c))
		return;
	for (i = 0; i < NR_KERNEL_COUNTERS; i++) {
		snprintf(name, sizeof(name), "zswap_bpf_kernel_%s_total",
			 kernel_counter_name(i));
		prom_header(
			name, "counter",
			"The kernel's count of policy-driven writeback (debugfs zswap/bpf_*)");
		printf("%s %llu\n", name, (unsigned long long)c[i]);
	}
}

/* node_exporter's textfile format */
static void stats_prometheus(const struct memcg_table *tb, const uint64_t *ps,
			     int nr_ps)
{
	struct bpf_policy_info info;
	bool kernel = !kernel_policy_info(&info);

	prom_memcgs(tb);
	if (nr_ps > 0)
		prom_policy(kernel ? info.name : "", ps, nr_ps);
	if (kernel)
		prom_kernel(&info);
}

static void stats_print(const struct memcg_table *tb, const uint64_t *ps,
			int nr_ps)
{
	char buf[32];
	int i;

	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_start_object(&jw);
		jw_name(&jw, "cgroups");
		jw_start_array(&jw);
		for (i = 0; i < tb->nr; i++)
			stats_row_json(&tb->rows[i]);
		jw_end_array(&jw);
		jw_name(&jw, "policy_stats");
		if (nr_ps < 0)
			jw_null(&jw);
		else
			jw_start_object(&jw);
		for (i = 0; i < nr_ps; i++)
			jw_uint_field(&jw,
				      policy_stat_name(i, buf, sizeof(buf)),
				      ps[i]);
		if (nr_ps >= 0)
			jw_end_object(&jw);
		jw_end_object(&jw);
		return;
	}
	printf("%-24s %8s %10s %9s %9s %9s %9s %10s %3s\n", "CGROUP", "ID",
	       "ZSWAP", "ZSWAPPED", "ZSWPIN", "ZSWPOUT", "ZSWPWB", "PROACTIVE",
	       "WB");
	for (i = 0; i < tb->nr; i++)
		stats_row_plain(&tb->rows[i]);
	if (nr_ps < 0)
		return;
	printf("policy stats:");
	for (i = 0; i < nr_ps; i++)
		printf(" %s %llu", policy_stat_name(i, buf, sizeof(buf)),
		       (unsigned long long)ps[i]);
	printf("\n");
}

int do_stats(int argc, char **argv)
{
	struct memcg_table tb = {};
	const char *cg = cgroup_root();
	uint64_t ps[MAX_STATS];
	bool prom = false;
	char path[PATH_MAX];
	int i, ret, nr_ps = -1;

	if (is_help(argc, argv)) {
		printf("Usage: %s stats [CGROUP] [--prometheus]\n\n"
		       "zswap counters of every memcg of the CGROUP subtree (default: all),\n"
		       "and the loaded policy's stats. ZSWAP and PROACTIVE are compressed\n"
		       "bytes; ZSWAPPED pages; ZSWPIN, ZSWPOUT, ZSWPWB page events; WB the\n"
		       "memory.zswap.writeback setting. --prometheus prints node_exporter's\n"
		       "textfile format.\n",
		       bin_name);
		return EXIT_OK;
	}
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--prometheus"))
			prom = true;
		else if (argv[i][0] == '-')
			return usage_error("stats", "unknown option '%s'",
					   argv[i]);
		else if (cg != cgroup_root())
			return usage_error("stats", "unexpected argument '%s'",
					   argv[i]);
		else
			cg = argv[i];
	}
	ret = cgroup_arg("stats", cg, path, sizeof(path), "memory.stat");
	if (ret)
		return ret;
	memcg_walk(path, -1, &tb);
	if (policy_stats_read(ps, MAX_STATS, &nr_ps))
		nr_ps = -1;
	if (prom)
		stats_prometheus(&tb, ps, nr_ps);
	else
		stats_print(&tb, ps, nr_ps);
	free(tb.rows);
	return EXIT_OK;
}
