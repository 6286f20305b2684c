#!/bin/bash
# Figures for memory.reclaim "SIZE source=zswap" and for the hook's cost,
# measured in one VM boot (run inside tests/vm/run; part of `make bench`).
#
#  1. bytes requested vs written back, for a few budgets (built-in path);
#  2. the time one 64M writeback takes;
#  3. round_robin through the hook vs the built-in path on two subtrees
#     holding the same data: writeback time for the same budget over ROUNDS
#     rounds, the built-in first in even rounds and second in odd ones (the
#     first write of a pair runs on a colder cache and a busier guest, so a
#     fixed order favours one side), and the callbacks' ns per writeback
#     step from the kernel's own timing of the calls (debugfs bpf_call_ns),
#     and the runs' CPU time (debugfs wb_cpu_ns_proactive) beside the wall
#     time: the writer's wait on the disk is in the one, not the other.
#     kernel.bpf_stats_enabled stays off: it would time every callback a
#     second time, in the hooked writes only.  BPF_STATS=1 turns it on for
#     each callback's share (bpftool's run_time_ns).
#     round_robin is attached at one subtree, and a first write on each
#     subtree warms up before the rounds: under TCG the first calls of
#     freshly JITed code pay for its translation.  The warm-up's steps
#     mostly give fresh entries their second chance and write nothing, so
#     its figure per step is printed apart from the rounds'.  Then the
#     subtrees swap roles (round_robin at y, then at x), ROUNDS rounds
#     each: writing back from one subtree has cost more than from the
#     other whichever path wrote, and only the ratio over both roles
#     leaves that out.  Each role writes 48M from each subtree, about
#     what it holds, so both are refilled before each role; the default
#     runs each role twice, 20 rounds in all.
#
# Prints tables; asserts nothing about time.  The figures also go to JSON
# (default build/bench/proactive.json, for tests/bench/summary): the raw
# samples are kept in WORK and "--report" turns them into the text of part
# 3 and the JSON, so that the host's unit test writes its fixtures through
# the same code.
#
# usage: tests/vm/run -- tests/bench/proactive.sh
#        tests/bench/proactive.sh --report   (WORK's samples -> JSON only)
#   ROUNDS (5), WORK (/tmp/bench-proactive), JSON (build/bench/proactive.json),
#   BPF_STATS (0), HOOKED ("y x y x": the subtrees round_robin is
#   attached at, in turn, ROUNDS rounds each; "y" alone runs one role)
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$TOP/build
BPFTOOL=${BPFTOOL:-$B/bpftool/bpftool}
RR=${RR:-$B/policies/round_robin.bpf.o}
MEMHOG=$B/tests/memhog
CG=/sys/fs/cgroup/bench
Z=$B/zswap-bpf
LOADED=0
ROUNDS=${ROUNDS:-5}
WORK=${WORK:-/tmp/bench-proactive}
JSON=${JSON:-$B/bench/proactive.json}
HOGS=()
ROLES=${HOOKED-y x y x}
HOOKED=
for h in $ROLES; do
	case $h in
	x | y) ;;
	*) echo "HOOKED lists x and y, the subtrees round_robin is attached at in turn, not '$ROLES'" >&2; exit 2 ;;
	esac
done
[ -n "$ROLES" ] || { echo "HOOKED is empty: name x, y or both ('y x')" >&2; exit 2; }

