#!/bin/bash
# In-guest tests of the zswap-bpf command on the patched kernel: load,
# bpftool's view, the refusal of a second load, --replace, reclaim, stats,
# trace, unload, and the errors a user hits, each with its exit code.
# Run by tests/vm/suite (or: tests/vm/run -- tests/vm/test_loader.sh).
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
tap_plan 52
. "$TOP/tests/vm/lib.sh"
B=$TOP/build
Z=$B/zswap-bpf
BPFTOOL=$B/bpftool/bpftool
[ -x "$BPFTOOL" ] || BPFTOOL=$(command -v bpftool || echo bpftool)
CG=/sys/fs/cgroup/zswap-bpf-test
# A sibling: $CG holds a process, so it cannot have children with memcgs
NOWB=/sys/fs/cgroup/zswap-bpf-nowb
PIN=/sys/fs/bpf/zswap-bpf
# Sibling subtrees for concurrent runs
RR=/sys/fs/cgroup/zswap-bpf-rr
T=$(mktemp -d)
HOG=

cleanup() {
	[ -n "$HOG" ] && kill "$HOG" 2>/dev/null && wait "$HOG" 2>/dev/null
	for h in "${HOGS[@]}"; do kill "$h" 2>/dev/null && wait "$h" 2>/dev/null; done
	"$Z" unload >/dev/null 2>&1
	rmdir "$RR/a" "$RR/b" "$RR" "$NOWB" "$CG" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# expect STATUS PATTERN ARGS...: run zswap-bpf, check status and output
expect() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$("$Z" "$@" 2>&1 </dev/null) && rc=0 || rc=$?
	tap_diag "zswap-bpf $* -> $rc"
	if [ "$rc" != "$want" ]; then
		tap_diag "want exit $want; output:"
		tap_diag "$out"
		return 1
	fi
	if [[ $out != *$pat* ]]; then
		tap_diag "output lacks '$pat':"
		tap_diag "$out"
		return 1
	fi
}

# json_ok PYTHON_EXPR ARGS...: the JSON output (j) satisfies the expression
json_ok() {
	local expr=$1 out
	shift
	out=$("$Z" -j "$@" 2>/dev/null </dev/null)
	python3 -c 'import json, sys; j = json.loads(sys.stdin.read()); sys.exit(0 if ('"$expr"') else 1)' \
		<<<"$out" || { tap_diag "zswap-bpf -j $*: '$expr' fails on: $out"; return 1; }
}

struct_ops_listed() { "$BPFTOOL" struct_ops show 2>/dev/null | grep -q "$1"; }
pinned() { [ -e "$PIN/link" ]; }
not_pinned() { [ ! -e "$PIN/link" ]; }
pin_dir_empty() {
	[ -z "$(ls -A "$PIN" 2>/dev/null)" ] || { tap_diag "left in $PIN: $(ls -A "$PIN" | tr '\n' ' ')"; return 1; }
}

# pin_ids: "NAME ID" for each pin under $PIN, the id of the map or link it holds
pin_ids() {
	local f id what
	for f in "$PIN"/*; do
		[ -e "$f" ] || continue
		for what in map link; do
			id=$("$BPFTOOL" -j "$what" show pinned "$f" 2>/dev/null |
				python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' 2>/dev/null) &&
				break
		done
		echo "${f##*/} ${id:-?}"
	done
}

# pins_kept BEFORE: the pins (pin_ids) are what they were, stats among them
pins_kept() {
	local now
	now=$(pin_ids)
	tap_diag "pins: $(echo "$now" | tr '\n' ' ')"
	[ "$now" = "$1" ] && [[ $1 == *"stats "[0-9]* ]] ||
		{ tap_diag "before: $(echo "$1" | tr '\n' ' ')"; return 1; }
}

# A detach the kernel refuses (the LD_PRELOAD shim fails BPF_LINK_DETACH
# with EPERM): unload says so, exits 3, and keeps the pins and the policy.
unload_refused() {
	local before
	before=$(pin_ids)
	LD_PRELOAD=$B/tests/fail_link_detach.so expect 3 \
		"the kernel refused to detach policy 'round_robin'" unload || return 1
	pins_kept "$before" &&
		json_ok 'j["policy"] == "round_robin" and j["state"] == "enabled"' status
}

for f in "$Z" "$B/policies/round_robin.bpf.o" "$B/tests/memhog"; do
	if [ ! -e "$f" ]; then
		tap_skip "zswap-bpf in the guest" "missing $f (make loader policies test-progs)"
		tap_done
		exit 0
	fi
