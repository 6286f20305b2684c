/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared header of the zswap-bpf writeback policies (BPF side).
 *
 * A policy is a struct zswap_writeback_ops whose callbacks are declared with
 * ZSWAP_WB_OP() and gathered by ZSWAP_WB_OPS_DEFINE(); see bpf/round_robin.bpf.c.
 * It walks the candidate memcgs with zswap_bpf_for_each_memcg() only,
 * defines its maps with the data macros below, which take the name, and
 * reports with zswap_bpf_selected() (select_memcg) and
 * zswap_bpf_step_report() (step_done), or, with no step_done, with
 * zswap_bpf_last_report() (select_memcg and run_end). No macro here defines
 * a function (tests/unit/test_bpf_source.sh): names stay visible where they
 * are used, and the verifier's line info points at real lines.
 *
 * Policies that keep a cursor across the steps of a run build on
 * zswap_bpf_run.bpf.h: zswap_bpf_sweep.bpf.h (largest value first) and
 * zswap_bpf_share.bpf.h (split in proportion to a value).
 */
#ifndef __ZSWAP_BPF_BPF_H
#define __ZSWAP_BPF_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/*
 * The Makefile appends ZSWAP_BPF_VMLINUX_HAS_OPS to vmlinux.h when the BTF it
 * was dumped from has struct zswap_writeback_ops.
 */
#ifndef ZSWAP_BPF_VMLINUX_HAS_OPS
#error "vmlinux.h lacks struct zswap_writeback_ops: dump it from a kernel built from kernel-patches/ with CONFIG_ZSWAP_BPF=y ('make vmlinux.h' does)"
#endif

#include "zswap_bpf.h"

/*
 * A callback: ZSWAP_WB_OP(u64, rr_select_memcg, struct zswap_wb_ctx *wb).
 * BPF_PROG() takes the name "ctx" for itself.
 */
