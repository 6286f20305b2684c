// SPDX-License-Identifier: GPL-2.0
/*
 * largest_first - write back from the memcg with the most compressed bytes.
 *
 * Every step goes to the candidate memcg with the most compressed bytes
 * left in zswap (its size when the run began, less what the run took from
 * it), so the biggest consumer shrinks first and DRAM comes back fastest
 * per step: fewer, fuller LRU walks.
 *
 * Helps when one memcg hoards the pool (a leaky or idle job) and the others
 * should keep their compressed memory. Loses fairness: a large memcg pays
 * for everyone, even if its data is hotter than a small one's, and memcgs
 * of similar size take turns in small slices. Sizes are a memcg's own
 * bytes (zswap_bpf_run_new() takes its children's off its memory.stat
 * value), so an inner memcg with entries of its own (reparented from dead
 * children) is ranked by those alone. Memcgs whose own LRU is empty are
 * skipped, and so, for the rest of the run, is one a step failed on. Each decision walks all candidates: O(memcgs) per step.
 *
 * Knobs: none.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

ZSWAP_BPF_STATS_MAP;
ZSWAP_BPF_EVENTS_MAP;
ZSWAP_BPF_RUN_MAP;

ZSWAP_WB_OP(void, largest_first_run_begin, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_new(wb);
}

ZSWAP_WB_OP(u64, largest_first_select_memcg, struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run_memcg *m;
	u64 id = 0, best = 0, left, most = 0;
	int i;

	bpf_for(i, 0, ZSWAP_BPF_MAX_MEMCGS) {
		id = bpf_zswap_next_memcg(wb->root_cgid, id);
		if (!id)
			break;
		if (zswap_bpf_own_age(id) < 0)
			continue;
		m = zswap_bpf_run_get(wb, id);
		if (!m || m->dropped)
			continue;
		/* at least 1: a memcg with entries the stats missed still counts */
		left = m->size > (s64)m->written ? m->size - m->written : 1;
		if (left > most) {
			best = id;
			most = left;
		}
	}
	zswap_bpf_stat_add(&stats, best ? ZSWAP_BPF_STAT_SELECTED :
					  ZSWAP_BPF_STAT_ENDED, 1);
	return best;
}

/* Proactive runs: the kernel's batch; pool-limit runs: see the header */
ZSWAP_WB_OP(u64, largest_first_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_pool_budget(wb);
}

ZSWAP_WB_OP(void, largest_first_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	struct zswap_bpf_run_memcg *m = zswap_bpf_run_get(wb, cgid);

	if (m) {
		m->written += bytes;
		m->dropped = zswap_bpf_step_failed(err);
	}
	zswap_bpf_step_report(&stats, wb, cgid, bytes, err);
}

ZSWAP_WB_OPS_DEFINE(largest_first,
	.run_begin	= (void *)largest_first_run_begin,
	.select_memcg	= (void *)largest_first_select_memcg,
	.step_budget	= (void *)largest_first_step_budget,
	.step_done	= (void *)largest_first_step_done,
);
