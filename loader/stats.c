// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf stats: the zswap counters of a cgroup subtree, the kernel's and
 * the policy's, as a table, JSON or Prometheus text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "main.h"

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
void prom_quote(const char *s)
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

void prom_header(const char *name, const char *type, const char *help)
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
 * The time the kernel measured in all policies' callbacks (patch 0018). A
 * kernel of the series without it has no file: no family then.
 */
static void prom_call_ns(void)
{
	char path[PATH_MAX];
	uint64_t ns;

	snprintf(path, sizeof(path), "%s/bpf_call_ns", debugfs_dir());
	if (read_u64(path, &ns))
		return;
	prom_header(
		"zswap_bpf_kernel_call_ns_total", "counter",
		"Nanoseconds the kernel timed in writeback policies' callbacks (debugfs zswap/bpf_call_ns)");
	printf("zswap_bpf_kernel_call_ns_total %llu\n", (unsigned long long)ns);
}

/*
 * The kernel's side: which state the policy is in (one series per state,
 * 1 for the current one, to alert on "ejected"), its counters and the time
 * in callbacks.
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
	prom_call_ns();
}

/* node_exporter's textfile format */
static void stats_prometheus(const struct memcg_table *tb, const uint64_t *ps,
			     int nr_ps, const char *path)
{
	struct bpf_policy_info info;
	bool kernel = !kernel_policy_info(&info);

	prom_memcgs(tb);
	if (nr_ps > 0)
		prom_policy(kernel ? info.name : "", ps, nr_ps);
	if (kernel)
		prom_kernel(&info);
	agent_stats_prometheus(path);
}

static void stats_print(const struct memcg_table *tb, const uint64_t *ps,
			int nr_ps, const char *path)
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
		agent_stats_json(path);
		jw_end_object(&jw);
		return;
	}
	printf("%-24s %8s %10s %9s %9s %9s %9s %10s %3s\n", "CGROUP", "ID",
	       "ZSWAP", "ZSWAPPED", "ZSWPIN", "ZSWPOUT", "ZSWPWB", "PROACTIVE",
	       "WB");
	for (i = 0; i < tb->nr; i++)
		stats_row_plain(&tb->rows[i]);
	if (nr_ps >= 0) {
		printf("policy stats:");
		for (i = 0; i < nr_ps; i++)
			printf(" %s %llu",
			       policy_stat_name(i, buf, sizeof(buf)),
			       (unsigned long long)ps[i]);
		printf("\n");
	}
	agent_stats_print(path);
}

int do_stats(int argc, char **argv)
{
	struct memcg_table tb = {};
	const char *cg = cgroup_root();
	uint64_t ps[MAX_STATS];
	bool prom = false;
	char path[PATH_MAX];
	int i, err = 0, nr_ps = -1;

	if (is_help(argc, argv)) {
		printf("Usage: %s stats [CGROUP] [--prometheus]\n\n"
		       "zswap counters of every memcg of the CGROUP subtree (default: all),\n"
		       "and the loaded policy's stats. ZSWAP and PROACTIVE are compressed\n"
		       "bytes; ZSWAPPED pages; ZSWPIN, ZSWPOUT, ZSWPWB page events; WB the\n"
		       "memory.zswap.writeback setting. Then the counters of each agent\n"
		       "('%s agent') of the subtree. --prometheus prints node_exporter's\n"
		       "textfile format.\n",
		       bin_name, bin_name);
		return EXIT_OK;
	}
	for (i = 0; i < argc && !err; i++) {
		if (!strcmp(argv[i], "--prometheus"))
			prom = true;
		else if (argv[i][0] == '-')
			err = usage_error("stats", "unknown option '%s'",
					  argv[i]);
		else if (cg != cgroup_root())
			err = usage_error("stats", "unexpected argument '%s'",
					  argv[i]);
		else
			cg = argv[i];
	}
	err = err ?: cgroup_arg("stats", cg, path, sizeof(path), "memory.stat");
	if (err)
		return exit_code_from_errno(err);
	memcg_table_fill(&tb, path);
	if (policy_stats_read(ps, MAX_STATS, &nr_ps))
		nr_ps = -1;
	if (prom)
		stats_prometheus(&tb, ps, nr_ps, path);
	else
		stats_print(&tb, ps, nr_ps, path);
	free(tb.rows);
	return EXIT_OK;
}
