# SPDX-License-Identifier: GPL-2.0
# Helpers the in-guest tests share: cgroups, memory in zswap, proactive
# writeback.  Source after setting TOP; uses $MEMHOG (default
# build/tests/memhog) and appends the pids it starts to HOGS.

MEMHOG=${MEMHOG:-$TOP/build/tests/memhog}
DBG=${DBG:-/sys/kernel/debug/zswap}
# No write may take longer: a hung writer fails its test instead of the suite
WRITE_TIMEOUT=${WRITE_TIMEOUT:-300}
HOGS=()

cgid() { stat -c %i "$1"; }

# as_user CMD...: run CMD as $USER_ID (a bare uid, no passwd entry needed),
# without capabilities or supplementary groups
as_user() {
	setpriv --reuid="$USER_ID" --regid="$USER_ID" --clear-groups \
		--inh-caps=-all --bounding-set=-all -- "$@"
}
stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"; }
vmstat_of() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
counter() { cat "$DBG/$1"; }
policy_field() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$DBG/bpf_policy"; }

# hung WHAT: the blocked tasks' stacks (sysrq w), for the log
hung() {
	echo "# $1 hung: blocked tasks follow"
	echo w >/proc/sysrq-trigger
	sleep 1
	dmesg | tail -n 150 | sed 's/^/#   /'
}

# mkcg PATH: a cgroup with the memory controller on for its children
mkcg() { mkdir -p "$1" && echo +memory >"$1/cgroup.subtree_control"; }

# fill CGROUP MB [SEED [MEMHOG_OPTION...]]: park a memhog of MB MiB in
# CGROUP (created if needed) and push it into zswap; the same SEED gives the
# same data
fill() {
	local cg=$1 mb=$2 seed=${3:-$RANDOM} ready t0=$SECONDS
	shift $(($# < 3 ? $# : 3))
	mkdir -p "$cg"
	ready=$(mktemp -u)
	(echo $BASHPID >"$cg/cgroup.procs" &&
		exec "$MEMHOG" -r "$ready" -s "$seed" "$@" "$mb") &
	HOGS+=($!)
	# A memhog that dies before it is ready would leave us waiting forever
	while [ ! -e "$ready" ]; do
		kill -0 $! 2>/dev/null || { echo "# memhog in $cg died"; return 1; }
		[ $((SECONDS - t0)) -lt "$WRITE_TIMEOUT" ] || { hung "memhog in $cg"; return 1; }
		sleep 0.1
	done
	rm -f "$ready"
	echo "${mb}M" >"$cg/memory.reclaim" 2>/dev/null || true
}

# writeback CGROUP SIZE: "SIZE source=zswap"; prints the errno name, OK, or
# TIMEOUT when the write did not return within WRITE_TIMEOUT seconds. With
# WB_GATE set, it first waits at that gate (writeback_together).
writeback() {
	local err rc gate=
	[ -n "${WB_GATE:-}" ] &&
		gate="echo >'$WB_GATE/ready'; read -r _ <'$WB_GATE/go';"
	err=$(timeout -s KILL "$WRITE_TIMEOUT" \
		bash -c "$gate echo '$2 source=zswap' >'$1/memory.reclaim'" 2>&1)
	rc=$?
	[ $rc = 0 ] && { echo OK; return; }
	[ $rc = 137 ] && { hung "writing $2 source=zswap to $1" >&2; echo TIMEOUT; return; }
	case $err in
	*"Resource temporarily unavailable"*) echo EAGAIN ;;
	*"Invalid argument"*) echo EINVAL ;;
	*"Interrupted"*) echo EINTR ;;
	*) echo "$err" ;;
	esac
}

# writeback_together CGROUP SIZE OUT1 OUT2: two writebacks whose writes
# start together, their results in OUT1 and OUT2. Each waits at a gate
# that opens once both are ready: under TCG, forking timeout and bash can
# take longer than a whole run, and the first would end before the second
# began. bash reads a pipe a byte at a time, so each gets one newline.
writeback_together() {
	local g ready go p1 p2
	g=$(mktemp -d) && mkfifo "$g/ready" "$g/go" || return 1
	exec {ready}<>"$g/ready" {go}<>"$g/go"
	WB_GATE=$g writeback "$1" "$2" >"$3" &
	p1=$!
	WB_GATE=$g writeback "$1" "$2" >"$4" &
	p2=$!
	# a writer that died before it was ready must not hold the other at
	# the gate until its own WRITE_TIMEOUT (which hung() would report)
	read -r -t 60 _ <&$ready && read -r -t 60 _ <&$ready
	printf '\n\n' >&$go
	wait $p1 $p2
	exec {ready}>&- {go}>&-
	rm -rf "$g"
}

# no_kernel_report: true if dmesg holds no kernel report, else prints them.
# panic_on_warn makes WARN, BUG and KASAN fatal, not lockdep, RCU-stall,
# hung-task or soft-lockup reports: this catches those too
no_kernel_report() {
	! dmesg | grep -E 'BUG:|WARNING:|KASAN|Oops|circular locking|inconsistent lock state|suspicious RCU|soft lockup|blocked for more than|detected stalls'
}

# Counters lag up to 2 s behind per-cpu deltas (memcg rstat flusher)
settle() { sleep 2.5; }

# set_cfg MODE TARGET: the misbehave policy's cfg map (two u64, little endian)
set_cfg() {
	local v b=() i
	for v in "$1" "$2"; do
		for i in 0 1 2 3 4 5 6 7; do b+=($(((v >> (8 * i)) & 255))); done
	done
	"${BPFTOOL:-$TOP/build/bpftool/bpftool}" map update name cfg key 0 0 0 0 value "${b[@]}"
}

# bss_global OBJ NAME: the global NAME of the loaded BPF object OBJ (its
# .bss map, as bpftool dumps it in JSON), space-separated if an array. OBJ
# is the object's name cut to 8 characters, as libbpf names the map
# (bad_policy.bpf.o: bad_poli)
bss_global() {
	"${BPFTOOL:-$TOP/build/bpftool/bpftool}" -j map dump name "$1.bss" 2>/dev/null | python3 -c '
import json, sys
def find(o):
    if isinstance(o, dict):
        if sys.argv[1] in o:
            return o[sys.argv[1]]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r is not None:
                return r
    return None
v = find(json.load(sys.stdin))
print(" ".join(str(x) for x in v) if isinstance(v, list) else ("" if v is None else v))' "$2"
}
