#!/bin/bash
# What a policy cannot do to the kernel's promises, and how the kernel
# answers the policy (issue 12, items 3-7):
#
#  1. end pool-limit writeback: the rest of the run goes round-robin, and a
#     policy that keeps ending runs is ejected;
#  2. make a pool-limit step write back beyond what is left of the run;
#     (2a: the run context tells select_memcg and run_end what step_done
#     was told);
#  3. (no policy) a write right after pages entered zswap meets its budget;
#  4. get an init return that is not an errno to user space as a file
#     descriptor; attach without a link;
#  5. see a choice validate differently for a writer in a cgroup namespace;
#  6. and what a tenant cannot do to the policy: fill the pool with pages
#     it will not let be written back, and so get it ejected for ending
#     pool-limit runs that nobody could have finished.
#
# usage (on the host): tests/vm/run -- tests/vm/test_safety.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=$B/zswap-bpf
BPFTOOL=${BPFTOOL:-$B/bpftool/bpftool}
PCT=/sys/module/zswap/parameters/max_pool_percent
PCT0=$(cat $PCT)
CG=/sys/fs/cgroup/safety
U64_MAX=18446744073709551615
# Pool-limit runs a policy may end in a row before it is ejected
MAX_STOPS=8

cleanup() {
	echo "$PCT0" >$PCT
	"$Z" unload >/dev/null 2>&1
	"$BPFTOOL" struct_ops unregister name legacy >/dev/null 2>&1
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null
	wait 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap cleanup EXIT


# pool_episode NAME MB: fill a cgroup with max_pool_percent at 1, so that
# the pool-limit worker runs under whatever policy is loaded
pool_episode() {
	echo 1 >$PCT
	fill "$CG/$1" "$2"
	local rc=$?
	sleep 2
	echo "$PCT0" >$PCT
	return $rc
}

# 1. A policy that ends every run (select_memcg returns 0): pool-limit
# writeback still happens, counted as fallbacks, and after MAX_STOPS such
# runs in a row the policy is ejected with the reason. Only the runs in
# which the round-robin that took over wrote something count (test 7), so
# it steered at least that many (bpf_runs counts runs begun with a policy
# enabled); the reason names the limit.
#
# A pool-limit step walks one entry, and a fresh entry only loses its
# referenced bit (second chance) then: with nothing but fresh entries in
# zswap, the 16 failed steps a run allows can all be rotations, and a run
# writes nothing, policy or not.  So pool1 is filled first and its entries
# aged by a proactive write (which walks every entry once before it writes);
# the round-robin that takes over from the policy then finds them.
test_pool_limit_handback() {
	local wb0 fb0 runs0
	fill "$CG/pool1" 48 && settle || return 1
	[ "$(writeback "$CG/pool1" 4K)" = OK ] || return 1
	"$Z" load "$B/tests/bad_policy.bpf.o" --set mode=BAD_ZERO >/dev/null || return 1
	wb0=$(vmstat_of zswpwb)
	fb0=$(counter bpf_fallbacks)
	runs0=$(counter bpf_runs)
	pool_episode pool2 48 && pool_episode pool3 48 || return 1
	tap_diag "zswpwb +$(($(vmstat_of zswpwb) - wb0)), runs +$(($(counter bpf_runs) - runs0)), fallbacks +$(($(counter bpf_fallbacks) - fb0)), $(policy_field state): $(policy_field last_exit_reason)"
	[ "$(vmstat_of zswpwb)" -gt "$wb0" ] &&
		[ "$(counter bpf_fallbacks)" -gt "$fb0" ] &&
		[ $(($(counter bpf_runs) - runs0)) -ge $MAX_STOPS ] &&
		[ "$(policy_field state)" = ejected ] &&
		[ "$(policy_field last_exit)" = ejected_stall ] &&
		policy_field last_exit_reason | grep -q "ended $MAX_STOPS pool-limit runs in a row"
}

# 2. U64_MAX a step in pool-limit runs: no step writes back more than what
# is left of the run's own budget, plus one entry
test_pool_limit_budget() {
	local checked over
	"$Z" unload >/dev/null 2>&1
	"$Z" load "$B/tests/probe.bpf.o" --set budget=$U64_MAX >/dev/null || return 1
	pool_episode pool4 48 || return 1
	checked=$(bss_global probe checked_steps)
	over=$(bss_global probe over_budget)
	tap_diag "pool-limit steps checked $checked, over the run's budget $over"
	[ "${checked:-0}" -gt 0 ] && [ "$over" = 0 ]
}

# 2a. The probe again, its first choice of every run refused: select_memcg
# and run_end found in the run's context what step_done was told, each
# outcome once (the refusals included), with runs that select_memcg ended
test_last_step() {
	local told seen refused wrong ended
	mkcg "$CG/last" && fill "$CG/last/a" 4 && fill "$CG/last/b" 4 &&
		mkdir -p "$CG/last/off" && echo 0 >"$CG/last/off/memory.zswap.writeback" ||
		return 1
	"$Z" unload >/dev/null 2>&1
	"$Z" load "$B/tests/probe.bpf.o" --set "refuse=$(cgid "$CG/last/off")" >/dev/null ||
		return 1
	writeback "$CG/last" 1M >/dev/null
	writeback "$CG/last" 64M >/dev/null
	told=$(bss_global probe last_told)
	seen=$(bss_global probe last_seen)
	refused=$(bss_global probe last_refused)
	wrong=$(bss_global probe last_wrong)
	ended=$(bss_global probe ended)
	tap_diag "step_done told $told outcomes, select_memcg and run_end found $seen of them ($refused refusals), $wrong wrong; $ended runs ended by select_memcg"
	[ "${seen:-0}" -gt 0 ] && [ "$seen" = "$told" ] && [ "$wrong" = 0 ] &&
		[ "$refused" -ge 2 ] && [ "$ended" -ge 1 ]
}

# 3. Push, then write back at once, ten times: the walk is bounded by what
# the LRUs hold, not by stats that may not be flushed yet
test_push_then_write() {
	local i r bad=0
	"$Z" unload >/dev/null 2>&1
	for i in $(seq 10); do
		fill "$CG/push$i" 2 "$i" || return 1
		r=$(writeback "$CG/push$i" 256K)
		[ "$r" = OK ] || { tap_diag "round $i: $r"; bad=1; }
		kill "${HOGS[-1]}" 2>/dev/null
	done
	return $bad
}

# 4a. init returning 1: the load fails with EPROTO, nothing attached
test_init_not_errno() {
	local out
	out=$("$Z" load "$B/tests/bad_init.bpf.o" --set init_ret=1 2>&1) && return 1
	tap_diag "$out"
	echo "$out" | grep -qi "protocol error" && [ -z "$(policy_field name)" ]
}

# 4b. A ".struct_ops" map registered by a map update, without a link
test_no_link() {
	local out
	out=$("$BPFTOOL" struct_ops register "$B/tests/legacy.bpf.o" 2>&1)
	tap_diag "bpftool: $(echo "$out" | tail -n 1)"
	[ -z "$(policy_field name)" ] && ! "$BPFTOOL" struct_ops show 2>/dev/null | grep -qw legacy
	local rc=$?
	"$BPFTOOL" struct_ops unregister name legacy >/dev/null 2>&1
	return $rc
}

# 5. A writer inside a cgroup namespace rooted below the cgroup it writes
# to: the policy's choices in that cgroup are valid as for anyone else
test_cgroup_ns() {
	local inv0 st0 r
	"$Z" load "$B/policies/round_robin.bpf.o" >/dev/null || return 1
	mkcg "$CG/ns" && fill "$CG/ns/data" 24 && mkdir -p "$CG/ns/inner" || return 1
	settle
	inv0=$(counter bpf_invalid_choices)
	st0=$(counter bpf_steps)
	r=$( (echo $BASHPID >"$CG/ns/inner/cgroup.procs" &&
		exec unshare -C bash -c "echo '4M source=zswap' >$CG/ns/memory.reclaim && echo OK") 2>&1)
	tap_diag "writer in a cgroup namespace: $r, steps +$(($(counter bpf_steps) - st0)), invalid +$(($(counter bpf_invalid_choices) - inv0))"
	[ "$r" = OK ] && [ "$(counter bpf_steps)" -gt "$st0" ] &&
		[ "$(counter bpf_invalid_choices)" = "$inv0" ]
}

# 6. A tenant with memory.zswap.writeback=0 fills the pool past its limit
# and keeps it there: each pool-limit run finds nothing it may write back.
# round_robin, which skips what it may not choose, ends every such run, and
# so does the round-robin that takes over. Those ends are not the policy's
# fault: it stays enabled however many such runs there are.
test_unwritable_pool() {
	local runs0 wb0 stop
	"$Z" unload >/dev/null 2>&1
	# nothing left in zswap that a run could write back
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null
	wait 2>/dev/null
	HOGS=()
	"$Z" load "$B/policies/round_robin.bpf.o" >/dev/null || return 1
	mkcg "$CG/nowb" && echo 0 >"$CG/nowb/memory.zswap.writeback" || return 1
	runs0=$(counter bpf_runs)
	wb0=$(vmstat_of zswpwb)
	for stop in 1 2 3; do
		pool_episode nowb/t$stop 48 || return 1
		[ $(($(counter bpf_runs) - runs0)) -gt $((2 * MAX_STOPS)) ] && break
	done
	tap_diag "pool-limit runs +$(($(counter bpf_runs) - runs0)), zswpwb +$(($(vmstat_of zswpwb) - wb0)), $(policy_field state) $(policy_field last_exit_reason)"
	[ $(($(counter bpf_runs) - runs0)) -gt "$MAX_STOPS" ] &&
		[ "$(policy_field state)" = enabled ]
}

tap_plan 8
for t in "$Z" "$BPFTOOL" "$B/tests/bad_policy.bpf.o" "$B/tests/probe.bpf.o" \
	"$B/tests/bad_init.bpf.o" "$B/tests/legacy.bpf.o" "$B/policies/round_robin.bpf.o"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
[ -e "$DBG/bpf_policy" ] || tap_bail "no $DBG/bpf_policy: not the patched kernel"
mkcg "$CG" || tap_bail "cannot create $CG"

tap_check "a policy cannot end pool-limit writeback" test_pool_limit_handback
tap_check "pool-limit steps stay within the run's budget" test_pool_limit_budget
tap_check "select_memcg and run_end find what step_done was told, once" test_last_step
tap_check "push, then write back at once, 10 times" test_push_then_write
tap_check "init returning 1: EPROTO, nothing attached" test_init_not_errno
tap_check "registration without a link refused" test_no_link
tap_check "a writer in a cgroup namespace: choices valid" test_cgroup_ns
tap_check "a pool full of unwritable pages does not eject the policy" test_unwritable_pool
tap_done
