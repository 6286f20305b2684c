// SPDX-License-Identifier: GPL-2.0
/*
 * weighted - split writeback by per-cgroup weights; weight 0 protects.
 *
 * Each memcg gives the run's request times its share of the weights:
 * memcgs with weights 1 and 3 give a quarter and three quarters; one that
 * cannot give its part leaves it to the others, again by weight (share
 * rounds, include/zswap_bpf_share.bpf.h). A cgroup's weight comes from the
 * "weight" map (cgroup id -> weight, set with `zswap-bpf set weight
 * CGROUP=W`), else from its nearest ancestor in the run's subtree that has
 * one, else default_weight. Weight 0 excludes the memcg's own entries from
 * the policy's choices; its descendants without a weight of their own
 * inherit the 0 (a child's own weight wins). Weights are read when a run
 * begins; memcgs with no entries of their own then give nothing in it.
 *
 * Helps when the operator knows which jobs' compressed memory matters
 * (a database next to batch jobs) and wants that policy, not the memcg tree
 * order, to decide. Loses when weights are stale: the map is not cleaned
 * when cgroups go away, and a protected cgroup keeps its pool share while
 * others pay. Weight 0 is not a guarantee: weights set above the run's root
 * are not seen, and when the policy ends a pool-limit run with the pool
 * still over its limit (only protected memcgs left), the kernel finishes
 * the run round-robin, protected memcgs included. Use
 * memory.zswap.writeback=0 for a hard guarantee.
 *
 * Cost: one walk at run begin, then O(memcgs) per pass of the cursor, with
 * one pass per round (usually one): not per step.
 *
 * Knobs: default_weight - weight of cgroups without one (0: only cgroups
 * given a weight are written back); slices - a step's budget is at most the
 * run's request / slices (at least 32 KiB), in pool-limit runs too.
 */
#include "zswap_bpf.bpf.h"
#include "zswap_bpf_share.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 default_weight = 100;
const volatile u32 slices = 256;

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);
ZSWAP_BPF_CGROUP_MAP(weight);

/* Weighted cgroups nested deeper than this do not pass their weight down */
#define DEPTH 8

/* Weights above this count as this: target arithmetic stays in 64 bits */
#define MAX_WEIGHT (1U << 20)

/* One walk: each memcg with entries of its own and a weight joins the run */
ZSWAP_WB_OP(void, weighted_run_begin, struct zswap_wb_ctx *wb)
{
	u64 id, prev = 0, anc[DEPTH] = {};
	struct zswap_bpf_run *run = zswap_bpf_share_start(wb);
	u32 *wp, w, anc_w[DEPTH] = {};
	int j, top = 0;

	zswap_bpf_for_each_memcg(id, wb->root_cgid) {
		/*
		 * anc[] holds the weighted ancestors of prev, innermost last;
		 * id lies in T's subtree iff it follows prev in T's walk.
		 */
		bpf_for(j, 0, DEPTH) {
			if (!top || zswap_bpf_walk_follows(anc[(top - 1) & (DEPTH - 1)],
							   prev, id))
				break;
			top--;
		}
		prev = id;
		wp = bpf_map_lookup_elem(&weight, &id);
		if (wp) {
			w = *wp;
			if (top < DEPTH) {
				anc[top & (DEPTH - 1)] = id;
				anc_w[top & (DEPTH - 1)] = w;
				top++;
			}
		} else {
			w = top ? anc_w[(top - 1) & (DEPTH - 1)] : default_weight;
		}
		if (w && zswap_bpf_has_entries(id))
			zswap_bpf_share_add(run, id, w < MAX_WEIGHT ? w : MAX_WEIGHT);
	}
}

ZSWAP_WB_OP(u64, weighted_select_memcg, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_last_step(&stats, &events, wb);
	return zswap_bpf_selected(&stats, zswap_bpf_share_select(wb));
}

ZSWAP_WB_OP(u64, weighted_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_share_budget(wb, cgid, zswap_bpf_slice_budget(wb, slices));
}

ZSWAP_WB_OP(void, weighted_run_end, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_last_step(&stats, &events, wb);
}

ZSWAP_WB_OPS_DEFINE(weighted,
	.run_begin	= (void *)weighted_run_begin,
	.select_memcg	= (void *)weighted_select_memcg,
	.step_budget	= (void *)weighted_step_budget,
	.run_end	= (void *)weighted_run_end,
);
