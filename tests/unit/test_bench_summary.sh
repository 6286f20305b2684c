#!/bin/bash
# tests/bench/summary on small fixtures (issue 15 item 4): the numbers of
# its one table, its goal verdicts, and "-" with a note for each missing
# part.  The fixtures are written by the real writers' code: ab's
# write_json() and summarize functions, proactive.sh --report, and
# test_entry_size.sh --json with a stub pahole, so a change to a format
# shows up here.  The timings are chosen so that a ratio taken the wrong
# way round, or as a ratio of medians instead of per repeat, gives another
# number than the one checked.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"
SUMMARY=$TOP/tests/bench/summary
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export PYTHONDONTWRITEBYTECODE=1
tap_plan 24

# ab_fixtures DIR POOL_REPEATS: pool_limit.json, mixed.json and scale.json
# through ab's own functions.  pool_limit, per repeat: built-in 100, 200,
# 300, 400, 500 ms; round_robin 50, 100, 400, 500, 250 ms (ratios 2, 2,
# 0.75, 0.8, 2: median 2.00; the other way round 0.5; medians' ratio 1.2);
# one more repeat whose round_robin run failed, which must not count (its
# ratio would be 100); coldest_first a tenth of the built-in's time.  The
# runs' CPU time: built-in 10 ms each, round_robin 10, 10, 10.5, 9.5, 10
# (median 1.00 [0.95-1.05]), coldest_first 20 (0.50).
ab_fixtures() {
	TOP=$TOP OUT=$1 REPEATS=$2 python3 - <<'PY'
import contextlib, importlib.machinery, importlib.util, io, os, sys
top, out, repeats = os.environ["TOP"], os.environ["OUT"], int(os.environ["REPEATS"])
loader = importlib.machinery.SourceFileLoader("ab", f"{top}/tests/bench/ab")
spec = importlib.util.spec_from_loader("ab", loader)
ab = importlib.util.module_from_spec(spec)
loader.exec_module(ab)
sc_dir = f"{top}/tests/bench/scenarios"

def run(policy, rep, **kw):
    r = {"policy": policy, "repeat": rep, "mode": "sequential", "ok": True,
         "memcg": {}, "wb_runs": 10, "wb_steps": 100}
    r.update(kw)
    return r

def ab_json(name, runs, labels):
    sc = ab.parse_scenario(f"{sc_dir}/{name}")
    for r in runs:
        r["memcg"] = {m["name"]: {} for m in sc["memcgs"]}
    with contextlib.redirect_stdout(io.StringIO()):
        summary = ab.summarize(sc, runs, labels, "sequential")
        summary["ratio_to_builtin"] = ab.summarize_ratios(runs, labels)
    ab.write_json(f"{out}/{name}.json", sc, repeats, "sequential", labels,
                  summary, runs)

b = [100, 200, 300, 400, 500]
rr = [50, 100, 400, 500, 250]
rr_cpu = [10, 10, 10.5, 9.5, 10]
steps = [1000, 1500, 1800, 1900, 1950]
runs = []
for i in range(repeats):
    runs.append(run("builtin", i, wb_ms=b[i], wb_cpu_ms=10))
    runs.append(run("round_robin", i, wb_ms=rr[i], step_ns=steps[i],
                    wb_cpu_ms=rr_cpu[i]))
    runs.append(run("coldest_first", i, wb_ms=b[i] / 10, step_ns=30000,
                    wb_cpu_ms=20))
runs.append(run("builtin", repeats, wb_ms=100))
runs.append(run("round_robin", repeats, ok=False, error="fixture",
                wb_ms=1))
ab_json("pool_limit", runs, ["builtin", "round_robin", "coldest_first"])

ab_json("mixed", [run("builtin", 0, wb_ms=1),
                  run("round_robin", 0, wb_ms=1, step_ns=2500)],
        ["builtin", "round_robin"])

# scale: ms per MB at 10 / 100 / 1000 memcgs; builtin 40 / 50 / 60 (1.5x),
# round_robin 30 / - / 90 (3x)
sc = ab.parse_scenario(f"{sc_dir}/scale")
counts = sc["spread"][0]
runs = [run("builtin", 0, memcgs=n, ms_per_mb=v)
        for n, v in zip(counts, [40, 50, 60])]
runs += [run("round_robin", 0, memcgs=n, ms_per_mb=v)
         for n, v in ((counts[0], 30), (counts[-1], 90))]
with contextlib.redirect_stdout(io.StringIO()):
    summary = ab.summarize_spread(counts, runs, ["builtin", "round_robin"])
ab.write_json(f"{out}/scale.json", sc, 1, "sequential",
              ["builtin", "round_robin"], summary, runs)
PY
}

