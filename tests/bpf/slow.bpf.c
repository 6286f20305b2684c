// SPDX-License-Identifier: GPL-2.0
/*
 * slow - a policy that chooses round-robin but spends `outer` x `loops`
 * iterations of bpf_loop (nested: the verifier bounds each loop, not their
 * product) in one callback, `where`: 0 select_memcg, 1 step_budget,
 * 2 step_done. For tests/vm/test_slow.sh: the kernel must eject it on its
 * first call longer than zswap's bpf_max_call_us, and leave it alone under.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 where;
const volatile u32 loops = 1 << 16;
const volatile u32 outer = 1;

u64 cursor;
/* what the burn computed, so that it cannot be optimised out */
u64 burnt;

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

static void burn(u32 here)
{
	u64 acc = here;

	if (here != where)
		return;
	bpf_loop(outer, burn_inner, &acc, 0);
	burnt = acc;
}

ZSWAP_WB_OP(u64, slow_select_memcg, struct zswap_wb_ctx *wb)
{
	burn(0);
	cursor = bpf_zswap_next_memcg(wb->root_cgid, cursor);
	if (!cursor)
		cursor = bpf_zswap_next_memcg(wb->root_cgid, 0);
	return cursor;
}

ZSWAP_WB_OP(u64, slow_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	burn(1);
	return 0;
}

ZSWAP_WB_OP(void, slow_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	burn(2);
}

ZSWAP_WB_OPS_DEFINE(slow,
	.select_memcg	= (void *)slow_select_memcg,
	.step_budget	= (void *)slow_step_budget,
	.step_done	= (void *)slow_step_done,
);
