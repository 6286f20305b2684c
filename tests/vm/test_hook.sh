#!/bin/bash
# In-guest tests of the zswap_writeback_ops hook (CONFIG_ZSWAP_BPF): policies
# steer proactive and pool-limit writeback, and the kernel refuses, counts
# and ejects bad ones without writing back from the wrong place or hanging.
#
# usage (on the host): tests/vm/run -- tests/vm/test_hook.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
BPFTOOL=${BPFTOOL:-$B/bpftool/bpftool}
RR=${RR:-$B/policies/round_robin.bpf.o}
MISBEHAVE=${MISBEHAVE:-$B/tests/misbehave.bpf.o}
CG=/sys/fs/cgroup/hook_test
PIN=/sys/fs/bpf/hook_test
PAGE=4096


# mkleaf PATH: a cgroup for processes (no internal processes in cgroup v2)
mkleaf() { mkdir -p "$1"; }

attach() { # OBJ: register the policy, pinning its link under $PIN
	mkdir -p "$PIN"
	"$BPFTOOL" struct_ops register "$1" "$PIN" >/dev/null
}

detach() { rm -f "$PIN"/*; }

# set_cfg MODE TARGET: the misbehave policy's cfg map (two u64, little endian)
set_cfg() {
	local v b=() i
	for v in "$1" "$2"; do
		for i in 0 1 2 3 4 5 6 7; do b+=($(((v >> (8 * i)) & 255))); done
	done
	"$BPFTOOL" map update name cfg key 0 0 0 0 value "${b[@]}"
}

cleanup() {
	detach 2>/dev/null
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap cleanup EXIT

setup() {
	mkcg "$CG" || return 1
	for t in x y; do
		mkcg "$CG/$t" || return 1
		for c in 1 2; do
			mkleaf "$CG/$t/$c"
			fill "$CG/$t/$c" 16 $c || return 1
		done
	done
	mkleaf "$CG/out"
	fill "$CG/out" 8 || return 1
	mkleaf "$CG/x/empty"
	settle
}

# 1. round_robin through the hook writes back what the built-in path writes
# back, memcg by memcg, from two subtrees holding the same data. Not byte for
# byte: ordinary reclaim, which fills zswap, does not store the same pages in
# the same order twice; within 1% per memcg (a different order, say one
# memcg drained first, is off by 100%).
test_rr_matches_builtin() {
	local budget=$((8 << 20)) bx1 bx2 by1 by2 r1 r2

	r1=$(writeback "$CG/x" $budget)
	attach "$RR" || return 1
	r2=$(writeback "$CG/y" $budget)
	detach
	settle
	bx1=$(stat_of "$CG/x/1" zswpwb_proactive_b)
	bx2=$(stat_of "$CG/x/2" zswpwb_proactive_b)
	by1=$(stat_of "$CG/y/1" zswpwb_proactive_b)
	by2=$(stat_of "$CG/y/2" zswpwb_proactive_b)
	tap_diag "built-in: $r1 x/1 $bx1 x/2 $bx2; round_robin: $r2 y/1 $by1 y/2 $by2"
	[ "$r1" = OK ] && [ "$r2" = OK ] && [ $((bx1 + bx2)) -ge $budget ] &&
		[ "$bx1" -gt 0 ] && [ "$bx2" -gt 0 ] &&
		[ $((bx1 - by1)) -le $((bx1 / 100)) ] &&
		[ $((by1 - bx1)) -le $((bx1 / 100)) ] &&
		[ $((bx2 - by2)) -le $((bx2 / 100)) ] &&
		[ $((by2 - bx2)) -le $((bx2 / 100)) ]
}

# 2-4. A policy choosing TARGET never writes back from it, is counted, falls
# back to round-robin for the step, and is ejected with KIND.
check_refused() { # TARGET KIND [UNTOUCHABLE_CGROUP]
	local target=$1 kind=$2 inv0 out0 r kind_now wb0=0
	inv0=$(counter bpf_invalid_choices)
	out0=$(stat_of "$CG/out" zswpwb)
	[ $# -lt 3 ] || wb0=$(stat_of "$3" zswpwb)
	attach "$MISBEHAVE" || return 1
	set_cfg 0 "$target" || return 1
	r=$(writeback "$CG/x" 1M)
	kind_now=$(policy_field last_exit)
	tap_diag "target $target: writeback $r, invalid +$(($(counter bpf_invalid_choices) - inv0)), state $(policy_field state), exit $kind_now: $(policy_field last_exit_reason)"
	detach
	settle
	[ "$r" = OK ] && [ "$(stat_of "$CG/out" zswpwb)" = "$out0" ] &&
		[ $(($(counter bpf_invalid_choices) - inv0)) -ge 16 ] &&
		[ "$kind_now" = "$kind" ] || return 1
	[ $# -lt 3 ] || [ "$(stat_of "$3" zswpwb)" = "$wb0" ]
}

test_outside_subtree() { check_refused "$(cgid "$CG/out")" ejected_invalid; }
test_nonexistent() { check_refused 123456789 ejected_invalid; }

test_wb_disabled() {
	local ret
	echo 0 >"$CG/x/2/memory.zswap.writeback"
	check_refused "$(cgid "$CG/x/2")" ejected_invalid "$CG/x/2"
	ret=$?
	echo 1 >"$CG/x/2/memory.zswap.writeback"
	return $ret
}

# 5. A policy that keeps choosing a memcg with nothing to write back cannot
# hang the writer: the run ends and the policy is ejected as stalled.
test_stall() {
	local r start
	attach "$MISBEHAVE" || return 1
	set_cfg 0 "$(cgid "$CG/x/empty")" || return 1
	start=$(date +%s)
	r=$(timeout 60 bash -c "echo 1M source=zswap >$CG/x/memory.reclaim" 2>&1 && echo OK)
	tap_diag "stalling policy: '$r' after $(($(date +%s) - start)) s, exit $(policy_field last_exit): $(policy_field last_exit_reason)"
	[ "$(policy_field last_exit)" = ejected_stall ]
	local ok=$?
	detach
	return $ok
}

# 6. A policy's budget never takes a proactive run beyond its own budget.
test_budget_clamped() {
	local before after r
	settle
	before=$(stat_of "$CG/y" zswpwb_proactive_b)
	attach "$MISBEHAVE" || return 1
	set_cfg 1 $(((1 << 62))) || return 1
	r=$(writeback "$CG/y" 1M)
	detach
	settle
	after=$(stat_of "$CG/y" zswpwb_proactive_b)
	tap_diag "1M with a 2^62 step budget: $r, wrote $((after - before))"
	[ "$r" = OK ] && [ $((after - before)) -ge $((1 << 20)) ] &&
		[ $((after - before)) -lt $(((1 << 20) + PAGE)) ]
}

# 7. One policy at a time: a second attach fails with EBUSY; the policy shows
# in bpftool struct_ops show under its name.
test_second_attach() {
	local out ok=0
	attach "$RR" || return 1
	"$BPFTOOL" struct_ops show | grep -q round_robin || ok=1
	out=$("$BPFTOOL" struct_ops register "$MISBEHAVE" "$PIN" 2>&1) && ok=1
	tap_diag "second attach: $(echo "$out" | tail -1)"
	echo "$out" | grep -qi "busy" || ok=1
	[ "$(policy_field name)" = round_robin ] || ok=1
	detach
	return $ok
}

# 8. Detach and re-attach in a loop while writeback runs: no splat, no leak.
test_attach_detach_loop() {
	local i n=${HOOK_CYCLES:-200} writer maps0 maps1
	maps0=$("$BPFTOOL" map list | grep -c struct_ops)
	(while :; do echo "256K source=zswap" >"$CG/y/memory.reclaim" 2>/dev/null; done) &
	writer=$!
	for ((i = 0; i < n; i++)); do
		attach "$RR" || break
		detach
	done
	kill $writer
	wait $writer 2>/dev/null
	sleep 1
	maps1=$("$BPFTOOL" map list | grep -c struct_ops)
	tap_diag "$i/$n attach+detach cycles under writeback; struct_ops maps $maps0 -> $maps1"
	[ $i = "$n" ] && [ "$maps1" = "$maps0" ] &&
		! dmesg | grep -E "WARNING:|BUG:|Oops|INFO: task .* blocked|circular locking"
}

# 9. Pool-limit writeback goes through the policy too.
test_pool_limit() {
	local steps0 runs0 pct
	pct=$(cat /sys/module/zswap/parameters/max_pool_percent)
	attach "$RR" || return 1
	steps0=$(counter bpf_steps)
	runs0=$(counter bpf_runs)
	echo 1 >/sys/module/zswap/parameters/max_pool_percent
	mkleaf "$CG/pool"
	fill "$CG/pool" 64 || return 1
	sleep 1
	echo "$pct" >/sys/module/zswap/parameters/max_pool_percent
	tap_diag "pool limit: runs +$(($(counter bpf_runs) - runs0)), steps +$(($(counter bpf_steps) - steps0)), pool_limit_hit $(cat $DBG/pool_limit_hit)"
	detach
	[ $(($(counter bpf_steps) - steps0)) -gt 0 ]
}

for t in "$BPFTOOL" "$RR" "$MISBEHAVE" "$MEMHOG"; do
	[ -e "$t" ] || { echo "Bail out! missing $t (make all test-progs)"; exit 1; }
done
if [ ! -e "$DBG/bpf_policy" ]; then
	tap_skip "zswap_writeback_ops" "kernel without CONFIG_ZSWAP_BPF"
	tap_done
	exit
fi

setup || { echo "Bail out! could not set up the cgroups"; exit 1; }
tap_check "round_robin through the hook = built-in" test_rr_matches_builtin
tap_check "choice outside the subtree refused, ejected" test_outside_subtree
tap_check "nonexistent cgroup id refused, ejected" test_nonexistent
tap_check "writeback-disabled memcg refused, ejected" test_wb_disabled
tap_check "stalling policy ejected, writer not hung" test_stall
tap_check "policy budget clamped to the run's budget" test_budget_clamped
tap_check "second attach EBUSY, bpftool shows the name" test_second_attach
tap_check "attach/detach loop under writeback" test_attach_detach_loop
tap_check "pool-limit writeback through the policy" test_pool_limit
tap_done