# proactive_fixture DIR: proactive.json through proactive.sh --report;
# built-in 200, 100, 600, 300, 250 ms, round_robin 100, 200, 300, 400, 500
# ms: per round 2, 0.5, 2, 0.75, 0.5, median 0.75 (the other way round
# 1.33, medians' ratio 0.83); 100 steps a round and 200 us of callbacks
# (plus a program that is no callback): 2000 ns per step, after a warm-up
# of 10 steps and 400 us (40000 ns a step) that the rounds' figure leaves out
proactive_fixture() {
	local w=$T/work.$RANDOM i n
	mkdir -p "$w"
	echo 6.12.0-fixture >"$w/kernel"
	printf '4096 4938 0 119\n' >"$w/budgets"
	echo "138000000 0 2600 67108864" >"$w/one64m"
	printf '0 0 200000000 0 100000000 100\n1 0 100000000 0 200000000 100\n2 0 600000000 0 300000000 100\n3 0 300000000 0 400000000 100\n4 0 250000000 0 500000000 100\n' \
		>"$w/rounds"
	echo 'warm-up 0 90000000 0 80000000 10' >"$w/warmup"
	# cumulative: the policy stays loaded from the warm-up on
	for n in 0 1 2 3 4 5; do
		i=$((n - 1))
		[ $n = 0 ] && i=start
		echo '[{"id": 7, "type": "struct_ops", "name": "rr_select_memcg", "run_cnt": '$((10 + 100 * n))', "run_time_ns": '$((300000 + 150000 * n))'},
		       {"id": 8, "type": "struct_ops", "name": "rr_step_done", "run_cnt": '$((10 + 100 * n))', "run_time_ns": '$((100000 + 50000 * n))'},
		       {"id": 9, "type": "kprobe", "name": "other", "run_cnt": '$((5 * n))', "run_time_ns": 999999}]' \
			>"$w/progs.$i.json"
	done
	WORK=$w JSON=$1/proactive.json "$TOP/tests/bench/proactive.sh" --report >/dev/null
}

# entry_fixture DIR WITH WITHOUT: entry_size.json through
# test_entry_size.sh --json, pahole stubbed to print those sizes
entry_fixture() {
	mkdir -p "$T/bin"
	printf '#!/bin/sh\ncase "$3" in *nobpf*) s=%s ;; *) s=%s ;; esac\nprintf "\\t/* size: %%s, cachelines: 1, members: 9 */\\n" $s\n' \
		"$3" "$2" >"$T/bin/pahole"
	chmod +x "$T/bin/pahole"
	PATH=$T/bin:$PATH "$TOP/tests/kernel/test_entry_size.sh" --json "$1/entry_size.json" \
		"$T/kernel" "$T/kernel-nobpf" >/dev/null
}

FULL=$T/full
mkdir -p "$FULL"
ab_fixtures "$FULL" 5
proactive_fixture "$FULL"
entry_fixture "$FULL" 64 56
"$SUMMARY" --dir "$FULL" --markdown --md-out "$T/summary.md" >"$T/full.md"
"$SUMMARY" --dir "$FULL" >"$T/full.txt"
sed 's/^/# /' "$T/full.md"

# row FILE CONFIG FIGURE...: the table row of FIGURE for CONFIG has these
# cells (value, goal, verdict), in order
row() {
	local f=$1 fig=$2 cfg=$3 want
	shift 3
	want="| $fig | $cfg | $(printf '%s | ' "$@")"
	grep -qF -- "$want" "$f" || { tap_diag "no row '$want'"; return 1; }
}
# has FILE TEXT: FILE has TEXT
has() { grep -qF -- "$2" "$1" || { tap_diag "no '$2' in $1"; return 1; }; }

PL="pool-limit ratio built-in/hook (writeback time)"
tap_check "pool-limit ratio: median [min-max] of per-repeat built-in/hook, failed runs unpaired" \
	row "$T/full.md" "$PL" round_robin "2.00 [0.75-2.00], 5 repeats" ">= 0.97, >= 5 repeats" met
tap_check "pool-limit ratio of another policy: shown, no goal" \
	row "$T/full.md" "$PL" coldest_first "10.00, 5 repeats" - -
PC="pool-limit ratio built-in/hook (the runs' CPU time)"
tap_check "pool-limit ratio of the runs' CPU time, beside the wall time's" \
	row "$T/full.md" "$PC" round_robin "1.00 [0.95-1.05], 5 repeats" ">= 0.97, >= 5 repeats" met
