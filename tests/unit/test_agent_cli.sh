#!/bin/bash
# `zswap-bpf agent` on the host (issue 16 item 3), no kernel needed: its
# bad input (exit 2, the message quoting it and naming the form), and its
# loop against a faked cgroup tree and pressure files: the budget it
# writes to memory.reclaim (what is over --pool-max, capped by --rate),
# the back-off while PSI is over the limit, its state file as stats shows
# it, a prompt exit 0 on SIGTERM that removes the state file, exit 1 when
# the cgroup is removed.  The
# kernel side (memory.reclaim really writing back, the age policy, EINTR)
# is tests/vm/test_agent.sh.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"
tap_plan 22
Z=$TOP/build/zswap-bpf
T=$(mktemp -d)
AGENT=
cleanup() {
	[ -z "$AGENT" ] || kill "$AGENT" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

[ -x "$Z" ] || tap_bail "build/zswap-bpf not built (make loader)"

C=$T/cg P=$T/psi
mkdir -p "$C/job" "$C/nomem" "$P"
: >"$C/job/memory.reclaim"
printf 'zswap %d\nzswapped 10\nzswpwb_proactive_b 0\n' $((20 << 20)) >"$C/job/memory.stat"
psi() { printf 'some avg10=%s avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n' "$2" >"$P/$1"; }
psi memory 0.00
psi io 0.00
export ZSWAP_BPF_CGROUP_ROOT=$C ZSWAP_BPF_RUN_DIR=$T/run ZSWAP_BPF_PSI_DIR=$P \
	ZSWAP_BPF_PIN_DIR=$T/nopins ZSWAP_BPF_DEBUGFS_DIR=$T/nodebugfs

# expect STATUS PATTERN ARGS...: zswap-bpf ARGS exits STATUS, prints PATTERN
expect() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$(timeout 10 "$Z" "$@" 2>&1 </dev/null) && rc=0 || rc=$?
	[ "$rc" = "$want" ] && [[ $out == *"$pat"* ]] && return 0
	tap_diag "zswap-bpf $* -> $rc (want $want, '$pat'): $out"
	return 1
}

tap_check "agent without --cgroup" expect 2 "agent needs --cgroup CGROUP" agent --pool-max 1M
tap_check "agent without a target" expect 2 "agent needs a target: --max-age DURATION and/or --pool-max SIZE" agent --cgroup job
tap_check "agent bad --max-age" expect 2 "bad --max-age '2x': expected a number with an optional unit ms, s, m or h" \
	agent --cgroup job --max-age 2x
tap_check "agent zero --interval" expect 2 "bad --interval '0'" agent --cgroup job --pool-max 1M --interval 0
tap_check "agent bad --pool-max" expect 2 "bad --pool-max 'lots': expected bytes" agent --cgroup job --pool-max lots
tap_check "agent --psi-io over 100" expect 2 "bad --psi-io '101': out of range" agent --cgroup job --pool-max 1M --psi-io 101
tap_check "agent --psi-mem=VALUE form, bad" expect 2 "bad --psi-mem '-1'" agent --cgroup job --pool-max 1M --psi-mem=-1
tap_check "agent unknown option" expect 2 "unknown option '--bogus'" agent --cgroup job --bogus
tap_check "agent option without value" expect 2 "--rate needs a value" agent --cgroup job --pool-max 1M --rate
tap_check "agent rate under a page a tick" expect 2 "under a page" agent --cgroup job --pool-max 1M --rate 1K --interval 1s
tap_check "agent missing cgroup" expect 2 "cgroup 'nosuch' does not exist" agent --cgroup nosuch --pool-max 1M
tap_check "agent cgroup without memory controller" expect 2 "has no memory controller" agent --cgroup nomem --pool-max 1M
tap_check "agent help" expect 0 "Usage: zswap-bpf agent --cgroup CGROUP" agent help

# field KEY: the agent's counter
ST=$T/run/agent-$(stat -c %i "$C/job")
field() { awk -v k="$1" '$1 == k { print $2 }' "$ST"; }
# wait_for EXPR: up to 5 s for the shell test EXPR
wait_for() {
	local i
	for i in $(seq 50); do eval "$1" 2>/dev/null && return 0; sleep 0.1; done
	tap_diag "not within 5 s: $1"
	return 1
}

# 20M in the pool, target 16M, 8M/s every 200 ms: 1.6M a tick
"$Z" agent --cgroup job --pool-max 16M --rate 8M --interval 200ms 2>"$T/log" &
AGENT=$!
wait_for '[ "$(field runs)" -ge 1 ]' || true
tap_check "writes what is over the target, capped by the rate" \
	bash -c '[ "$(cat "$1")" = "1677721 source=zswap" ] || { echo "# $(cat "$1")"; false; }' _ "$C/job/memory.reclaim"
printf 'zswap %d\nzswapped 10\nzswpwb_proactive_b 3000000\n' $(((16 << 20) + 4096)) >"$C/job/memory.stat"
wait_for 'grep -q "^4096 source" "$C/job/memory.reclaim"' || true
tap_check "writes the rest when less is over than the rate" grep -q "^4096 source=zswap" "$C/job/memory.reclaim"
tap_check "counts what memory.stat says was written" wait_for '[ "$(field written_bytes)" = 3000000 ]'
# pressure: the ticks back off and nothing is written
runs=$(field runs)
psi io 42.50
tap_check "backs off while io some avg10 is over the limit" \
	wait_for '[ "$(field backoffs)" -ge 3 ] && [ "$(field backing_off)" = 1 ] && [ "$(field psi_io)" = 4250 ]'
tap_check "writes nothing while backing off" bash -c '[ "$(awk '\''$1 == "runs" { print $2 }'\'' "$1")" = "$2" ]' _ "$ST" "$runs"
psi io 0.00
tap_check "resumes below the limit" wait_for '[ "$(field backing_off)" = 0 ] && [ "$(field runs)" -gt "$runs" ]'
tap_check "stats -j shows the agent" bash -c '"$0" -j stats job | python3 -c "
import json, sys
a = json.load(sys.stdin)[\"agents\"]
sys.exit(not (len(a) == 1 and a[0][\"running\"] and a[0][\"cgroup\"] == \"/job\" and a[0][\"backoffs\"] >= 3))"' "$Z"
t0=$(date +%s%N)
kill -TERM "$AGENT"
rc=0
wait "$AGENT" || rc=$?
AGENT=
ms=$((($(date +%s%N) - t0) / 1000000))
tap_diag "exit $rc after $ms ms; log: $(tr '\n' '|' <"$T/log")"
tap_check "SIGTERM: exit 0 within 500 ms, state file removed" \
	bash -c '[ "$1" = 0 ] && [ "$2" -le 500 ] && [ ! -e "$3" ] && [ ! -e "$3.lock" ]' _ "$rc" "$ms" "$ST"

# a removed cgroup: nothing left to keep, exit 1 with a message
mkdir "$C/gone"
cp "$C/job/memory.stat" "$C/job/memory.reclaim" "$C/gone/"
"$Z" agent --cgroup gone --pool-max 1M --interval 100ms 2>"$T/log" &
AGENT=$!
wait_for '[ -e "$T/run/agent-$(stat -c %i "$C/gone")" ]' || true
rm -r "$C/gone"
rc=0
timeout 5 tail --pid="$AGENT" -f /dev/null || true
wait "$AGENT" || rc=$?
AGENT=
tap_check "a removed cgroup stops the agent (exit 1)" \
	bash -c '[ "$1" = 1 ] && grep -q "is gone: stopping" "$2"' _ "$rc" "$T/log"
tap_done
