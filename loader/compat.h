/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of Linux 6.12's <linux/bpf.h> that zswap-bpf uses and that older
 * uapi headers (Debian 12 ships 6.1) lack, so the loader builds against the
 * host's headers as well as against the kernel tree's tools/include/uapi.
 */
#ifndef __ZSWAP_BPF_COMPAT_H
#define __ZSWAP_BPF_COMPAT_H

#include <stddef.h>
#include <string.h>

#include <linux/bpf.h>

#ifndef BPF_F_LINK
#define BPF_F_LINK (1U << 13) /* a struct_ops map attached by link */
#endif

/*
 * BPF_STRUCT_OPS of enum bpf_attach_type (6.4+), for BPF_LINK_CREATE of a
 * struct_ops link; a macro name of its own, as the enum cannot be tested.
 */
#define ZSWAP_BPF_ATTACH_STRUCT_OPS ((enum bpf_attach_type)44)

/*
 * bpf_link_info.struct_ops.map_id (6.6+): the first member of the info
 * union, whose name differs between header versions.
 */
static inline __u32 link_info_struct_ops_map_id(const struct bpf_link_info *li)
{
	__u32 id;

	memcpy(&id,
	       (const char *)li +
		       offsetof(struct bpf_link_info, raw_tracepoint),
	       sizeof(id));
	return id;
}

#endif /* __ZSWAP_BPF_COMPAT_H */
