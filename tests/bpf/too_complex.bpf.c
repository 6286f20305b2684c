// SPDX-License-Identifier: GPL-2.0
/*
 * too_complex - a select_memcg with a bounded loop too long for the
 * verifier: it walks every iteration of a plain C loop, and a million of
 * them exceed its limits (on 6.12 the first one reached is 8192 jumps on
 * one path, "The sequence of 8193 jumps is too complex", before the 1M
 * instructions processed per program). The kernel refuses the load with
 * E2BIG; tests/vm/test_bad_policies.sh checks that the loader shows the
 * verifier's reason and leaves nothing attached. bad_policy's BAD_BURN
 * does the same work through bpf_loop, whose body the verifier checks
 * once, and loads.
 */
#include "zswap_bpf.bpf.h"

char _license[] SEC("license") = "GPL";

#define TOO_MANY (1 << 20)

ZSWAP_WB_OP(u64, too_complex_select_memcg, struct zswap_wb_ctx *wb)
{
	u64 acc = wb->step;
	int i;

#pragma nounroll
	for (i = 0; i < TOO_MANY; i++) {
		acc = acc * 6364136223846793005ULL + i;
		if (acc == wb->root_cgid)
			break;
	}
	return acc == wb->root_cgid ? acc : 0;
}

ZSWAP_WB_OPS_DEFINE(too_complex,
	.select_memcg	= (void *)too_complex_select_memcg,
);
