#!/bin/bash
# Fuzz the memory.reclaim parser in the guest (build/tests/reclaim_fuzz):
# thousands of random and mutated writes to a cgroup that has memory in
# zswap, first with the built-in writeback, then with the round_robin
# policy attached. Every write must return, with success or EINVAL, EAGAIN
# or EINTR (or E2BIG for inputs over a page, which cgroup files refuse
# whole); the kernel must not warn, oops or taint. In the project's VM the
# hook and the round_robin policy are there: without them the second pass
# fails.
#
# usage (on the host): tests/vm/run -- tests/vm/test_reclaim_fuzz.sh
#   FUZZ_COUNT (default 5000) inputs per pass, FUZZ_SECONDS (default 25)
#   at most per pass, FUZZ_SEED (default: from the time)
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"

B=$TOP/build
Z=$B/zswap-bpf
FUZZ=$B/tests/reclaim_fuzz
CG=/sys/fs/cgroup/reclaim_fuzz
COUNT=${FUZZ_COUNT:-5000}
SECONDS_MAX=${FUZZ_SECONDS:-25}
SEED=${FUZZ_SEED:-$(date +%s)}

cleanup() {
	"$Z" unload >/dev/null 2>&1
	rmdir "$CG" 2>/dev/null
}
trap cleanup EXIT

# fuzz_pass SEED: one run of the fuzzer inside $CG; its output as comments
fuzz_pass() {
	local rc
	(echo $BASHPID >"$CG/cgroup.procs" &&
		exec timeout -s KILL 600 "$FUZZ" -n "$COUNT" -d "$SECONDS_MAX" \
			-s "$1" -m 16 -t 120 "$CG")
	rc=$?
	[ $rc = 137 ] && tap_diag "the fuzzer did not finish in 600 s (a write hung?)"
	return $rc
}

test_builtin() { fuzz_pass "$SEED"; }

test_policy() {
	"$Z" load "$B/policies/round_robin.bpf.o" >/dev/null || return 1
	fuzz_pass $((SEED + 1))
	local rc=$?
	"$Z" unload >/dev/null
	return $rc
}

# Only what the fuzz passes added to the kernel log
test_dmesg() {
	local new
	new=$(dmesg | tail -n +$((DMESG0 + 1)))
	! echo "$new" | grep -E "WARNING:|BUG:|Oops|KASAN|UBSAN|INFO: task .* blocked|circular locking|Call Trace"
}

test_taint() {
	tap_diag "tainted: $TAINT0 -> $(cat /proc/sys/kernel/tainted)"
	[ "$(cat /proc/sys/kernel/tainted)" = "$TAINT0" ]
}

tap_plan 4
for t in "$FUZZ" "$Z"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
mkdir -p "$CG" || tap_bail "cannot create $CG"
DMESG0=$(dmesg | wc -l)
TAINT0=$(cat /proc/sys/kernel/tainted)
tap_diag "seed $SEED, $COUNT inputs or $SECONDS_MAX s per pass"
tap_check "memory.reclaim fuzz, built-in writeback" test_builtin
if [ ! -e /sys/kernel/debug/zswap/bpf_policy ]; then
	tap_not_ok "memory.reclaim fuzz, round_robin attached: no hook: kernel without CONFIG_ZSWAP_BPF"
elif [ ! -e "$B/policies/round_robin.bpf.o" ]; then
	tap_not_ok "memory.reclaim fuzz, round_robin attached: no $B/policies/round_robin.bpf.o (make policies)"
else
	tap_check "memory.reclaim fuzz, round_robin attached" test_policy
fi
tap_check "no splat in dmesg" test_dmesg
tap_check "kernel not tainted" test_taint
tap_done
