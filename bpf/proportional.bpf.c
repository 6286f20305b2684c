// SPDX-License-Identifier: GPL-2.0
/*
 * proportional - split each run across memcgs in proportion to their zswap size.
 *
 * Every step goes to the candidate memcg that has given the least so far
 * relative to its compressed size when the run began (written / size), for
 * a slice of the run's budget, so at the end of a run each memcg has paid
 * its share: a memcg with twice the compressed bytes gives twice as much,
 * and none gives all.
 *
 * Helps on shared hosts where writeback should cost every tenant the same
 * fraction of its compressed memory (fair share), whatever the order of
 * the memcg tree. Loses against coldest_first when ages differ: a tenant's
 * hot data goes out as readily as another's cold data. Sizes are a memcg's
 * own bytes (zswap_bpf_run_new() takes its children's off its memory.stat
 * value). Memcgs whose own LRU is empty are skipped, and so, for the rest
 * of the run, is one a step failed on.
 * The split is as fine as a slice: error <= one slice per memcg.
 *
 * Knobs: slices - a step's budget is the run's request / slices (at least
 * 32 KiB), in pool-limit runs too.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 slices = 256;

ZSWAP_BPF_STATS_MAP;
ZSWAP_BPF_EVENTS_MAP;
ZSWAP_BPF_RUN_MAP;

ZSWAP_WB_OP(void, proportional_run_begin, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_new(wb);
}

ZSWAP_WB_OP(u64, proportional_select_memcg, struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run_memcg *m;
	u64 id = 0, best = 0, share, least = ~0ULL;
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
		/* fraction of its size given so far, in 1/2^20 */
		share = (m->written << 20) / (m->size > 0 ? m->size : 1);
		if (share < least) {
			best = id;
			least = share;
		}
	}
	zswap_bpf_stat_add(&stats, best ? ZSWAP_BPF_STAT_SELECTED :
					  ZSWAP_BPF_STAT_ENDED, 1);
	return best;
}

ZSWAP_WB_OP(u64, proportional_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_slice_budget(wb, slices);
}

ZSWAP_WB_OP(void, proportional_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	struct zswap_bpf_run_memcg *m = zswap_bpf_run_get(wb, cgid);

	if (m) {
		m->written += bytes;
		m->dropped = zswap_bpf_step_failed(err);
	}
	zswap_bpf_step_report(&stats, wb, cgid, bytes, err);
}

ZSWAP_WB_OPS_DEFINE(proportional,
	.run_begin	= (void *)proportional_run_begin,
	.select_memcg	= (void *)proportional_select_memcg,
	.step_budget	= (void *)proportional_step_budget,
	.step_done	= (void *)proportional_step_done,
);
