#!/bin/bash
# The policy lifecycle under churn (issue 13): while writers keep proactive
# writeback running in four cgroups, two loops, one at the root and one at
# the first writer's cgroup, load, replace, get ejected and unload
# instances of tests/bpf/lifecycle, which keep score in a map
# pinned by name.  Every instance that was attached must have seen its exit
# exactly once, no callback after its exit began and none still running
# when it did; every write returns a documented result.  On the debug
# kernel (tests/run-all boots it there too) kmemleak must find nothing.
#
# usage (on the host): tests/vm/run -- tests/vm/test_lifecycle.sh
#   LIFECYCLE_DURATION: seconds of churn (default 30)
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=$B/zswap-bpf
LC=$B/tests/lifecycle.bpf.o
BPFTOOL=$B/bpftool/bpftool
PIN=/sys/fs/bpf/lc_score
KMEMLEAK=/sys/kernel/debug/kmemleak
CG=/sys/fs/cgroup/lifecycle
DURATION=${LIFECYCLE_DURATION:-30}
NWRITERS=4
W=$(mktemp -d /tmp/lifecycle.XXXXXX)
WRITERS=()

cleanup() {
	touch "$W/stop"
	[ ${#WRITERS[@]} -gt 0 ] && wait "${WRITERS[@]}" 2>/dev/null
	"$Z" unload --if-loaded >/dev/null 2>&1
	"$Z" unload --if-loaded --cgroup "$CG/w1" >/dev/null 2>&1
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	rm -f "$PIN"
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

# writer CGROUP: until told to stop, write 256K of its hog back (about
# 50 writes drain it); one result per write in $W/results
writer() {
	while [ ! -e "$W/stop" ]; do
		writeback "$1" 256K >>"$W/results"
	done
}

# ejected_at ID: true once the attachment at cgroup ID has been ejected,
# waiting up to 20 s (the writers' runs make the choices that eject it)
ejected_at() {
	local t
	for t in $(seq 80); do
		grep -q "^attachment cgroup_id=$1 .* state=ejected" "$DBG/bpf_policy" && return
		sleep 0.25
	done
	return 1
}

# good_called OFFSET: true once a good instance of the attachment whose
# instances start at OFFSET has made a callback, waiting up to 20 s.  On
# the debug kernel an ejection can take most of DURATION: without this wait
# the good instances after it may never see a run.
good_called() {
	local t
	for t in $(seq 80); do
		[ "$(score_sum calls "\$1 >= $1 && \$1 < $1 + 300000 && \$1 % 3 != 1")" -gt 0 ] &&
			return
		sleep 0.25
	done
	return 1
}

# churn OFFSET [--cgroup CGROUP]: instance OFFSET+i is loaded over whatever
# is attached there (the root by default); every third one chooses outside
# its runs' subtrees and is left until it is ejected, every fourth is
# unloaded after a while; the first good one is left until it has made a
# callback, past DURATION if loads are that slow.  The instances attached
# go to $W/loaded.  OFFSET is a multiple of 3.
churn() {
	local off=$1 i=0 end=$((SECONDS + DURATION)) id=1
	shift

	[ $# -gt 0 ] && id=$(cgid "$2")
	# at least a bad and a good instance, however slow loads are
	while [ $SECONDS -lt $end ] || [ $i -lt 2 ]; do
		i=$((i + 1))
		"$Z" load "$LC" --replace --set inst=$((off + i)) \
			--set bad=$((i % 3 == 1)) "$@" \
			>/dev/null 2>>"$W/load.err" && echo $((off + i)) >>"$W/loaded"
		sleep "0.$((RANDOM % 8))"
		[ $((i % 3)) = 1 ] && ejected_at "$id"
		[ $i = 2 ] && good_called "$off"
		[ $((i % 4)) = 0 ] && "$Z" unload "$@" >/dev/null 2>>"$W/load.err"
	done
	"$Z" unload --if-loaded "$@" >/dev/null 2>&1
}

# score FIELD: "inst value" per instance in the pinned map
score() {
	"$BPFTOOL" -j map dump pinned "$PIN" | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    v = e["formatted"]["value"] if "formatted" in e else e["value"]
    k = e["formatted"]["key"] if "formatted" in e else e["key"]
    print(k, v[sys.argv[1]])' "$1"
}

# score_sum FIELD [AWK-CONDITION]: FIELD summed over the instances that match
score_sum() { score "$1" | awk "${2:-1} { n += \$2 } END { print n + 0 }"; }

# Exits run from a workqueue after an RCU grace period: wait for them
wait_exits() {
	local n t
	n=$(wc -l <"$W/loaded")
	for t in $(seq 100); do
		[ "$(score exits | awk '$2 == 1' | wc -l)" -ge "$n" ] && return
		sleep 0.1
	done
}

test_writes() {
	local bad
	tap_diag "writes: $(sort "$W/results" | uniq -c | tr -s ' \n' ' ')"
	bad=$(grep -cvE '^(OK|EAGAIN|EINTR)$' "$W/results")
	[ "$bad" = 0 ] && grep -q '^OK$' "$W/results"
}

test_exit_once() {
	local loaded got
	loaded=$(sort -n "$W/loaded" | tr '\n' ' ')
	got=$(score exits | awk '$2 == 1 { print $1 }' | sort -n | tr '\n' ' ')
	tap_diag "$(wc -l <"$W/loaded") instances attached, $(score_sum calls) callbacks, $(score_sum ejected) ejected"
	score exits | awk '$2 != 1 { print "# instance " $1 ": " $2 " exits" }'
	[ -n "$loaded" ] && [ "$loaded" = "$got" ]
}

test_no_late() { [ "$(score_sum late)" = 0 ]; }
test_no_overlap() { [ "$(score_sum overlap)" = 0 ]; }

# The bad instances were ejected, the good ones drove writeback, at the
# root and at w1
test_exercised() {
	local at
	for at in '$1 < 300000' '$1 >= 300000'; do
		tap_diag "instances where $at: $(score_sum calls "$at && \$1 % 3 != 1") callbacks of good ones, $(score_sum ejected "$at") ejected"
		[ "$(score_sum ejected "$at")" -gt 0 ] &&
			[ "$(score_sum calls "$at && \$1 % 3 != 1")" -gt 0 ] || return 1
	done
}

test_no_report() {
	local leaks=0
	if [ -w "$KMEMLEAK" ]; then
		echo scan >"$KMEMLEAK"
		sleep 5
		echo scan >"$KMEMLEAK"
		leaks=$(grep -c '^unreferenced object' "$KMEMLEAK")
		tap_diag "kmemleak: $leaks new leaks"
		[ "$leaks" = 0 ] || head -40 "$KMEMLEAK" | sed 's/^/# /'
	fi
	no_kernel_report && [ "$leaks" = 0 ]
}

tap_plan 6
for t in "$Z" "$LC" "$BPFTOOL"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
[ -e "$DBG/bpf_policy" ] || tap_bail "no $DBG/bpf_policy: not the patched kernel"
rm -f "$PIN"
[ -w "$KMEMLEAK" ] && echo clear >"$KMEMLEAK"
mkcg "$CG" || tap_bail "cannot make $CG"
for i in $(seq $NWRITERS); do
	fill "$CG/w$i" 24 $i || tap_bail "cannot fill $CG/w$i"
done
touch "$W/results" "$W/loaded"
for i in $(seq $NWRITERS); do
	writer "$CG/w$i" &
	WRITERS+=($!)
done
# the root's policy steers w2..w4's writes, w1's own those of w1: two
# attachments churn at once, independently
churn 0 &
CHURN=$!
churn 300000 --cgroup "$CG/w1"
wait $CHURN
touch "$W/stop"
wait "${WRITERS[@]}"
WRITERS=()
wait_exits
sort -u "$W/load.err" 2>/dev/null | head -5 | sed 's/^/# loader: /'

tap_check "every write returned OK, EAGAIN or EINTR, and some wrote" test_writes
tap_check "exit ran exactly once for every attached instance" test_exit_once
tap_check "no callback began after its policy's exit" test_no_late
tap_check "no exit ran while a callback of its policy was running" test_no_overlap
tap_check "bad instances were ejected, good ones made steps, at both attachments" test_exercised
tap_check "no kernel report; kmemleak clean where the kernel has it" test_no_report
tap_done
