// SPDX-License-Identifier: GPL-2.0
/*
 * lifecycle - a round-robin policy that keeps score of the kernel's
 * lifecycle promises, for tests/vm/test_lifecycle.sh (issue 13): exit runs
 * exactly once per attachment, and no callback of a policy runs after its
 * exit began.
 *
 * Every instance (knob `inst`, one per load) counts in lc_score, a map
 * pinned by name so that all instances share it and it outlives them:
 * its callbacks, the callbacks that started after its exit (late), the
 * exits that found one of its callbacks still running (overlap), its
 * exits, and those of them that were ejections. With `bad` set it chooses
 * the root cgroup, outside every run's subtree but the root's, so that the
 * kernel ejects it.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 inst;
const volatile bool bad;

struct lc_score {
	u64 calls;
	u64 late;
	u64 overlap;
	u64 exits;
	u64 ejected;
	u64 active;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, struct lc_score);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lc_score SEC(".maps");

u64 cursor;

static struct lc_score *score(void)
{
	struct lc_score zero = {};
	u32 key = inst;
	struct lc_score *s;

	s = bpf_map_lookup_elem(&lc_score, &key);
	if (s)
		return s;
	bpf_map_update_elem(&lc_score, &key, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&lc_score, &key);
}

/* A callback begins: late if this instance's exit has begun already */
static struct lc_score *enter(void)
{
	struct lc_score *s = score();

	if (!s)
		return NULL;
	__sync_fetch_and_add(&s->active, 1);
	__sync_fetch_and_add(&s->calls, 1);
	if (s->exits)
		__sync_fetch_and_add(&s->late, 1);
	return s;
}

static void leave(struct lc_score *s)
{
	if (s)
		__sync_fetch_and_sub(&s->active, 1);
}

ZSWAP_WB_OP(void, lc_run_begin, struct zswap_wb_ctx *wb)
{
	leave(enter());
}

ZSWAP_WB_OP(u64, lc_select_memcg, struct zswap_wb_ctx *wb)
{
	struct lc_score *s = enter();
	u64 id;

	if (bad) {
		id = 1;
	} else {
		cursor = bpf_zswap_next_memcg(wb->root_cgid, cursor);
		if (!cursor)
			cursor = bpf_zswap_next_memcg(wb->root_cgid, 0);
		id = cursor;
	}
	leave(s);
	return id;
}

ZSWAP_WB_OP(u64, lc_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	leave(enter());
	return 0;
}

ZSWAP_WB_OP(void, lc_step_done, struct zswap_wb_ctx *wb, u64 cgid,
	    u64 bytes, s32 err)
{
	leave(enter());
}

ZSWAP_WB_OP(void, lc_run_end, struct zswap_wb_ctx *wb)
{
	leave(enter());
}

ZSWAP_WB_OP(void, lc_exit, struct zswap_wb_exit_info *info)
{
	struct lc_score *s = score();

	if (!s)
		return;
	__sync_fetch_and_add(&s->exits, 1);
	if (info->kind >= ZSWAP_WB_EXIT_INVALID)
		__sync_fetch_and_add(&s->ejected, 1);
	if (s->active)
		__sync_fetch_and_add(&s->overlap, 1);
}

ZSWAP_WB_OPS_DEFINE(lifecycle,
	.run_begin	= (void *)lc_run_begin,
	.select_memcg	= (void *)lc_select_memcg,
	.step_budget	= (void *)lc_step_budget,
	.step_done	= (void *)lc_step_done,
	.run_end	= (void *)lc_run_end,
	.exit		= (void *)lc_exit,
);
