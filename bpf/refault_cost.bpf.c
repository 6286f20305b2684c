// SPDX-License-Identifier: GPL-2.0
/*
 * refault_cost - oldest LRU head first, its age discounted by refaults.
 *
 * Write back first what is cheapest to lose: old data of memcgs that read
 * little back. A page written back costs a disk read if it is used again.
 * The policy takes the chance of that, per memcg, from two signals: how
 * often the memcg read its zswap data back lately (r: zswpin over its
 * window, per stored page) and how long its LRU head, the entry a step
 * writes back next, has gone unread (its age). A memcg's value is
 *
 *	age of its LRU head / (1 + refault_weight * r)
 *
 * and steps go to the largest value first, to within a factor of 2 (the
 * threshold sweep of include/zswap_bpf_sweep.bpf.h): old data of a memcg
 * that never refaults first, then younger data of such memcgs and old data
 * of memcgs that refault a little, last the young data of memcgs that
 * refault a lot. Unlike refault_aware it never ends a run while any memcg
 * has entries: a refaulting memcg ranks low, it is not excluded, so a
 * proactive run gets its budget when every memcg refaults (refault_aware
 * then writes nothing). Windows are kept as in refault_aware: closed at
 * run begin once window_ms old; a memcg seen for the first time is judged
 * on its lifetime counters.
 *
 * Helps where age alone misleads: a warm job whose old data holds pages it
 * still reads (coldest_first takes them before a younger idle job's), and
 * jobs that all refault some (refault_aware gives up). Loses when r is a
 * poor guess for the entries at the head: r is per memcg, not per entry, so
 * a memcg that reads a small hot set often hides a large idle tail behind a
 * high r (its idle data goes after other memcgs' younger data), and a
 * memcg that has just turned hot looks cold until its window closes; a
 * window with no refaults only says that nothing was read in it. Refaults
 * and stored pages are hierarchical, so a parent with entries of its own
 * looks as hot as its children. The age is the LRU head's, in whole
 * seconds, and second-chance rotation can put older entries behind it.
 * Like coldest_first, it pays for age being a bad hint where r is 0. Values
 * within a factor of 2 count as equal (the sweep), and the walk's order
 * decides between them. Measured (README, Results): on the apps bench,
 * where every tenant refaults, it empties the one that refaults least
 * (redis), its hot range included, before the idle data of the others,
 * as coldest_first does: 830 pages read back where idle data alone would
 * have filled the budget.
 *
 * Cost: one walk at run begin (windows, the largest value), then
 * O(memcgs) per halving of the threshold: O(memcgs x log2(largest value))
 * per run, not per step. A map entry of 24 bytes per memcg.
 *
 * The run ends (select returns 0) only when no candidate has entries left
 * or every one left had a step fail: a proactive run then returns -EAGAIN,
 * a pool-limit run is finished by the kernel round-robin, since the pool
 * limit is the kernel's to keep.
 *
 * Knobs: refault_weight - how much a refault per stored page divides the
 * age by (16: a memcg that read back 1/16 of its pages in its window
 * looks half as old; 0: oldest head first, as refault_aware without its
 * cut-off); window_ms - the refault window's length.
 */
#include "zswap_bpf.bpf.h"
#include "zswap_bpf_sweep.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 refault_weight = 16;
const volatile u64 window_ms = 5000;

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);

/* r in parts per RATE_ONE: refaults per stored page over a window */
#define RATE_ONE 1024

struct refaults {
	u64 start_ns;	/* start of the current window */
	u64 zswpin;	/* zswpin at its start */
	u64 rate;	/* r of the last window, in RATE_ONE */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, ZSWAP_BPF_MAX_MEMCGS);
	__type(key, u64);
	__type(value, struct refaults);
} windows SEC(".maps");

/* Close @r's window at @now: r is what zswpin grew by, per stored page */
static void close_window(u64 id, struct refaults *r, u64 now)
{
	s64 in = bpf_zswap_memcg_stat(id, ZSWAP_WB_STAT_ZSWPIN);
	s64 pages = bpf_zswap_memcg_stat(id, ZSWAP_WB_STAT_STORED_PAGES);
	u64 delta;

	if (in < 0 || pages < 0)
		return;
	if ((u64)in < r->zswpin)	/* not the memcg we knew */
		r->zswpin = 0;
	delta = in - r->zswpin;
	/* a rate above 64 refaults a page ranks last all the same */
	if (delta > 64 * (u64)(pages ?: 1))
		delta = 64 * (u64)(pages ?: 1);
	r->rate = delta * RATE_ONE / (pages ?: 1);
	r->start_ns = now;
	r->zswpin = in;
}

/*
 * Age of @cgid's LRU head + 1, divided by its cost; 0 with no entries, -1
 * if a step failed on it this run
 */
static s64 sweep_value(struct zswap_wb_ctx *wb, struct zswap_bpf_run *run,
		       u64 cgid)
{
	struct zswap_bpf_run_memcg *m = run ? zswap_bpf_run_memcg(run, cgid) : NULL;
	struct refaults *r = bpf_map_lookup_elem(&windows, &cgid);
	s64 age = zswap_bpf_own_age(cgid);
	u64 cost = RATE_ONE;

	if (age < 0)
		return 0;
	if (m && m->dropped)
		return -1;
	if (r)
		cost += (u64)refault_weight * r->rate;
	/* ages fit in 2^44 ns (4.8 hours) before the product overflows s64 */
	if (age > (1LL << 44))
		age = 1LL << 44;
	return (age + 1) * RATE_ONE / cost + 1;
}

/*
 * Stats are flushed at run begin: close the windows that are over, and
 * start the sweep at the largest value.
 */
ZSWAP_WB_OP(void, refault_cost_run_begin, struct zswap_wb_ctx *wb)
{
	u64 id, now = bpf_ktime_get_ns(), largest = 0;
	struct refaults *r, fresh;
	s64 val;

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
		if (val > 0 && (u64)val > largest)
			largest = val;
	}
	zswap_bpf_sweep_start(wb, largest);
}

ZSWAP_WB_OP(u64, refault_cost_select_memcg, struct zswap_wb_ctx *wb)
{
	u64 id;

	zswap_bpf_run_last_step(&stats, &events, wb);
	id = zswap_bpf_sweep_select(wb);

	/* the run's account of it, so that a failed step drops it */
	if (id)
		zswap_bpf_run_memcg_add(zswap_bpf_run_of(wb), id, 0);
	return zswap_bpf_selected(&stats, id);
}

/* Proactive runs: the kernel's batch; pool-limit runs: see zswap_bpf.bpf.h */
ZSWAP_WB_OP(u64, refault_cost_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_pool_budget(wb);
}

ZSWAP_WB_OP(void, refault_cost_run_end, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_last_step(&stats, &events, wb);
}

ZSWAP_WB_OPS_DEFINE(refault_cost,
	.run_begin	= (void *)refault_cost_run_begin,
	.select_memcg	= (void *)refault_cost_select_memcg,
	.step_budget	= (void *)refault_cost_step_budget,
	.run_end	= (void *)refault_cost_run_end,
);
