/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zswap-bpf trace: formatting of the policy's step events and the cgroup
 * id -> path cache. No libbpf here, so that the unit tests link it alone.
 */
#ifndef __ZSWAP_BPF_EVENT_H
#define __ZSWAP_BPF_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "zswap_bpf.h"

const char *event_reason_name(__u32 reason);
const char *event_result(__s32 err, bool json);
void event_header(FILE *out);
/* Where an event comes from: the attachment whose policy made the step */
struct event_src {
	__u64 cgid; /* the cgroup it is attached at */
	const char *path; /* that cgroup's path, NULL if unknown */
};

/*
 * One line; @t in seconds since the trace began, @cgroup (the step's) NULL
 * if unknown
 */
void event_print(FILE *out, const struct event_src *src,
		 const struct zswap_bpf_event *e, double t, const char *cgroup,
		 bool json);

/* Cgroup ids (cgroup v2: the inode number of the directory) to paths */
struct cgid_entry {
	__u64 id;
	char *path; /* relative to the cgroup root, "/" for the root */
};

struct cgid_cache {
	struct cgid_entry *ents;
	size_t nr, cap;
	double filled; /* when, in now_sec() time; 0: never */
};

int cgid_cache_fill(struct cgid_cache *c, const char *root);
const char *cgid_cache_find(const struct cgid_cache *c, __u64 id);
void cgid_cache_free(struct cgid_cache *c);

#endif /* __ZSWAP_BPF_EVENT_H */
