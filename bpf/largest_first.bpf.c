// SPDX-License-Identifier: GPL-2.0
/*
 * largest_first - write back from the memcg with the most compressed bytes.
 *
 * Steps go to the memcg with the most compressed bytes of its own left in
 * zswap (its own bytes when stats were flushed at run begin, less what the
 * run took from it), to within a factor of 2: a threshold sweep
 * (include/zswap_bpf_sweep.bpf.h) drains every memcg above half the
 * largest before going below it. The biggest consumer shrinks first and
 * DRAM comes back fastest per step: fewer, fuller LRU walks.
 *
 * Helps when one memcg hoards the pool (a leaky or idle job) and the others
 * should keep their compressed memory. Loses fairness: a large memcg pays
 * for everyone, even if its data is hotter than a small one's, and memcgs
 * within a factor of 2 of each other are taken in tree order, not by size.
 * Sizes are a memcg's own (ZSWAP_WB_STAT_COMPRESSED_BYTES_LOCAL), so an
 * inner memcg is ranked by the entries on its own LRUs (reparented from
 * dead children) alone. Memcgs with no entries of their own are skipped,
 * and so, for the rest of the run, is one a step failed on.
 *
 * Cost: one walk at run begin, then O(memcgs) per halving of the
 * threshold: O(memcgs x log2(largest size)) per run, not per step.
 *
 * Knobs: none.
 */
#include "zswap_bpf.bpf.h"
#include "zswap_bpf_sweep.bpf.h"

char _license[] SEC("license") = "GPL";

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);

/*
 * Bytes @cgid has left in the run, at least 1 while it has entries; 0 with
 * none, -1 if a step failed on it
 */
static s64 sweep_value(struct zswap_wb_ctx *wb, struct zswap_bpf_run *run,
		       u64 cgid)
{
	struct zswap_bpf_run_memcg *m = zswap_bpf_run_memcg(run, cgid);

	if (!m)
		return zswap_bpf_own_bytes(cgid);
	if (!zswap_bpf_has_entries(cgid))
		return 0;
	if (m->dropped)
		return -1;
	return m->value > m->written ? m->value - m->written : 1;
}

ZSWAP_WB_OP(void, largest_first_run_begin, struct zswap_wb_ctx *wb)
{
	struct cgroup_subsys_state *pos;
	u64 id, own, largest = 0;

	zswap_bpf_for_each_memcg_css(pos, id, wb->root_cgid) {
		own = zswap_bpf_css_own_bytes(pos);
		if (own > largest)
			largest = own;
	}
	zswap_bpf_sweep_start(wb, largest);
}

ZSWAP_WB_OP(u64, largest_first_select_memcg, struct zswap_wb_ctx *wb)
{
	u64 id;

	zswap_bpf_run_last_step(&stats, &events, wb);
	id = zswap_bpf_sweep_select(wb);

	/* its size is taken when first chosen: what the run takes comes off it */
	if (id)
		zswap_bpf_run_memcg_add(zswap_bpf_run_of(wb), id,
					zswap_bpf_own_bytes(id));
	return zswap_bpf_selected(&stats, id);
}

/* Proactive runs: the kernel's batch; pool-limit runs: see zswap_bpf.bpf.h */
ZSWAP_WB_OP(u64, largest_first_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_pool_budget(wb);
}

ZSWAP_WB_OP(void, largest_first_run_end, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_last_step(&stats, &events, wb);
}

ZSWAP_WB_OPS_DEFINE(largest_first,
	.run_begin	= (void *)largest_first_run_begin,
	.select_memcg	= (void *)largest_first_select_memcg,
	.step_budget	= (void *)largest_first_step_budget,
	.run_end	= (void *)largest_first_run_end,
);