#define ZSWAP_WB_OP(ret, name, args...) \
	SEC("struct_ops/" #name) ret BPF_PROG(name, ##args)

/* The policy itself: ZSWAP_WB_OPS_DEFINE(rr, .select_memcg = (void *)rr_select_memcg) */
#define ZSWAP_WB_OPS_DEFINE(__name, ...)                         \
	SEC(".struct_ops.link")                                  \
	struct zswap_writeback_ops __name = {                    \
		.name = #__name,                                 \
		__VA_ARGS__                                      \
	}

/* kfuncs of the patched kernel (kernel-doc in mm/zswap.c) */
s64 bpf_zswap_memcg_stat(u64 cgid, enum zswap_wb_stat_item item) __ksym;
s64 bpf_zswap_memcg_lru_head_age_ns(u64 cgid) __ksym;
u64 bpf_zswap_next_memcg(u64 root_cgid, u64 prev_cgid) __ksym;
u64 bpf_zswap_next_stored_memcg(struct zswap_wb_ctx *ctx, u64 prev_cgid) __ksym;
s64 bpf_zswap_css_stat(struct cgroup_subsys_state *css,
		       enum zswap_wb_stat_item item) __ksym;
s64 bpf_zswap_css_lru_head_age_ns(struct cgroup_subsys_state *css) __ksym;
bool bpf_zswap_css_candidate(struct cgroup_subsys_state *css) __ksym;

/* Generic kfuncs (kernel/bpf/helpers.c) for walking a subtree by css */
struct cgroup *bpf_cgroup_from_id(u64 cgid) __ksym;
void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
int bpf_iter_css_new(struct bpf_iter_css *it, struct cgroup_subsys_state *start,
		     unsigned int flags) __ksym;
struct cgroup_subsys_state *bpf_iter_css_next(struct bpf_iter_css *it) __ksym;
void bpf_iter_css_destroy(struct bpf_iter_css *it) __ksym;

/*
 * The one walk of a subtree's candidate memcgs (bpf_zswap_next_memcg(): in
 * pre-order, the root first) that policies use; a policy never calls the
 * kfunc itself. A loop, not a function, so that its body is the caller's:
 *
 *	zswap_bpf_for_each_memcg_from(id, wb->root_cgid, prev, visits) { ... }
 *
 * sets @id to each candidate after @from (0: from the root) in turn, for at
 * most @visits of them. After the loop, @id is 0 when the walk reached its
 * end, else the memcg where it stopped (a break, or out of visits), from
 * which the next walk can go on. An open-coded iterator (as bpf_repeat())
 * bounds it for the verifier.
 */
#define zswap_bpf_for_each_memcg_from(id, root, from, visits)            \
	for (struct bpf_iter_num ___it __attribute__((aligned(8),        \
				cleanup(bpf_iter_num_destroy))),         \
	     *___p __attribute__((unused)) =                             \
		(bpf_iter_num_new(&___it, 0, (visits)),                  \
		 (void)bpf_iter_num_destroy, (id) = (from), (void *)0);  \
	     bpf_iter_num_next(&___it) &&                                \
	     ((id) = bpf_zswap_next_memcg((root), (id))); )

/* The whole subtree, as run_begin walks it: ZSWAP_BPF_MAX_MEMCGS at most */
#define zswap_bpf_for_each_memcg(id, root) \
	zswap_bpf_for_each_memcg_from(id, root, 0, ZSWAP_BPF_MAX_MEMCGS)

/* Cleanup of the subtree root a walk by css holds */
static __always_inline void zswap_bpf_cgroup_put(struct cgroup **cgrp)
{
	if (*cgrp)
		bpf_cgroup_release(*cgrp);
}

/*
 * The walk of zswap_bpf_for_each_memcg() by css, for a walk of the whole
 * subtree: the same candidates in the same order, ZSWAP_BPF_MAX_MEMCGS at
 * most, without a cgroup id lookup per memcg (one for the root):
 *
 *	zswap_bpf_for_each_memcg_css(pos, id, wb->root_cgid) { ... }
 *
 * sets @pos to each candidate's css, for the bpf_zswap_css_*() kfuncs, and
 * @id to its cgroup id, what select_memcg returns. A walk by css cannot
 * resume after a given memcg: a cursor that moves on across callbacks
 * (zswap_bpf_for_each_memcg_from()) stays a walk by id. The outer loops
 * run once: one holds the subtree's root, one counts the candidates (an
 * open-coded iterator, which the verifier need not follow value by value);
 * a break in the body leaves the walk and them with it.
 */
#define zswap_bpf_for_each_memcg_css(pos, id, root_cgid)                 \
	for (struct cgroup *___root __attribute__((                      \
			cleanup(zswap_bpf_cgroup_put))) =                \
		bpf_cgroup_from_id(root_cgid), *___once = ___root;       \
	     ___once; ___once = (void *)0)                               \
	for (struct bpf_iter_num ___n __attribute__((aligned(8),         \
				cleanup(bpf_iter_num_destroy))),         \
	     *___q = (bpf_iter_num_new(&___n, 0, ZSWAP_BPF_MAX_MEMCGS),  \
		      (void)bpf_iter_num_destroy, (void *)0);            \
	     !___q; ___q = (void *)1)                                    \
	for (struct bpf_iter_css ___it __attribute__((aligned(8),        \
				cleanup(bpf_iter_css_destroy))),         \
	     *___p __attribute__((unused)) =                             \
		(bpf_iter_css_new(&___it, &___root->self,                \
				  BPF_CGROUP_ITER_DESCENDANTS_PRE),      \
		 (void *)0);                                             \
	     ((pos) = bpf_iter_css_next(&___it)); )                      \
		if (!bpf_zswap_css_candidate(pos)) {                     \
		} else if (!bpf_iter_num_next(&___n)) {                  \
			break;                                           \
		} else if (((id) = zswap_bpf_css_id(pos)), 0) {          \
		} else

/* The cgroup id of @css's cgroup, what select_memcg returns */
static __always_inline u64 zswap_bpf_css_id(struct cgroup_subsys_state *css)
{
	return css->cgroup->kn->id;
}

/*
 * The memcg after @id in a walk of @root's subtree that started after
 * @start and wraps round to the root once (*@wrapped says it has): 0 back
 * at @start, or at the end of the walk if @start is 0. For a walk that
 * moves its window on at each call, as coldest_first's fill.
 */
static __always_inline u64 zswap_bpf_next_memcg_wrap(u64 root, u64 id,
						     u64 start, bool *wrapped)
{
	id = bpf_zswap_next_memcg(root, id);
	if (!id && start && !*wrapped) {
		*wrapped = true;
		id = bpf_zswap_next_memcg(root, 0);
	}
	return *wrapped && id == start ? 0 : id;
}

/*
 * Whether @id comes right after @prev in a walk of @root's subtree: for a
 * walk that has reached @prev inside that subtree, whether @id is still in
 * it.
 */
static __always_inline bool zswap_bpf_walk_follows(u64 root, u64 prev, u64 id)
{
	return bpf_zswap_next_memcg(root, prev) == id;
}

/*
 * Whether @cgid may be chosen now (online, writeback enabled in it and its
 * ancestors): a walk from it starts at it only if it is a candidate. A
 * choice that is not one counts towards ejecting the policy.
 */
static __always_inline bool zswap_bpf_is_candidate(u64 cgid)
{
	return bpf_zswap_next_memcg(cgid, 0) == cgid;
}

/*
 * Data macros take the name of what they define, as sched_ext's
 * UEI_DEFINE(uei), so that it is visible where a policy uses it; the loader
 * pins a policy's maps by name and shows "stats" and "events" only under
 * those names: ZSWAP_BPF_STATS_MAP(stats), ZSWAP_BPF_EVENTS_MAP(events).
 */

/* Policy statistics: a per-CPU array indexed by enum zswap_bpf_policy_stat */
#define ZSWAP_BPF_STATS_MAP(__name)                              \
	struct {                                                 \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);         \
		__uint(max_entries, ZSWAP_BPF_STAT_NR);          \
		__type(key, u32);                                \
		__type(value, u64);                              \
	} __name SEC(".maps")

