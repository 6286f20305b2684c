#!/bin/bash
# The series built with CONFIG_ZSWAP_BPF=n (make kernel-nobpf): no hook,
# no BPF counters, the stock and proactive kselftests (test_zswap) pass and
# their runs are counted, and the loader says why it cannot attach, at the
# root or at a cgroup.
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

# Attaching at a cgroup: exit 3 and a message that names the missing hook;
# removing a cgroup (whose offline calls zswap's cleanup) works
load_at_cgroup() {
	local out rc cg=/sys/fs/cgroup/nobpf_test
	mkdir -p "$cg/sub" || return 1
	out=$("$B/zswap-bpf" load "$B/policies/round_robin.bpf.o" --cgroup "$cg" 2>&1)
	rc=$?
	echo "# rc $rc: $out"
	rmdir "$cg/sub" "$cg" &&
		[ $rc = 3 ] && echo "$out" | grep -q "no zswap_writeback_ops"
}

# The built-in loops' runs and steps are counted without the hook too
# (0013): test_zswap's proactive writebacks must show
wb_counted() {
	local runs steps
	runs=$(($(cat $DBG/wb_runs_proactive) - WB_RUNS0))
	steps=$(($(cat $DBG/wb_steps) - WB_STEPS0))
	tap_diag "during test_zswap: wb_runs_proactive +$runs, wb_steps +$steps"
	[ "$runs" -gt 0 ] && [ "$steps" -ge "$runs" ]
}

tap_plan 4
WB_RUNS0=$(cat $DBG/wb_runs_proactive 2>/dev/null || echo 0)
WB_STEPS0=$(cat $DBG/wb_steps 2>/dev/null || echo 0)
[ -x "$B/selftests/test_zswap" ] || tap_bail "missing $B/selftests/test_zswap (make selftests)"
tap_check "no zswap_writeback_ops, no bpf_* in debugfs" no_hook
tap_check "test_zswap (stock and proactive) passes" test_zswap
tap_check "debugfs wb_* count the built-in proactive runs and steps" wb_counted
tap_check "load --cgroup: exit 3, names the missing hook; rmdir works" load_at_cgroup
tap_done
