// SPDX-License-Identifier: GPL-2.0
/*
 * probe - calls every kfunc from every callback, init included, and keeps
 * what they answered, for tests/vm/test_zswap_off.sh: with zswap never set
 * up each must answer "nothing there" (0 pages and bytes, -ENODATA for the
 * age), by cgroup id and by css, instead of touching zswap's uninitialised structures. The test reads
 * the globals back with bpftool. It chooses round-robin.
 *
 * For tests/vm/test_safety.sh it also checks that the kernel keeps every
 * step within what is left of its run's budget, whatever step_budget asks:
 * over_budget counts the steps that wrote back more than that plus one
 * entry per node.
 *
 * And that select_memcg and run_end find in wb->last_* what step_done was
 * told, once each: last_told counts step_done calls, last_seen the outcomes
 * found again, last_refused those of them the kernel refused, last_wrong
 * those found different, missed or found twice; ended counts the runs
 * select_memcg ended (returning 0), after which only run_end may look.
 *
 * refuse: a cgroup id chosen at the first step of every run, to be refused
 *         (--set refuse=ID of a cgroup with memory.zswap.writeback 0)
 * target: the cgroup id probed (--set target=ID)
 * budget: what step_budget returns (--set budget=18446744073709551615)
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u64 target;
const volatile u64 budget;
const volatile u64 refuse;

enum probe_cb { P_INIT, P_RUN_BEGIN, P_SELECT, P_BUDGET, P_DONE, P_RUN_END, P_NR };

/* per callback: calls, and the largest value each kfunc returned */
u64 calls[P_NR];
s64 max_stat[P_NR];
s64 age[P_NR];
u64 next[P_NR];
/* the same through the css kfuncs, on bpf_cgroup_from_id(target) */
s64 css_max_stat[P_NR];
s64 css_age[P_NR];
u64 css_candidate[P_NR];
u64 cursor;
u64 left;
u64 checked_steps;
u64 over_budget;
u64 last_told;
u64 last_seen;
u64 last_wrong;
u64 last_refused;
u64 ended;

/* what step_done was told, in the run's own context: runs may overlap */
struct told {
	u64 cgid;
	u64 bytes;
	s32 err;
	u32 step;
	bool pending;
};

static struct told *told(struct zswap_wb_ctx *wb)
{
	return (struct told *)wb->priv;
}

static void check_last(struct zswap_wb_ctx *wb)
{
	struct told *t = told(wb);

	if (!wb->last_cgid && !t->pending)
		return;
	if (wb->last_cgid && t->pending && wb->last_cgid == t->cgid &&
	    wb->last_bytes == t->bytes && wb->last_err == t->err &&
	    wb->last_step == t->step) {
		__sync_fetch_and_add(&last_seen, 1);
		if (t->err == -1 /* EPERM */)
			__sync_fetch_and_add(&last_refused, 1);
	} else {
		__sync_fetch_and_add(&last_wrong, 1);
	}
	t->pending = false;
}

static void probe_css(enum probe_cb cb)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(target);
	s64 v;
	int i;

	if (!cgrp)
		return;
	for (i = 0; i < ZSWAP_WB_STAT_NR; i++) {
		v = bpf_zswap_css_stat(&cgrp->self, i);
		if (v > css_max_stat[cb])
			css_max_stat[cb] = v;
	}
	css_age[cb] = bpf_zswap_css_lru_head_age_ns(&cgrp->self);
	css_candidate[cb] = bpf_zswap_css_candidate(&cgrp->self);
	bpf_cgroup_release(cgrp);
}

static void probe_all(enum probe_cb cb)
{
	s64 v;
	int i;

	if (cb >= P_NR)
		return;
	calls[cb]++;
	for (i = 0; i < ZSWAP_WB_STAT_NR; i++) {
		v = bpf_zswap_memcg_stat(target, i);
		if (v > max_stat[cb])
			max_stat[cb] = v;
	}
	age[cb] = bpf_zswap_memcg_lru_head_age_ns(target);
	next[cb] = bpf_zswap_next_memcg(target, 0);
	probe_css(cb);
}

ZSWAP_WB_OP(s32, probe_init)
{
	probe_all(P_INIT);
	return 0;
}

ZSWAP_WB_OP(void, probe_run_begin, struct zswap_wb_ctx *wb)
{
	probe_all(P_RUN_BEGIN);
}

ZSWAP_WB_OP(u64, probe_select_memcg, struct zswap_wb_ctx *wb)
{
	probe_all(P_SELECT);
	check_last(wb);
	if (refuse && wb->step == 1)
		return refuse;
	cursor = bpf_zswap_next_memcg(wb->root_cgid, cursor);
	if (!cursor)
		__sync_fetch_and_add(&ended, 1);
	return cursor;
}

ZSWAP_WB_OP(u64, probe_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	probe_all(P_BUDGET);
	left = wb->requested > wb->written ? wb->requested - wb->written : 0;
	return budget;
}

ZSWAP_WB_OP(void, probe_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	struct told *t = told(wb);

	probe_all(P_DONE);
	__sync_fetch_and_add(&last_told, 1);
	if (t->pending)
		__sync_fetch_and_add(&last_wrong, 1);
	*t = (struct told){ cgid, bytes, err, wb->step, true };
	if (!budget || err)
		return;
	checked_steps++;
	/* left 0: the built-in batch, one entry per node (here: one node) */
	if (bytes > left + 4096)
		over_budget++;
}

ZSWAP_WB_OP(void, probe_run_end, struct zswap_wb_ctx *wb)
{
	probe_all(P_RUN_END);
	check_last(wb);
}

ZSWAP_WB_OPS_DEFINE(probe,
	.init		= (void *)probe_init,
	.run_begin	= (void *)probe_run_begin,
	.select_memcg	= (void *)probe_select_memcg,
	.step_budget	= (void *)probe_step_budget,
	.step_done	= (void *)probe_step_done,
	.run_end	= (void *)probe_run_end,
);
