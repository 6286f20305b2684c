#!/bin/bash
# In-guest tests of what zswap-bpf needs, and no more (issue 14 item 12):
# - status and trace without debugfs: trace streams the policy's steps from
#   the ring buffers pinned in bpffs, status shows the pinned link and the
#   policy's stats, both exit 0; what debugfs gives shows as unavailable;
# - capabilities, not the uid: a root without CAP_SYS_ADMIN is told what it
#   lacks, a user granted the capabilities loads and unloads.
# Z=other/zswap-bpf runs it against another build (e.g. an older one).
#
# usage (on the host): tests/vm/run -- tests/vm/test_loader_access.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
tap_plan 10
. "$TOP/tests/vm/lib.sh"
B=$TOP/build
Z=${Z:-$B/zswap-bpf}
CG=/sys/fs/cgroup/zswap-bpf-access
PIN=/sys/fs/bpf/zswap-bpf
USER_ID=4711
# an empty directory stands for zswap's debugfs when debugfs is not mounted
NODBG=$(mktemp -d)
T=$(mktemp -d)
TR=

cleanup() {
	[ -n "$TR" ] && kill "$TR" 2>/dev/null
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	"$Z" unload >/dev/null 2>&1
	rmdir "$CG" 2>/dev/null
	rm -rf "$T" "$NODBG"
}
trap cleanup EXIT

# nodbg ARGS...: zswap-bpf ARGS as if debugfs were not mounted
nodbg() { ZSWAP_BPF_DEBUGFS_DIR=$NODBG "$Z" "$@"; }

# status without debugfs: exit 0, the policy from its pinned link,
# unavailable counters, one note naming the fix
status_nodbg() {
	local out rc
	out=$(nodbg status 2>&1) && rc=0 || rc=$?
	tap_diag "status without debugfs: exit $rc"
	echo "$out" | sed 's/^/#   /'
	[ "$rc" = 0 ] && [[ $out == *"policy     round_robin"* ]] &&
		[[ $out == *"kernel counters: unavailable"* ]] &&
		[ "$(grep -c "mount -t debugfs" <<<"$out")" = 1 ]
}

status_nodbg_json() {
	local out
	out=$(nodbg -j status 2>/dev/null) || return 1
	python3 -c 'import json, sys; j = json.loads(sys.argv[1])
sys.exit(0 if j["policy"] == "round_robin" and j["kernel"] is None and
	j["debugfs"] is False and j["link"]["id"] > 0 and
	j["policy_stats"] is not None else 1)' "$out" ||
		{ tap_diag "status -j without debugfs: $out"; return 1; }
}

# trace without debugfs, while a reclaim runs: exit 0 on SIGINT
trace_nodbg() {
	local rc=0
	# not through nodbg: $! must be zswap-bpf itself, which takes SIGINT
	# (a background subshell ignores it)
	ZSWAP_BPF_DEBUGFS_DIR=$NODBG "$Z" trace >"$T/trace" 2>&1 &
	TR=$!
	for _ in $(seq 100); do
		ls -l "/proc/$TR/fd" 2>/dev/null | grep -q bpf-map && break
		sleep 0.1
	done
	"$Z" reclaim zswap-bpf-access 2M >/dev/null 2>&1
	sleep 1
	kill -INT "$TR"
	# one that does not stop on SIGINT fails, and does not hang the suite
	for _ in $(seq 50); do
		kill -0 "$TR" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL "$TR" 2>/dev/null
	wait "$TR" || rc=$?
	TR=
	tap_diag "trace without debugfs: exit $rc"
	head -4 "$T/trace" | sed 's/^/#   /'
	return $rc
}

# The capabilities a load needs, granted to a bare uid (and DAC override:
# the pins under /sys/fs/bpf are root's)
CAPS=+bpf,+perfmon,+sys_admin,+dac_override,+dac_read_search
as_capable() {
	setpriv --reuid="$USER_ID" --regid="$USER_ID" --clear-groups \
		--inh-caps="$CAPS" --ambient-caps="$CAPS" -- "$@"
}

# expect_out STATUS PATTERN CMD...: CMD's exit status and output
expect_out() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1 </dev/null) && rc=0 || rc=$?
	tap_diag "  $* -> $rc: $(head -1 <<<"$out")"
	[ "$rc" = "$want" ] && [[ $out == *"$pat"* ]]
}

for f in "$Z" "$B/policies/round_robin.bpf.o" "$MEMHOG"; do
	[ -e "$f" ] || tap_bail "missing $f (make all test-progs)"
done
grep -q zswap_writeback_ops /proc/kallsyms ||
	tap_bail "this kernel has no zswap_writeback_ops (boot the kernel built from kernel-patches/)"
command -v setpriv >/dev/null || tap_bail "no setpriv (util-linux) in the guest"

"$Z" unload >/dev/null 2>&1
"$Z" load round_robin >/dev/null || tap_bail "cannot load round_robin"
fill "$CG" 16 || tap_bail "cannot fill $CG"

# --- without debugfs --------------------------------------------------------
tap_check "status without debugfs: exit 0, policy from the pin, one note" status_nodbg
tap_check "status -j without debugfs: kernel null, link and stats there" status_nodbg_json
tap_check "trace without debugfs: exit 0 on SIGINT" trace_nodbg
tap_check "... streams a step of the reclaim" \
	grep -Eq "^ *[0-9.]+ / +proactive +[0-9]+ +$(cgid "$CG") /zswap-bpf-access " "$T/trace"
tap_check "... with the note, not an error" \
	bash -c '! grep -q "^Error" "$1" && grep -q "mount -t debugfs" "$1"' _ "$T/trace"

# --- capabilities, not the uid ------------------------------------------------
tap_check "root without CAP_SYS_ADMIN: load refused, naming it" \
	expect_out 3 "lacks CAP_SYS_ADMIN): run it as root or grant them" \
	setpriv --bounding-set=-sys_admin -- "$Z" load --replace round_robin
tap_check "root without CAP_BPF: unload refused, naming it" \
	expect_out 3 "lacks CAP_BPF" capsh --drop=cap_bpf -- -c "$Z unload"
tap_check "... the policy stays" expect_out 0 "round_robin" "$Z" status
tap_check "a user with the capabilities unloads" \
	expect_out 0 "" as_capable "$Z" unload
tap_check "a user with the capabilities loads" \
	expect_out 0 "loaded policy round_robin" as_capable "$Z" load round_robin
tap_done