tap_check "pool-limit CPU-time ratio of another policy" \
	row "$T/full.md" "$PC" coldest_first "0.50, 5 repeats" - -
tap_check "proactive ratio: per round, not met under 0.97" \
	row "$T/full.md" "proactive ratio built-in/hook (writeback time)" round_robin \
	"0.75 [0.50-2.00], 5 rounds (ratio of medians 0.83)" ">= 0.97" "not met"
tap_check "callback ns per step: every source, the worst against 2000 ns" \
	row "$T/full.md" "callback ns per step" round_robin \
	"proactive 2000; mixed 2500; pool_limit 1800" "<= 2000 (round_robin)" "not met (worst 2500)"
# the rounds' callbacks are the last snapshot minus the warm-up's, by id
warmup_apart() {
	python3 - "$FULL/proactive.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
cb = d["callbacks"]
sys.exit(0 if d["step_ns"] == 2000 and d["hook_steps"] == 500 and
         d["warmup"] == {"hook_steps": 10, "hook_run_time_ns": 400000,
                         "step_ns": 40000} and
         cb == {"rr_select_memcg": {"run_cnt": 500, "run_time_ns": 750000},
                "rr_step_done": {"run_cnt": 500, "run_time_ns": 250000}}
         else 1)
PY
}
tap_check "proactive.sh --report: the rounds' cost leaves the warm-up out" warmup_apart

# The samples proactive.sh writes now: each round's time in callbacks from
# debugfs bpf_call_ns, which side ran first and the runs' CPU time;
# bpf_stats off, so bpftool counts nothing.  Round i's built-in / hook: 2,
# 0.5, 2, 0.5 (CPU time: 3, 1, 2, 0.5, median 1.5); 100 steps and 150 us in
# callbacks a round, 1500 ns a step; warm-up 10 steps, 300 us.
call_ns_fixture() {
	local w=$T/work.calls i
	mkdir -p "$w" "$T/calls"
	echo 6.12.0-fixture >"$w/kernel"
	printf '0 0 200 0 100 100 150000 builtin 300 100\n1 0 100 0 200 100 150000 hook 100 100\n2 0 400 0 200 100 150000 builtin 200 100\n3 0 100 0 200 100 150000 hook 50 100\n' \
		>"$w/rounds"
	echo 'warm-up 0 90 0 80 10 300000 builtin' >"$w/warmup"
	for i in start 0 1 2 3; do
		echo '[{"id": 7, "type": "struct_ops", "name": "rr_select_memcg"}]' >"$w/progs.$i.json"
	done
	WORK=$w JSON=$T/calls/proactive.json "$TOP/tests/bench/proactive.sh" --report >"$T/calls.txt" &&
	python3 - "$T/calls/proactive.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = {"step_ns": 1500, "step_ns_source": "bpf_call_ns", "hook_call_ns": 600000,
        "hook_steps": 400}
bad = {k: d.get(k) for k in want if d.get(k) != want[k]}
by = d.get("ratio_by_first", {})
if (by.get("builtin", {}).get("median") != 2 or by.get("hook", {}).get("median") != 0.5
        or "callbacks" in d or d.get("warmup", {}).get("step_ns") != 30000
        or d.get("cpu_ratio", {}).get("median") != 1.5):
    bad["ratio_by_first/callbacks/warmup"] = (by, d.get("callbacks"), d.get("warmup"))
print(bad or "", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}
tap_check "proactive.sh --report: cost from bpf_call_ns, ratio split by which ran first, CPU-time ratio" \
	call_ns_fixture
