#!/bin/bash
# A slow policy is ejected, as a stalling sched_ext scheduler is (issue 17).
# tests/bpf/slow burns nested bpf_loops in one callback: select_memcg,
# step_budget or step_done.  Measured first with the check off; then a
# bound of three times its slowest call leaves it enabled, and a bound of a
# quarter ejects it on its first slow call with the callback named.  The
# writer returns either way, and the kernel reports no RCU stall or soft
# lockup.
#
# usage (on the host): tests/vm/run -- tests/vm/test_slow.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=$B/zswap-bpf
SLOW=$B/tests/slow.bpf.o
MAX=/sys/module/zswap/parameters/bpf_max_call_us
MAX0=$(cat $MAX 2>/dev/null || echo 20000)
CG=/sys/fs/cgroup/slow
CBS=(select_memcg step_budget step_done)

cleanup() {
	echo "$MAX0" >$MAX 2>/dev/null
	"$Z" unload >/dev/null 2>&1
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap cleanup EXIT

# slowest CALLBACK: its slowest call so far, in us (debugfs bpf_policy)
slowest() { policy_field slowest_us | tr ' ' '\n' | awk -F= -v c="$1" '$1 == c { print $2 }'; }

# run_slow WHERE BOUND: load slow burning in callback WHERE, set the bound,
# write 2M; prints the write's result
run_slow() {
	"$Z" unload >/dev/null 2>&1
	"$Z" load "$SLOW" --set where="$1" --set outer=16 >/dev/null || return 1
	echo "$2" >$MAX
	writeback "$CG" 2M
}

# check WHERE: measure, then under and over the bound
check() {
	local w=$1 cb=${CBS[$1]} r us
	r=$(run_slow "$w" 0) || return 1
	us=$(slowest "$cb")
	tap_diag "$cb: slowest call ${us:-?} us with the check off ($r)"
	[ "${us:-0}" -gt 0 ] && [ "$(policy_field state)" = enabled ] || return 1
	r=$(run_slow "$w" $((3 * us)))
	tap_diag "  bound $((3 * us)) us: $r, $(policy_field state)"
	[ "$(policy_field state)" = enabled ] && case $r in OK | EAGAIN) ;; *) false ;; esac || return 1
	r=$(run_slow "$w" $((us / 4)))
	tap_diag "  bound $((us / 4)) us: $r, $(policy_field state): $(policy_field last_exit_reason)"
	case $r in OK | EAGAIN) ;; *) return 1 ;; esac
	[ "$(policy_field state)" = ejected ] &&
		[ "$(policy_field last_exit)" = ejected_slow ] &&
		policy_field last_exit_reason | grep -q "^$cb took " &&
		"$Z" status | grep -q "ejected_slow"
}

# status (plain and JSON) and the Prometheus output show each callback's
# slowest call; plain status and the Prometheus output the time in all
# calls (patch 0018): the attachment's, and the total, at least as much
test_reported() {
	local ok=0 ns us total
	"$Z" unload >/dev/null 2>&1
	"$Z" load "$SLOW" --set where=0 --set outer=16 >/dev/null || return 1
	echo 0 >$MAX
	writeback "$CG" 1M >/dev/null
	"$Z" status | grep "^slowest" | sed 's/^/# /'
	"$Z" status | grep -q "^slowest .*select_memcg=[1-9]" || ok=1
	"$Z" -j status | python3 -c 'import json, sys
sys.exit(0 if json.load(sys.stdin)["slowest_call_us"]["select_memcg"] > 0 else 1)' || ok=1
	"$Z" stats --prometheus | grep -q '^zswap_bpf_policy_slowest_call_us{policy="slow",callback="select_memcg"} [1-9]' || ok=1
	# the sum of the calls' times is at least the slowest call
	ns=$("$Z" status | sed -n 's/^    time in callbacks \([0-9]*\) ns$/\1/p')
	us=$(slowest select_memcg)
	total=$("$Z" stats --prometheus | sed -n 's/^zswap_bpf_kernel_call_ns_total \([0-9]*\)$/\1/p')
	tap_diag "time in callbacks ${ns:-none} ns (all policies ${total:-none}); slowest select_memcg $us us"
	[ "${ns:-0}" -gt 0 ] && [ "$ns" -ge $((us * 1000)) ] || ok=1
	[ "${total:-0}" -ge "${ns:-1}" ] || ok=1
	return $ok
}

# tests/vm/run scales the bound for TCG from the command line: the module
# parameter must take it (the built-in default, 20000, applies otherwise)
test_cmdline() {
	local want
	want=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^zswap.bpf_max_call_us=//p' | tail -1)
	tap_diag "bound at boot: $MAX0 us (command line: ${want:-none})"
	[ "$MAX0" = "${want:-20000}" ]
}

test_no_stall_report() {
	! dmesg | grep -E "rcu.*(stall|detected stalls)|soft lockup|hung_task|blocked for more than"
}

tap_plan 6
for t in "$Z" "$SLOW"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
[ -e $MAX ] || tap_bail "no $MAX: not the patched kernel"
mkcg "$CG" && fill "$CG/a" 32 && fill "$CG/b" 32 || tap_bail "cannot fill $CG"
settle
for w in 0 1 2; do
	tap_check "slow ${CBS[$w]}: enabled under the bound, ejected over it" check $w
done
tap_check "status, JSON and Prometheus show the slowest calls" test_reported
tap_check "the bound follows zswap.bpf_max_call_us= on the command line" test_cmdline
tap_check "no RCU stall or soft lockup report" test_no_stall_report
tap_done