/*
 * A per-cgroup parameter: a hash map from cgroup id to a u32, which the
 * loader pins at PIN_DIR/<name> and `zswap-bpf set <name> CGROUP=VALUE`
 * updates. The loader recognises these maps by their layout (hash, 8-byte
 * key, 4-byte value), so keep other hash maps of a policy different.
 */
#define ZSWAP_BPF_CGROUP_MAP(__name)                             \
	struct {                                                 \
		__uint(type, BPF_MAP_TYPE_HASH);                 \
		__uint(max_entries, ZSWAP_BPF_MAX_MEMCGS);       \
		__type(key, u64);                                \
		__type(value, u32);                              \
	} __name SEC(".maps")

/*
 * Step budget of a policy in pool-limit runs. The kernel's own batch there
 * is one entry per node, which on a memcg whose entries are all fresh
 * (referenced: second chance) only rotates; a run gives up after 16 such
 * steps. A policy that stays on one memcg asks for more: up to this many
 * compressed bytes, walking up to 1024 entries per node.
 */
#define ZSWAP_BPF_POOL_STEP	(256 << 10)

static __always_inline u64 zswap_bpf_pool_budget(struct zswap_wb_ctx *wb)
{
	return wb->reason == ZSWAP_WB_POOL_LIMIT ? ZSWAP_BPF_POOL_STEP : 0;
}

/*
 * A step of 1/slices of the run's request, for policies that share a run out
 * among memcgs: small enough to rebalance often, at least 32 KiB so a large
 * request is not spent in thousands of one-entry steps.
 */
#define ZSWAP_BPF_MIN_SLICE	(32 << 10)

static __always_inline u64 zswap_bpf_slice_budget(struct zswap_wb_ctx *wb,
						  u32 slices)
{
	u64 slice = wb->requested / (slices ?: 1);

	return slice > ZSWAP_BPF_MIN_SLICE ? slice : ZSWAP_BPF_MIN_SLICE;
}

