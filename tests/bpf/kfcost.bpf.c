// SPDX-License-Identifier: GPL-2.0
/*
 * kfcost - what the kfuncs cost, measured inside a callback
 * (tests/bench/kfunc_cost.sh). At every run begin it times, with
 * bpf_ktime_get_ns(), `loops` calls of each kfunc on the run's root, an
 * empty loop, and two walks of the whole subtree that read each memcg's
 * own entries: by id (bpf_zswap_next_memcg(), bpf_zswap_memcg_stat()) and
 * by css (zswap_bpf_for_each_memcg_css(): bpf_iter_css,
 * bpf_zswap_css_candidate(), bpf_zswap_css_stat()); and a third walk,
 * bpf_zswap_next_stored_memcg(), which only stops at memcgs with entries
 * (at run begin the run has held no memcg yet: each call looks the
 * previous id up, as a policy resuming a pool-limit run's cursor does).
 * The totals add up in the globals, which the bench reads with bpftool;
 * `found` keeps what each walk counted, which must agree. select_memcg
 * returns 0: a proactive run ends at once, so each "1K source=zswap" is
 * one sample.
 *
 * loops: calls per kfunc per run (--set loops=N)
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 loops = 32;

enum {
	C_EMPTY, C_STAT, C_AGE, C_NEXT, C_CSS_STAT, C_CSS_AGE, C_CSS_CAND,
	C_FROM_ID, C_WALK_ID, C_WALK_CSS, C_WALK_STORED, C_NR
};

u64 ns[C_NR];
u64 calls;
u64 walks;
u64 visited[3];	/* memcgs walked: by id, by css, to those with entries */
u64 found[3];	/* of them, with entries of their own */
s64 sink;

static s64 call(int kind, u64 root, struct cgroup *cgrp, u32 i)
{
	struct cgroup *c;

	switch (kind) {
	case C_STAT:
		return bpf_zswap_memcg_stat(root, ZSWAP_WB_STAT_STORED_PAGES_LOCAL);
	case C_AGE:
		return bpf_zswap_memcg_lru_head_age_ns(root);
	case C_NEXT:
		return bpf_zswap_next_memcg(root, 0);
	case C_CSS_STAT:
		return bpf_zswap_css_stat(&cgrp->self, ZSWAP_WB_STAT_STORED_PAGES_LOCAL);
	case C_CSS_AGE:
		return bpf_zswap_css_lru_head_age_ns(&cgrp->self);
	case C_CSS_CAND:
		return bpf_zswap_css_candidate(&cgrp->self);
	case C_FROM_ID:
		c = bpf_cgroup_from_id(root);
		if (c)
			bpf_cgroup_release(c);
		return !!c;
	default:
		return i;
	}
}

static u64 time_calls(int kind, u64 root, struct cgroup *cgrp)
{
	u64 t0 = bpf_ktime_get_ns();
	u32 i;

	for (i = 0; i < loops && i < 4096; i++)
		sink += call(kind, root, cgrp, i);
	return bpf_ktime_get_ns() - t0;
}

static u64 walk_by_id(u64 root)
{
	u64 t0 = bpf_ktime_get_ns(), id;

	zswap_bpf_for_each_memcg(id, root) {
		visited[0]++;
		if (zswap_bpf_has_entries(id))
			found[0]++;
	}
	return bpf_ktime_get_ns() - t0;
}

static u64 walk_by_css(u64 root)
{
	u64 t0 = bpf_ktime_get_ns(), id;
	struct cgroup_subsys_state *pos;

	zswap_bpf_for_each_memcg_css(pos, id, root) {
		visited[1]++;
		if (bpf_zswap_css_stat(pos, ZSWAP_WB_STAT_STORED_PAGES_LOCAL) > 0)
			found[1]++;
	}
	return bpf_ktime_get_ns() - t0;
}

static u64 walk_stored(struct zswap_wb_ctx *wb)
{
	u64 t0 = bpf_ktime_get_ns(), id = 0;
	int i;

	bpf_for(i, 0, ZSWAP_BPF_MAX_MEMCGS) {
		id = bpf_zswap_next_stored_memcg(wb, id);
		if (!id)
			break;
		visited[2]++;
		if (zswap_bpf_has_entries(id))
			found[2]++;
	}
	return bpf_ktime_get_ns() - t0;
}

ZSWAP_WB_OP(void, kfcost_run_begin, struct zswap_wb_ctx *wb)
{
	struct cgroup *cgrp;
	int k;

	cgrp = bpf_cgroup_from_id(wb->root_cgid);
	if (!cgrp)
		return;
	for (k = 0; k < C_WALK_ID; k++)
		ns[k] += time_calls(k, wb->root_cgid, cgrp);
	bpf_cgroup_release(cgrp);
	ns[C_WALK_ID] += walk_by_id(wb->root_cgid);
	ns[C_WALK_CSS] += walk_by_css(wb->root_cgid);
	ns[C_WALK_STORED] += walk_stored(wb);
	calls += loops;
	walks++;
}

ZSWAP_WB_OP(u64, kfcost_select_memcg, struct zswap_wb_ctx *wb)
{
	return 0;
}

ZSWAP_WB_OPS_DEFINE(kfcost,
	.run_begin	= (void *)kfcost_run_begin,
	.select_memcg	= (void *)kfcost_select_memcg,
);
