#!/bin/bash
# What the shipped policies cost per run, in one VM boot (make bench):
#
#  1. many memcgs: one process spreads its memory over LEAVES leaves of
#     LEAF_KB KiB each (issue 19: 4000 of 64 KiB), pushed into zswap, and one
#     "1G source=zswap" is written to their parent; timed under the built-in
#     round-robin (no policy) and under each shipped policy, REPEAT times,
#     configurations interleaved; median, spread [min-max] and the ratio of
#     medians to built-in (goal: within 2x).
#  2. the cost of timing every callback (patch 0010, bpf_max_call_us): the
#     same proactive writeback under round_robin with bpf_max_call_us=0 and
#     the boot's value, alternated CALL_ROUNDS times each; per-step time of
#     both, their ratio, median and spread (goal: under 1% of a step). The
#     clock is read either way (0 only skips the comparison), so the A/B
#     bounds the whole cost only through the noise; a direct estimate
#     follows: the clock reads per step times what one costs in this guest.
#
# Prints tables; asserts nothing about time.
#
# usage (on the host): tests/vm/run -- tests/bench/policy_cost.sh
#   LEAVES (4000), LEAF_KB (64), REPEAT (2), CALL_ROUNDS (6),
#   POLICIES (the shipped ones)
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=$B/zswap-bpf
SPREAD=$B/tests/spread
CLOCKCOST=$B/tests/clockcost
CG=/sys/fs/cgroup/bench_cost
PARAMS=/sys/module/zswap/parameters
LEAVES=${LEAVES:-4000}
LEAF_KB=${LEAF_KB:-64}
REPEAT=${REPEAT:-2}
CALL_ROUNDS=${CALL_ROUNDS:-6}
POLICIES=${POLICIES:-round_robin coldest_first largest_first proportional weighted refault_aware refault_cost}
MAX_CALL_US0=$(cat $PARAMS/bpf_max_call_us)
HOGS=()
SPREAD_PID=

now_ns() { date +%s%N; }
# "median [min-max]" of the numbers on stdin
summary() { sort -n | awk '{ a[NR] = $1 } END {
	m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	printf "%.0f [%.0f-%.0f]\n", m, a[1], a[NR] }'; }
median() { summary | cut -d' ' -f1; }

cleanup() {
	echo "$MAX_CALL_US0" >$PARAMS/bpf_max_call_us
	"$Z" unload >/dev/null 2>&1 || true
	[ -z "$SPREAD_PID" ] || kill "$SPREAD_PID" 2>/dev/null || true
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null
	wait 2>/dev/null || true
	# one process for all: a fork per cgroup costs minutes under TCG
	find "$CG" -depth -type d -delete 2>/dev/null || true
}
trap cleanup EXIT

# Fill the leaves from one process and push it all into zswap
spread_fill() {
	local ready=/tmp/spread.ready t0=$SECONDS
	rm -f $ready
	"$SPREAD" $ready "$CG/s" "$LEAVES" "$LEAF_KB" &
	SPREAD_PID=$!
	while [ ! -e $ready ]; do
		kill -0 $SPREAD_PID 2>/dev/null || { echo "spread died"; exit 1; }
		[ $((SECONDS - t0)) -lt 600 ] || { echo "spread: no ready after 600 s"; exit 1; }
		sleep 0.5
	done
	echo "$((LEAVES * LEAF_KB * 2))K" >"$CG/s/memory.reclaim" 2>/dev/null || true
	settle
}

spread_kill() {
	kill "$SPREAD_PID" 2>/dev/null || true
	wait "$SPREAD_PID" 2>/dev/null || true
	SPREAD_PID=
}

# timed_write CGROUP SIZE: "rc elapsed_ns" of one SIZE source=zswap
timed_write() {
	local t0 rc=0
	t0=$(now_ns)
	echo "$2 source=zswap" >"$1/memory.reclaim" 2>/dev/null || rc=$?
	echo "$rc $(($(now_ns) - t0))"
}

for t in "$Z" "$SPREAD" "$CLOCKCOST" "$MEMHOG"; do
	[ -x "$t" ] || { echo "missing $t (make all test-progs)"; exit 1; }
done
mkcg "$CG"
mkcg "$CG/s"

echo "== 1. $LEAVES leaves of $LEAF_KB KiB from one process, one 1G source=zswap on their parent"
t0=$SECONDS
# one mkdir for all: a fork per leaf costs minutes under TCG
(cd "$CG/s" && seq -f 'l%.0f' 0 $((LEAVES - 1)) | xargs mkdir)
echo "($LEAVES leaves made in $((SECONDS - t0)) s)"
CONFIGS=(builtin)
for p in $POLICIES; do
	[ -e "$B/policies/$p.bpf.o" ] && CONFIGS+=("$p")
