// SPDX-License-Identifier: GPL-2.0
/*
 * bad_init - a policy whose init returns init_ret (--set init_ret=N), for
 * tests/vm/test_safety.sh: anything but 0 must refuse the attach, and a
 * value that is not an errno must come back as EPROTO, never as something
 * that looks like a file descriptor.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile s32 init_ret;

ZSWAP_WB_OP(s32, bad_init_init)
{
	return init_ret;
}

ZSWAP_WB_OP(u64, bad_init_select_memcg, struct zswap_wb_ctx *wb)
{
	return 0;
}

ZSWAP_WB_OPS_DEFINE(bad_init,
	.init		= (void *)bad_init_init,
	.select_memcg	= (void *)bad_init_select_memcg,
);
