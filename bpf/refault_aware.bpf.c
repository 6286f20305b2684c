// SPDX-License-Identifier: GPL-2.0
/*
 * refault_aware - leave alone memcgs that keep reading their zswap data back.
 *
 * The policy keeps, per memcg, a window of its zswpin count: a memcg that
 * faulted back from zswap more than hot_pct % of its stored pages during
 * its last window is hot, and is not written back from while it stays hot.
 * Among the others, steps go to the one whose LRU head is oldest, to
 * within a factor of 2 of that age: a threshold sweep
 * (include/zswap_bpf_sweep.bpf.h) takes every memcg older than half the
 * oldest age before younger ones. A memcg seen for the first time is judged
 * on its lifetime counters. When only hot memcgs are left, the policy ends
 * the run: a proactive run returns -EAGAIN; a pool-limit run is finished
 * by the kernel round-robin, hot memcgs included, since the pool limit is
 * the kernel's to keep.
 *
 * Helps when some jobs cycle their working set through zswap (a memory.high
 * set too low, a scan over a large table): writing their pages back would
 * turn cheap zswap loads into swap-ins. Loses when hot memcgs hold most of
 * the pool: proactive runs then fall short. zswpin and stored pages are
 * hierarchical, so a parent with entries of its own is hot when a child
 * is. Windows are only updated when runs begin: after an idle hour, the
 * first run judges that hour.
 *
 * Cost: one walk at run begin (windows, the oldest age), then O(memcgs) per
 * halving of the age threshold: O(memcgs x log2(oldest age)) per run, not
 * per step.
 *
 * Knobs: hot_pct - refault rate above which a memcg is hot (zswpin over the
 * window, in % of its stored pages); window_ms - the window's length.
 */
#include "zswap_bpf.bpf.h"
#include "zswap_bpf_sweep.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 hot_pct = 5;
const volatile u64 window_ms = 5000;

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);

struct refaults {
	u64 start_ns;	/* start of the current window */
	u64 zswpin;	/* zswpin at its start */
	u64 hot;	/* the verdict of the last window */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, ZSWAP_BPF_MAX_MEMCGS);
	__type(key, u64);
	__type(value, struct refaults);
} windows SEC(".maps");

/* Close @r's window at @now: hot if zswpin grew by hot_pct % of the pages */
static void close_window(u64 id, struct refaults *r, u64 now)
{
	s64 in = bpf_zswap_memcg_stat(id, ZSWAP_WB_STAT_ZSWPIN);
	s64 pages = bpf_zswap_memcg_stat(id, ZSWAP_WB_STAT_STORED_PAGES);

	if (in < 0 || pages < 0)
		return;
	if ((u64)in < r->zswpin)	/* not the memcg we knew */
		r->zswpin = 0;
	r->hot = (in - r->zswpin) * 100 > (u64)hot_pct * (pages ?: 1);
	r->start_ns = now;
	r->zswpin = in;
}

/* Age of @cgid's LRU head + 1; 0 with no entries, -1 if it is hot */
static s64 sweep_value(struct zswap_wb_ctx *wb, struct zswap_bpf_run *run,
		       u64 cgid)
{
	struct refaults *r = bpf_map_lookup_elem(&windows, &cgid);
	s64 age = bpf_zswap_memcg_lru_head_age_ns(cgid);

	if (age < 0)
		return 0;
	if (r && r->hot)
		return -1;
	return age + 1;
}

/*
 * Stats are flushed at run begin: close the windows that are over, and
 * start the sweep at the oldest age.
 */
ZSWAP_WB_OP(void, refault_aware_run_begin, struct zswap_wb_ctx *wb)
{
	u64 id, now = bpf_ktime_get_ns(), oldest = 0;
	s64 val;
	struct refaults *r, fresh;

	zswap_bpf_for_each_memcg(id, wb->root_cgid) {
		r = bpf_map_lookup_elem(&windows, &id);
		if (!r) {
			/* first sight: the lifetime is the window */
			fresh = (struct refaults){};
			close_window(id, &fresh, now);
			bpf_map_update_elem(&windows, &id, &fresh, BPF_ANY);
		} else if (now - r->start_ns >= window_ms * 1000000ULL) {
			close_window(id, r, now);
		}
		val = sweep_value(wb, NULL, id);
		if (val > 0 && (u64)val > oldest)
			oldest = val;
	}
	zswap_bpf_sweep_start(wb, oldest);
}

ZSWAP_WB_OP(u64, refault_aware_select_memcg, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_last_step(&stats, &events, wb);
	return zswap_bpf_selected(&stats, zswap_bpf_sweep_select(wb));
}

/* Proactive runs: the kernel's batch; pool-limit runs: see zswap_bpf.bpf.h */
ZSWAP_WB_OP(u64, refault_aware_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_pool_budget(wb);
}

ZSWAP_WB_OP(void, refault_aware_run_end, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_last_step(&stats, &events, wb);
}

ZSWAP_WB_OPS_DEFINE(refault_aware,
	.run_begin	= (void *)refault_aware_run_begin,
	.select_memcg	= (void *)refault_aware_select_memcg,
	.step_budget	= (void *)refault_aware_step_budget,
	.run_end	= (void *)refault_aware_run_end,
);
