// SPDX-License-Identifier: GPL-2.0
/*
 * legacy - a policy in a plain ".struct_ops" section: registered by a map
 * update, without a link. The kernel must refuse it (EOPNOTSUPP): only a
 * link ties an attachment's life to something user space can see and
 * detach. For tests/vm/test_safety.sh.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

ZSWAP_WB_OP(u64, legacy_select_memcg, struct zswap_wb_ctx *wb)
{
	return 0;
}

SEC(".struct_ops")
struct zswap_writeback_ops legacy = {
	.name		= "legacy",
	.select_memcg	= (void *)legacy_select_memcg,
};
