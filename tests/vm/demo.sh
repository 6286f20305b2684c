#!/bin/bash
# In-guest demo: fill a memcg with half-compressible memory, push it into
# zswap with memory.reclaim, and show the memcg's zswap counters before and
# after.  Run on the host with `make demo` (or tests/vm/run -- tests/vm/demo.sh).
#
# Today this shows the stock path (reclaim -> zswap).  Once the kernel series
# lands, the same steps with `SIZE source=zswap` show proactive writeback.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MEMHOG=$TOP/build/tests/memhog
SIZE_MB=${DEMO_SIZE_MB:-200}
RECLAIM=${DEMO_RECLAIM:-${SIZE_MB}M}
CG=/sys/fs/cgroup/demo
KEYS='zswap|zswapped|zswpout|zswpin|zswpwb|anon|pswpout'

show() { # title
	echo "--- $1"
	grep -E "^($KEYS) " $CG/memory.stat | awk '
		$1 ~ /^(zswap|zswapped|anon)$/ { printf "  %-10s %8.1f MB\n", $1, $2 / 1048576; next }
		{ printf "  %-10s %8d pages\n", $1, $2 }'
	# zswap entries hold swap slots too: "used" counts both.
	awk 'NR == 2 { printf "  %-10s %8.1f MB\n", "swap used", $4 / 1024 }' /proc/swaps
}

cleanup() {
	[ -n "${HOG:-}" ] && kill "$HOG" 2>/dev/null && wait "$HOG" 2>/dev/null
	rmdir $CG 2>/dev/null || true
}

main() {
	local ready=/tmp/memhog.ready t0
	[ -x "$MEMHOG" ] || { echo "demo: no $MEMHOG (make test-progs)" >&2; exit 1; }
	echo "zswap: enabled=$(cat /sys/module/zswap/parameters/enabled)" \
		"compressor=$(cat /sys/module/zswap/parameters/compressor)" \
		"zpool=$(cat /sys/module/zswap/parameters/zpool)"
	mkdir -p $CG
	trap cleanup EXIT
	# memhog enters the memcg before it allocates, so all of it is charged there.
	(echo $BASHPID >$CG/cgroup.procs && exec "$MEMHOG" -r $ready "$SIZE_MB") &
	HOG=$!
	t0=$SECONDS
	while [ ! -e $ready ]; do
		kill -0 $HOG 2>/dev/null || { echo "demo: memhog died" >&2; exit 1; }
		sleep 0.2
	done
	echo "filled ${SIZE_MB} MB (half random, half zeros per page) in $((SECONDS - t0)) s"
	show "before: echo $RECLAIM > $CG/memory.reclaim"
	t0=$SECONDS
	# EAGAIN (less reclaimed than asked) is normal: report it, carry on.
	echo "$RECLAIM" >$CG/memory.reclaim || echo "  (memory.reclaim: partial)"
	show "after ($((SECONDS - t0)) s)"
}

main "$@"
