# SPDX-License-Identifier: GPL-2.0
# Helpers the in-guest tests share: cgroups, memory in zswap, proactive
# writeback.  Source after setting TOP; uses $MEMHOG (default
# build/tests/memhog) and appends the pids it starts to HOGS.

MEMHOG=${MEMHOG:-$TOP/build/tests/memhog}
DBG=${DBG:-/sys/kernel/debug/zswap}
HOGS=()

stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"; }
counter() { cat "$DBG/$1"; }

# mkcg PATH: a cgroup with the memory controller on for its children
mkcg() { mkdir -p "$1" && echo +memory >"$1/cgroup.subtree_control"; }

# fill CGROUP MB [SEED [MEMHOG_OPTION...]]: park a memhog of MB MiB in
# CGROUP (created if needed) and push it into zswap; the same SEED gives the
# same data
fill() {
	local cg=$1 mb=$2 seed=${3:-$RANDOM} ready
	shift $(($# < 3 ? $# : 3))
	mkdir -p "$cg"
	ready=$(mktemp -u)
	(echo $BASHPID >"$cg/cgroup.procs" &&
		exec "$MEMHOG" -r "$ready" -s "$seed" "$@" "$mb") &
	HOGS+=($!)
	# A memhog that dies before it is ready would leave us waiting forever
	while [ ! -e "$ready" ]; do
		kill -0 $! 2>/dev/null || { echo "# memhog in $cg died"; return 1; }
		sleep 0.1
	done
	rm -f "$ready"
	echo "${mb}M" >"$cg/memory.reclaim" 2>/dev/null || true
}

# writeback CGROUP SIZE: "SIZE source=zswap"; prints the errno name or OK
writeback() {
	local err
	err=$(echo "$2 source=zswap" 2>&1 >"$1/memory.reclaim") && { echo OK; return; }
	case $err in
	*"Resource temporarily unavailable"*) echo EAGAIN ;;
	*"Invalid argument"*) echo EINVAL ;;
	*"Interrupted"*) echo EINTR ;;
	*) echo "$err" ;;
	esac
}

# Counters lag up to 2 s behind per-cpu deltas (memcg rstat flusher)
settle() { sleep 2.5; }
