#!/bin/bash
# In-guest test of tests/bench/ab --simultaneous (issue 13): every
# configuration runs at once on a twin subtree of its own.  The run prints
# one table row per configuration, each policy twin wrote back through its
# own attachment (bytes, steps and a run of its own in debugfs) and the
# built-in twin through none, and the policies' choices differ as they
# should (coldest_first leaves the newer memcg alone, round_robin does not),
# which one policy steering every twin could not give.  A policy attached at
# the root would steer the built-in twin: ab refuses to start then.  And
# the writer that ab's pool-limit runs use as their trigger never waits on
# swap-in reads, and ab --trace records those runs for tests/bench/pool_gaps.
# Sequential repeats alternate the order of the configurations.
#
# usage (on the host): tests/vm/run -- tests/vm/test_ab_sim.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=${ZSWAP_BPF:-$B/zswap-bpf}
AB=$TOP/tests/bench/ab
WORKLOAD=${WORKLOAD:-$B/tests/workload}
CONFIGS="builtin round_robin coldest_first"
T=$(mktemp -d)

cleanup() {
	"$Z" unload >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

# Two memcgs of 12 MB: old, pushed first and never read again, and new,
# read back whole; a quarter of the pool written back
cat >"$T/twins" <<'SCENARIO'
trigger proactive
budget 25%
gap 1
memcg old 12 reaccess=0
memcg new 12 reaccess=1
SCENARIO

# field RUN KEY...: a value from ab's JSON, of the run of configuration
# RUN (KEY... a path into it, e.g. memcg new wb_bytes); "-" when absent
field() {
	python3 - "$T/ab.json" "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
v = [r for r in doc["runs"] if r["policy"] == sys.argv[2]]
v = v[0] if len(v) == 1 else None
for k in sys.argv[3:]:
    v = v.get(k) if isinstance(v, dict) else None
print("-" if v is None else v)
PY
}

# 1. It runs, in simultaneous mode, and every table has one row per
# configuration, in order
test_tables() {
	local rows
	"$AB" "$T/twins" round_robin coldest_first --simultaneous --no-oracle \
		--json "$T/ab.json" >"$T/ab.out" 2>&1 || {
		sed 's/^/# /' "$T/ab.out"
		return 1
	}
	sed -n '/^  run /p; /^== written back/,/^$/p' "$T/ab.out" | sed 's/^/# /'
	[ "$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["mode"], *[r["mode"] for r in d["runs"]])' "$T/ab.json")" = \
		"simultaneous simultaneous simultaneous simultaneous" ] || return 1
	# each table: its header line, then a row per configuration
	rows=$(awk '/^== / { t = 1; n = 0; next } t && n++ == 0 { next }
		t && NF == 0 { t = 0; print "|"; next } t { printf "%s ", $1 }' \
		"$T/ab.out" | sort -u)
	tap_diag "rows of each table: $rows"
	[ "$rows" = "$CONFIGS |" ] && [ "$(grep -c '^== ' "$T/ab.out")" -ge 5 ]
}

# 2. Each policy twin's bytes came from its own attachment: the policy's
# name, one run, steps, and exactly the bytes its twin's memory.stat
# counts; the built-in twin wrote back with no policy on its path
test_own_attachment() {
	local c
	for c in round_robin coldest_first; do
		tap_diag "$c: policy $(field $c policy_name), runs $(field $c att_runs), steps $(field $c hook_steps), attachment $(field $c att_bytes) B, twin $(field $c wb_bytes) B"
		[ "$(field $c ok)" = True ] && [ "$(field $c policy_name)" = $c ] &&
			[ "$(field $c att_runs)" = 1 ] &&
			[ "$(field $c hook_steps)" -gt 0 ] &&
			[ "$(field $c wb_bytes)" -gt 0 ] &&
			[ "$(field $c att_bytes)" = "$(field $c wb_bytes)" ] || return 1
	done
	tap_diag "builtin: policy $(field builtin policy_name), twin $(field builtin wb_bytes) B"
	[ "$(field builtin ok)" = True ] && [ "$(field builtin policy_name)" = - ] &&
		[ "$(field builtin wb_bytes)" -gt 0 ]
}

# 3. The twins were steered differently: coldest_first wrote back nothing
# from new (old holds more than the budget), round_robin and the built-in
# round-robin took some of new too
test_choices_differ() {
	local c
	for c in $CONFIGS; do
		tap_diag "$c: old $(field "$c" memcg old wb_bytes) B, new $(field "$c" memcg new wb_bytes) B"
	done
	[ "$(field coldest_first memcg new wb_bytes)" = 0 ] &&
		[ "$(field coldest_first memcg old wb_bytes)" -gt 0 ] &&
		[ "$(field round_robin memcg new wb_bytes)" -gt 0 ] &&
		[ "$(field builtin memcg new wb_bytes)" -gt 0 ]
}

# 4. With a policy at the root, which would steer the built-in twin, ab
# fails at once, naming it
test_root_policy_refused() {
	local out rc
	"$Z" load round_robin >/dev/null || return 1
	out=$("$AB" "$T/twins" coldest_first --simultaneous --no-oracle \
		--json "$T/refused.json" 2>&1)
	rc=$?
	"$Z" unload >/dev/null
	tap_diag "rc $rc: $(echo "$out" | grep 'attached at' | head -1)"
	[ $rc = 1 ] && echo "$out" | grep -q "policy round_robin is attached at /: simultaneous mode needs no policy outside its twins"
}

# 5. ab's pool-limit trigger (workload -w in a memcg half its size, as ab
# runs it) keeps swapping out, and reads nothing back from the swap disk:
# its waits on the disk would set the pace between the shrink worker's
# runs. Its pages are random, so zswap rejects them and they go to the
# disk; what it faults back from zswap (its stack, libc's data) is no
# disk read. Nothing else in the VM swaps meanwhile: pswpin is global.
test_trigger_writer() {
	local cg=/sys/fs/cgroup/ab_sim_trigger pid i out0 out1 in0 in1
	mkdir -p $cg && echo 2M >$cg/memory.max || return 1
	(echo $BASHPID >$cg/cgroup.procs &&
		exec "$WORKLOAD" -p 100 -s 99 -w "$T/trigger.status" 4) &
	pid=$!
	for i in $(seq 300); do
		[ -e "$T/trigger.status" ] && break
		sleep 0.1
	done
	sleep 1
	out0=$(vmstat_of pswpout)
	in0=$(vmstat_of pswpin)
	sleep 3
	out1=$(vmstat_of pswpout)
	in1=$(vmstat_of pswpin)
	tap_diag "in 3 s: pages swapped out $((out1 - out0)), read back from disk $((in1 - in0)) (its memcg's major faults so far: $(stat_of $cg pgmajfault))"
	kill $pid
	wait $pid
	rmdir $cg
	[ $((out1 - out0)) -ge 256 ] && [ "$in1" = "$in0" ]
}

# 6. ab --trace on a small pool-limit scenario (the built-in loop, one
# run): one trace, which tests/bench/pool_gaps breaks down into the runs
# the kernel counted (give or take one at either edge of the trace) and
# what passed between them
test_trace() {
	local out runs want
	cat >"$T/pool" <<'SCENARIO'
trigger pool_limit 1 accept=80
gap 1
memcg a 24 reaccess=0
memcg b 24 reaccess=0
SCENARIO
	"$AB" "$T/pool" --no-oracle --trace "$T/traces" --json "$T/pool.json" \
		>"$T/pool.out" 2>&1 || {
		sed 's/^/# /' "$T/pool.out"
		return 1
	}
	grep '^  run ' "$T/pool.out" | sed 's/^/# /'
	[ "$(ls "$T/traces")" = 01-builtin.trace ] || return 1
	out=$("$TOP/tests/bench/pool_gaps" "$T/traces/01-builtin.trace") || return 1
	echo "$out" | sed 's/^/# /'
	runs=$(echo "$out" | sed -n 's/^  runs \([0-9]*\),.*/\1/p')
	want=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["runs"][0]["wb_runs"])' "$T/pool.json")
	tap_diag "the kernel counted $want runs, the trace holds $runs"
	[ "$runs" -ge 2 ] && [ "$runs" -ge $((want - 1)) ] && [ "$runs" -le $((want + 1)) ] &&
		echo "$out" | grep -q "^  queued while the run before ran: " &&
		[ "$(cat /sys/kernel/tracing/tracing_on)" = 0 ] &&
		[ "$(cat /sys/kernel/tracing/events/workqueue/workqueue_execute_start/enable)" = 0 ]
}

# 7. a --json file ab cannot write is refused before the first run, not
# after all of them (a 10-repeat run once lost its results that way:
# /work is read-only in the VM)
test_json_unwritable() {
	local out rc=0

	printf 'trigger pool_limit 1\nmemcg a 8 reaccess=0\n' >"$T/pool7"
	out=$(timeout 60 "$AB" "$T/pool7" --no-oracle --repeat 3 \
		--json /proc/ab.json 2>&1) || rc=$?
	echo "$out" | sed 's/^/# /'
	[ $rc = 2 ] && [[ $out == *"cannot write /proc/ab.json"* ]] &&
		! echo "$out" | grep -q '^  run '
}

# 8. sequential repeats alternate the order of the configurations, and the
# ratio table splits the writeback time ratio by which side ran first; the
# hook's cost comes from the kernel's own timing, not kernel.bpf_stats
test_alternating_order() {
	local order cost want="1 builtin 0,1 round_robin 1,2 round_robin 0,2 builtin 1"
	"$AB" "$T/twins" round_robin --no-oracle --repeat 2 --json "$T/alt.json" \
		>"$T/alt.out" 2>&1 || {
		sed 's/^/# /' "$T/alt.out"
		return 1
	}
	grep -E '^  run |^policy +writeback|^round_robin ' "$T/alt.out" | sed 's/^/# /'
	# the cost per step is the kernel's timing (bpf_call_ns), with
	# kernel.bpf_stats_enabled left off: no per-callback breakdown
	{ read -r order && read -r cost; } < <(python3 - "$T/alt.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
print(",".join(f"{r['repeat'] + 1} {r['policy']} {r.get('position')}"
               for r in runs))
print(" ".join(f"{r['hook_ns']}/{len(r['cb_step_ns'])}"
               for r in runs if r["policy"] == "round_robin"))
PY
)
	tap_diag "runs (repeat, configuration, position): $order"
	tap_diag "round_robin's ns in callbacks / callbacks timed by bpf_stats: $cost; bpf_stats_enabled $(cat /proc/sys/kernel/bpf_stats_enabled)"
	[[ $cost =~ ^[1-9][0-9]*/0\ [1-9][0-9]*/0$ ]] &&
		[ "$order" = "$want" ] &&
		grep -q 'writeback time, built-in first' "$T/alt.out" &&
		# one repeat each way: a figure in both columns, no "-"
		grep -A3 'writeback time, built-in first' "$T/alt.out" |
		grep -E '^round_robin ' | grep -qvE ' - *$'
}

tap_plan 8
export ZSWAP_BPF_POLICY_DIR=$B/policies
for t in "$Z" "$B/bpftool/bpftool" "$WORKLOAD" \
	"$B/policies/round_robin.bpf.o" "$B/policies/coldest_first.bpf.o"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
[ -e "$DBG/bpf_policy" ] ||
	tap_bail "no $DBG/bpf_policy: kernel without CONFIG_ZSWAP_BPF (boot the kernel built from kernel-patches/)"

tap_check "ab --simultaneous: one table row per configuration" test_tables
tap_check "each policy twin wrote back through its own attachment, the built-in twin through none" test_own_attachment
tap_check "coldest_first's twin spared the newer memcg, the round-robin twins did not" test_choices_differ
tap_check "a policy at the root stops ab --simultaneous before it starts" test_root_policy_refused
tap_check "ab's pool-limit trigger writer swaps out and reads nothing back from the disk" test_trigger_writer
tap_check "ab --trace keeps a trace per pool-limit run; pool_gaps finds the kernel's runs in it" test_trace
tap_check "ab refuses a --json file it cannot write before its first run" test_json_unwritable
tap_check "ab alternates the order of the configurations between repeats, its hook cost without bpf_stats" test_alternating_order
tap_done
