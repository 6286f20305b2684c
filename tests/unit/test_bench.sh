#!/bin/bash
# Host tests of the A/B benchmark's pieces that need no VM: every shipped
# scenario parses (ab --check), malformed ones are refused with a message
# and exit 2, tests/bench/chart draws SVGs from ab's JSON, and workload
# refuses bad options; tests/bench/apps refuses bad options;
# tests/bench/pool_gaps breaks a made-up trace down as it should.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
AB=$TOP/tests/bench/ab
CHART=$TOP/tests/bench/chart
WORKLOAD=$TOP/build/tests/workload
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export PYTHONDONTWRITEBYTECODE=1
SCENARIOS=("$TOP"/tests/bench/scenarios/*)
tap_plan $((${#SCENARIOS[@]} + 27))

# expect STATUS PATTERN CMD...: check a command's status and output
expect() { tap_expect "$@"; }

# bad_scenario PATTERN LINE...: a scenario of these lines is refused
bad_scenario() {
	local pat=$1
	shift
	printf '%s\n' "$@" >"$T/bad"
	expect 2 "$pat" "$AB" --check "$T/bad"
}

for s in "${SCENARIOS[@]}"; do
	tap_check "scenario $(basename "$s") parses" \
		expect 0 '"trigger"' "$AB" --check "$s"
done
tap_check "weight reaches the scenario" \
	expect 0 '"weight": 0' "$AB" --check "$TOP/tests/bench/scenarios/protect"
tap_check "touch reaches the scenario" \
	expect 0 '"touch": 0.5' "$AB" --check "$TOP/tests/bench/scenarios/mixed"
tap_check "touch out of range" bad_scenario "touch is 0..1" \
	"trigger proactive" "budget 1M" "memcg a 1 reaccess=0.5 touch=2"
tap_check "missing scenario file" expect 2 "no scenario file" "$AB" --check "$T/none"
tap_check "unknown directive" bad_scenario "cannot parse 'frobnicate 3'" \
	"trigger proactive" "budget 1M" "memcg a 1" "frobnicate 3"
tap_check "unknown memcg key" bad_scenario "unknown memcg key 'colour'" \
	"trigger proactive" "budget 1M" "memcg a 1 colour=red"
tap_check "negative weight" bad_scenario "weight is a u32" \
	"trigger proactive" "budget 1M" "memcg a 1 weight=-1"
tap_check "proactive without budget" bad_scenario "needs a budget" \
	"trigger proactive" "memcg a 1"
tap_check "pool limit out of range" bad_scenario "1..100" \
	"trigger pool_limit 0" "memcg a 1"
tap_check "accept out of range" bad_scenario "1..100" \
	"trigger pool_limit 2 accept=150" "memcg a 1"
tap_check "memcg lines and spread together" bad_scenario "memcg lines or a spread" \
	"trigger proactive" "budget 1M" "memcg a 1" "spread 10 64"
tap_check "spread with the pool limit" bad_scenario "spread works with" \
	"trigger pool_limit 2" "spread 10 64"
tap_check "no trigger" bad_scenario "and a trigger" "budget 1M" "memcg a 1"
# the pool limit is the root's, and scale measures one tree at a time
tap_check "--simultaneous refuses a pool-limit scenario" \
	expect 2 "--simultaneous needs 'trigger proactive'" \
	"$AB" --check --simultaneous "$TOP/tests/bench/scenarios/pool_limit"
tap_check "--simultaneous refuses a spread scenario" \
	expect 2 "--simultaneous needs 'trigger proactive' and memcg lines" \
	"$AB" --check --simultaneous "$TOP/tests/bench/scenarios/scale"

# A summary in ab's JSON layout: two scenarios, one spread
chart_ok() {
	cat >"$T/mixed.json" <<'JSON'
{"scenario": {"name": "mixed", "spread": null}, "configs": ["builtin", "coldest_first", "oracle"],
 "summary": {"builtin": {"pswpin": {"median": 1680}}, "coldest_first": {"pswpin": {"median": 331}},
  "oracle": {"pswpin": {"median": 0}}}}
JSON
	cat >"$T/scale.json" <<'JSON'
{"scenario": {"name": "scale", "spread": [[10, 1000], 64]}, "configs": ["builtin", "round_robin"],
 "summary": {"builtin": {"10": {"ms_per_mb": {"median": 36}}, "1000": {"ms_per_mb": {"median": 27}}},
  "round_robin": {"10": {"ms_per_mb": {"median": 35}}}}}
JSON
	"$CHART" --out "$T/out" "$T/mixed.json" "$T/scale.json" >/dev/null || return 1
	grep -q "<svg" "$T/out/pages-read-back.svg" && grep -q "<svg" "$T/out/scale.svg"
}
# tests/bench/apps's JSON beside ab's: its own charts, ab's still drawn
chart_apps() {
	cat >"$T/apps.json" <<'JSON'
{"kind": "apps", "configs": ["builtin", "coldest_first"],
 "tenants": {"redis": {}, "memcached": {}, "postgres": {}},
 "summary": {"builtin": {"redis": {"disk_reads": {"median": 17}, "p99_ms": {"median": 11.8}},
   "memcached": {"disk_reads": {"median": 486}, "p99_ms": {"median": 60.8}},
   "postgres": {"disk_reads": {"median": 0}, "p99_ms": {"median": 205}}},
  "coldest_first": {"redis": {"disk_reads": {"median": 431}, "p99_ms": {"median": 17.3}}}}}
JSON
	"$CHART" --out "$T/out3" "$T/mixed.json" "$T/apps.json" >/dev/null || return 1
	grep -q "<svg" "$T/out3/pages-read-back.svg" &&
		grep -q "<svg" "$T/out3/apps-pages-read-back.svg" &&
		grep -q "<svg" "$T/out3/apps-p99.svg"
}
# build/bench/ also holds proactive.sh's and the entry sizes' JSON (for
# tests/bench/summary): chart leaves them alone
chart_other_kinds() {
	echo '{"kind": "proactive", "rounds": []}' >"$T/proactive.json"
	echo '{"kind": "entry_size", "with_bpf": 56, "without_bpf": 56}' >"$T/entry_size.json"
	"$CHART" --out "$T/out4" "$T/mixed.json" "$T/proactive.json" \
		"$T/entry_size.json" >/dev/null &&
		grep -q "<svg" "$T/out4/pages-read-back.svg"
}
if command -v gnuplot >/dev/null; then
	tap_check "chart draws both SVGs" chart_ok
	tap_check "chart skips proactive.sh's and the entry sizes' JSON" chart_other_kinds
	tap_check "chart draws the apps SVGs from apps' JSON" chart_apps
	tap_check "chart names an unreadable JSON file" expect 2 "$T/none.json" \
		"$CHART" --out "$T/out2" "$T/none.json"
else
	tap_skip "chart draws both SVGs" "no gnuplot (make deps)"
	tap_skip "chart skips proactive.sh's and the entry sizes' JSON" "no gnuplot (make deps)"
	tap_skip "chart names an unreadable JSON file" "no gnuplot (make deps)"
	tap_skip "chart draws the apps SVGs from apps' JSON" "no gnuplot (make deps)"
fi

# A made-up pool-limit trace: three runs of the shrink work (kworker 40);
# the second queued while the first ran; then the writer (pid 77) sleeps
# on a swap-in read from 100.0021 to 100.0095 s, the disk reads from
# 100.0030 to 100.0090 s, and the writer's next store queues the third
# run at 100.0100 s, which wakes at 100.0101 s and starts at 100.0102 s
gaps_trace() {
	local w='work struct=00000000deadbeef' e='work struct 00000000deadbeef:'
	cat <<TRACE
# tracer: nop
 kworker/u8:1-40 [001] d..1. 100.000000: workqueue_queue_work: $w function=shrink_worker workqueue=zswap-shrink req_cpu=8192 cpu=4294967295
 kworker/u8:1-40 [001] ..... 100.000100: workqueue_execute_start: $e function shrink_worker
 workload-77 [000] d..1. 100.000500: workqueue_queue_work: $w function=shrink_worker workqueue=zswap-shrink req_cpu=8192 cpu=4294967295
 kworker/u8:1-40 [001] ..... 100.001000: workqueue_execute_end: $e function shrink_worker
 kworker/u8:1-40 [001] ..... 100.001100: workqueue_execute_start: $e function shrink_worker
 kworker/u8:1-40 [001] ..... 100.002000: workqueue_execute_end: $e function shrink_worker
 workload-77 [000] d..2. 100.002100: sched_switch: prev_comm=workload prev_pid=77 prev_prio=120 prev_state=D ==> next_comm=swapper/0 next_pid=0 next_prio=120
 workload-77 [000] d..2. 100.002100: <stack trace>
 => __traceiter_sched_switch
 => __schedule
 => schedule
 => io_schedule+0x42/0x70
 => folio_wait_bit_common+0x13d/0x350
 => do_swap_page+0x5c1/0xd70
 <idle>-0 [000] d..1. 100.003000: block_rq_issue: 254,16 R 4096 () 2048 + 8 none,0,0 [workload]
 <idle>-0 [000] d.h1. 100.009000: block_rq_complete: 254,16 R () 2048 + 8 none,0,0 [0]
 <idle>-0 [000] d..2. 100.009500: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=workload next_pid=77 next_prio=120
 workload-77 [000] d..1. 100.010000: workqueue_queue_work: $w function=shrink_worker workqueue=zswap-shrink req_cpu=8192 cpu=4294967295
 workload-77 [000] d..3. 100.010100: sched_wakeup: comm=kworker/u8:1 pid=40 prio=120 target_cpu=001
 kworker/u8:1-40 [001] ..... 100.010200: workqueue_execute_start: $e function shrink_worker
 kworker/u8:1-40 [001] ..... 100.011000: workqueue_execute_end: $e function shrink_worker
TRACE
}
gaps_breakdown() {
	local out
	gaps_trace >"$T/gaps.trace"
	out=$("$TOP/tests/bench/pool_gaps" "$T/gaps.trace") || return 1
	echo "$out" | sed 's/^/# /'
	echo "$out" | grep -qx "  runs 3, their time 2.6 ms, between them 8.3 ms" &&
		echo "$out" | grep -qx "  queued while the run before ran: 1 of 2 (50 %)" &&
		echo "$out" | grep -qx "  queued after a run ended, to running: mean 0.2 ms, of which to the wake-up 0.1 ms" &&
		echo "$out" | grep -qx "  gaps over 0.5 ms: 1, 8.2 ms" &&
		echo "$out" | grep -q "^  on the CPUs between runs: swapper/N 7.4 ms" &&
		echo "$out" | grep -qx "  disk in the gaps over 0.5 ms: reads 1, writes 0, idle 2.2 ms" &&
		echo "$out" | grep -qx "  the writer asleep in them 7.4 ms: D io_schedule < folio_wait_bit_common < do_swap_page"
}
gaps_one_run() {
	gaps_trace | head -5 >"$T/one.trace"
	"$TOP/tests/bench/pool_gaps" "$T/one.trace" | grep -q "fewer than two runs of shrink_worker"
}
tap_check "pool_gaps: queued, woken, gaps, CPU, disk and the writer's sleep" gaps_breakdown
tap_check "pool_gaps: a trace with one run says so" gaps_one_run
tap_check "pool_gaps names a missing trace" expect 2 "$T/none.trace: No such file" \
	"$TOP/tests/bench/pool_gaps" "$T/none.trace"
tap_check "pool_gaps without a trace prints its usage" expect 2 "usage: pool_gaps" \
	"$TOP/tests/bench/pool_gaps"
tap_check "ab --trace refuses a proactive scenario" expect 2 "needs 'trigger pool_limit'" \
	"$AB" --check --trace "$T/tr" "$TOP/tests/bench/scenarios/mixed"

tap_check "apps refuses a tenant under 4 MB" expect 2 "--mb >= 4" \
	"$TOP/tests/bench/apps" --mb 1
if [ -x "$WORKLOAD" ]; then
	tap_check "workload -c wants DIR:COUNT" expect 2 "usage: workload" \
		"$WORKLOAD" -c /tmp/x "$T/st" 1
	tap_check "workload -c COUNT over the pages" expect 2 "usage: workload" \
		"$WORKLOAD" -c /tmp/x:300 "$T/st" 1
else
	tap_skip "workload -c wants DIR:COUNT" "no $WORKLOAD (make test-progs)"
	tap_skip "workload -c COUNT over the pages" "no $WORKLOAD (make test-progs)"
fi
tap_done