# report: part 3's medians, ratio and callback costs from WORK's samples;
# writes JSON.  WORK holds kernel (uname -r), budgets ("requested written
# rc ms" per line), one64m ("zswap_before rc ms written"), rounds ("round
# builtin_rc builtin_ns hook_rc hook_ns hook_steps [hook_call_ns first
# [builtin_cpu_ns hook_cpu_ns [hooked]]]" per line: the kernel's time in
# callbacks, which ran first, builtin or hook, the runs' CPU time and the
# subtree round_robin was attached at; "-" for a figure the kernel does not
# have), warmup (one such line per attachment, its round "warm-up") and
# bpftool -j prog show after each warm-up (progs.start.json before round 0,
# progs.start.ROUND.json before a later attachment's first round) and after
# each round (progs.ROUND.json): an attachment's costs are its last round's
# minus its start; they are 0 unless BPF_STATS=1.
report() {
	WORK=$WORK JSON=$JSON python3 - <<'PY'
import json, os, statistics, time
work, out = os.environ["WORK"], os.environ["JSON"]
def lines(name):
    try:
        with open(os.path.join(work, name)) as f:
            return [l.split() for l in f if l.strip()]
    except OSError:
        return []
def progs(name):
    """struct_ops programs of a bpftool -j prog show, by id"""
    try:
        with open(os.path.join(work, name)) as f:
            return {p["id"]: p for p in json.load(f)
                    if p.get("type") == "struct_ops"}
    except OSError:
        return {}
kernel = (lines("kernel") or [["?"]])[0][0]
budgets = [dict(requested=int(r), written=int(w), rc=int(rc), ms=int(ms))
           for r, w, rc, ms in lines("budgets")]
one = [dict(zswap_before=int(z), rc=int(rc), ms=int(ms), written=int(w))
       for z, rc, ms, w in lines("one64m")]
def round_of(f):
    r = dict(round=int(f[0]), builtin_rc=int(f[1]), builtin_ns=int(f[2]),
             hook_rc=int(f[3]), hook_ns=int(f[4]), hook_steps=int(f[5]))
    # the two last fields are newer: older samples have neither
    if len(f) > 7:
        r["hook_call_ns"] = int(f[6]) if f[6] != "-" else None
        r["first"] = f[7]
    if len(f) > 9 and "-" not in f[8:10]:
        r["builtin_cpu_ns"], r["hook_cpu_ns"] = int(f[8]), int(f[9])
    if len(f) > 10:
        r["hooked"] = f[10]
    return r
rounds = [round_of(f) for f in lines("rounds")]
res = {"kind": "proactive", "kernel": kernel,
       "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
       "budgets": budgets, "one_64m": one[0] if one else None,
       "rounds": rounds}
if rounds:
    b = [r["builtin_ns"] for r in rounds]
    h = [r["hook_ns"] for r in rounds]
    # round i's built-in and hook writebacks ran back to back: their ratio
    # cancels the drift of the host's load across rounds
    ratios = lambda rs: [r["builtin_ns"] / r["hook_ns"] for r in rs
                         if r["hook_ns"]]
    cpu_ratios = lambda rs: [r["builtin_cpu_ns"] / r["hook_cpu_ns"]
                             for r in rs if r.get("hook_cpu_ns")]
    spread = lambda v: (f"{statistics.median(v):.3f} "
                        f"[{min(v):.3f}-{max(v):.3f}]")
    per = ratios(rounds)
    st = lambda v: {"median": statistics.median(v), "min": min(v),
                    "max": max(v), "n": len(v)}
    res["builtin_ns"], res["hook_ns"] = st(b), st(h)
    res["ratio_of_medians"] = statistics.median(b) / statistics.median(h)
    res["ratio"] = st(per)
    print(f"median built-in {statistics.median(b) / 1000:.0f} us, "
          f"round_robin {statistics.median(h) / 1000:.0f} us, ratio "
          f"built-in/hook {res['ratio_of_medians']:.3f} (>= 1 means the "
          f"hook is as fast); per round {spread(per)}")
    cpu = cpu_ratios(rounds)
    if cpu:
        res["cpu_ratio"] = st(cpu)
        print(f"  the runs' CPU time, built-in/hook per round: {spread(cpu)}")
    for first in ("builtin", "hook"):
        v = ratios([r for r in rounds if r.get("first") == first])
        if v:
            res.setdefault("ratio_by_first", {})[first] = st(v)
            print(f"  rounds with the {'built-in' if first == 'builtin' else 'hook'}"
                  f" first: {spread(v)}, {len(v)} rounds")
    for h in sorted({r["hooked"] for r in rounds if "hooked" in r}):
        of_h = [r for r in rounds if r.get("hooked") == h]
        v, c = ratios(of_h), cpu_ratios(of_h)
        if not v:
            continue
        by = res.setdefault("ratio_by_hooked", {})
        by[h] = {"ratio": st(v)}
        line = f"  round_robin at {h}: {spread(v)}, {len(v)} rounds"
        if c:
            by[h]["cpu_ratio"] = st(c)
            line += f"; the runs' CPU time {statistics.median(c):.3f}"
        print(line)
    steps = sum(r["hook_steps"] for r in rounds)
    call_ns = [r.get("hook_call_ns") for r in rounds]
    # each attachment's rounds, from the start snapshot it took on: its
    # programs' counts from there on
    phases = []
    for r in rounds:
        new = os.path.exists(os.path.join(work, f"progs.start.{r['round']}.json"))
        if phases and not new:
            phases[-1].append(r)
        else:
            phases.append([r])
    calls, total, start = {}, 0, progs("progs.start.json")
    for ph in phases:
        first, last = ph[0]["round"], ph[-1]["round"]
        st0 = start if first == 0 else progs(f"progs.start.{first}.json")
        for pid, p in progs(f"progs.{last}.json").items():
            s = st0.get(pid, {})
            cnt = p.get("run_cnt", 0) - s.get("run_cnt", 0)
            ns = p.get("run_time_ns", 0) - s.get("run_time_ns", 0)
            if cnt:
                c = calls.setdefault(p["name"], [0, 0])
                c[0], c[1] = c[0] + cnt, c[1] + ns
                total += ns
    warm = lines("warmup")
    if warm and all(len(w) > 7 and w[6] != "-" for w in warm):
        ws = sum(int(w[5]) for w in warm)
        wns = sum(int(w[6]) for w in warm)
        res["warmup"] = {"hook_steps": ws, "hook_call_ns": wns,
                         "step_ns": wns / ws if ws else None}
    elif warm and start:
        ws = int(warm[0][5])
        wns = sum(p.get("run_time_ns", 0) for p in start.values())
        res["warmup"] = {"hook_steps": ws, "hook_run_time_ns": wns,
                         "step_ns": wns / ws if ws else None}
    if "warmup" in res:
        print(f"warm-up write after attach: {res['warmup']['hook_steps']} "
              f"steps, {res['warmup']['step_ns'] or 0:.0f} ns of callbacks "
              "a step")
    res["hook_steps"] = steps
    if call_ns and None not in call_ns:
        res["hook_call_ns"] = sum(call_ns)
        res["step_ns"] = sum(call_ns) / steps if steps else None
        res["step_ns_source"] = "bpf_call_ns"
        print(f"hook cost over the {len(rounds)} round_robin rounds after it "
              f"(the kernel's timing, bpf_call_ns): "
              f"{res['step_ns'] or 0:.0f} ns per step ({sum(call_ns)} ns / "
              f"{steps} steps)")
    elif calls:
        res["step_ns"] = total / steps if steps else None
        res["step_ns_source"] = "run_time_ns"
    if calls:
        print("each callback over those rounds (kernel.bpf_stats_enabled):")
        for name, (cnt, ns) in sorted(calls.items()):
            print(f"  {name:<28} run_cnt {cnt:>7}  {ns / cnt:8.0f} ns/call")
        print(f"  per step: {total / max(steps, 1):.0f} ns (all callbacks' "
              f"run_time_ns {total} / {steps} steps)")
        res["callbacks"] = {n: {"run_cnt": c, "run_time_ns": ns}
                            for n, (c, ns) in sorted(calls.items())}
        res["hook_run_time_ns"] = total
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with open(out, "w") as f:
    json.dump(res, f, indent=1)
print(f"JSON: {out}")
PY
}