/* errno values step_done sees (errno.h is not for BPF) */
#define ZSWAP_BPF_ENOENT	2	/* the memcg had nothing to walk */
#define ZSWAP_BPF_EAGAIN	11	/* walked, but wrote nothing back */

/*
 * Entries on the memcg's own zswap LRUs: exact, unlike the byte stats
 * (flushed at run begin), and what a step on it can write back.
 */
static __always_inline bool zswap_bpf_has_entries(u64 cgid)
{
	return bpf_zswap_memcg_stat(cgid, ZSWAP_WB_STAT_STORED_PAGES_LOCAL) > 0;
}

/*
 * The memcg's own compressed bytes when stats were last flushed (at run
 * begin): 1 if that says none but it has entries, 0 if it has none.
 */
static __always_inline u64 zswap_bpf_own_bytes(u64 cgid)
{
	s64 bytes;

	if (!zswap_bpf_has_entries(cgid))
		return 0;
	bytes = bpf_zswap_memcg_stat(cgid, ZSWAP_WB_STAT_COMPRESSED_BYTES_LOCAL);
	return bytes > 0 ? bytes : 1;
}

/* zswap_bpf_own_bytes() of a memcg a walk by css holds */
static __always_inline u64 zswap_bpf_css_own_bytes(struct cgroup_subsys_state *css)
{
	s64 bytes;

	if (bpf_zswap_css_stat(css, ZSWAP_WB_STAT_STORED_PAGES_LOCAL) <= 0)
		return 0;
	bytes = bpf_zswap_css_stat(css, ZSWAP_WB_STAT_COMPRESSED_BYTES_LOCAL);
	return bytes > 0 ? bytes : 1;
}

/*
 * Age in ns (whole seconds) of the entries at the head of the memcg's own
 * zswap LRUs, or -1 when it has none: what a step from it writes back next,
 * unlike the hierarchical stats, which show an inner memcg its children's
 * bytes too. Second-chance rotation can put older entries behind the head.
 */
static __always_inline s64 zswap_bpf_own_age(u64 cgid)
{
	s64 age = bpf_zswap_memcg_lru_head_age_ns(cgid);

	return age < 0 ? -1 : age;
}

/*
 * A step whose memcg should not be chosen again soon: it had nothing to
 * walk (-ENOENT), or the kernel refused the choice (-EPERM: writeback
 * disabled, -ESRCH: offline, -EINVAL: not a candidate). -EAGAIN is not one:
 * the walk gave every entry its second chance, and the next one writes.
 */
static __always_inline bool zswap_bpf_step_failed(s32 err)
{
	return err && err != -ZSWAP_BPF_EAGAIN;
}

static __always_inline void zswap_bpf_stat_add(void *map, u32 idx, u64 val)
{
	u64 *cnt = bpf_map_lookup_elem(map, &idx);

	if (cnt)
		*cnt += val;
}

/*
 * The select epilogue of every policy: count the choice, or the end of the
 * run (@id 0), in @stats (ZSWAP_BPF_STATS_MAP), and return @id:
 *
 *	return zswap_bpf_selected(&stats, id);
 */
static __always_inline u64 zswap_bpf_selected(void *stats, u64 id)
{
	zswap_bpf_stat_add(stats, id ? ZSWAP_BPF_STAT_SELECTED :
				       ZSWAP_BPF_STAT_ENDED, 1);
	return id;
}

/*
 * Decisions for `zswap-bpf trace`: ZSWAP_BPF_EVENTS_MAP(events) defines the
 * ring buffer, which the loader pins under the name "events", and
 * zswap_bpf_emit() writes a step to it. Events are dropped, never waited
 * for. Until a reader has consumed from the buffer (its consumer position
 * is still 0), it keeps the first ZSWAP_BPF_EVENTS_UNREAD records (two
 * CPUs at once may each add one more): enough for a trace that attaches
 * a moment after the steps began, without paying for a full buffer nobody
 * reads. Once a reader has consumed, the buffer fills up to full, as a
 * trace that stopped leaves it. A step that finds the buffer at its
 * bound costs two lockless bpf_ringbuf_query() calls: no reservation,
 * which takes the buffer's spinlock, and no record nobody will read.
 */
