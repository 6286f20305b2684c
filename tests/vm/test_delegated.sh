#!/bin/bash
# A delegated cgroup owner cannot get the administrator's policy ejected
# (issue 19).  Root loads each shipped policy system-wide; uid 4711, owner
# of a delegated subtree, then tries what ejected them before:
#
#  chain     a 40-deep chain with all its memory in the leaf, and a write
#            on its top: inner memcgs look full by hierarchical stats
#            (everything lives in deleg/job, the owner's own cgroup)
#  siblings  40 leaves of 1 MB and a 1G write: the run empties them
#  toggle    memory.zswap.writeback flipped 0/1 every few ms on one cgroup
#            while the owner writes 64K at a time
#  protect   writeback set to 0 on the cgroup a policy just wrote back from
#
# Each time: the policy stays enabled, the owner's opted-out cgroup (off,
# writeback 0 from the start) is never written back, and root's pool-limit
# writeback of another tenant still goes through the policy.
#
# usage (on the host): tests/vm/run -- tests/vm/test_delegated.sh [POLICY...]
#   DELEG_DURATION: seconds of toggle race over all policies (default 6 per
#   policy); make torture runs 600 on the debug kernel. A race longer than
#   10 s also repeats the chain and siblings writes every 10 s.
#   DELEG_TOGGLE_SECONDS: seconds per policy instead
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=$B/zswap-bpf
USER_ID=4711
CGR=/sys/fs/cgroup
D=$CGR/deleg
# the owner's own top cgroup: its memory.reclaim is the owner's to write
J=$D/job
OTHER=$CGR/deleg_other
PCT=/sys/module/zswap/parameters/max_pool_percent
PCT0=$(cat $PCT)
POLICIES=("$@")
[ ${#POLICIES[@]} -gt 0 ] ||
	POLICIES=(round_robin coldest_first largest_first proportional weighted refault_aware refault_cost)
DURATION=${DELEG_DURATION:-$((6 * ${#POLICIES[@]}))}
TOGGLE_SECONDS=${DELEG_TOGGLE_SECONDS:-$((DURATION / ${#POLICIES[@]}))}
[ "$TOGGLE_SECONDS" -ge 1 ] || TOGGLE_SECONDS=1

# user_write CGROUP SIZE: the owner writes "SIZE source=zswap"; a write
# the owner may not make (EACCES) counts in DENIED
DENIED=0
user_write() {
	local err
	err=$(as_user timeout -s KILL "$WRITE_TIMEOUT" \
		bash -c "echo '$2 source=zswap' >'$1/memory.reclaim'" 2>&1) && return
	case $err in
	*"Permission denied"* | *"Operation not permitted"*) DENIED=$((DENIED + 1)) ;;
	esac
}

cleanup() {
	echo "$PCT0" >$PCT
	"$Z" unload >/dev/null 2>&1
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$D" "$OTHER" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap cleanup EXIT

# The owner builds the subtree (cgroup-v2.rst "Delegation"); root parks the
# memory in it.
setup() {
	local i p
	mkdir -p "$D" && mkcg "$OTHER" || return 1
	chown $USER_ID:$USER_ID "$D" "$D/cgroup.procs" "$D/cgroup.threads" \
		"$D/cgroup.subtree_control" || return 1
	as_user sh -c "echo +memory >$D/cgroup.subtree_control" || return 1
	as_user mkdir "$J" && as_user sh -c "echo +memory >$J/cgroup.subtree_control" || return 1
	p=$J/chain
	for i in $(seq 40); do
		as_user mkdir "$p" && as_user sh -c "echo +memory >$p/cgroup.subtree_control" || return 1
		p=$p/c$i
	done
	as_user mkdir "$p" && fill "$p" 16 1 || return 1
	as_user mkdir "$J/sib" && as_user sh -c "echo +memory >$J/sib/cgroup.subtree_control" || return 1
	for i in $(seq 40); do
		as_user mkdir "$J/sib/s$i" && fill "$J/sib/s$i" 1 $((i + 10)) || return 1
	done
	as_user mkdir "$J/off" "$J/tog" && fill "$J/off" 8 2 && fill "$J/tog" 8 3 || return 1
	as_user sh -c "echo 0 >$J/off/memory.zswap.writeback"
}

OFF_WB=0
off_kept() { [ "$(stat_of "$J/off" zswpwb)" = "$OFF_WB" ]; }

# The owner flips tog's writeback while writing 64K at a time to its parent
# (and, every 10 s of a long race, the chain and the siblings again)
toggle_race() {
	local end=$((SECONDS + TOGGLE_SECONDS))
	as_user bash -c "while [ \$SECONDS -lt $TOGGLE_SECONDS ]; do
		echo 0 >$J/tog/memory.zswap.writeback; echo 1 >$J/tog/memory.zswap.writeback
	done" &
	local again=$((SECONDS + 10))
	while [ $SECONDS -lt $end ]; do
		user_write "$J" 64K
		[ $SECONDS -ge $again ] || continue
		user_write "$J/chain" 4M
		user_write "$J/sib" 1G
		again=$((SECONDS + 10))
	done
	wait $!
}

# Root's pool-limit writeback of another tenant, through the policy
pool_limit_steps() {
	local s0=$(counter bpf_steps) n=$1
	echo 1 >$PCT
	fill "$OTHER/p$n" 24 "$n" >/dev/null
	sleep 1
	echo "$PCT0" >$PCT
	[ "$(counter bpf_steps)" -gt "$s0" ]
}

# One policy against every scenario
check_policy() {
	local p=$1 n=$2 state s0 r0 i0
	s0=$(counter bpf_steps)
	r0=$(counter bpf_refused_choices 2>/dev/null || echo 0)
	i0=$(counter bpf_invalid_choices)
	"$Z" unload --if-loaded >/dev/null 2>&1
	"$Z" load "$B/policies/$p.bpf.o" >/dev/null || return 1
	user_write "$J" 4M
	user_write "$J/chain" 4M
	user_write "$J/sib" 1G
	toggle_race
	user_write "$J/tog" 64K
	as_user sh -c "echo 0 >$J/tog/memory.zswap.writeback"
	user_write "$J" 1M
	as_user sh -c "echo 1 >$J/tog/memory.zswap.writeback"
	settle
	pool_limit_steps "$n" || { tap_diag "$p: no pool-limit step through the policy"; return 1; }
	state=$(policy_field state)
	tap_diag "$p: $state, steps +$(($(counter bpf_steps) - s0)), refused +$(($(counter bpf_refused_choices 2>/dev/null || echo 0) - r0)), invalid +$(($(counter bpf_invalid_choices) - i0)), owner's writes denied $DENIED"
	"$Z" unload >/dev/null
	[ "$state" = enabled ] && [ "$DENIED" = 0 ] && off_kept
}

tap_plan $((${#POLICIES[@]} + 1))
for t in "$Z" "$MEMHOG"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
[ -e "$DBG/bpf_policy" ] || tap_bail "no $DBG/bpf_policy: not the patched kernel"
setup || tap_bail "setup failed"
settle
OFF_WB=$(stat_of "$J/off" zswpwb)
n=0
for p in "${POLICIES[@]}"; do
	n=$((n + 1))
	if [ ! -e "$B/policies/$p.bpf.o" ]; then
		tap_not_ok "$p: not built"
		continue
	fi
	tap_check "$p: not ejected by a delegated owner, opt-out kept" check_policy "$p" $n
done
# On the debug kernel (make torture) lockdep, RCU and hung-task reports
# would not end the boot
tap_check "no kernel report in dmesg" no_kernel_report
tap_done
