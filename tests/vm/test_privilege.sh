#!/bin/bash
# In-guest tests of who may do what: a user other than root cannot load or
# unload a policy (exit 3, a message naming root) nor read the kernel's
# policy state; a user to whom a cgroup subtree is delegated can write
# "SIZE source=zswap" to the memory.reclaim of the cgroups it made, and
# even with a policy that chooses cgroups outside that subtree, nothing
# outside it is written back.
#
# The user is a bare uid (no passwd entry needed): setpriv drops to it with
# no capabilities and no supplementary groups.
#
# usage (on the host): tests/vm/run -- tests/vm/test_privilege.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=$B/zswap-bpf
RR=$B/policies/round_robin.bpf.o
BAD=$B/tests/bad_policy.bpf.o
USER_ID=4711
CGR=/sys/fs/cgroup
DELEG=$CGR/priv_deleg
SIB=$CGR/priv_sibling
PAGE=4096

# user_writeback CGROUP SIZE: the user writes "SIZE source=zswap"; OK or
# the error
user_writeback() {
	local err
	err=$(as_user timeout -s KILL "$WRITE_TIMEOUT" bash -c "echo '$2 source=zswap' >'$1/memory.reclaim'" 2>&1) &&
		{ echo OK; return; }
	case $err in
	*"Resource temporarily unavailable"*) echo EAGAIN ;;
	*"Permission denied"*) echo EACCES ;;
	*"Invalid argument"*) echo EINVAL ;;
	*) echo "$err" ;;
	esac
}

cleanup() {
	"$Z" unload >/dev/null 2>&1
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$DELEG" "$SIB" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap cleanup EXIT

# priv_deleg is delegated to the user (cgroup-v2.rst "Delegation"): the
# directory and cgroup.procs, cgroup.threads, cgroup.subtree_control are
# theirs; the user makes priv_deleg/job and turns the memory controller on
# for it. priv_sibling, root's, is outside.
setup() {
	mkdir -p "$DELEG" "$SIB" || return 1
	chown $USER_ID:$USER_ID "$DELEG" "$DELEG/cgroup.procs" \
		"$DELEG/cgroup.threads" "$DELEG/cgroup.subtree_control" || return 1
	as_user mkdir "$DELEG/job" || { echo "# the user cannot mkdir in $DELEG"; return 1; }
	as_user sh -c "echo +memory >$DELEG/cgroup.subtree_control" ||
		{ echo "# the user cannot enable memory in $DELEG"; return 1; }
	fill "$DELEG/job" 32 && fill "$SIB" 16 || return 1
	settle
}

# expect_user STATUS PATTERN ARGS...: zswap-bpf as the user
expect_user() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$(as_user "$Z" "$@" 2>&1)
	rc=$?
	tap_diag "  zswap-bpf $*: exit $rc: $(echo "$out" | head -1)"
	[ $rc = "$want" ] && echo "$out" | grep -q -- "$pat"
}

test_load() {
	expect_user 3 "Error: loading a policy needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN" load "$RR" &&
		[ -z "$(policy_field name)" ] && [ ! -e /sys/fs/bpf/zswap-bpf/link ]
}

test_unload() {
	local ok=0
	"$Z" load "$RR" >/dev/null || return 1
	expect_user 3 "Error: unloading a policy needs CAP_BPF and CAP_SYS_ADMIN" unload || ok=1
	[ "$(policy_field name)" = round_robin ] || ok=1
	"$Z" unload >/dev/null
	return $ok
}

test_status() { expect_user 3 "it needs root" status; }

# The delegation boundary as the kernel's file modes draw it
test_boundary() {
	local r1 r2
	r1=$(user_writeback "$SIB" 1M)
	r2=$(user_writeback "$DELEG" 1M)
	tap_diag "  user writes to $SIB: $r1, to $DELEG (the delegated root's own file): $r2"
	[ "$r1" = EACCES ] && [ "$r2" = EACCES ]
}


