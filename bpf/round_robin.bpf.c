// SPDX-License-Identifier: GPL-2.0
/*
 * round_robin - the kernel's built-in order, through the hook.
 *
 * Visits the memcgs of the run's subtree in pre-order, the order of
 * mem_cgroup_iter(), each giving the kernel's default batch (0 budget). A
 * proactive run ends after a pass in which every visited memcg had nothing
 * to write back, as the built-in loop does. Pool-limit runs keep one cursor
 * across runs, like the kernel's zswap_next_shrink, and leave ending the run
 * to the kernel's pool-limit loop. Every proactive run has a cursor of its
 * own, concurrent runs on the same subtree included.
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
 * up no id at all, nor does the kernel to take the memcg chosen. It has no
 * step_done: it learns how a step went, and reports it, from the run's
 * context at the next select_memcg, or at run_end.
 *
 * Knobs: none.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);

/*
 * Where a run is: the last memcg chosen, and whether the current pass
 * walked anything. Kept in the run's context (wb->priv, zeroed by the
 * kernel when the run begins): each run has its own, and reaching it costs
 * no lookup. Pool-limit runs carry their cursor from one run to the next,
 * as the kernel's zswap_next_shrink: run_begin takes it from
 * pool_limit_cursor, run_end leaves it there. They all start at the root
 * and come one at a time (the shrink worker is one work item).
 */
struct run_state {
	u64 cursor;
	bool progress;
};

_Static_assert(sizeof(struct run_state) <=
	       sizeof(((struct zswap_wb_ctx *)0)->priv),
	       "struct run_state must fit in zswap_wb_ctx.priv");

static u64 pool_limit_cursor;

static __always_inline struct run_state *run_state(struct zswap_wb_ctx *wb)
{
	return (struct run_state *)wb->priv;
}

ZSWAP_WB_OP(void, round_robin_run_begin, struct zswap_wb_ctx *wb)
{
	/* a proactive run starts from the root: its state is zeroed */
	if (wb->reason == ZSWAP_WB_POOL_LIMIT)
		run_state(wb)->cursor = pool_limit_cursor;
}

/*
 * A step that walked entries (0, or -EAGAIN: all had their second chance)
 * may write on the next pass; one that found nothing, or whose choice the
 * kernel refused, says nothing about the pass. Read from wb->last_* rather
 * than in a step_done: that is one callback less at every step.
 */
static __always_inline void round_robin_last_step(struct zswap_wb_ctx *wb)
{
	s32 err = wb->last_err;

	if (wb->last_cgid && (!err || err == -ZSWAP_BPF_EAGAIN))
		run_state(wb)->progress = true;
	zswap_bpf_last_report(&stats, &events, wb);
}

ZSWAP_WB_OP(void, round_robin_run_end, struct zswap_wb_ctx *wb)
{
	round_robin_last_step(wb);
	if (wb->reason == ZSWAP_WB_POOL_LIMIT)
		pool_limit_cursor = run_state(wb)->cursor;
}

ZSWAP_WB_OP(u64, round_robin_select_memcg, struct zswap_wb_ctx *wb)
{
	struct run_state *st = run_state(wb);
	u64 next;

	round_robin_last_step(wb);
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

ZSWAP_WB_OPS_DEFINE(round_robin,
	.run_begin	= (void *)round_robin_run_begin,
	.select_memcg	= (void *)round_robin_select_memcg,
	.run_end	= (void *)round_robin_run_end,
);
