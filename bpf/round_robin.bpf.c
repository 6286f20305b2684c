// SPDX-License-Identifier: GPL-2.0
/*
 * round_robin - the kernel's built-in order, through the hook.
 *
 * Visits the memcgs of the run's subtree in pre-order, the order of
 * mem_cgroup_iter(), each giving the kernel's default batch (0 budget). A
 * proactive run ends after a pass in which every visited memcg had nothing
 * to write back, as the built-in loop does. Pool-limit runs keep one cursor
 * across runs, like the kernel's zswap_next_shrink, and leave ending the run
 * to the kernel's pool-limit loop. Concurrent proactive runs on different
 * subtrees keep a cursor each.
 *
 * Optimises nothing: it is the baseline for A/B runs of other policies, so
 * that both sides pay for the hook. It differs from the built-in path in
 * one way: memcgs with no entries of their own on their zswap LRUs (an
 * exact count, ZSWAP_WB_STAT_STORED_PAGES_LOCAL) are skipped, where the
 * kernel visits them and finds nothing. Hierarchical stats would send it
 * to inner memcgs whose pages all live in their children.
 * bpf_zswap_next_stored_memcg() finds the next memcg with entries in one
 * call, where reading each candidate's count on the way would look every
 * id up again; resuming from the memcg of the run's last step, it looks
 * up no id at all, nor does the kernel to take the memcg chosen.
 *
 * Knobs: none.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);

/*
 * Where a run is: the last memcg chosen, and whether the current pass
 * walked anything. Kept per root for proactive runs: those on different
 * subtrees at once each have their own; the pool-limit runs (always from
 * the root) share one across runs, pool_limit_run below. Two proactive
 * runs on the same subtree share theirs: one may skip or repeat a memcg,
 * or end a pass early, as the kernel's own shared walk can.
 */
struct run_state {
	u64 cursor;
	bool progress;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, u64);	/* the proactive run's root_cgid */
	__type(value, struct run_state);
} runs SEC(".maps");

/*
 * The pool-limit runs' state needs no lookup: they all start at the root and
 * come one at a time (the shrink worker is one work item). The two LRU hash
 * lookups a step this saves were 0.45 of 2.96 us of callbacks a step
 * (tests/bench/ab pool_limit, TCG).
 */
static struct run_state pool_limit_run;

static struct run_state *run_state(struct zswap_wb_ctx *wb)
{
	struct run_state *st, init = {};
	u64 key = wb->root_cgid;

	if (wb->reason == ZSWAP_WB_POOL_LIMIT)
		return &pool_limit_run;
	st = bpf_map_lookup_elem(&runs, &key);
	if (st)
		return st;
	bpf_map_update_elem(&runs, &key, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&runs, &key);
}

ZSWAP_WB_OP(void, round_robin_run_begin, struct zswap_wb_ctx *wb)
{
	struct run_state *st = run_state(wb);

	if (!st)
		return;
	if (wb->reason == ZSWAP_WB_PROACTIVE)
		st->cursor = 0;
	st->progress = false;
}

ZSWAP_WB_OP(u64, round_robin_select_memcg, struct zswap_wb_ctx *wb)
{
	struct run_state *st = run_state(wb);
	u64 next;

	/* no state (the LRU map lost it): start over, never end the run */
	if (!st)
		return bpf_zswap_next_stored_memcg(wb, 0);
	next = bpf_zswap_next_stored_memcg(wb, st->cursor);
	if (!next) {
		/*
		 * End of a pass. A proactive run ends if the pass did nothing;
		 * the pool-limit loop keeps its own count of fruitless passes.
		 */
		if (wb->reason == ZSWAP_WB_PROACTIVE && !st->progress)
			return zswap_bpf_selected(&stats, 0);
		st->progress = false;
		next = bpf_zswap_next_stored_memcg(wb, 0);
	}
	st->cursor = next;
	return zswap_bpf_selected(&stats, next);
}

ZSWAP_WB_OP(void, round_robin_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	struct run_state *st = run_state(wb);

	/*
	 * A step that walked entries (0, or -EAGAIN: all had their second
	 * chance) may write on the next pass; one that found nothing, or
	 * whose choice the kernel refused, says nothing about the pass.
	 */
	if (st && (!err || err == -ZSWAP_BPF_EAGAIN))
		st->progress = true;
	zswap_bpf_step_report(&stats, &events, wb, cgid, bytes, err);
}

ZSWAP_WB_OPS_DEFINE(round_robin,
	.run_begin	= (void *)round_robin_run_begin,
	.select_memcg	= (void *)round_robin_select_memcg,
	.step_done	= (void *)round_robin_step_done,
);
