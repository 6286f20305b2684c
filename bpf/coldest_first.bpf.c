// SPDX-License-Identifier: GPL-2.0
/*
 * coldest_first - write back from the memcg whose oldest zswap entry is oldest.
 *
 * Every step goes to the candidate memcg whose own LRU holds the entry
 * stored longest ago, so writeback approximates one LRU across all memcgs
 * instead of equal slices of each: a job that parked its data in zswap an
 * hour ago gives it up before a job that swapped out a second ago.
 *
 * Helps when memcgs age differently (batch jobs next to services) and the
 * oldest data is the least likely to be read again. Loses when age is a bad
 * proxy for coldness: data stored long ago but read back often (zswap loads
 * drop the entry, so that case mostly corrects itself), or one memcg whose
 * cold tail is large, which then pays for everyone. Each decision walks all
 * candidates: O(memcgs x nodes) per step.
 *
 * Knobs: min_age_ms - never write back from a memcg whose oldest entry is
 * younger than this (0: no floor). A proactive run that finds nothing old
 * enough ends early (-EAGAIN); pool-limit runs then fall back to the
 * kernel's own loop bounds.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u64 min_age_ms;

ZSWAP_BPF_STATS_MAP;
ZSWAP_BPF_EVENTS_MAP;

ZSWAP_WB_OP(u64, coldest_first_select_memcg, struct zswap_wb_ctx *wb)
{
	u64 id = 0, best = 0, floor = min_age_ms * 1000000ULL;
	s64 age, best_age = -1;
	int i;

	bpf_for(i, 0, ZSWAP_BPF_MAX_MEMCGS) {
		id = bpf_zswap_next_memcg(wb->root_cgid, id);
		if (!id)
			break;
		age = zswap_bpf_own_age(id);
		if (age < 0 || (u64)age < floor || age <= best_age)
			continue;
		best = id;
		best_age = age;
	}
	zswap_bpf_stat_add(&stats, best ? ZSWAP_BPF_STAT_SELECTED :
					  ZSWAP_BPF_STAT_ENDED, 1);
	return best;
}

/* Proactive runs: the kernel's batch; pool-limit runs: see the header */
ZSWAP_WB_OP(u64, coldest_first_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_pool_budget(wb);
}

ZSWAP_WB_OP(void, coldest_first_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	zswap_bpf_step_report(&stats, wb, cgid, bytes, err);
}

ZSWAP_WB_OPS_DEFINE(coldest_first,
	.select_memcg	= (void *)coldest_first_select_memcg,
	.step_budget	= (void *)coldest_first_step_budget,
	.step_done	= (void *)coldest_first_step_done,
);
