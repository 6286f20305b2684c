#!/bin/bash
# In-guest demo (`make demo`): proactive zswap writeback, built-in
# round-robin against a BPF policy on the same workload.
#
# Two identical subtrees each hold an "old" memcg (pushed into zswap first)
# and a "new" one (pushed a few seconds later).  "SIZE source=zswap" writes
# back the same budget from each: subtree A with the kernel's built-in
# round-robin, subtree B with the coldest_first policy loaded by zswap-bpf.
# Round-robin takes from both memcgs alike; coldest_first drains the old one.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$TOP/build
MEMHOG=$B/tests/memhog
ZB=$B/zswap-bpf
POLICY=${DEMO_POLICY:-coldest_first}
SIZE_MB=${DEMO_SIZE_MB:-32}
BUDGET=${DEMO_BUDGET:-8M}
CG=/sys/fs/cgroup/demo
HOGS=()

stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

fill() { # CGROUP: park a memhog there and push it into zswap
	local ready
	ready=$(mktemp -u)
	mkdir -p "$1"
	(echo $BASHPID >"$1/cgroup.procs" && exec "$MEMHOG" -r "$ready" "$SIZE_MB") &
	HOGS+=($!)
	while [ ! -e "$ready" ]; do sleep 0.2; done
	rm -f "$ready"
	echo "${SIZE_MB}M" >"$1/memory.reclaim" 2>/dev/null || true
}

cleanup() {
	"$ZB" unload >/dev/null 2>&1 || true
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find $CG -depth -type d -exec rmdir {} \; 2>/dev/null || true
}

table() { # title: zswap bytes and proactive writeback per memcg
	local t m
	echo "--- $1"
	printf '  %-10s %12s %18s\n' memcg "zswap (MB)" "written back (MB)"
	for t in A B; do
		for m in old new; do
			printf '  %-10s %12s %18s\n' "$t/$m" "$(mb "$(stat_of $CG/$t/$m zswap)")" \
				"$(mb "$(stat_of $CG/$t/$m zswpwb_proactive_b)")"
		done
	done
}

main() {
	local t rc
	for t in "$MEMHOG" "$ZB" "$B/policies/$POLICY.bpf.o"; do
		[ -e "$t" ] || { echo "demo: no $t (make all test-progs)" >&2; exit 1; }
	done
	trap cleanup EXIT
	echo "kernel $(uname -r); zswap $(cat /sys/module/zswap/parameters/compressor)/$(cat /sys/module/zswap/parameters/zpool)"
	mkdir -p $CG
	echo +memory >$CG/cgroup.subtree_control
	for t in A B; do
		mkdir -p $CG/$t
		echo +memory >$CG/$t/cgroup.subtree_control
	done
	echo "filling ${SIZE_MB} MB per memcg (half-compressible pages) ..."
	fill $CG/A/old
	fill $CG/B/old
	sleep 5
	fill $CG/A/new
	fill $CG/B/new
	sleep 2.5
	table "in zswap: old memcgs 5 s older than new ones"

	echo
	echo "\$ echo \"$BUDGET source=zswap\" > $CG/A/memory.reclaim    # built-in round-robin"
	rc=0
	echo "$BUDGET source=zswap" >$CG/A/memory.reclaim || rc=$?
	echo "  -> $([ $rc = 0 ] && echo "budget met" || echo "rc $rc")"

	echo "\$ zswap-bpf load $POLICY"
	"$ZB" load "$POLICY"
	echo "\$ zswap-bpf reclaim $CG/B $BUDGET"
	"$ZB" reclaim $CG/B "$BUDGET" || true
	echo "\$ zswap-bpf status"
	"$ZB" status
	"$ZB" unload >/dev/null
	sleep 2.5
	echo
	table "after $BUDGET from A (round-robin) and from B ($POLICY)"
}

main "$@"
