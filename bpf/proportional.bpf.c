// SPDX-License-Identifier: GPL-2.0
/*
 * proportional - split each run across memcgs in proportion to their zswap size.
 *
 * Each memcg gives the run's request times its share of the compressed
 * bytes: its own bytes (ZSWAP_WB_STAT_COMPRESSED_BYTES_LOCAL) when the run
 * began over the subtree's. A memcg with twice the bytes gives twice as
 * much, and none gives all. A memcg that cannot give its part (it ran out,
 * a step failed on it) leaves it to the others, again in proportion
 * (share rounds, include/zswap_bpf_share.bpf.h).
 *
 * Helps on shared hosts where writeback should cost every tenant the same
 * fraction of its compressed memory (fair share), whatever the order of
 * the memcg tree. Loses against coldest_first when ages differ: a tenant's
 * hot data goes out as readily as another's cold data. Memcgs are taken in
 * tree order, each giving its whole part before the next starts, so a run
 * cut short (a signal) has been fair to the memcgs it reached only. Memcgs
 * with no entries of their own at run begin give nothing in that run.
 *
 * Cost: one walk at run begin, then O(memcgs) per pass of the cursor, with
 * one pass per round (usually one): not per step.
 *
 * Knobs: slices - a step's budget is at most the run's request / slices
 * (at least 32 KiB), in pool-limit runs too.
 */
#include "zswap_bpf.bpf.h"
#include "zswap_bpf_share.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 slices = 256;

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);

ZSWAP_WB_OP(void, proportional_run_begin, struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run *run = zswap_bpf_share_start(wb);
	struct cgroup_subsys_state *pos;
	u64 id, own;

	zswap_bpf_for_each_memcg_css(pos, id, wb->root_cgid) {
		own = zswap_bpf_css_own_bytes(pos);
		if (own)
			zswap_bpf_share_add(run, id, own);
	}
}

ZSWAP_WB_OP(u64, proportional_select_memcg, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_last_step(&stats, &events, wb);
	return zswap_bpf_selected(&stats, zswap_bpf_share_select(wb));
}

ZSWAP_WB_OP(u64, proportional_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_share_budget(wb, cgid, zswap_bpf_slice_budget(wb, slices));
}

ZSWAP_WB_OP(void, proportional_run_end, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_last_step(&stats, &events, wb);
}

ZSWAP_WB_OPS_DEFINE(proportional,
	.run_begin	= (void *)proportional_run_begin,
	.select_memcg	= (void *)proportional_select_memcg,
	.step_budget	= (void *)proportional_step_budget,
	.run_end	= (void *)proportional_run_end,
);
