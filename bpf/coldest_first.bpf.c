// SPDX-License-Identifier: GPL-2.0
/*
 * coldest_first - write back from the memcg whose zswap LRU head is oldest.
 *
 * Every step goes to the candidate memcg whose own LRU head (the entry a
 * step writes back next) was stored longest ago, so writeback approximates one LRU across all memcgs
 * instead of equal slices of each: a job that parked its data in zswap an
 * hour ago gives it up before a job that swapped out a second ago.
 *
 * Helps when memcgs age differently (batch jobs next to services) and the
 * oldest data is the least likely to be read again. Loses when age is a bad
 * proxy for coldness: data stored long ago but read back often (zswap loads
 * drop the entry, so that case mostly corrects itself), or one memcg whose
 * cold tail is large, which then pays for everyone.
 *
 * Cost: a fill reads the age of 512 candidates at most, O(nodes) each, into
 * a cache of the 16 oldest per subtree; a step then reads the age of the
 * cache's head only. In a subtree of more than 512 candidates a fill looks
 * at the next 512 after the last fill's, so the order is the oldest of that
 * window, not of the subtree, and a window with nothing in zswap costs an
 * idle step.
 * The cache keeps the time the entry at the head of each memcg's LRU was
 * stored. That time mostly moves forward, but not always: a walk rotates
 * referenced entries (second chance) to the tail, so an older one can
 * reach the head later. The order is therefore a good guess, not a proof:
 * the head, once its time is read again and still the smallest cached, is
 * taken (to a second: the kernel keeps store times in whole seconds). The cache is refilled
 * when every entry in it has gone, grown younger than another, stopped
 * being a candidate (writeback disabled, offline) or failed a step.
 *
 * Knobs: min_age_ms - never write back from a memcg whose LRU head is
 * younger than this, in whole seconds (0: no floor). When nothing is old enough the policy
 * ends the run: a proactive run returns -EAGAIN; a pool-limit run is
 * finished by the kernel round-robin, young entries included, since the
 * pool limit is the kernel's to keep.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u64 min_age_ms;

ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);

#define NR_CANDS 16

/*
 * Ages come from a coarse clock (a jiffy, up to 10 ms), so two memcgs stored
 * together can swap places on every read: the head only sinks behind the
 * next candidate when it is younger by more than this.
 */
#define CLOCK_SLACK_NS (20 * 1000000ULL)

/*
 * The oldest memcgs of one subtree, by the time their oldest entry was
 * stored, ascending from @head to @nr; a fill looks at ZSWAP_BPF_CALL_VISITS
 * memcgs at most and the next one goes on after @resume (0: the subtree's
 * root). Runs on the same subtree at once share
 * it without a lock: a race loses or repeats a candidate, which only costs
 * a refill or a step, and every id in it belongs to the subtree.
 */
struct cands {
	u32 head;
	u32 nr;
	u64 resume;
	u64 id[NR_CANDS];
	u64 stored[NR_CANDS];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, u64);		/* root_cgid */
	__type(value, struct cands);
} cands SEC(".maps");

/*
 * An index the verifier can see is in the array: the code checks every
 * index against NR_CANDS already, so the compiler drops a plain mask, and
 * the bounds it knows are not always the verifier's.
 */
static __always_inline u32 slot(u32 j)
{
	barrier_var(j);
	return j & (NR_CANDS - 1);
}

/*
 * The helpers below are global functions: the verifier checks each once, on
 * its own, instead of at every turn of the caller's loop, where their inner
 * loops multiply the states past its limit.
 */

static __always_inline void cands_set(struct cands *c, u32 j, u64 id,
				      u64 stored)
{
	c->id[slot(j)] = id;
	c->stored[slot(j)] = stored;
}

static __always_inline void cands_move(struct cands *c, u32 to, u32 from)
{
	cands_set(c, to, c->id[slot(from)], c->stored[slot(from)]);
}

/*
 * Insert into the sorted array, dropping the youngest when it is full. The
 * loops index from their iterator, never from a counter carried across
 * turns: the verifier could not tell such turns apart from new states.
 */
__noinline int cands_push(struct cands *c, u64 id, u64 stored)
{
	u32 last, j, k;

	if (!c)
		return 0;
	if (c->nr >= NR_CANDS && stored >= c->stored[NR_CANDS - 1])
		return 0;
	last = c->nr < NR_CANDS ? c->nr++ : NR_CANDS - 1;
	bpf_for(k, 0, NR_CANDS) {
		if (k > last)
			break;
		j = last - k;
		if (j == 0 || c->stored[slot(j - 1)] <= stored) {
			cands_set(c, j, id, stored);
			break;
		}
		cands_move(c, j, j - 1);
	}
	return 0;
}

/*
 * The next ZSWAP_BPF_CALL_VISITS candidates after c->resume, wrapping to the
 * subtree's root once: a fill costs the same with 40 memcgs or 4000, and
 * with more than that it is the oldest of a window that moves on at each
 * fill. c->resume is left at the last one visited, or 0 if the walk went
 * round.
 */
