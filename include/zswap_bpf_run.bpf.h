/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run state for policies that resume their walk of the subtree where the
 * last step left it, instead of walking every memcg at every step: a step
 * then costs what it skips, and a run O(memcgs) per pass.
 *
 * struct zswap_bpf_run is kept per (reason, root), as round_robin's cursor:
 * proactive runs on different subtrees at once have one each, pool-limit
 * runs (always from the root) one between them. Two proactive runs on the
 * same subtree share it: the later one restarts it, which costs the earlier
 * at most a pass in a different order. zswap_bpf_run_start(), called from
 * run_begin, also gives the run the next generation of its (reason, root):
 * the state of each memcg in the run (what the run took from it) is keyed
 * by (cgroup id, reason, root, generation), so a run starts from nothing
 * without clearing the map, and the entries of old runs age out of the LRU
 * map. Losing
 * either state to the LRU makes a memcg look untouched, or ends a run early:
 * never an invalid choice.
 *
 * Include it once, from the policy's .bpf.c (it defines maps), after
 * zswap_bpf.bpf.h; zswap_bpf_sweep.bpf.h and zswap_bpf_share.bpf.h build
 * the two walks of the shipped policies on it.
 */
#ifndef __ZSWAP_BPF_RUN_BPF_H
#define __ZSWAP_BPF_RUN_BPF_H

#include "zswap_bpf.bpf.h"

struct zswap_bpf_run_key {
	u64 root_cgid;
	u32 reason;
	u32 pad;
};

/* What a run's walk needs between calls; level, next and total are the walk's */
struct zswap_bpf_run {
	u64 cursor;	/* memcg of the last step; 0: start from the root */
	u64 level;	/* threshold (sweep) or round (share) */
	u64 next;	/* best value below the threshold seen this pass (sweep) */
	u64 total;	/* sum of the memcgs' values at run begin (share) */
	struct zswap_bpf_run_key key;	/* the run's own key */
	u32 gen;	/* the run's generation */
	bool seen;	/* the pass has met a candidate (share) */
	bool chose;	/* the pass has chosen a memcg (share) */
};

struct zswap_bpf_memcg_key {
	u64 cgid;
	struct zswap_bpf_run_key run;
	u32 gen;
	u32 pad;
};

struct zswap_bpf_run_memcg {
	u64 value;	/* the policy's measure of it: bytes or weight */
	u64 written;	/* compressed bytes the run took from it */
	bool dropped;	/* a step failed on it: not chosen again this run */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, struct zswap_bpf_run_key);
	__type(value, struct zswap_bpf_run);
} zswap_bpf_runs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 2 * ZSWAP_BPF_MAX_MEMCGS);
	__type(key, struct zswap_bpf_memcg_key);
	__type(value, struct zswap_bpf_run_memcg);
} zswap_bpf_run_memcgs SEC(".maps");

static inline struct zswap_bpf_run *zswap_bpf_run_lookup(struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run_key key = { .root_cgid = wb->root_cgid,
					 .reason = wb->reason };

	return bpf_map_lookup_elem(&zswap_bpf_runs, &key);
}

/* For run_begin: the run's state, reset, with a new generation */
static inline struct zswap_bpf_run *zswap_bpf_run_start(struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run_key key = { .root_cgid = wb->root_cgid,
					 .reason = wb->reason };
	struct zswap_bpf_run *old = bpf_map_lookup_elem(&zswap_bpf_runs, &key);
	struct zswap_bpf_run init = { .key = key, .gen = old ? old->gen + 1 : 1 };

	bpf_map_update_elem(&zswap_bpf_runs, &key, &init, BPF_ANY);
	return bpf_map_lookup_elem(&zswap_bpf_runs, &key);
}

static inline struct zswap_bpf_run_memcg *
zswap_bpf_run_memcg(struct zswap_bpf_run *run, u64 cgid)
{
	struct zswap_bpf_memcg_key key = { .cgid = cgid, .run = run->key,
					   .gen = run->gen };

	return bpf_map_lookup_elem(&zswap_bpf_run_memcgs, &key);
}

/* @cgid's state in the run, created with @value if the run has none */
static inline struct zswap_bpf_run_memcg *
zswap_bpf_run_memcg_add(struct zswap_bpf_run *run, u64 cgid, u64 value)
{
	struct zswap_bpf_memcg_key key = { .cgid = cgid, .run = run->key,
					   .gen = run->gen };
	struct zswap_bpf_run_memcg init = { .value = value };

	bpf_map_update_elem(&zswap_bpf_run_memcgs, &key, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&zswap_bpf_run_memcgs, &key);
}

/*
 * The step_done of a policy on run state: count what the step took, drop
 * a memcg a step failed on, and report the step (zswap_bpf_step_report()):
 *
 *	zswap_bpf_run_step_done(&stats, &events, wb, cgid, bytes, err);
 */
static __always_inline void zswap_bpf_run_step_done(void *stats, void *events,
						    struct zswap_wb_ctx *wb,
						    u64 cgid, u64 bytes, s32 err)
{
	struct zswap_bpf_run *run = zswap_bpf_run_lookup(wb);
	struct zswap_bpf_run_memcg *m = run ? zswap_bpf_run_memcg(run, cgid) : NULL;

	if (m) {
		m->written += bytes;
		if (zswap_bpf_step_failed(err))
			m->dropped = true;
	}
	zswap_bpf_step_report(stats, events, wb, cgid, bytes, err);
}

#endif /* __ZSWAP_BPF_RUN_BPF_H */
