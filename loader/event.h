/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zswap-bpf trace: formatting of the policy's step events.
 * No libbpf here, so that the unit tests link it alone.
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

#endif /* __ZSWAP_BPF_EVENT_H */
