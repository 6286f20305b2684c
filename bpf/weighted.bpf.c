// SPDX-License-Identifier: GPL-2.0
/*
 * weighted - split writeback by per-cgroup weights; weight 0 protects.
 *
 * Every step goes to the candidate memcg that has given the least so far
 * relative to its weight (written / weight), for a slice of the run's
 * budget: memcgs with weights 1 and 3 give a quarter and three quarters. A
 * cgroup's weight comes from the "weight" map (cgroup id -> weight, set with
 * `zswap-bpf set weight CGROUP=W`), else from its nearest ancestor in the
 * run's subtree that has one, else default_weight. Weight 0 protects: the
 * policy never writes back from that cgroup, nor from its descendants that
 * have no weight of their own (a child's own weight wins).
 *
 * Helps when the operator knows which jobs' compressed memory matters
 * (a database next to batch jobs) and wants that policy, not the memcg tree
 * order, to decide. Loses when weights are stale: the map is not cleaned
 * when cgroups go away, and a protected cgroup keeps its pool share while
 * others pay (the pool limit can then stall: if only protected memcgs hold
 * entries, pool-limit runs end without writing). Weights set above the
 * run's root are not seen: use memory.zswap.writeback=0 for a hard
 * guarantee. Each decision walks all candidates: O(memcgs) per step.
 *
 * Knobs: default_weight - weight of cgroups without one (0: only cgroups
 * given a weight are written back); slices - a step's budget is the run's
 * request / slices (at least 32 KiB), in pool-limit runs too.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 default_weight = 100;
const volatile u32 slices = 256;

ZSWAP_BPF_STATS_MAP;
ZSWAP_BPF_EVENTS_MAP;
ZSWAP_BPF_RUN_MAP;
ZSWAP_BPF_CGROUP_MAP(weight);

/* Weighted cgroups nested deeper than this do not pass their weight down */
#define DEPTH 8

ZSWAP_WB_OP(void, weighted_run_begin, struct zswap_wb_ctx *wb)
{
	zswap_bpf_run_new(wb);
}

ZSWAP_WB_OP(u64, weighted_select_memcg, struct zswap_wb_ctx *wb)
{
	u64 id = 0, prev = 0, best = 0, share, least = ~0ULL, anc[DEPTH] = {};
	u32 *wp, w, anc_w[DEPTH] = {};
	struct zswap_bpf_run_memcg *m;
	int i, j, top = 0;

	bpf_for(i, 0, ZSWAP_BPF_MAX_MEMCGS) {
		id = bpf_zswap_next_memcg(wb->root_cgid, prev);
		if (!id)
			break;
		/*
		 * anc[] holds the weighted ancestors of prev, innermost last;
		 * id lies in T's subtree iff it follows prev in T's walk.
		 */
		bpf_for(j, 0, DEPTH) {
			if (!top || bpf_zswap_next_memcg(anc[(top - 1) & (DEPTH - 1)],
							 prev) == id)
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
		if (!w || zswap_bpf_own_age(id) < 0)
			continue;
		m = zswap_bpf_run_get(wb, id);
		if (!m || m->dropped)
			continue;
		share = (m->written << 10) / w;
		if (share < least) {
			best = id;
			least = share;
		}
	}
	zswap_bpf_stat_add(&stats, best ? ZSWAP_BPF_STAT_SELECTED :
					  ZSWAP_BPF_STAT_ENDED, 1);
	return best;
}

ZSWAP_WB_OP(u64, weighted_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_slice_budget(wb, slices);
}

ZSWAP_WB_OP(void, weighted_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	struct zswap_bpf_run_memcg *m = zswap_bpf_run_get(wb, cgid);

	if (m) {
		m->written += bytes;
		m->dropped = zswap_bpf_step_failed(err);
	}
	zswap_bpf_step_report(&stats, wb, cgid, bytes, err);
}

ZSWAP_WB_OPS_DEFINE(weighted,
	.run_begin	= (void *)weighted_run_begin,
	.select_memcg	= (void *)weighted_select_memcg,
	.step_budget	= (void *)weighted_step_budget,
	.step_done	= (void *)weighted_step_done,
);
