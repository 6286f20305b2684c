/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Share rounds: split a run across memcgs in proportion to a value of each
 * (its size, a weight), at a cost per step that does not grow with memcgs.
 *
 * The policy's run_begin calls zswap_bpf_share_start() and then, in one walk,
 * zswap_bpf_share_add() for each memcg that may give; select_memcg calls
 * zswap_bpf_run_last_step() and zswap_bpf_share_select(), step_budget
 * zswap_bpf_share_budget() and run_end zswap_bpf_run_last_step().
 *
 * A memcg's target is round x requested x value / total: its part of what
 * the run has taken when it has taken round x requested in all. A cursor
 * walks the subtree in pre-order and stays on each memcg until it has met
 * its target (or failed a step), then moves on. When a pass finds no
 * memcg below its target, the round doubles. Round 1 meets the request when
 * every memcg can give its part, so the split is exact to an entry per
 * memcg; a memcg that cannot (it ran out, its entries were referenced)
 * leaves its part to later rounds, in which all the others give more in
 * proportion. Memcgs that were not candidates at run begin wait for the
 * next run. The run ends after a pass that met no candidate.
 *
 * Cost: the walk at run begin, then each call looks at the memcgs its
 * cursor passes (O(memcgs) per pass): a run costs O(memcgs x passes) plus
 * its steps, passes being the rounds (log2 of how far the memcgs fell
 * short) and the passes whose steps only rotated entries. A call looks at
 * ZSWAP_BPF_CALL_VISITS memcgs at most; one out of visits takes a memcg
 * that has paid, for one entry (the split is then off by that entry), else
 * one with nothing to write back (an idle step, -ENOENT), never one outside
 * the run, and with neither ends the run early.
 */
#ifndef __ZSWAP_BPF_SHARE_BPF_H
#define __ZSWAP_BPF_SHARE_BPF_H

#include "zswap_bpf_run.bpf.h"

/*
 * a * b, or U64_MAX when that does not fit. barrier_var() keeps clang from
 * turning the test into a 128-bit multiply, which BPF does not have.
 */
static __always_inline u64 zswap_bpf_mul_sat(u64 a, u64 b)
{
	u64 max;

	if (!a)
		return 0;
	max = ~0ULL / a;
	barrier_var(max);
	return b > max ? ~0ULL : a * b;
}

/* For run_begin: a new run in round 1 */
static struct zswap_bpf_run *zswap_bpf_share_start(struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run *run = zswap_bpf_run_start(wb);

	run->level = 1;
	return run;
}

/* For run_begin's walk: @cgid may give, in proportion to @value (> 0) */
static void zswap_bpf_share_add(struct zswap_bpf_run *run, u64 cgid, u64 value)
{
	if (zswap_bpf_run_memcg_add(run, cgid, value))
		run->total += value;
}

/* What @m should have given by the end of the run's current round */
static u64 zswap_bpf_share_target(struct zswap_wb_ctx *wb,
				  struct zswap_bpf_run *run,
				  struct zswap_bpf_run_memcg *m)
{
	u64 per = zswap_bpf_mul_sat(wb->requested, run->level);
	u64 total = run->total ?: 1, frac;

	/* per / total in 1/2^16, then x value: no overflow, saturated */
	if (per > ~0ULL >> 16)
		frac = zswap_bpf_mul_sat(per / total, 1 << 16);
	else
		frac = (per << 16) / total;
	return zswap_bpf_mul_sat(m->value, frac) >> 16;
}

/* Whether @cgid is a candidate of the run, and whether it owes */
enum zswap_bpf_share_state {
	ZSWAP_BPF_SHARE_OUT,	/* not in the run (weight 0...) or dropped */
	ZSWAP_BPF_SHARE_EMPTY,	/* in the run, nothing left to write back */
	ZSWAP_BPF_SHARE_PAID,
	ZSWAP_BPF_SHARE_OWES,
};

static __always_inline int zswap_bpf_share_state(struct zswap_wb_ctx *wb,
						 struct zswap_bpf_run *run,
						 u64 cgid)
{
	struct zswap_bpf_run_memcg *m = zswap_bpf_run_memcg(run, cgid);

	if (!m)
		return ZSWAP_BPF_SHARE_OUT;
	if (!zswap_bpf_has_entries(cgid))
		return ZSWAP_BPF_SHARE_EMPTY;
	if (m->dropped)
		return ZSWAP_BPF_SHARE_OUT;
	run->seen = true;
	return m->written < zswap_bpf_share_target(wb, run, m) ?
	       ZSWAP_BPF_SHARE_OWES : ZSWAP_BPF_SHARE_PAID;
}

/* The next memcg of the run, 0 when no candidate is left */
static u64 zswap_bpf_share_select(struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run *run = zswap_bpf_run_of(wb);
	u64 id, spare = 0, empty = 0;
	int i, state;

	id = run->cursor;
	/* the cursor's memcg first: it gives what it owes before we move on */
	if (id && zswap_bpf_share_state(wb, run, id) == ZSWAP_BPF_SHARE_OWES)
		return id;
	bpf_for(i, 0, ZSWAP_BPF_CALL_VISITS) {
		id = bpf_zswap_next_memcg(wb->root_cgid, id);
		if (!id) {
			if (!run->seen) {
				run->cursor = 0;
				return 0;
			}
			/* everyone met their target: the next round */
			if (!run->chose && run->level < (1ULL << 40))
				run->level *= 2;
			run->seen = false;
			run->chose = false;
			continue;
		}
		state = zswap_bpf_share_state(wb, run, id);
		if (state == ZSWAP_BPF_SHARE_OWES) {
			run->chose = true;
			run->cursor = id;
			return id;
		}
		if (state == ZSWAP_BPF_SHARE_PAID)
			spare = id;
		else if (state == ZSWAP_BPF_SHARE_EMPTY)
			empty = id;
	}
	/*
	 * Out of visits: the next call goes on from here. This one takes a
	 * memcg that has paid (for one entry), else one with nothing to write
	 * back (an idle step), never one outside the run (weight 0); with
	 * neither, it ends the run.
	 */
	run->cursor = id;
	return spare ?: empty;
}

/* What @cgid still owes this round, at most @cap bytes; one entry if none */
static u64 zswap_bpf_share_budget(struct zswap_wb_ctx *wb, u64 cgid, u64 cap)
{
	struct zswap_bpf_run *run = zswap_bpf_run_of(wb);
	struct zswap_bpf_run_memcg *m = zswap_bpf_run_memcg(run, cgid);
	u64 target;

	if (!m)
		return cap;
	target = zswap_bpf_share_target(wb, run, m);
	if (target <= m->written)
		return 1;
	return target - m->written < cap ? target - m->written : cap;
}

#endif /* __ZSWAP_BPF_SHARE_BPF_H */
