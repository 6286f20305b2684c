// SPDX-License-Identifier: GPL-2.0
/*
 * bad_policy - every way a policy can choose badly, for
 * tests/vm/test_bad_policies.sh, which loads it with `zswap-bpf load
 * --set mode=... --set target=...`. The kernel must keep each run in its
 * subtree and budget, end it, and eject the policy when it keeps failing.
 *
 *   BAD_FIXED:        always choose `target` (outside the subtree, missing,
 *                     writeback disabled, empty)
 *   BAD_RANDOM:       a random 64-bit id each step (bpf_get_prandom_u32)
 *   BAD_RANDOM_RANGE: a random id in 0..target, so a mix of valid ids,
 *                     ids outside the subtree, of non-memcgs, missing
 *                     ids and 0
 *   BAD_ZERO:         0 forever: every run ends before its first step
 *   BAD_BURN:         spend `loops` iterations of bpf_loop (at most
 *                     BPF_MAX_LOOPS, 1 << 23) in select_memcg and in
 *                     step_budget, then choose round-robin
 *   BAD_BURN_NESTED:  the same, `outer` times over: a bpf_loop whose
 *                     callback runs the burning bpf_loop. The verifier
 *                     bounds each loop, not their product.
 *
 * In every mode step_budget returns `budget` (0: the built-in batch), or
 * a random 64-bit budget with random_budget set; `first_budget`, if set,
 * for the first step of each run (so that later steps start with bytes
 * already written, as they do when the pool is far over its limit).
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

enum bad_mode {
	BAD_FIXED,
	BAD_RANDOM,
	BAD_RANDOM_RANGE,
	BAD_ZERO,
	BAD_BURN,
	BAD_BURN_NESTED,
};

const volatile enum bad_mode mode = BAD_FIXED;
const volatile u64 target;
const volatile u64 budget;
const volatile bool random_budget;
const volatile u64 first_budget;
const volatile u32 loops = 1 << 23;
const volatile u32 outer = 1;

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);

u64 cursor;
/* what the last burn computed, so that the loop cannot be optimised out */
u64 burnt;
/* the most bytes one step wrote back (racy max: a lower one may win a race) */
u64 max_step_bytes;

static u64 random_u64(void)
{
	return (u64)bpf_get_prandom_u32() << 32 | bpf_get_prandom_u32();
}

static long burn_one(u64 i, void *ctx)
{
	u64 *acc = ctx;

	*acc = *acc * 6364136223846793005ULL + i;
	return 0;
}

static long burn_inner(u64 i, void *ctx)
{
	bpf_loop(loops, burn_one, ctx, 0);
	return 0;
}

/* As much work as a callback may do: bpf_loop's own bound (or outer x) */
static void burn(void)
{
	u64 acc = bpf_ktime_get_ns();

	if (mode == BAD_BURN_NESTED)
		bpf_loop(outer, burn_inner, &acc, 0);
	else
		bpf_loop(loops, burn_one, &acc, 0);
	burnt = acc;
}

static u64 round_robin(struct zswap_wb_ctx *wb)
{
	cursor = bpf_zswap_next_memcg(wb->root_cgid, cursor);
	if (!cursor)
		cursor = bpf_zswap_next_memcg(wb->root_cgid, 0);
	return cursor;
}

static u64 choose(struct zswap_wb_ctx *wb)
{
	switch (mode) {
	case BAD_FIXED:
		return target;
	case BAD_RANDOM:
		return random_u64();
	case BAD_RANDOM_RANGE:
		return bpf_get_prandom_u32() % (target + 1);
	case BAD_ZERO:
		return 0;
	default:
		burn();
		return round_robin(wb);
	}
}

ZSWAP_WB_OP(u64, bad_policy_select_memcg, struct zswap_wb_ctx *wb)
{
	return zswap_bpf_selected(&stats, choose(wb));
}

ZSWAP_WB_OP(u64, bad_policy_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	if (mode >= BAD_BURN)
		burn();
	if (first_budget && wb->step == 1)
		return first_budget;
	return random_budget ? random_u64() : budget;
}

ZSWAP_WB_OP(void, bad_policy_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	if (bytes > max_step_bytes)
		max_step_bytes = bytes;
	zswap_bpf_step_report(&stats, &events, wb, cgid, bytes, err);
}

ZSWAP_WB_OPS_DEFINE(bad_policy,
	.select_memcg	= (void *)bad_policy_select_memcg,
	.step_budget	= (void *)bad_policy_step_budget,
	.step_done	= (void *)bad_policy_step_done,
);
