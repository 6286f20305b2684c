/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Threshold sweep: "the memcg with the largest value first", within a factor
 * of 2, at a cost per run that does not grow with memcgs x steps.
 *
 * The policy defines
 *	static s64 sweep_value(struct zswap_wb_ctx *wb,
 *			       struct zswap_bpf_run *run, u64 cgid);
 * a memcg's value now (bytes left, age, ...), 0 if it has nothing to write
 * back, -1 if it has but is no candidate (hot, a step failed on it),
 * and calls zswap_bpf_sweep_start() from run_begin with the largest value
 * of the subtree (one walk), zswap_bpf_sweep_select() from select_memcg
 * and zswap_bpf_run_last_step() from select_memcg and run_end.
 *
 * A cursor walks the subtree in pre-order and stops at the first memcg whose
 * value is at least the threshold; the next step looks at that memcg again
 * first, so it is drained down below the threshold before the cursor moves
 * on. When the cursor reaches the end of the walk, every memcg was below the
 * threshold when it passed: the threshold drops to half, or to the largest
 * value the pass saw if that is lower, and a new pass starts. So every
 * choice has at least half the largest value at that moment (values only
 * fall during a run, except a memcg new since run begin), and a pass finds
 * something unless values fell under it meanwhile. The run ends when a pass
 * saw no candidate at all.
 *
 * Cost: one pass per halving, each O(memcgs) kfunc calls, so a run costs
 * O(memcgs x log2(largest value)) plus its steps. A call looks at
 * ZSWAP_BPF_CALL_VISITS memcgs at most; one out of visits takes the largest
 * value it saw, below the threshold (the factor of 2 then does not hold for
 * that step), else a memcg with nothing to write back (an idle step,
 * -ENOENT: the kernel hands a run to round-robin after 32 in a row), never
 * a non-candidate; with neither, it ends the run early.
 */
#ifndef __ZSWAP_BPF_SWEEP_BPF_H
#define __ZSWAP_BPF_SWEEP_BPF_H

#include "zswap_bpf_run.bpf.h"

static s64 sweep_value(struct zswap_wb_ctx *wb, struct zswap_bpf_run *run,
		       u64 cgid);

/* For run_begin: a new run whose first pass takes values >= @largest */
static struct zswap_bpf_run *zswap_bpf_sweep_start(struct zswap_wb_ctx *wb,
						   u64 largest)
{
	struct zswap_bpf_run *run = zswap_bpf_run_start(wb);

	run->level = largest ?: 1;
	return run;
}

/* The next memcg of the sweep, 0 when no candidate is left */
static u64 zswap_bpf_sweep_select(struct zswap_wb_ctx *wb)
{
	struct zswap_bpf_run *run = zswap_bpf_run_of(wb);
	u64 id, best = 0, best_val = 0, empty = 0;
	s64 val;
	int i;

	id = run->cursor;
	bpf_for(i, 0, ZSWAP_BPF_CALL_VISITS) {
		/* the cursor's memcg first, then on through the walk */
		if (i || !id) {
			id = bpf_zswap_next_memcg(wb->root_cgid, id);
			if (!id) {
				/*
				 * End of a pass (or the cursor's memcg went
				 * away, which ends it early): all were below
				 * the threshold.
				 */
				if (!run->next) {
					run->cursor = 0;
					return 0;
				}
				run->level = run->level / 2 < run->next ?
					     run->level / 2 : run->next;
				run->next = 0;
				continue;
			}
		}
		val = sweep_value(wb, run, id);
		if (!val)
			empty = id;
		if (val <= 0)
			continue;
		if ((u64)val >= run->level) {
			run->cursor = id;
			return id;
		}
		if ((u64)val > run->next)
			run->next = val;
		if ((u64)val > best_val) {
			best = id;
			best_val = val;
		}
	}
	/*
	 * Out of visits: the next call goes on from here. This one takes the
	 * largest value it saw, else a memcg with nothing to write back (an
	 * idle step), never a non-candidate; with neither, it ends the run.
	 */
	run->cursor = id;
	return best ?: empty;
}

#endif /* __ZSWAP_BPF_SWEEP_BPF_H */