__noinline int cands_fill(struct cands *c, u64 root)
{
	u64 id, start, now = bpf_ktime_get_ns();
	bool wrapped = false;
	s64 age;
	int i;

	if (!c)
		return 0;
	c->head = 0;
	c->nr = 0;
	start = c->resume;
	id = start;
	bpf_for(i, 0, ZSWAP_BPF_CALL_VISITS) {
		id = zswap_bpf_next_memcg_wrap(root, id, start, &wrapped);
		if (!id)
			break;
		age = zswap_bpf_own_age(id);
		if (age >= 0)
			cands_push(c, id, now - age);
	}
	c->resume = id;
	return 0;
}

/* Head's time has grown to @stored: move it back to its place in the order */
__noinline int cands_sink(struct cands *c, u64 stored)
{
	u32 head, j, k;
	u64 id;

	if (!c || c->head >= NR_CANDS)
		return 0;
	head = c->head;
	id = c->id[slot(head)];
	bpf_for(k, 0, NR_CANDS) {
		j = head + k;
		if (j + 1 >= c->nr || j + 1 >= NR_CANDS ||
		    c->stored[slot(j + 1)] >= stored) {
			cands_set(c, j, id, stored);
			break;
		}
		cands_move(c, j, j + 1);
	}
	return 0;
}

static struct cands *cands_get(u64 root)
{
	struct cands *c = bpf_map_lookup_elem(&cands, &root);
	struct cands init = {};

	if (c)
		return c;
	bpf_map_update_elem(&cands, &root, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&cands, &root);
}

/*
 * The head, once its age is read again and it is still the oldest; 0 when
 * the oldest entry of all is younger than min_age_ms or nothing is left.
 */
static u64 cands_pick(struct cands *c, u64 root)
{
	u64 id, stored, floor = min_age_ms * 1000000ULL, any = 0;
	bool filled = false;
	s64 age;
	u32 h;
	int i;

	/* each turn drops or sinks the head, or refills once */
	bpf_for(i, 0, 3 * NR_CANDS + 2) {
		if (c->head >= c->nr) {
			/*
			 * Nothing in this window: an idle step on a candidate
			 * of it, so that the next call looks at the next one
			 */
			if (filled)
				return c->resume;
			cands_fill(c, root);
			filled = true;
			continue;
		}
		h = c->head;
		id = c->id[slot(h)];
		age = zswap_bpf_own_age(id);
		/*
		 * Emptied, gone, or no longer a candidate (offline, or
		 * writeback disabled since the fill). A refused choice
		 * would count towards ejecting the policy.
		 */
		if (age < 0 || !zswap_bpf_is_candidate(id)) {
			c->head++;
			continue;
		}
		if ((u64)age < floor)
			return 0;
		any = id;
		stored = bpf_ktime_get_ns() - age;
		if (h + 1 < c->nr && h + 1 < NR_CANDS &&
		    stored > c->stored[slot(h + 1)] + CLOCK_SLACK_NS) {
			cands_sink(c, stored);
			continue;
		}
		c->stored[slot(h)] = stored;
		return id;
	}
	/* out of turns, not of candidates: any one is old enough */
	return any;
}

/*
 * The outcome of the run's last step, read from its context (wb->last_*)
 * rather than in a step_done, one callback less a step. A step that failed
 * (zswap_bpf_step_failed()) drops its memcg from the cache until the next
 * fill, rather than have the next step choose it again.
 */
static __always_inline void coldest_first_last_step(struct zswap_wb_ctx *wb,
						    struct cands *c)
{
	u64 cgid = wb->last_cgid;

	if (!cgid)
		return;
	if (c && zswap_bpf_step_failed(wb->last_err) && c->head < c->nr &&
	    c->id[slot(c->head)] == cgid)
		c->head++;
	zswap_bpf_last_report(&stats, &events, wb);
}

ZSWAP_WB_OP(u64, coldest_first_select_memcg, struct zswap_wb_ctx *wb)
{
	struct cands *c = cands_get(wb->root_cgid);

	coldest_first_last_step(wb, c);
	return zswap_bpf_selected(&stats, c ? cands_pick(c, wb->root_cgid) : 0);
}

/* Proactive runs: the kernel's batch; pool-limit runs: see the header */
ZSWAP_WB_OP(u64, coldest_first_step_budget, struct zswap_wb_ctx *wb, u64 cgid)
{
	return zswap_bpf_pool_budget(wb);
}

ZSWAP_WB_OP(void, coldest_first_run_end, struct zswap_wb_ctx *wb)
{
	u64 root = wb->root_cgid;

	coldest_first_last_step(wb, bpf_map_lookup_elem(&cands, &root));
}

ZSWAP_WB_OPS_DEFINE(coldest_first,
	.select_memcg	= (void *)coldest_first_select_memcg,
	.step_budget	= (void *)coldest_first_step_budget,
	.run_end	= (void *)coldest_first_run_end,
);
