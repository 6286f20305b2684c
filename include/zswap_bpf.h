/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants shared by the zswap-bpf policies and the loader.
 */
#ifndef __ZSWAP_BPF_H
#define __ZSWAP_BPF_H

/* BPF programs get the __u64 family from vmlinux.h */
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Where the loader pins the attached policy's link and maps */
#define ZSWAP_BPF_PIN_DIR	"/sys/fs/bpf/zswap-bpf"
/* The agents' state files (zswap-bpf agent, read by zswap-bpf stats) */
#define ZSWAP_BPF_RUN_DIR	"/run/zswap-bpf"
/* The kernel's counters and policy state (mm/zswap.c, CONFIG_ZSWAP_BPF) */
#define ZSWAP_BPF_DEBUGFS_DIR	"/sys/kernel/debug/zswap"

/* The most memcgs a policy looks at in one decision */
#define ZSWAP_BPF_MAX_MEMCGS	4096

/*
 * The most memcgs one call of select_memcg looks at. A walk of thousands
 * of memcgs in one call (a delegated owner can make them) runs past
 * zswap.bpf_max_call_us and gets the policy ejected as slow: 4000 memcgs
 * with their entry ages took over 0.5 s under TCG. A call out of visits
 * returns where its walk stopped (see each walk), and the next call goes
 * on from there.
 */
#define ZSWAP_BPF_CALL_VISITS	512

/* Indexes of every policy's per-CPU "stats" map */
enum zswap_bpf_policy_stat {
	ZSWAP_BPF_STAT_SELECTED,	/* memcgs chosen */
	ZSWAP_BPF_STAT_ENDED,		/* runs the policy ended */
	ZSWAP_BPF_STAT_BYTES,		/* compressed bytes written back */
	ZSWAP_BPF_STAT_EMPTY,		/* steps that found nothing */
	ZSWAP_BPF_STAT_NR,
};

/*
 * One step of a writeback run, as the kernel told the policy of it: what the
 * "events" ring buffer (ZSWAP_BPF_EVENTS_MAP(events)) carries to
 * `zswap-bpf trace`.
 */
struct zswap_bpf_event {
	__u64 time_ns;	/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 cgid;	/* the memcg the step wrote back from */
	__u64 bytes;	/* compressed bytes written back */
	__u32 reason;	/* ZSWAP_BPF_EV_POOL_LIMIT or ZSWAP_BPF_EV_PROACTIVE */
	__u32 step;	/* step number within the run */
	__s32 err;	/* 0, -ENOENT (nothing there), -EAGAIN (nothing written) */
	__u32 pad;
};

/* The kernel's enum zswap_wb_reason, for user space (checked on the BPF side) */
#define ZSWAP_BPF_EV_POOL_LIMIT	0
#define ZSWAP_BPF_EV_PROACTIVE	1

/* Size of the events ring buffer: 4096 events of 40 bytes (+8 header) fit */
#define ZSWAP_BPF_EVENTS_SIZE	(256 << 10)
/* records kept while nobody has read the buffer (zswap_bpf_emit()) */
#define ZSWAP_BPF_EVENTS_UNREAD	8

#endif /* __ZSWAP_BPF_H */
