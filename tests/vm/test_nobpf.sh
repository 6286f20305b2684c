#!/bin/bash
# The series built with CONFIG_ZSWAP_BPF=n (make kernel-nobpf): no hook,
# no BPF counters, and the stock and proactive kselftests (test_zswap) pass.
#
# usage (on the host):
#   tests/vm/run --kernel build/kernel-nobpf/src/arch/x86/boot/bzImage -- tests/vm/test_nobpf.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"

B=$TOP/build
DBG=/sys/kernel/debug/zswap

no_hook() {
	[ -d "$DBG" ] && [ ! -e "$DBG/bpf_policy" ] && [ ! -e "$DBG/bpf_steps" ] &&
		! "$B/bpftool/bpftool" btf dump file /sys/kernel/btf/vmlinux 2>/dev/null |
			grep -q "STRUCT 'zswap_writeback_ops'"
}

test_zswap() {
	(cd /var/tmp && "$B/selftests/test_zswap") 2>&1 | sed 's/^/# /'
	return "${PIPESTATUS[0]}"
}

tap_plan 2
[ -x "$B/selftests/test_zswap" ] || tap_bail "missing $B/selftests/test_zswap (make selftests)"
tap_check "no zswap_writeback_ops, no bpf_* in debugfs" no_hook
tap_check "test_zswap (stock and proactive) passes" test_zswap
tap_done
