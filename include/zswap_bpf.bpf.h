/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared header of the zswap-bpf writeback policies (BPF side).
 *
 * A policy is a struct zswap_writeback_ops whose callbacks are declared with
 * ZSWAP_WB_OP() and gathered by ZSWAP_WB_OPS_DEFINE(); see bpf/round_robin.bpf.c.
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
s64 bpf_zswap_memcg_oldest_age_ns(u64 cgid) __ksym;
u64 bpf_zswap_next_memcg(u64 root_cgid, u64 prev_cgid) __ksym;

/* Policy statistics: a per-CPU array indexed by enum zswap_bpf_policy_stat */
#define ZSWAP_BPF_STATS_MAP                                      \
	struct {                                                 \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);         \
		__uint(max_entries, ZSWAP_BPF_STAT_NR);          \
		__type(key, u32);                                \
		__type(value, u64);                              \
	} stats SEC(".maps")

static __always_inline void zswap_bpf_stat_add(void *map, u32 idx, u64 val)
{
	u64 *cnt = bpf_map_lookup_elem(map, &idx);

	if (cnt)
		*cnt += val;
}

#endif /* __ZSWAP_BPF_BPF_H */
