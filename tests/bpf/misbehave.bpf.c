// SPDX-License-Identifier: GPL-2.0
/*
 * misbehave - a policy that makes the choices the kernel must refuse, for
 * tests/vm/test_hook.sh. The "cfg" map picks the misbehaviour at run time:
 *
 *   MB_TARGET:  always choose cfg.target (a cgroup outside the run's subtree,
 *               one with writeback disabled, one that does not exist, or an
 *               empty one: the kernel must reject the first three and
 *               eject a policy that keeps choosing an empty memcg)
 *   MB_BUDGET:  choose round-robin, but ask for cfg.target bytes per step
 *               (U64_MAX: the kernel must keep a proactive run in its budget)
 *   MB_ALTERNATE: choose, turn about, the two cgroup ids packed in
 *               cfg.target (low and high 32 bits): with two empty memcgs,
 *               every step is idle and none repeats the last, so the
 *               kernel must hand the run to round-robin after its idle
 *               bound instead of ejecting the policy (or spinning)
 *
 * The "mb_errs" map counts what step_done was told, for the test to read
 * back with bpftool: steps with err -EPERM, -ESRCH, -ENOENT, any other
 * error, and err 0.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

enum { MB_TARGET, MB_BUDGET, MB_ALTERNATE };

struct cfg {
	u64 mode;
	u64 target;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct cfg);
} cfg SEC(".maps");

struct errs {
	u64 eperm;
	u64 esrch;
	u64 enoent;
	u64 other;
	u64 ok;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct errs);
} mb_errs SEC(".maps");

ZSWAP_BPF_STATS_MAP(stats);

/* Exit kind the kernel reported, for the test to read back with bpftool */
s32 exit_kind = -1;
u64 cursor;
u64 turn;

static struct cfg *get_cfg(void)
{
	u32 key = 0;

	return bpf_map_lookup_elem(&cfg, &key);
}

ZSWAP_WB_OP(u64, misbehave_select_memcg, struct zswap_wb_ctx *wb)
{
	struct cfg *c = get_cfg();

	if (!c)
		return 0;
	zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_SELECTED, 1);
	if (c->mode == MB_TARGET)
		return c->target;
	if (c->mode == MB_ALTERNATE)
		return turn++ & 1 ? c->target >> 32 : c->target & 0xffffffff;
	cursor = bpf_zswap_next_memcg(wb->root_cgid, cursor);
	if (!cursor)
		cursor = bpf_zswap_next_memcg(wb->root_cgid, 0);
	return cursor;
}

ZSWAP_WB_OP(u64, misbehave_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	struct cfg *c = get_cfg();

	return c && c->mode == MB_BUDGET ? c->target : 0;
}

ZSWAP_WB_OP(void, misbehave_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	u32 key = 0;
	struct errs *e = bpf_map_lookup_elem(&mb_errs, &key);

	zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_BYTES, bytes);
	if (!e)
		return;
	if (err == -1)		/* EPERM */
		__sync_fetch_and_add(&e->eperm, 1);
	else if (err == -3)	/* ESRCH */
		__sync_fetch_and_add(&e->esrch, 1);
	else if (err == -ZSWAP_BPF_ENOENT)
		__sync_fetch_and_add(&e->enoent, 1);
	else if (err)
		__sync_fetch_and_add(&e->other, 1);
	else
		__sync_fetch_and_add(&e->ok, 1);
}

ZSWAP_WB_OP(void, misbehave_exit, struct zswap_wb_exit_info *info)
{
	exit_kind = info->kind;
}

ZSWAP_WB_OPS_DEFINE(misbehave,
	.select_memcg	= (void *)misbehave_select_memcg,
	.step_budget	= (void *)misbehave_step_budget,
	.step_done	= (void *)misbehave_step_done,
	.exit		= (void *)misbehave_exit,
);
