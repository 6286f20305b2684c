// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf status: the attached policy, the kernel's counters (debugfs
 * zswap/bpf_*) and the policy's own "stats" map; the readers of the
 * counters that trace and stats share.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

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
bool have_debugfs;

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
 * Read the kernel's policy state, explaining a failure: 0 or -errno.
 * A missing bpf_policy is a kernel without the hook if its BTF says so
 * (or, BTF unreadable, if zswap's debugfs directory is there without it);
 * else debugfs is not mounted, which only costs what it shows.
 */
int kernel_state(struct bpf_policy_info *info, uint64_t *vals)
{
	char path[PATH_MAX];
	struct stat st;
	int err, hook;

	err = kernel_policy_info(info);
	err = err ?: kernel_counters_read(vals);
	have_debugfs = !err;
	if (!err)
		return 0;
	if (err == -EACCES || err == -EPERM) {
		p_err("cannot read %s: %s (it needs root)", debugfs_dir(),
		      strerror(-err));
		return err;
	}
	snprintf(path, sizeof(path), "%s/bpf_policy", debugfs_dir());
	if (err != -ENOENT) {
		p_err("cannot read %s: %s", path, strerror(-err));
		return errno_as(err, EXIT_RUNTIME);
	}
	hook = kernel_has_hook();
	if (!hook || (hook < 0 && !stat(debugfs_dir(), &st) &&
		      S_ISDIR(st.st_mode))) {
		p_err("%s", NO_HOOK_MSG);
		return -EOPNOTSUPP;
	}
	kernel_state_unavailable(info, vals);
	return 0;
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
		/* kernels before patch 0018 do not time them in sum */
		if (att_get(i, "call_ns")[0])
			printf("    time in callbacks %s ns\n",
			       att_get(i, "call_ns"));
		reason = att_get(i, "reason");
		printf("    last exit %s%s%s\n", att_get(i, "exit"),
		       reason[0] ? ": " : "", reason);
	}
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
	int err, nr = -1;

	if (is_help(argc, argv)) {
		printf("Usage: %s status\n\nThe root cgroup's policy, how the last policy stopped, every\nattachment (cgroup, policy, state, counters, last exit), the kernel's\ncounters of policy-driven writeback and the root policy's own stats.\n",
		       bin_name);
		return EXIT_OK;
	}
	if (argc)
		return exit_code_from_errno(usage_error(
			"status", "unexpected argument '%s'", argv[0]));
	err = kernel_state(&info, vals);
	if (err)
		return exit_code_from_errno(err);
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
