/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants shared by the zswap-bpf policies and the loader.
 */
#ifndef __ZSWAP_BPF_H
#define __ZSWAP_BPF_H

/* Where the loader pins the attached policy's link and maps */
#define ZSWAP_BPF_PIN_DIR	"/sys/fs/bpf/zswap-bpf"
/* The kernel's counters and policy state (mm/zswap.c, CONFIG_ZSWAP_BPF) */
#define ZSWAP_BPF_DEBUGFS_DIR	"/sys/kernel/debug/zswap"

/* The most memcgs a policy looks at in one decision */
#define ZSWAP_BPF_MAX_MEMCGS	4096

/* Indexes of every policy's per-CPU "stats" map */
enum zswap_bpf_policy_stat {
	ZSWAP_BPF_STAT_SELECTED,	/* memcgs chosen */
	ZSWAP_BPF_STAT_ENDED,		/* runs the policy ended */
	ZSWAP_BPF_STAT_BYTES,		/* compressed bytes written back */
	ZSWAP_BPF_STAT_EMPTY,		/* steps that found nothing */
	ZSWAP_BPF_STAT_NR,
};

#endif /* __ZSWAP_BPF_H */