_Static_assert(ZSWAP_WB_POOL_LIMIT == ZSWAP_BPF_EV_POOL_LIMIT &&
	       ZSWAP_WB_PROACTIVE == ZSWAP_BPF_EV_PROACTIVE,
	       "enum zswap_wb_reason changed: update ZSWAP_BPF_EV_*");

#define ZSWAP_BPF_EVENTS_MAP(__name)                             \
	struct {                                                 \
		__uint(type, BPF_MAP_TYPE_RINGBUF);              \
		__uint(max_entries, ZSWAP_BPF_EVENTS_SIZE);      \
	} __name SEC(".maps")

static __always_inline void zswap_bpf_emit(void *events,
					   struct zswap_wb_ctx *wb, u32 step,
					   u64 cgid, u64 bytes, s32 err)
{
	/* what a record takes in the buffer: its header and 8-byte alignment */
	const u64 rec = (sizeof(struct zswap_bpf_event) + BPF_RINGBUF_HDR_SZ +
			 7) & ~7ULL;
	u64 avail = bpf_ringbuf_query(events, BPF_RB_AVAIL_DATA);
	struct zswap_bpf_event *e;

	if (avail > ZSWAP_BPF_EVENTS_SIZE - rec ||
	    (avail >= ZSWAP_BPF_EVENTS_UNREAD * rec &&
	     !bpf_ringbuf_query(events, BPF_RB_CONS_POS)))
		return;
	e = bpf_ringbuf_reserve(events, sizeof(*e), 0);
	if (!e)
		return;
	e->time_ns = bpf_ktime_get_ns();
	e->cgid = cgid;
	e->bytes = bytes;
	e->reason = wb->reason;
	e->step = step;
	e->err = err;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
}

/* A step's counters in @stats and its event in @events */
static __always_inline void zswap_bpf_report(void *stats, void *events,
					     struct zswap_wb_ctx *wb, u32 step,
					     u64 cgid, u64 bytes, s32 err)
{
	if (err == -ZSWAP_BPF_ENOENT)
		zswap_bpf_stat_add(stats, ZSWAP_BPF_STAT_EMPTY, 1);
	zswap_bpf_stat_add(stats, ZSWAP_BPF_STAT_BYTES, bytes);
	zswap_bpf_emit(events, wb, step, cgid, bytes, err);
}

/*
 * What every policy's step_done has in common: the counters of @stats
 * (ZSWAP_BPF_STATS_MAP) and the event in @events (ZSWAP_BPF_EVENTS_MAP).
 * The shipped policies have no step_done: they report with
 * zswap_bpf_last_report() below, those on zswap_bpf_run.bpf.h through
 * zswap_bpf_run_last_step(), which also keeps the run's account.
 */
static __always_inline void zswap_bpf_step_report(void *stats, void *events,
						  struct zswap_wb_ctx *wb,
						  u64 cgid, u64 bytes, s32 err)
{
	zswap_bpf_report(stats, events, wb, wb->step, cgid, bytes, err);
}

/*
 * The same from select_memcg and from run_end, for a policy without
 * step_done: the step the kernel last told of in wb->last_*, unless it was
 * reported already (the kernel then cleared last_cgid). Under TCG a
 * step_done call costs more than the report itself. The event is stamped
 * when the next step is chosen, or the run ends, not when the step ended.
 */
static __always_inline void zswap_bpf_last_report(void *stats, void *events,
						  struct zswap_wb_ctx *wb)
{
	if (wb->last_cgid)
		zswap_bpf_report(stats, events, wb, wb->last_step,
				 wb->last_cgid, wb->last_bytes, wb->last_err);
}

#endif /* __ZSWAP_BPF_BPF_H */
