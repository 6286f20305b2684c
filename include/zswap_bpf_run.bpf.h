/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run state for policies that resume their walk of the subtree where the
 * last step left it, instead of walking every memcg at every step: a step
 * then costs what it skips, and a run O(memcgs) per pass.
 *
 * struct zswap_bpf_run lives in the run's context (wb->priv, which the
 * kernel zeroes when the run begins): every run has its own, concurrent
 * proactive runs on the same subtree included, and reaching it costs no
 * map lookup. The verifier lets a policy write priv only at offsets it
 * knows when it checks the program: a fixed layout, no index computed at
 * run time. zswap_bpf_run_start(), called from run_begin, also gives the
 * run a generation of its own: the state of each memcg in the run (what
 * the run took from it) is keyed by (cgroup id, generation), so a run
 * starts from nothing without clearing the map, and the entries of old runs
 * age out of the LRU map. Losing a memcg's state to the LRU makes it look
 * untouched: never an invalid choice.
 *
 * Include it once, from the policy's .bpf.c (it defines maps), after
 * zswap_bpf.bpf.h; zswap_bpf_sweep.bpf.h and zswap_bpf_share.bpf.h build
 * the two walks of the shipped policies on it.
 */
#ifndef __ZSWAP_BPF_RUN_BPF_H
#define __ZSWAP_BPF_RUN_BPF_H

#include "zswap_bpf.bpf.h"

/* What a run's walk needs between calls; level, next and total are the walk's */
struct zswap_bpf_run {
	u64 cursor;	/* memcg of the last step; 0: start from the root */
	u64 level;	/* threshold (sweep) or round (share) */
	u64 next;	/* best value below the threshold seen this pass (sweep) */
	u64 total;	/* sum of the memcgs' values at run begin (share) */
	u64 gen;	/* the run's generation */
	bool seen;	/* the pass has met a candidate (share) */
	bool chose;	/* the pass has chosen a memcg (share) */
};

_Static_assert(sizeof(struct zswap_bpf_run) <=
	       sizeof(((struct zswap_wb_ctx *)0)->priv),
	       "struct zswap_bpf_run must fit in zswap_wb_ctx.priv");

struct zswap_bpf_memcg_key {
	u64 cgid;
	u64 gen;
};

struct zswap_bpf_run_memcg {
	u64 value;	/* the policy's measure of it: bytes or weight */
	u64 written;	/* compressed bytes the run took from it */
	bool dropped;	/* a step failed on it: not chosen again this run */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 2 * ZSWAP_BPF_MAX_MEMCGS);
	__type(key, struct zswap_bpf_memcg_key);
	__type(value, struct zswap_bpf_run_memcg);
} zswap_bpf_run_memcgs SEC(".maps");

/* The last generation given to a run of this policy */
static u64 zswap_bpf_run_gen;

static __always_inline struct zswap_bpf_run *
zswap_bpf_run_of(struct zswap_wb_ctx *wb)
{
	return (struct zswap_bpf_run *)wb->priv;
}

/* For run_begin: the run's state (zeroed by the kernel), with a new generation */
static __always_inline struct zswap_bpf_run *
zswap_bpf_run_start(struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run *run = zswap_bpf_run_of(wb);

	run->gen = __sync_add_and_fetch(&zswap_bpf_run_gen, 1);
	return run;
}

static inline struct zswap_bpf_run_memcg *
zswap_bpf_run_memcg(struct zswap_bpf_run *run, u64 cgid)
{
	struct zswap_bpf_memcg_key key = { .cgid = cgid, .gen = run->gen };

	return bpf_map_lookup_elem(&zswap_bpf_run_memcgs, &key);
}

/* @cgid's state in the run, created with @value if the run has none */
static inline struct zswap_bpf_run_memcg *
zswap_bpf_run_memcg_add(struct zswap_bpf_run *run, u64 cgid, u64 value)
{
	struct zswap_bpf_memcg_key key = { .cgid = cgid, .gen = run->gen };
	struct zswap_bpf_run_memcg init = { .value = value };

	bpf_map_update_elem(&zswap_bpf_run_memcgs, &key, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&zswap_bpf_run_memcgs, &key);
}

/*
 * What a policy on run state does with the outcome of its last step, read
 * from the run's context (wb->last_*) at the start of select_memcg and in
 * run_end rather than in a step_done, one callback less a step: count what
 * the step took, drop a memcg a step failed on, and report the step
 * (zswap_bpf_last_report()):
 *
 *	zswap_bpf_run_last_step(&stats, &events, wb);
 */
static __always_inline void zswap_bpf_run_last_step(void *stats, void *events,
						    struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run_memcg *m;

	if (!wb->last_cgid)
		return;
	m = zswap_bpf_run_memcg(zswap_bpf_run_of(wb), wb->last_cgid);
	if (m) {
		m->written += wb->last_bytes;
		if (zswap_bpf_step_failed(wb->last_err))
			m->dropped = true;
	}
	zswap_bpf_last_report(stats, events, wb);
}

#endif /* __ZSWAP_BPF_RUN_BPF_H */
