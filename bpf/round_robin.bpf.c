// SPDX-License-Identifier: GPL-2.0
/*
 * round_robin - the kernel's built-in order, through the hook.
 *
 * Visits the memcgs of the run's subtree in pre-order, the order of
 * mem_cgroup_iter(), each giving the kernel's default batch (0 budget). A
 * proactive run ends after a pass in which every visited memcg had nothing
 * to write back, as the built-in loop does. Pool-limit runs keep one cursor
 * across runs, like the kernel's zswap_next_shrink, and leave ending the run
 * to the kernel's pool-limit loop.
 *
 * Optimises nothing: it is the baseline for A/B runs of other policies, so
 * that both sides pay for the hook. It differs from the built-in path in
 * one way: memcgs whose stats (flushed when the run began) show nothing in
 * zswap are skipped, where the kernel visits them and finds nothing.
 *
 * Knobs: none.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

ZSWAP_BPF_STATS_MAP;
ZSWAP_BPF_EVENTS_MAP;

/* Per run reason: the last memcg chosen, and whether its pass did anything */
u64 cursor[2];
bool progress[2];

static u64 next_nonempty(u64 root, u64 prev)
{
	u64 id = prev;
	int i;

	bpf_for(i, 0, ZSWAP_BPF_MAX_MEMCGS) {
		id = bpf_zswap_next_memcg(root, id);
		if (!id ||
		    bpf_zswap_memcg_stat(id, ZSWAP_WB_STAT_STORED_PAGES) > 0)
			return id;
	}
	return 0;
}

ZSWAP_WB_OP(void, round_robin_run_begin, struct zswap_wb_ctx *wb)
{
	u32 r = wb->reason & 1;

	if (wb->reason == ZSWAP_WB_PROACTIVE)
		cursor[r] = 0;
	progress[r] = false;
}

ZSWAP_WB_OP(u64, round_robin_select_memcg, struct zswap_wb_ctx *wb)
{
	u32 r = wb->reason & 1;
	u64 next;

	next = next_nonempty(wb->root_cgid, cursor[r]);
	if (!next) {
		/*
		 * End of a pass. A proactive run ends if the pass did nothing;
		 * the pool-limit loop keeps its own count of fruitless passes.
		 */
		if (wb->reason == ZSWAP_WB_PROACTIVE && !progress[r]) {
			zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_ENDED, 1);
			return 0;
		}
		progress[r] = false;
		next = next_nonempty(wb->root_cgid, 0);
	}
	cursor[r] = next;
	zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_SELECTED, 1);
	return next;
}

ZSWAP_WB_OP(void, round_robin_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	/* -ENOENT: nothing was walked */
	if (err != -ZSWAP_BPF_ENOENT)
		progress[wb->reason & 1] = true;
	zswap_bpf_step_report(&stats, wb, cgid, bytes, err);
}

ZSWAP_WB_OPS_DEFINE(round_robin,
	.run_begin	= (void *)round_robin_run_begin,
	.select_memcg	= (void *)round_robin_select_memcg,
	.step_done	= (void *)round_robin_step_done,
);