# the CPU-time row, when the rounds have it; none from older samples
proactive_cpu_row() {
	"$SUMMARY" --dir "$T/calls" --markdown >"$T/calls.md" &&
		row "$T/calls.md" "proactive ratio built-in/hook (the runs' CPU time)" round_robin \
			"1.50 [0.50-3.00], 4 rounds" ">= 0.97" met &&
		! grep -q "proactive ratio built-in/hook (the runs' CPU" "$T/full.md"
}
tap_check "summary: the proactive rounds' CPU-time ratio, only where recorded" proactive_cpu_row
# a misspelt HOOKED stops the run before it fills anything
bad_hooked() {
	local out rc=0
	out=$(HOOKED="y z" "$TOP/tests/bench/proactive.sh" --report 2>&1) || rc=$?
	[ $rc = 2 ] || return 1
	[ "$out" = "HOOKED lists x and y, the subtrees round_robin is attached at in turn, not 'y z'" ] || return 1
	rc=0
	out=$(HOOKED= "$TOP/tests/bench/proactive.sh" --report 2>&1) || rc=$?
	[ $rc = 2 ] && [ "$out" = "HOOKED is empty: name x, y or both ('y x')" ]
}
tap_check "proactive.sh: HOOKED lists x and y, not empty (exit 2)" bad_hooked
# Both roles in one run: round_robin at y for rounds 0-1, then reloaded
# (new program ids) at x for rounds 2-3.  Per round built-in/hook: at y 2
# and 0.5, at x 4 and 1 (CPU time 1 and 3); over all, median 1.5.  The
# callbacks (bpf_stats) are each attachment's last snapshot minus its own
# start: 100 + 300 calls; two warm-ups of 10 steps, 100 and 500 us.
roles_fixture() {
	local w=$T/work.roles
	mkdir -p "$w" "$T/roles"
	echo 6.12.0-fixture >"$w/kernel"
	printf '%s\n' '0 0 200 0 100 100 150000 builtin 2 2 y' '1 0 100 0 200 100 150000 hook 2 2 y' \
		'2 0 400 0 100 100 150000 builtin 1 1 x' '3 0 200 0 200 100 150000 hook 3 1 x' >"$w/rounds"
	printf '%s\n' 'warm-up 0 90 0 80 10 100000 builtin 1 1 y' \
		'warm-up 0 90 0 80 10 500000 builtin 1 1 x' >"$w/warmup"
	echo '[{"id": 7, "type": "struct_ops", "name": "rr_select_memcg", "run_cnt": 10, "run_time_ns": 1000}]' >"$w/progs.start.json"
	echo '[{"id": 7, "type": "struct_ops", "name": "rr_select_memcg", "run_cnt": 110, "run_time_ns": 3000}]' >"$w/progs.1.json"
	echo '[{"id": 9, "type": "struct_ops", "name": "rr_select_memcg", "run_cnt": 5, "run_time_ns": 500}]' >"$w/progs.start.2.json"
	echo '[{"id": 9, "type": "struct_ops", "name": "rr_select_memcg", "run_cnt": 305, "run_time_ns": 6500}]' >"$w/progs.3.json"
	WORK=$w JSON=$T/roles/proactive.json "$TOP/tests/bench/proactive.sh" --report >"$T/roles.txt" || return 1
	"$SUMMARY" --dir "$T/roles" --markdown >"$T/roles.md" || return 1
	row "$T/roles.md" "proactive ratio built-in/hook (writeback time)" round_robin \
		"1.50 [0.50-4.00], 4 rounds (ratio of medians 1.33); round_robin at x 2.50, at y 1.25" \
		">= 0.97" met || return 1
	python3 - "$T/roles/proactive.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = d.get("ratio_by_hooked", {})
got = ({h: (v["ratio"]["median"], v["ratio"]["n"], v.get("cpu_ratio", {}).get("median"))
        for h, v in by.items()}, d.get("callbacks"), d.get("warmup"))
want = ({"y": (1.25, 2, 1.0), "x": (2.5, 2, 2.0)},
        {"rr_select_memcg": {"run_cnt": 400, "run_time_ns": 8000}},
        {"hook_steps": 20, "hook_call_ns": 600000, "step_ns": 30000})
if got != want:
    print(got, file=sys.stderr)
sys.exit(got != want)
PY
}
tap_check "proactive.sh --report: both roles, each attachment's callbacks, the ratio at each subtree" \
	roles_fixture
# HOOKED="y y": two attachments at the same subtree are still two, told
# apart by the second one's start snapshot
same_role_twice() {
	local w=$T/work.roles
	sed -i 's/ x$/ y/' "$w/rounds" "$w/warmup"
	WORK=$w JSON=$T/roles/twice.json "$TOP/tests/bench/proactive.sh" --report >/dev/null || return 1
	python3 - "$T/roles/twice.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = (list(d.get("ratio_by_hooked", {})), d["ratio_by_hooked"]["y"]["ratio"]["n"],
       d.get("callbacks"))
want = (["y"], 4, {"rr_select_memcg": {"run_cnt": 400, "run_time_ns": 8000}})
if got != want:
    print(got, file=sys.stderr)
sys.exit(got != want)
PY
}
tap_check "proactive.sh --report: the same subtree twice, each attachment's callbacks" same_role_twice
tap_check "callback ns per step of another policy" \
	row "$T/full.md" "callback ns per step" coldest_first "pool_limit 30000" - -
tap_check "bytes per zswap entry: larger with the hook is not met" \
	row "$T/full.md" "bytes per zswap entry" "with / without CONFIG_ZSWAP_BPF" \
	"64 / 56" "with <= without" "not met"