done

if ! grep -q zswap_writeback_ops /proc/kallsyms; then
	tap_check "status on a kernel without the hook names the fix" \
		expect 3 "boot the kernel built from kernel-patches/" status
	tap_skip "zswap-bpf with a policy" "this kernel has no zswap_writeback_ops"
	tap_done
	exit
fi

# A second policy for --replace: another one if built, else round_robin again
P2=round_robin
for p in "$B"/policies/*.bpf.o; do
	p=$(basename "$p" .bpf.o)
	[ "$p" != round_robin ] && P2=$p && break
done

"$Z" unload >/dev/null 2>&1

# --- load, status, bpftool -------------------------------------------------
tap_check "load round_robin" expect 0 "loaded policy round_robin" load round_robin
tap_check "link pinned" pinned
tap_check "bpftool struct_ops show lists it" struct_ops_listed round_robin
tap_check "status names it, enabled" expect 0 "state      enabled" status
tap_check "status --json" json_ok 'j["policy"] == "round_robin" and j["state"] == "enabled" and j["link"]["id"] > 0' status
pins0=$(pin_ids)
tap_check "second load refused, names the fix" expect 3 "policy 'round_robin' is already attached: use 'zswap-bpf load --replace" load round_robin
# status and trace read the pinned maps: they must still be the attached policy's
tap_check "the refused load left every pin as it was" pins_kept "$pins0"
tap_check "load --replace $P2" expect 0 "replaced policy round_robin with $P2" load --replace "$P2"
tap_check "status after replace" json_ok "j['policy'] == '$P2' and j['state'] == 'enabled' and j['last_exit'] == 'replaced'" status
tap_check "bpftool lists the new policy" struct_ops_listed "$P2"
tap_check "replace back" expect 0 "replaced policy $P2 with round_robin" load --replace round_robin

# --- reclaim and stats ---------------------------------------------------
mkdir -p "$CG"
(echo $BASHPID >"$CG/cgroup.procs" && exec "$B/tests/memhog" -r "$T/ready" 64) &
HOG=$!
for _ in $(seq 300); do [ -e "$T/ready" ] && break; sleep 0.1; done
echo 48M >"$CG/memory.reclaim" 2>/dev/null	# into zswap
sleep 2.5	# memory.stat flush
tap_diag "$(grep -E '^(zswap|zswapped) ' "$CG/memory.stat" | tr '\n' ' ')"
tap_check "stats shows the cgroup with data in zswap" \
	json_ok "j['cgroups'][0]['cgroup'] == '/zswap-bpf-test' and j['cgroups'][0]['id'] == $(stat -c %i "$CG") and j['cgroups'][0]['zswap'] > 0" stats zswap-bpf-test
runs_before=$("$Z" -j status | python3 -c 'import json,sys; print(json.load(sys.stdin)["kernel"]["runs"])')
out=$("$Z" reclaim zswap-bpf-test 8M 2>&1) && rc=0 || rc=$?
tap_diag "$out"
tap_check "reclaim 8M: met or partial (exit 0 or 4)" [ "$rc" = 0 -o "$rc" = 4 ]
tap_check "reclaim reports requested and written" grep -q "requested 8.0 MiB, written back" <<<"$out"
sleep 2.5
tap_check "zswpwb_proactive_b grew" json_ok "j['cgroups'][0]['zswpwb_proactive_b'] > 0" stats "$CG"
tap_check "the policy ran (bpf_runs grew)" json_ok "j['kernel']['runs'] > $runs_before and j['policy_stats']['selected'] > 0" status
tap_check "reclaim --json" json_ok 'j["requested_bytes"] == 4096 and j["result"] in ("met", "partial")' reclaim "$CG" 4K
mkdir -p "$NOWB"
echo 0 >"$NOWB/memory.zswap.writeback"
tap_check "reclaim with writeback disabled: refused, says where" \
	expect 3 "memory.zswap.writeback = 0" reclaim zswap-bpf-nowb 1M
tap_check "stats --prometheus" expect 0 'zswap_bpf_zswap_bytes{cgroup="/zswap-bpf-test"' stats zswap-bpf-test --prometheus

# --- parameters and concurrency across a replace ---------------------------
# weight_of CGROUP: the pinned weight map's value for it, or "none"
weight_of() {
	"$BPFTOOL" -j map dump pinned "$PIN/weight" 2>/dev/null | python3 -c '
import json, sys
want = int(sys.argv[1])
def num(v):
	if isinstance(v, list):
		return int.from_bytes(bytes(int(x, 16) for x in v), "little")
	return int(v)
for e in json.load(sys.stdin):
	e = e.get("formatted", e)
	if num(e["key"]) == want:
		print(num(e["value"]))
		sys.exit()
print("none")' "$(stat -c %i "$1")"
}

# A replace keeps the values set with `set` (issue 14 item 2): weighted by
# weighted with another knob, as a reload of the unit does
params_kept() {
	local w
	"$Z" load --replace weighted >/dev/null &&
		"$Z" set weight "$CG=0" >/dev/null &&
		"$Z" load --replace weighted --set slices=64 >/dev/null || return 1
	w=$(weight_of "$CG")
	tap_diag "weight of $CG after the replace: $w"
	[ "$w" = 0 ]
}

# A parameter the new policy lacks goes with the old one
params_dropped() {
	"$Z" load --replace round_robin >/dev/null && [ ! -e "$PIN/weight" ]
}

# While another zswap-bpf holds the pin directory's lock, a replace and an
# unload fail at once and say why, and the policy stays (issue 14 item 4)
locked_out() {
	local ok=0 held=$T/held pid
	flock "$PIN" sh -c ": >$held; sleep 5" &
	pid=$!
	for _ in $(seq 50); do [ -e "$held" ] && break; sleep 0.1; done
	expect 1 "holds the lock on $PIN" load --replace "$P2" || ok=1
	expect 1 "holds the lock on $PIN" unload || ok=1
	json_ok "j['policy'] == 'round_robin'" status || ok=1
	wait $pid
	return $ok
}

# set takes cgroup v2 directories only, and their /proc/PID/cgroup form
# (issue 14 item 10); an error in the middle is one JSON error object and
# sets nothing (item 9)
set_checks() {
	local ok=0 out
	expect 2 "'/tmp' is not a cgroup v2 directory" set weight /tmp=1 || ok=1
	[ "$(weight_of /tmp)" = none ] || ok=1
	expect 0 "weight of $CG (id $(stat -c %i "$CG")) = 7" set weight /zswap-bpf-test=7 || ok=1
	out=$("$Z" -j set weight "$CG=9" /tmp=1 2>/dev/null)
	python3 -c 'import json, sys; sys.exit(0 if "error" in json.loads(sys.argv[1]) else 1)' "$out" ||
		{ tap_diag "set -j: $out"; ok=1; }
	[ "$(weight_of "$CG")" = 7 ] || ok=1
	return $ok
}

if [ -e "$B/policies/weighted.bpf.o" ]; then
	tap_check "load --replace keeps parameters set with 'set'" params_kept
	tap_check "set: cgroup v2 only, /proc form, JSON errors" set_checks
	tap_check "... and drops those the new policy lacks" params_dropped
else
	tap_skip "load --replace keeps parameters set with 'set'" "weighted not built"
	tap_skip "set: cgroup v2 only, /proc form, JSON errors" "weighted not built"
	tap_skip "... and drops those the new policy lacks" "weighted not built"
fi
tap_check "replace and unload fail while another zswap-bpf holds the lock" locked_out

# trace_start ARGS...: zswap-bpf ARGS trace in the background, into $T/trace
TR=
trace_start() {
	"$Z" "$@" trace >"$T/trace" 2>&1 &
	TR=$!
	# steps from before the trace began are not shown: wait until it has
	# the ring buffer open (-j prints no "tracing..." note to wait for)
	for _ in $(seq 100); do
		ls -l "/proc/$TR/fd" 2>/dev/null | grep -q bpf-map && break
		sleep 0.1
	done
}

# trace_stop: Ctrl-C, show the first lines; its exit status
trace_stop() {
	local rc=0
	kill -INT "$TR"
	wait "$TR" || rc=$?
	tap_diag "trace: exit $rc"
	head -4 "$T/trace" | while IFS= read -r l; do tap_diag "  $l"; done
	return $rc
}

# trace ARGS... while a reclaim runs; TRACED: the steps taken meanwhile
TRACED=
trace_reclaim() {
	local s0 rc=0
	s0=$(counter bpf_steps)
	trace_start "$@"
	"$Z" reclaim zswap-bpf-test 2M >/dev/null 2>&1
	sleep 1
	trace_stop || rc=$?
	TRACED=$(($(counter bpf_steps) - s0))
	return $rc
}

# A trace started before a replace shows the new policy's steps
trace_replace() {
	trace_start
	"$Z" load --replace "$P2" >/dev/null
	# the trace looks at the pin once a second
	for _ in $(seq 100); do
		grep -q "following the events" "$T/trace" && break
		sleep 0.1
	done
	"$Z" reclaim zswap-bpf-test 2M >/dev/null 2>&1
	sleep 1
	trace_stop
	"$Z" load --replace round_robin >/dev/null
	grep -q "following the events of a newly loaded policy" "$T/trace"
}
# ring_pos: "CONSUMER PRODUCER" of the loaded policy's events buffer
ring_pos() {
	"$B/tests/ringpos" "$PIN/events" | sed 's/[a-z]*=//g'
}

# Nobody has read a freshly loaded policy's events: its buffer keeps
# ZSWAP_BPF_EVENTS_UNREAD (8) records of 48 bytes with their headers, one
# more if two CPUs raced, however many steps there were (zswap_bpf_emit())
unread_holds_eight() {
	local s0 steps pos
	"$Z" load --replace round_robin >/dev/null || return 1
	s0=$(counter bpf_steps)
	"$Z" reclaim zswap-bpf-test 4M >/dev/null 2>&1
	steps=$(($(counter bpf_steps) - s0))
	read -ra pos <<<"$(ring_pos)"
	tap_diag "$steps steps, nobody reading: consumer ${pos[0]:-?}, producer ${pos[1]:-?}"
	[ "$steps" -gt 10 ] && [ "${pos[0]}" = 0 ] &&
		[ "${pos[1]}" -ge $((8 * 48)) ] && [ "${pos[1]}" -le $((9 * 48)) ]
}
# after trace_reclaim: the trace printed every step taken while it ran
trace_read_all() {
	local n
	n=$(grep -cE "^ *[0-9.]+ / +(proactive|pool-limit) " "$T/trace")
	tap_diag "steps while tracing $TRACED, printed $n"
	[ "$TRACED" -gt 8 ] && [ "$n" = "$TRACED" ]
}
CGID=$(stat -c %i "$CG")
tap_check "events nobody reads: 8 records kept, however many steps" unread_holds_eight
tap_check "trace while reclaim runs: exit 0 on SIGINT" trace_reclaim
tap_check "... it printed every step taken while it ran" trace_read_all
tap_check "trace prints a step of the reclaim, naming the cgroup" \
	grep -Eq "^ *[0-9.]+ / +proactive +[0-9]+ +$CGID /zswap-bpf-test +[0-9]+ (ok|nothing)" "$T/trace"
trace_json_ok() {
	python3 -c 'import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
sys.exit(0 if any(e["reason"] == "proactive" and e["cgroup"] == "/zswap-bpf-test" and
	e["attachment"] == "/" and e["attachment_cgroup_id"] == 1 and
	e["cgroup_id"] == int(sys.argv[2]) and e["result"] in ("ok", "ENOENT", "EAGAIN") for e in ev) else 1)' "$T/trace" "$CGID"
}
tap_check "trace -j while reclaim runs: exit 0" trace_reclaim -j
tap_check "trace -j: a JSON object for a step, naming the cgroup" trace_json_ok
tap_check "trace follows a load --replace" trace_replace
tap_check "... and prints the new policy's steps" \
	grep -Eq "^ *[0-9.]+ / +proactive +[0-9]+ +$CGID /zswap-bpf-test " "$T/trace"
kill "$HOG" 2>/dev/null
wait "$HOG" 2>/dev/null
HOG=

# Without an events map (as a policy built without ZSWAP_BPF_EVENTS_MAP):
# the kernel's counters, with a note
rm -f "$PIN/events"
out=$(timeout --preserve-status -s INT 3 "$Z" trace 1 2>&1) && rc=0 || rc=$?
tap_check "trace without events runs until SIGINT, exit 0" [ "$rc" = 0 ]
tap_check "... says so and falls back to the counters" \
	grep -q "no policy events to stream" <<<"$out"
tap_check "... prints the counters' header" grep -q "RUNS" <<<"$out"

# --- round_robin: concurrent runs on sibling subtrees -----------------------
# Each run keeps its own cursor (issue 14 item 5): two writers of small
# budgets to sibling subtrees at once, with data to spare (a few MiB of
# about 20 each), meet every budget.  With one cursor per reason, a run
# started while the other is between steps can be handed its cursor,
# outside its own subtree, and end at once having written nothing.
# writes CGROUP N: N writebacks of 32K, one line per result
writes() {
	local i
	for i in $(seq "$2"); do writeback "$1" 32K; done
}

rr_concurrent() {
	local pa pb
	mkcg "$RR" && fill "$RR/a" 48 1 && fill "$RR/b" 48 2 || return 1
	settle
	"$Z" load --replace round_robin >/dev/null || return 1
	writes "$RR/a" 60 >"$T/a" &
	pa=$!
	writes "$RR/b" 60 >"$T/b" &
	pb=$!
	wait $pa $pb
	tap_diag "a: $(sort "$T/a" | uniq -c | xargs), b: $(sort "$T/b" | uniq -c | xargs)"
	[ "$(grep -c '^OK$' "$T/a")" = 60 ] && [ "$(grep -c '^OK$' "$T/b")" = 60 ]
}
tap_check "round_robin: concurrent runs on sibling subtrees meet their budgets" rr_concurrent

# coldest_first keeps choosing among candidates only (issue 14 item 6):
# protecting the memcg at the head of its cache, after the cache was
# filled, must not make it choose that memcg until the kernel ejects it.
cold_protect() {
	local inv0
	[ -d "$RR/a" ] || return 1
	"$Z" load --replace coldest_first >/dev/null || return 1
	inv0=$(counter bpf_invalid_choices)
	writeback "$RR" 256K >/dev/null	# fills the cache: a, stored first, leads
	echo 0 >"$RR/a/memory.zswap.writeback"
	for _ in $(seq 20); do writeback "$RR" 256K >/dev/null; done
	echo 1 >"$RR/a/memory.zswap.writeback"
	tap_diag "state $(policy_field state), invalid choices $inv0 -> $(counter bpf_invalid_choices)"
	[ "$(policy_field state)" = enabled ] && [ "$(policy_field name)" = coldest_first ] &&
		[ "$(counter bpf_invalid_choices)" = "$inv0" ]
}
if [ -e "$B/policies/coldest_first.bpf.o" ]; then
	tap_check "coldest_first: protecting its head memcg does not eject it" cold_protect
else
	tap_skip "coldest_first: protecting its head memcg does not eject it" "not built"
fi
"$Z" load --replace round_robin >/dev/null

# --- errors ----------------------------------------------------------------
tap_check "nonexistent policy path" expect 2 "policy file '/nonexistent.bpf.o'" load /nonexistent.bpf.o
tap_check "unknown policy name" expect 2 "no policy 'nosuch'" load nosuch
tap_check "unknown --set knob" expect 2 "has no knob 'nope'" load --replace round_robin --set nope=1
tap_check "bad size" expect 2 "bad SIZE '8Q'" reclaim zswap-bpf-test 8Q
tap_check "nonexistent cgroup" expect 2 "cgroup 'nosuch' does not exist" reclaim nosuch 1M

# --- unload ----------------------------------------------------------------
if [ -e "$B/tests/fail_link_detach.so" ]; then
	tap_check "unload refused by the kernel: exit 3, pins and policy kept" unload_refused
else
	tap_skip "unload refused by the kernel: exit 3, pins and policy kept" "no build/tests/fail_link_detach.so (make test-progs)"
fi
tap_check "unload" expect 0 "unloaded policy round_robin" unload
tap_check "pin removed" not_pinned
tap_check "no pin left at all" pin_dir_empty
tap_check "status after unload" json_ok 'j["policy"] is None and j["state"] == "none" and j["last_exit"] == "unregistered" and j["link"] is None' status
tap_check "bpftool no longer lists it" bash -c "! $BPFTOOL struct_ops show 2>/dev/null | grep -q round_robin"
tap_check "unload again: no policy loaded" expect 1 "no policy loaded" unload
tap_check "unload --if-loaded with nothing loaded: exit 0 (systemd's ExecStop)" \
	expect 0 "" unload --if-loaded

# A load the kernel refuses (validate: no select_memcg) leaves nothing behind
tap_check "a load the kernel refuses: exit 3" expect 3 "" load "$B/tests/no_select.bpf.o"
tap_check "... leaves no pin" pin_dir_empty
tap_check "... and no policy" json_ok 'j["policy"] is None' status
tap_done