# check_user_writeback DESC: the user writes 2M source=zswap to job; the
# write meets its budget in job's subtree, the sibling loses nothing, and
# neither does any other memcg: the pages the whole system wrote back
# (/proc/vmstat zswpwb) are all job's (its memory.stat zswpwb)
check_user_writeback() {
	local sib0 sib1 job0 job1 r pg0 pg1 sys0 sys1
	sib0=$(stat_of "$SIB" zswpwb)
	job0=$(stat_of "$DELEG/job" zswpwb_proactive_b)
	pg0=$(stat_of "$DELEG/job" zswpwb)
	sys0=$(vmstat_of zswpwb)
	r=$(user_writeback "$DELEG/job" 2M)
	settle
	sib1=$(stat_of "$SIB" zswpwb)
	job1=$(stat_of "$DELEG/job" zswpwb_proactive_b)
	pg1=$(stat_of "$DELEG/job" zswpwb)
	sys1=$(vmstat_of zswpwb)
	tap_diag "  $1: $r, job wrote $((job1 - job0)), sibling zswpwb $sib0 -> $sib1, pages written back: job +$((pg1 - pg0)), system +$((sys1 - sys0)), policy $(policy_field state) $(policy_field last_exit)"
	[ "$r" = OK ] && [ "$sib1" = "$sib0" ] &&
		[ $((pg1 - pg0)) = $((sys1 - sys0)) ] &&
		[ $((job1 - job0)) -ge $((2 << 20)) ] &&
		[ $((job1 - job0)) -lt $(((2 << 20) + PAGE)) ]
}

test_user_builtin() { check_user_writeback "no policy"; }

test_user_outside_policy() {
	local ok=0
	"$Z" load "$BAD" --set mode=BAD_FIXED --set target="$(cgid "$SIB")" >/dev/null || return 1
	check_user_writeback "policy choosing the sibling" || ok=1
	[ "$(policy_field last_exit)" = ejected_invalid ] || ok=1
	"$Z" unload >/dev/null
	return $ok
}

test_user_random_policy() {
	local ok=0 max
	max=$(($(find $CGR -type d -exec stat -c %i {} + | sort -n | tail -1) + 8))
	"$Z" load "$BAD" --set mode=BAD_RANDOM_RANGE --set target=$max >/dev/null || return 1
	check_user_writeback "policy choosing ids 0..$max at random" || ok=1
	"$Z" unload >/dev/null
	return $ok
}

# The loader's reclaim needs no privilege beyond the file's mode; 1M of
# the MiBs job still holds in zswap (32M filled, 6M written back before)
# is met (exit 0, not 4 "partial"), by
# at least 1M and less than one more page
test_user_loader_reclaim() {
	local out rc b0 b1 budget=$((1 << 20))
	settle
	b0=$(stat_of "$DELEG/job" zswpwb_proactive_b)
	out=$(as_user "$Z" reclaim "$DELEG/job" 1M 2>&1)
	rc=$?
	settle
	b1=$(stat_of "$DELEG/job" zswpwb_proactive_b)
	tap_diag "  zswap-bpf reclaim as the user: exit $rc: $(echo "$out" | head -1); zswpwb_proactive_b +$((b1 - b0))"
	[ $rc = 0 ] && echo "$out" | grep -q "requested 1.0 MiB" &&
		[ $((b1 - b0)) -ge $budget ] && [ $((b1 - b0)) -lt $((budget + PAGE)) ]
}

tap_plan 8
for t in "$Z" "$RR" "$BAD" "$MEMHOG"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
command -v setpriv >/dev/null || tap_bail "no setpriv (util-linux) in the guest"
# In the project's VM the hook is there: its absence is a failure
[ -e "$DBG/bpf_policy" ] ||
	tap_bail "no $DBG/bpf_policy: kernel without CONFIG_ZSWAP_BPF (boot the kernel built from kernel-patches/)"

tap_check "unprivileged load: exit 3, needs root, nothing attached" test_load
tap_check "unprivileged unload: exit 3, needs root, policy stays" test_unload
tap_check "unprivileged status: exit 3, needs root" test_status
setup || tap_bail "could not set up the delegated subtree"
tap_check "delegation boundary: sibling's and delegated root's memory.reclaim refused" test_boundary
tap_check "delegated user writes back from its subtree" test_user_builtin
tap_check "... a policy choosing a sibling: nothing written back outside" test_user_outside_policy
tap_check "... a policy choosing random ids: nothing written back outside" test_user_random_policy
tap_check "delegated user runs zswap-bpf reclaim" test_user_loader_reclaim
tap_done
