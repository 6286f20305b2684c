// SPDX-License-Identifier: GPL-2.0
/*
 * priv - a round-robin policy that keeps its cursor in the run context's
 * priv area (patch 0017) and checks the kernel's promises about it, for
 * tests/vm/test_hook.sh: priv is zeroed when each run begins, and it is
 * the run's own, two runs at once on the same subtree included.
 *
 * At run_begin it counts a run (runs), and a priv with any word set
 * (dirty), then writes the run's token to the first word, its complement
 * to the last, and records which task runs it. Every later callback checks
 * both words and the task (checks; foreign when they do not match: another
 * run's state, or the area cut short); pool_runs counts the pool-limit
 * runs among runs. most_active is the most runs seen
 * between their run_begin and run_end at once: the test's proof that two
 * runs did overlap.
 *
 * With `bad_write` set it also writes outside priv, which the verifier must
 * refuse: 1 writes ctx->step, 2 the 8 bytes right after priv, 3 the 8 bytes
 * from priv's last 4 on, 4 the 8 bytes from the 4 before priv on.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 bad_write;

u64 runs, pool_runs, dirty, checks, foreign, active, most_active;

/* the task of each run, by token */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u64);
} run_task SEC(".maps");

ZSWAP_BPF_STATS_MAP(stats);

static u64 tokens;

#define PRIV_WORDS (sizeof(((struct zswap_wb_ctx *)0)->priv) / sizeof(u64))
#define TOKEN		0
#define CURSOR		1
#define PROGRESS	2
#define CHECK		(PRIV_WORDS - 1)

/* Whether @wb's priv is what this run's run_begin left there */
static __always_inline void check(struct zswap_wb_ctx *wb)
{
	u64 token = wb->priv[TOKEN];
	u64 *task = bpf_map_lookup_elem(&run_task, &token);

	__sync_fetch_and_add(&checks, 1);
	if (!token || wb->priv[CHECK] != ~token || !task ||
	    *task != bpf_get_current_pid_tgid())
		__sync_fetch_and_add(&foreign, 1);
}

ZSWAP_WB_OP(void, priv_run_begin, struct zswap_wb_ctx *wb)
{
	u64 token = __sync_add_and_fetch(&tokens, 1);
	u64 task = bpf_get_current_pid_tgid();
	u64 now;
	u32 i;

	__sync_fetch_and_add(&runs, 1);
	if (wb->reason == ZSWAP_WB_POOL_LIMIT)
		__sync_fetch_and_add(&pool_runs, 1);
	now = __sync_add_and_fetch(&active, 1);
	if (now > most_active)
		most_active = now;
#pragma unroll
	for (i = 0; i < PRIV_WORDS; i++) {
		if (wb->priv[i]) {
			__sync_fetch_and_add(&dirty, 1);
			break;
		}
	}
	if (bad_write == 1)
		wb->step = 0;
	if (bad_write == 2)
		*(u64 *)((char *)wb->priv + sizeof(wb->priv)) = 1;
	if (bad_write == 3)
		*(u64 *)((char *)wb->priv + sizeof(wb->priv) - 4) = 1;
	if (bad_write == 4)
		*(u64 *)((char *)wb->priv - 4) = 1;
	bpf_map_update_elem(&run_task, &token, &task, BPF_ANY);
	wb->priv[TOKEN] = token;
	wb->priv[CHECK] = ~token;
}

/* round_robin's walk, its state in priv */
ZSWAP_WB_OP(u64, priv_select_memcg, struct zswap_wb_ctx *wb)
{
	u64 next;

	check(wb);
	next = bpf_zswap_next_stored_memcg(wb, wb->priv[CURSOR]);
	if (!next) {
		if (wb->reason == ZSWAP_WB_PROACTIVE && !wb->priv[PROGRESS])
			return zswap_bpf_selected(&stats, 0);
		wb->priv[PROGRESS] = 0;
		next = bpf_zswap_next_stored_memcg(wb, 0);
	}
	wb->priv[CURSOR] = next;
	return zswap_bpf_selected(&stats, next);
}

ZSWAP_WB_OP(void, priv_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	check(wb);
	if (!err || err == -ZSWAP_BPF_EAGAIN)
		wb->priv[PROGRESS] = 1;
}

ZSWAP_WB_OP(void, priv_run_end, struct zswap_wb_ctx *wb)
{
	u64 token = wb->priv[TOKEN];

	check(wb);
	bpf_map_delete_elem(&run_task, &token);
	__sync_fetch_and_sub(&active, 1);
}

ZSWAP_WB_OPS_DEFINE(priv,
	.run_begin	= (void *)priv_run_begin,
	.select_memcg	= (void *)priv_select_memcg,
	.step_done	= (void *)priv_step_done,
	.run_end	= (void *)priv_run_end,
);
