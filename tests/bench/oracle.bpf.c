// SPDX-License-Identifier: GPL-2.0
/*
 * oracle - write back only from the memcgs user space says are cold.
 *
 * The A/B harness (tests/bench/ab) knows which memcgs of a scenario will
 * never read their data again, and puts their cgroup ids in the "cold" map
 * before the writeback run. The oracle visits those memcgs round-robin, in
 * the order of bpf_zswap_next_memcg(), and no others. A proactive run ends
 * after a pass over the cold memcgs that found nothing to walk: short of
 * its budget (-EAGAIN) rather than write back data that will be read again.
 *
 * Not a policy to deploy: it is the bound the real ones are measured
 * against (pages read back from disk for the bytes written back). It loses
 * only where its map is wrong, and knows nothing about the age of entries
 * inside a memcg. It lives with the benchmark, not in bpf/, so that
 * `zswap-bpf list` offers only policies that work on their own.
 *
 * Proactive steps take the kernel's default batch; pool-limit steps take
 * ZSWAP_BPF_POOL_STEP bytes, as coldest_first's do, where the kernel's
 * one-entry batch would need a step per entry (two for a fresh one). In
 * pool-limit runs it keeps its cursor across runs, like round_robin.
 *
 * Knobs: the "cold" map, cgroup id -> non-zero, set after attaching
 * (bpftool map update id ID key <8 bytes> value <4 bytes>).
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

/* Same layout as ZSWAP_BPF_CGROUP_MAP: hash, u64 cgroup id -> u32 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ZSWAP_BPF_MAX_MEMCGS);
	__type(key, u64);
	__type(value, u32);
} cold SEC(".maps");

ZSWAP_BPF_STATS_MAP(stats);

/*
 * Per run reason: the last memcg chosen, whether its pass did anything, and
 * whether that pass began at the first cold memcg (a pool-limit run begins
 * where the last one stopped: reaching the end is not a whole pass yet)
 */
u64 cursor[2];
bool progress[2];
bool whole[2];

static u64 next_cold(u64 root, u64 prev)
{
	u64 id = prev;
	u32 *c;
	int i;

	bpf_for(i, 0, ZSWAP_BPF_MAX_MEMCGS) {
		id = bpf_zswap_next_memcg(root, id);
		if (!id)
			return 0;
		c = bpf_map_lookup_elem(&cold, &id);
		if (c && *c &&
		    bpf_zswap_memcg_stat(id, ZSWAP_WB_STAT_STORED_PAGES) > 0)
			return id;
	}
	return 0;
}

ZSWAP_WB_OP(void, oracle_run_begin, struct zswap_wb_ctx *wb)
{
	u32 r = wb->reason & 1;

	if (wb->reason == ZSWAP_WB_PROACTIVE)
		cursor[r] = 0;
	progress[r] = false;
	whole[r] = !cursor[r];
}

ZSWAP_WB_OP(u64, oracle_select_memcg, struct zswap_wb_ctx *wb)
{
	u32 r = wb->reason & 1;
	u64 next;

	next = next_cold(wb->root_cgid, cursor[r]);
	if (!next) {
		/* end of a pass: another only if this one did something */
		if (!progress[r] && whole[r]) {
			zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_ENDED, 1);
			return 0;
		}
		progress[r] = false;
		whole[r] = true;
		next = next_cold(wb->root_cgid, 0);
		if (!next)
			return 0;
	}
	cursor[r] = next;
	zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_SELECTED, 1);
	return next;
}

/* Proactive: the default batch; pool limit: more than one entry a step */
ZSWAP_WB_OP(u64, oracle_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_pool_budget(wb);
}

ZSWAP_WB_OP(void, oracle_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	/* -ENOENT: nothing was walked */
	if (err != -2)
		progress[wb->reason & 1] = true;
	else
		zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_EMPTY, 1);
	zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_BYTES, bytes);
}

ZSWAP_WB_OPS_DEFINE(oracle,
	.run_begin	= (void *)oracle_run_begin,
	.select_memcg	= (void *)oracle_select_memcg,
	.step_budget	= (void *)oracle_step_budget,
	.step_done	= (void *)oracle_step_done,
);