if [ "${1:-}" = --report ]; then
	report
	exit
fi

stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"; }
now_ns() { date +%s%N; }

fill() { # CGROUP MB SEED
	local ready
	ready=$(mktemp -u)
	mkdir -p "$1"
	(echo $BASHPID >"$1/cgroup.procs" && exec "$MEMHOG" -r "$ready" -s "$3" "$2") &
	HOGS+=($!)
	while [ ! -e "$ready" ]; do sleep 0.1; done
	rm -f "$ready"
	echo "$2M" >"$1/memory.reclaim" 2>/dev/null || true
}

# writeback CGROUP BYTES: prints "rc elapsed_ns"
writeback() {
	local t0 rc=0
	t0=$(now_ns)
	echo "$2 source=zswap" >"$1/memory.reclaim" 2>/dev/null || rc=$?
	echo "$rc $(($(now_ns) - t0))"
}

cleanup() {
	[ $LOADED = 0 ] || "$Z" unload --if-loaded --cgroup "$CG/$HOOKED" >/dev/null || true
	[ -z "${STATS0:-}" ] || sysctl -qw kernel.bpf_stats_enabled="$STATS0" || true
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$WORK"
mkdir -p "$WORK" "$CG"
uname -r >"$WORK/kernel"
echo +memory >"$CG/cgroup.subtree_control"

echo "== 1. budget vs written (built-in round-robin, one memcg, ~64 MB in zswap)"
fill "$CG/a" 128 1
sleep 2.5
printf '%-12s %-12s %-12s %-10s %s\n' requested written overshoot result time_ms
for budget in 4096 65536 1048576 8388608 33554432; do
	before=$(stat_of "$CG/a" zswpwb_proactive_b)
	read -r rc ns < <(writeback "$CG/a" $budget)
	sleep 2.5
	w=$(($(stat_of "$CG/a" zswpwb_proactive_b) - before))
	echo "$budget $w $rc $((ns / 1000000))" >>"$WORK/budgets"
	printf '%-12s %-12s %-12s %-10s %s\n' $budget $w $((w - budget)) \
		"$([ "$rc" = 0 ] && echo met || echo "rc=$rc")" $((ns / 1000000))
done
kill "${HOGS[@]}"; wait 2>/dev/null || true; HOGS=()

echo
echo "== 2. one 64M writeback (memcg with ~128 MB compressed)"
fill "$CG/b" 256 2
sleep 2.5
z0=$(stat_of "$CG/b" zswap)
read -r rc ns < <(writeback "$CG/b" 64M)
sleep 2.5
w=$(stat_of "$CG/b" zswpwb_proactive_b)
echo "$z0 $rc $((ns / 1000000)) $w" >"$WORK/one64m"
echo "zswap before $z0 B; 64M source=zswap: rc=$rc in $((ns / 1000000)) ms; wrote $w B"
kill "${HOGS[@]}"; wait 2>/dev/null || true; HOGS=()

echo
echo "== 3. built-in vs round_robin through the hook, $ROUNDS rounds of 8M each with round_robin at each of: $ROLES"
for t in x y; do
	mkdir -p "$CG/$t"
	echo +memory >"$CG/$t/cgroup.subtree_control"
done
# refill: both subtrees afresh, the same data in each
refill() {
	local t c
	[ ${#HOGS[@]} = 0 ] || { kill "${HOGS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; HOGS=(); }
	for t in x y; do
		for c in 1 2 3 4; do fill "$CG/$t/$c" 32 $c; done
	done
	sleep 2.5
}
STATS0=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled="${BPF_STATS:-0}"
DBG=/sys/kernel/debug/zswap
# dbg FILE: debugfs zswap/FILE, or - on a kernel without it
dbg() { if [ -e "$DBG/$1" ]; then cat "$DBG/$1"; else echo -; fi; }
# since FILE BEFORE: how much FILE grew since it read BEFORE
since() { local v; v=$(dbg "$1"); [ "$v" = - ] || [ "$2" = - ] && echo - || echo $((v - $2)); }
# builtin: writes 8M from PLAIN; sets rc ns bcpu
builtin() {
	local cpu0
	cpu0=$(dbg wb_cpu_ns_proactive)
	read -r rc ns < <(writeback "$CG/$PLAIN" 8M)
	bcpu=$(since wb_cpu_ns_proactive "$cpu0")
}
# hook: writes 8M from HOOKED; sets rc2 ns2 steps call hcpu
hook() {
	local steps0 call0 cpu0
	steps0=$(cat $DBG/bpf_steps)
	call0=$(dbg bpf_call_ns)
	cpu0=$(dbg wb_cpu_ns_proactive)
	read -r rc2 ns2 < <(writeback "$CG/$HOOKED" 8M)
	steps=$(($(cat $DBG/bpf_steps) - steps0))
	call=$(since bpf_call_ns "$call0")
	hcpu=$(since wb_cpu_ns_proactive "$cpu0")
}
# round ROUND FILE FIRST: writes 8M from PLAIN (built-in) and from HOOKED
# (hook), the one named FIRST first; appends to FILE
round() {
	local rc ns rc2 ns2 steps call bcpu hcpu
	if [ "$3" = hook ]; then hook; builtin; else builtin; hook; fi
	echo "$1 $rc $ns $rc2 $ns2 $steps $call $3 $bcpu $hcpu $HOOKED" >>"$2"
	echo "round $1 ($3 first, round_robin at $HOOKED): built-in rc=$rc $((ns / 1000)) us, round_robin rc=$rc2 $((ns2 / 1000)) us"
}
# role SUBTREE FIRST_ROUND: round_robin at SUBTREE only (the other one's
# writeback takes the built-in path), a warm-up, then ROUNDS rounds.  Each
# subtree's next attachment starts with the other side first, so that
# with an odd ROUNDS each subtree's rounds still split evenly by order.
declare -A NTH
role() {
	local i k=${NTH[$1]:-0} start=$WORK/progs.start.json
	NTH[$1]=$((k + 1))
	refill
	HOOKED=$1
	PLAIN=$([ "$1" = x ] && echo y || echo x)
	"$Z" load "$RR" --cgroup "$CG/$HOOKED" >/dev/null
	LOADED=1
	round warm-up "$WORK/warmup" builtin
	[ "$2" = 0 ] || start=$WORK/progs.start.$2.json
	"$BPFTOOL" prog show -j >"$start"
	for ((i = $2; i < $2 + ROUNDS; i++)); do
		if (((i - $2 + k) % 2)); then round $i "$WORK/rounds" hook; else round $i "$WORK/rounds" builtin; fi
		"$BPFTOOL" prog show -j >"$WORK/progs.$i.json"
	done
	"$Z" unload --cgroup "$CG/$HOOKED" >/dev/null
	LOADED=0
}
first=0
for h in $ROLES; do
	role "$h" $first
	first=$((first + ROUNDS))
done
report
echo "kernel counters: runs $(cat /sys/kernel/debug/zswap/bpf_runs) steps $(cat /sys/kernel/debug/zswap/bpf_steps)"
