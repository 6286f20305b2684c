// SPDX-License-Identifier: GPL-2.0
/*
 * no_select - a zswap_writeback_ops without select_memcg, which the kernel's
 * validate refuses (-EINVAL): tests/vm/test_loader.sh checks that such a
 * refused load leaves nothing pinned or attached.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

ZSWAP_WB_OP(void, no_select_run_begin, struct zswap_wb_ctx *wb)
{
}

ZSWAP_WB_OPS_DEFINE(no_select,
	.run_begin	= (void *)no_select_run_begin,
);
