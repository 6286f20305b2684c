#!/bin/bash
# Figures for memory.reclaim "SIZE source=zswap" and for the hook's cost,
# measured in one VM boot (run inside tests/vm/run; `make bench-proactive`).
#
#  1. bytes requested vs written back, for a few budgets (built-in path);
#  2. the time one 64M writeback takes;
#  3. round_robin through the hook vs the built-in path on two subtrees
#     holding the same data: writeback time for the same budget, alternated
#     over ROUNDS rounds, and the cost of each policy callback and per
#     writeback step, in ns, from kernel.bpf_stats_enabled (run_time_ns).
#
# Prints tables; asserts nothing about time.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$TOP/build
BPFTOOL=${BPFTOOL:-$B/bpftool/bpftool}
RR=${RR:-$B/policies/round_robin.bpf.o}
MEMHOG=$B/tests/memhog
CG=/sys/fs/cgroup/bench
PIN=/sys/fs/bpf/bench
ROUNDS=${ROUNDS:-5}
HOGS=()

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

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

cleanup() {
	rm -f "$PIN"/* 2>/dev/null
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p "$CG"
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
echo "zswap before $z0 B; 64M source=zswap: rc=$rc in $((ns / 1000000)) ms; wrote $(stat_of "$CG/b" zswpwb_proactive_b) B"
kill "${HOGS[@]}"; wait 2>/dev/null || true; HOGS=()

echo
echo "== 3. built-in vs round_robin through the hook, $ROUNDS rounds of 8M each"
for t in x y; do
	mkdir -p "$CG/$t"
	echo +memory >"$CG/$t/cgroup.subtree_control"
	for c in 1 2 3 4; do fill "$CG/$t/$c" 32 $c; done
done
sleep 2.5
sysctl -qw kernel.bpf_stats_enabled=1
mkdir -p "$PIN"
builtin=() hook=()
steps_file=/tmp/bench-steps
: >"$steps_file"
for ((i = 0; i < ROUNDS; i++)); do
	read -r rc ns < <(writeback "$CG/x" 8M)
	builtin+=($ns)
	"$BPFTOOL" struct_ops register "$RR" "$PIN" >/dev/null
	steps0=$(cat /sys/kernel/debug/zswap/bpf_steps)
	read -r rc2 ns2 < <(writeback "$CG/y" 8M)
	hook+=($ns2)
	# each round loads the policy afresh: its counters cover this round
	echo $(($(cat /sys/kernel/debug/zswap/bpf_steps) - steps0)) >>"$steps_file"
	"$BPFTOOL" prog show -j >/tmp/progs.$i.json
	rm -f "$PIN"/*
	echo "round $i: built-in rc=$rc $((ns / 1000)) us, round_robin rc=$rc2 $((ns2 / 1000)) us"
done
mb=$(printf '%s\n' "${builtin[@]}" | median)
mh=$(printf '%s\n' "${hook[@]}" | median)
echo "median built-in $((mb / 1000)) us, round_robin $((mh / 1000)) us, ratio built-in/hook $(awk -v a=$mb -v b=$mh 'BEGIN { printf "%.3f", a / b }') (>= 1 means the hook is as fast)"
echo "hook cost over the $ROUNDS round_robin rounds (kernel.bpf_stats_enabled):"
ROUNDS=$ROUNDS STEPS=$steps_file python3 - <<'PY'
import json, os
rounds = int(os.environ["ROUNDS"])
steps = sum(int(l) for l in open(os.environ["STEPS"]))
calls, total = {}, 0
for i in range(rounds):
    for p in json.load(open(f"/tmp/progs.{i}.json")):
        if p.get("type") == "struct_ops" and p.get("run_cnt"):
            c = calls.setdefault(p["name"], [0, 0])
            c[0] += p["run_cnt"]
            c[1] += p["run_time_ns"]
            total += p["run_time_ns"]
for name, (cnt, ns) in sorted(calls.items()):
    print(f"  {name:<28} run_cnt {cnt:>7}  {ns / cnt:8.0f} ns/call")
print(f"  per step: {total / max(steps, 1):.0f} ns (all callbacks' run_time_ns "
      f"{total} / {steps} steps)")
PY
echo "kernel counters: runs $(cat /sys/kernel/debug/zswap/bpf_runs) steps $(cat /sys/kernel/debug/zswap/bpf_steps)"
