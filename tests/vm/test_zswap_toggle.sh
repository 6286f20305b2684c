#!/bin/bash
# zswap enabled and used, then disabled at runtime, then enabled again.
# Disabling zswap leaves its entries in the pool; cgroups that opted out of
# writeback (memory.zswap.writeback=0 on themselves or an ancestor) must
# never be written back, and "source=zswap" on them must fail with EINVAL,
# with and without a policy.  Every page comes back intact.
#
#   tg/open           writeback on
#   tg/closed         writeback off
#   tg/par/kid        off on the parent, on on the child
#
# usage (on the host): tests/vm/run -- tests/vm/test_zswap_toggle.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=$B/zswap-bpf
PAGECHECK=$B/tests/pagecheck
PARAM=/sys/module/zswap/parameters
CG=/sys/fs/cgroup/tg
SHM=/dev/shm/zswap-toggle
MB=12
# tg/open gives 1M (compressed) a round, five rounds
OPEN_MB=40
OPTED_OUT="closed par/kid"

cleanup() {
	"$Z" unload >/dev/null 2>&1
	echo Y >$PARAM/enabled
	rm -rf "$SHM"
	rmdir "$CG/par/kid" "$CG/par" "$CG/open" "$CG/closed" "$CG" 2>/dev/null
}
trap cleanup EXIT


# fill_shm NAME SEED [MB]: verifiable shmem charged to tg/NAME, pushed to
# zswap
fill_shm() {
	(echo $BASHPID >"$CG/$1/cgroup.procs" &&
		exec "$PAGECHECK" -m fill -s "$2" -f "$SHM/${1//\//_}" "${3:-$MB}") >/dev/null
}

setup() {
	mkcg "$CG" && mkdir -p "$CG/open" "$CG/closed" && mkcg "$CG/par" &&
		mkdir -p "$CG/par/kid" && mkdir -p "$SHM" || return 1
	fill_shm open 1 $OPEN_MB && fill_shm closed 2 && fill_shm par/kid 3 || return 1
	echo 0 >"$CG/closed/memory.zswap.writeback" &&
		echo 0 >"$CG/par/memory.zswap.writeback"
}

# The opted-out cgroups refuse, the parent's write takes from tg/open only:
# the system-wide zswpwb grows by what tg/open gave, nothing else.
check_round() {
	local c before=() sys0 open0 bad=0 r
	settle
	for c in $OPTED_OUT; do
		before+=("$(stat_of "$CG/$c" zswpwb)")
		r=$(writeback "$CG/$c" 1M)
		[ "$r" = EINVAL ] || { tap_diag "$1: 1M on $c: $r, want EINVAL"; bad=1; }
	done
	[ "$(stat_of "$CG/closed" zswap)" -gt 0 ] || { tap_diag "$1: closed has nothing in zswap"; bad=1; }
	sys0=$(vmstat_of zswpwb)
	open0=$(stat_of "$CG/open" zswpwb)
	r=$(writeback "$CG" 1M)
	settle
	tap_diag "$1: 1M on tg: $r; open zswpwb +$(($(stat_of "$CG/open" zswpwb) - open0)), system +$(($(vmstat_of zswpwb) - sys0))"
	case $r in OK | EAGAIN) ;; *) bad=1 ;; esac
	[ "$(stat_of "$CG/open" zswpwb)" -gt "$open0" ] || bad=1
	[ $(($(vmstat_of zswpwb) - sys0)) = $(($(stat_of "$CG/open" zswpwb) - open0)) ] || bad=1
	set -- $OPTED_OUT
	for c in "${before[@]}"; do
		[ "$(stat_of "$CG/$1" zswpwb)" = "$c" ] || { tap_diag "$1 was written back"; bad=1; }
		shift
	done
	return $bad
}

with_policy() {
	"$Z" load "$B/policies/round_robin.bpf.o" >/dev/null || return 1
	check_round "$1 (round_robin)"
	local r=$?
	"$Z" unload >/dev/null
	return $r
}

# Every page of every cgroup, read back from zswap or the swap disk
test_pages() {
	local c n=1 bad=0
	for c in open closed par/kid; do
		"$PAGECHECK" -m check -s $n -f "$SHM/${c//\//_}" "$([ $c = open ] && echo $OPEN_MB || echo $MB)" | sed 's/^/# /'
		[ "${PIPESTATUS[0]}" = 0 ] || bad=1
		n=$((n + 1))
	done
	return $bad
}

tap_plan 6
for t in "$Z" "$PAGECHECK" "$B/policies/round_robin.bpf.o"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
[ "$(cat $PARAM/enabled)" = Y ] || tap_bail "zswap is not enabled"
setup || tap_bail "setup failed"

tap_check "enabled: opt-outs refused and kept, built-in" check_round enabled
echo N >$PARAM/enabled
tap_check "disabled at runtime: opt-outs refused and kept, built-in" check_round disabled
tap_check "disabled at runtime: the same with a policy" with_policy disabled
echo Y >$PARAM/enabled
tap_check "enabled again: opt-outs refused and kept, built-in" check_round "enabled again"
tap_check "enabled again: the same with a policy" with_policy "enabled again"
tap_check "every page intact" test_pages
tap_done