tap_check "scale: ms per MB per memcg count, most/fewest within 2x" \
	row "$T/full.md" "scale: ms per MB written" builtin \
	"40 / 50 / 60 at 10 / 100 / 1000 memcgs; 1.50x" "most/fewest <= 2x" met
tap_check "scale: a missing count is '-', 3x is not met" \
	row "$T/full.md" "scale: ms per MB written" round_robin \
	"30 / - / 90 at 10 / 100 / 1000 memcgs; 3.00x" "most/fewest <= 2x" "not met"
tap_check "each figure names its JSON and date" \
	eval 'has "$T/full.md" "| pool_limit.json ($(date +%Y-%m-%d) " &&
		has "$T/full.md" "| proactive.json (" && has "$T/full.md" "| entry_size.json (" &&
		has "$T/full.md" "| scale.json (" &&
		has "$T/full.md" "| proactive.json (" && has "$T/full.md" "mixed.json ("'
tap_check "a part not run (protect) is named with what to run" \
	has "$T/full.md" "no $FULL/protect.json: run make bench, or: tests/vm/run -- tests/bench/ab tests/bench/scenarios/protect"
tap_check "plain text has the same figures, --md-out the markdown" \
	eval 'has "$T/full.txt" "2.00 [0.75-2.00], 5 repeats" &&
		has "$T/full.txt" "0.75 [0.50-2.00], 5 rounds" &&
		has "$T/summary.md" "| $PL | round_robin | 2.00 [0.75-2.00]"'

# Nothing run yet: every figure "-", one note per input, exit 0
empty() {
	local out
	mkdir -p "$T/empty"
	out=$("$SUMMARY" --dir "$T/empty" --markdown) || { tap_diag "exit $?"; return 1; }
	echo "$out" >"$T/empty.md"
	row "$T/empty.md" "$PL" round_robin - ">= 0.97, >= 5 repeats" - &&
		row "$T/empty.md" "bytes per zswap entry" "with / without CONFIG_ZSWAP_BPF" \
			"- / -" "with <= without" - &&
		row "$T/empty.md" "callback ns per step" round_robin - "<= 2000 (round_robin)" - &&
		[ "$(grep -c '^- no ' "$T/empty.md")" = 6 ] ||
		{ sed 's/^/# /' "$T/empty.md"; return 1; }
}
tap_check "no JSON at all: '-' everywhere, a note for each of the 6 inputs" empty

# Fewer repeats than the goal asks for: the verdict says so
few() {
	mkdir -p "$T/few"
	ab_fixtures "$T/few" 2
	"$SUMMARY" --dir "$T/few" --markdown >"$T/few.md"
	# repeats 1 and 2: ratios 2 and 2
	row "$T/few.md" "$PL" round_robin "2.00, 2 repeats" ">= 0.97, >= 5 repeats" "met; 2 < 5 repeats"
}
tap_check "2 repeats: met, and too few repeats said" few

# An entry size pahole could not read, a JSON that is not JSON
broken() {
	mkdir -p "$T/broken"
	# a pahole that prints nothing
	printf '#!/bin/sh\nexit 1\n' >"$T/bin/pahole"
	PATH=$T/bin:$PATH "$TOP/tests/kernel/test_entry_size.sh" --json \
		"$T/broken/entry_size.json" "$T/none" "$T/none-nobpf" >/dev/null 2>&1
	echo '{"kind": "proactive", "rounds": [' >"$T/broken/proactive.json"
	"$SUMMARY" --dir "$T/broken" --markdown >"$T/broken.md" || return 1
	row "$T/broken.md" "bytes per zswap entry" "with / without CONFIG_ZSWAP_BPF" \
		"- / -" "with <= without" - &&
		has "$T/broken.md" "entry_size.json: pahole read no size from $T/none/src/vmlinux" &&
		has "$T/broken.md" "$T/broken/proactive.json unreadable (" &&
		row "$T/broken.md" "proactive ratio built-in/hook (writeback time)" round_robin \
			- ">= 0.97" -
}
tap_check "unreadable sizes and JSON: '-' and a note, no crash" broken

# Equal sizes and a ratio at the goal: met
at_goal() {
	mkdir -p "$T/goal"
	entry_fixture "$T/goal" 56 56
	"$SUMMARY" --dir "$T/goal" --markdown >"$T/goal.md"
	row "$T/goal.md" "bytes per zswap entry" "with / without CONFIG_ZSWAP_BPF" \
		"56 / 56" "with <= without" met
}
tap_check "56 bytes with and without the hook: met" at_goal

tap_check "summary refuses an unknown option (exit 2)" \
	eval '"$SUMMARY" --frobnicate >/dev/null 2>&1; [ $? = 2 ]'
tap_done
