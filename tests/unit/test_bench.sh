#!/bin/bash
# Host tests of the A/B benchmark's pieces that need no VM: every shipped
# scenario parses (ab --check), malformed ones are refused with a message
# and exit 2, tests/bench/chart draws SVGs from ab's JSON, and workload
# refuses bad options; tests/bench/apps refuses bad options.
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
tap_plan $((${#SCENARIOS[@]} + 22))

# expect STATUS PATTERN CMD...: check a command's status and output
expect() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1 </dev/null) && rc=0 || rc=$?
	if [ "$rc" != "$want" ]; then
		tap_diag "$*: exit $rc, want $want: $out"
		return 1
	fi
	if [[ $out != *$pat* ]]; then
		tap_diag "$*: output lacks '$pat': $out"
		return 1
	fi
}

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