done
declare -A T STEPS
for ((r = 0; r < REPEAT; r++)); do
	for c in "${CONFIGS[@]}"; do
		t0=$SECONDS
		spread_fill
		z=$(stat_of "$CG/s" zswap)
		fill_s=$((SECONDS - t0))
		[ "$c" = builtin ] || "$Z" load "$B/policies/$c.bpf.o" >/dev/null
		s0=$(counter bpf_steps)
		read -r rc ns < <(timed_write "$CG/s" 1G)
		steps=$(($(counter bpf_steps) - s0))
		state=
		if [ "$c" != builtin ]; then
			state=" $(policy_field state); slowest_us $(policy_field slowest_us)"
			[ "$(policy_field state)" = enabled ] || state+=" ($(policy_field last_exit_reason))"
			"$Z" unload >/dev/null
		fi
		settle
		echo "round $r $c: rc=$rc $((ns / 1000000)) ms, zswap before $((z >> 20)) MiB, wrote $(($(stat_of "$CG/s" zswpwb_proactive_b) >> 20)) MiB in all so far, policy steps $steps$state (fill ${fill_s} s)"
		T[$c]+="$((ns / 1000000)) "
		spread_kill
	done
done
base=$(echo ${T[builtin]} | tr ' ' '\n' | median)
printf '%-14s %-24s %s\n' config "ms median [min-max]" "ratio to built-in (goal <= 2)"
for c in "${CONFIGS[@]}"; do
	s=$(echo ${T[$c]} | tr ' ' '\n' | summary)
	printf '%-14s %-24s %s\n' "$c" "$s" \
		"$(awk -v a="${s%% *}" -v b="$base" 'BEGIN { printf "%.2f", a / (b ? b : 1) }')"
done

[ "$CALL_ROUNDS" -gt 0 ] || exit 0
echo
echo "== 2. cost of timing each callback (bpf_max_call_us=0 vs $MAX_CALL_US0), round_robin, $CALL_ROUNDS rounds of 4M each"
mkcg "$CG/c"
for i in 1 2 3 4; do fill "$CG/c/$i" 48 $i; done
settle
"$Z" load "$B/policies/round_robin.bpf.o" >/dev/null
# the first writes only rotate referenced entries (second chance): not timed
timed_write "$CG/c" 8M >/dev/null
timed_write "$CG/c" 8M >/dev/null
declare -A PS
for ((r = 0; r < CALL_ROUNDS; r++)); do
	# alternate which goes first: drift over the rounds hits both alike
	if ((r % 2)); then order="$MAX_CALL_US0 0"; else order="0 $MAX_CALL_US0"; fi
	for v in $order; do
		echo "$v" >$PARAMS/bpf_max_call_us
		s0=$(counter bpf_steps)
		read -r rc ns < <(timed_write "$CG/c" 4M)
		steps=$(($(counter bpf_steps) - s0))
		PS[$v]+="$((ns / (steps ? steps : 1))) "
		echo "round $r bpf_max_call_us=$v: rc=$rc $((ns / 1000)) us, $steps steps, $((ns / (steps ? steps : 1))) ns/step"
	done
done
echo "$MAX_CALL_US0" >$PARAMS/bpf_max_call_us
echo "policy: $(policy_field state); slowest_us $(policy_field slowest_us)"
"$Z" unload >/dev/null
off=$(echo ${PS[0]} | tr ' ' '\n' | summary)
on=$(echo ${PS[$MAX_CALL_US0]} | tr ' ' '\n' | summary)
clock_ns=$("$CLOCKCOST")
echo "ns per step, median [min-max]: bpf_max_call_us=0 $off; =$MAX_CALL_US0 $on"
awk -v off="$off" -v on="$on" -v c="$clock_ns" -v src="$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" 'BEGIN {
	split(off, a, /[ [\]-]+/); split(on, b, /[ [\]-]+/)
	d = b[1] - a[1]; noise = (a[3] - a[2] > b[3] - b[2] ? a[3] - a[2] : b[3] - b[2])
	printf "ratio on/off %.4f (%+.2f%% of a step)", b[1] / a[1], 100 * d / a[1]
	if (noise > (d < 0 ? -d : d))
		printf "; the spread (%.0f ns) is larger than the difference (%+.0f ns): the A/B cannot resolve the cost", noise, d
	printf "\n"
	# round_robin has no step_done: its select_memcg alone is timed
	printf "direct estimate: 2 clock reads per step x %.1f ns (clock_gettime, clocksource %s) = %.0f ns, %.3f%% of a %.0f ns step (goal < 1%%)\n", c, src, 2 * c, 100 * 2 * c / a[1], a[1]
}'
