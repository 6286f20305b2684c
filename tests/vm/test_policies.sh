#!/bin/bash
# In-guest tests of the policies in bpf/: for each, a cgroup subtree where its
# choice differs from round-robin, the bytes each memcg gave
# (memory.stat zswpwb_proactive_b) checked, and checked against what
# round_robin takes from a twin subtree holding the same data (so the
# scenario really separates the policy from round-robin); then each
# policy steering pool-limit writeback.
#
# round_robin's numbers: it visits the memcgs in turn, at most 64 entries a
# node a visit (~128 KB of this data), and every entry starts referenced,
# so a memcg writes nothing until its LRU has been rotated once: of two
# memcgs the smaller one starts giving first and gives more (README,
# "A/B runs"). Memcgs of equal size give equal shares within a few visits.
#
# usage (on the host): tests/vm/run -- tests/vm/test_policies.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=${ZSWAP_BPF:-$B/zswap-bpf}
export ZSWAP_BPF_POLICY_DIR=${POLICY_DIR:-$B/policies}
CG=/sys/fs/cgroup/policy_test
WORKLOAD=$B/tests/workload
POLICIES="coldest_first largest_first proportional weighted refault_aware refault_cost"

wb() { stat_of "$1" zswpwb_proactive_b; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

load() { "$Z" load "$@" >/dev/null; }
unload() { "$Z" unload >/dev/null; }

# snap DIR: "leaf=bytes ..." of DIR's leaves, into the array named by $2
snap() {
	local -n _s=$2
	local d
	_s=()
	for d in "$1"/*/; do
		d=${d%/}
		[ -e "$d/memory.stat" ] || continue
		_s[${d##*/}]=$(wb "$d")
	done
}

# run POLICY_DIR RR_DIR SIZE POLICY [LOAD_OPTION...]: write back SIZE from
# POLICY_DIR with POLICY and from RR_DIR with round_robin (or $TWIN, if
# set); leaves the per-leaf bytes in GAVE (policy) and RR_GAVE, the results
# in R and RR_R
declare -A GAVE RR_GAVE
run() {
	local pdir=$1 rdir=$2 size=$3 policy=$4 leaf line
	local -A p0 r0 p1 r1
	shift 4
	settle
	snap "$pdir" p0
	snap "$rdir" r0
	local fb0=$(counter bpf_fallbacks) steps0=$(counter bpf_steps)
	load "$policy" "$@" || return 1
	[ "$policy" != weighted ] || "$Z" set weight "${WEIGHTS[@]}" >/dev/null || return 1
	R=$(writeback "$pdir" "$size")
	STATE="$(awk '$1 == "state" { print $2 }' "$DBG/bpf_policy"), steps +$(($(counter bpf_steps) - steps0)), fallbacks +$(($(counter bpf_fallbacks) - fb0))"
	unload
	if [ "$rdir" = "$pdir" ]; then
		settle
		snap "$pdir" p1
		r0=()
		for leaf in "${!p1[@]}"; do r0[$leaf]=${p1[$leaf]}; done
	fi
	load "${TWIN:-round_robin}" || return 1
	RR_R=$(writeback "$rdir" "$size")
	unload
	settle
	[ "$rdir" = "$pdir" ] || snap "$pdir" p1
	snap "$rdir" r1
	GAVE=()
	RR_GAVE=()
	line="$policy ($R; $STATE):"
	for leaf in $(echo "${!p0[@]}" | tr ' ' '\n' | sort); do
		GAVE[$leaf]=$((p1[$leaf] - p0[$leaf]))
		line+=" $leaf ${GAVE[$leaf]}"
	done
	line+="; ${TWIN:-round_robin} ($RR_R):"
	for leaf in $(echo "${!r0[@]}" | tr ' ' '\n' | sort); do
		RR_GAVE[$leaf]=$((r1[$leaf] - r0[$leaf]))
		line+=" $leaf ${RR_GAVE[$leaf]}"
	done
	tap_diag "$line"
}

# within A B PCT: A is within PCT % of B
within() { [ $((100 * $1)) -ge $(((100 - $3) * $2)) ] && [ $((100 * $1)) -le $(((100 + $3) * $2)) ]; }

# rr_both A B: round_robin took from both leaves A and B of equal size, each
# within 25% of the other (a few visits of ~128 KB in the MBs each gives)
rr_both() {
	[ "${RR_GAVE[$1]}" -gt 0 ] && [ "${RR_GAVE[$2]}" -gt 0 ] &&
		within "${RR_GAVE[$1]}" "${RR_GAVE[$2]}" 25 ||
		{ tap_diag "round_robin did not take evenly from $1 and $2"; return 1; }
}

cleanup() {
	"$Z" unload >/dev/null 2>&1
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	[ -n "${POOL_PCT:-}" ] && echo "$POOL_PCT" >/sys/module/zswap/parameters/max_pool_percent
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap cleanup EXIT

# Subtrees, each with a round_robin twin (rr_*) holding the same data. The
# "old" memcgs are filled first and the "fresh" ones at least 15 s later.
setup() {
	local t d
	mkcg "$CG" || return 1
	for d in cold rr_cold large rr_large prop rr_prop w rr_w w/prot rr_w/prot; do
		mkcg "$CG/$d" || return 1
	done
	fill "$CG/cold/old" 16 1 && fill "$CG/rr_cold/old" 16 1 || return 1
	t=$(now_ms)
	for d in large rr_large prop rr_prop; do
		fill "$CG/$d/big" 24 2 && fill "$CG/$d/small" 8 3 || return 1
	done
	for d in w rr_w; do
		fill "$CG/$d/prot/1" 16 4 && fill "$CG/$d/b" 16 5 &&
			fill "$CG/$d/c" 16 6 || return 1
	done
	while [ $(($(now_ms) - t)) -lt 15000 ]; do sleep 1; done
	FRESH_MS=$(now_ms)
	fill "$CG/cold/fresh" 16 7 && fill "$CG/rr_cold/fresh" 16 7
}

# 1. coldest_first drains the memcg whose data went to zswap first before
# touching the fresh one; with min_age_ms above the fresh data's age it
# writes back only the old data, then ends the run (-EAGAIN).
test_coldest_first() {
	local min_age ok=0
	run "$CG/cold" "$CG/rr_cold" 4M coldest_first || return 1
	[ "$R" = OK ] && [ "${GAVE[old]}" -ge $((4 << 20)) ] &&
		[ "${GAVE[fresh]}" = 0 ] || ok=1
	# round_robin takes from the fresh data as much as from the old
	[ "$RR_R" = OK ] && rr_both old fresh || ok=1
	# fresh data is younger than this when the run starts (run() settles
	# for 2.5 s and loads first), the old data 8 s older at least
	min_age=$(($(now_ms) - FRESH_MS + 7000))
	run "$CG/cold" "$CG/rr_cold" 64M coldest_first --set min_age_ms=$min_age || return 1
	tap_diag "min_age_ms=$min_age: $R, old gave ${GAVE[old]}, fresh ${GAVE[fresh]}"
	[ "$R" = EAGAIN ] && [ "${GAVE[old]}" -gt 0 ] && [ "${GAVE[fresh]}" = 0 ] || ok=1
	# round_robin spares nothing young: asked for more than the twin
	# holds, it takes from both
	[ "${RR_GAVE[old]}" -gt 0 ] && [ "${RR_GAVE[fresh]}" -gt 0 ] || ok=1
	return $ok
}

# 2. largest_first takes from the largest memcg first: 4M of the 24M one's
# ~12M compressed, nothing from the 8M one.
test_largest_first() {
	run "$CG/large" "$CG/rr_large" 4M largest_first || return 1
	[ "$R" = OK ] && [ "${GAVE[big]}" -ge $((4 << 20)) ] && [ "${GAVE[small]}" = 0 ] &&
		# round_robin takes from the small one, and more than from the
		# big one (its LRU is rotated first)
		[ "$RR_R" = OK ] && [ "${RR_GAVE[small]}" -gt 0 ] &&
		[ "${RR_GAVE[small]}" -ge "${RR_GAVE[big]}" ]
}

# 3. proportional splits within 10 % of the ratio of the compressed sizes.
test_proportional() {
	local zb zs
	settle
	zb=$(stat_of "$CG/prop/big" zswap)
	zs=$(stat_of "$CG/prop/small" zswap)
	run "$CG/prop" "$CG/rr_prop" 8M proportional || return 1
	tap_diag "sizes: big $zb small $zs; given: big ${GAVE[big]} small ${GAVE[small]}"
	[ "$R" = OK ] && [ "${GAVE[small]}" -gt 0 ] &&
		within $((GAVE[big] * zs)) $((GAVE[small] * zb)) 10 &&
		# round_robin gives the small one (a quarter of the data) at
		# least half again its proportional share: it favours the smaller
		[ "$RR_R" = OK ] &&
		[ $((2 * RR_GAVE[small] * (zb + zs))) -ge $((3 * zs * (RR_GAVE[big] + RR_GAVE[small]))) ]
}

# 4. weighted never touches a weight-0 cgroup (here a parent, so its child
# inherits the 0) and splits 100:300 between the others.
test_weighted() {
	WEIGHTS=("$CG/w/prot=0" "$CG/w/c=300")
	run "$CG/w" "$CG/rr_w" 8M weighted || return 1
	local p1
	p1=$(wb "$CG/w/prot/1")
	tap_diag "weighted: prot/1 (weight 0 by inheritance) gave $p1 in all"
	[ "$R" = OK ] && [ "$p1" = 0 ] && [ "${GAVE[b]}" -gt 0 ] &&
		within "${GAVE[c]}" $((3 * GAVE[b])) 10 &&
		# round_robin takes from the protected memcg too, and 1:1
		[ "$RR_R" = OK ] && [ "${RR_GAVE[prot]}" -gt 0 ] && rr_both b c
}

# 5. refault_aware leaves alone a memcg that keeps faulting its pages back
# from zswap (a memhog reading its pages once a second, pushed back into
# zswap twice a second): asked for more than the other memcg holds, it
# drains that one and ends the run (-EAGAIN). The same subtree then goes
# to round_robin, which has only the refaulting memcg left to take from.
test_refault_aware() {
	local hog pusher ok
	mkcg "$CG/refault" || return 1
	fill "$CG/refault/hot" 16 8 -l || return 1
	hog=${HOGS[-1]}
	fill "$CG/refault/cold" 16 9 || return 1
	(while :; do echo 16M >"$CG/refault/hot/memory.reclaim"; sleep 0.5; done) 2>/dev/null &
	pusher=$!
	sleep 3
	tap_diag "hot: zswpin $(stat_of "$CG/refault/hot" zswpin) pages, zswapped $(stat_of "$CG/refault/hot" zswapped) B"
	run "$CG/refault" "$CG/refault" 12M refault_aware
	ok=$?
	kill "$pusher" "$hog"
	wait "$pusher" "$hog" 2>/dev/null
	[ $ok = 0 ] && [ "$R" = EAGAIN ] && [ "${GAVE[hot]}" = 0 ] &&
		[ "${GAVE[cold]}" -ge $((4 << 20)) ] &&
		# round_robin, on the same subtree after it, takes from hot
		[ "${RR_GAVE[hot]}" -gt 0 ]
}

# workload CGROUP SEED: the bench's workload (tests/bench/workload.c) in
# CGROUP, 16 MB pushed into zswap, half of which SIGHUP reads back (-f 0.5
# -t 1); its pid and status file in WL_PID[CGROUP] and WL_ST[CGROUP]
declare -A WL_PID WL_ST
workload() {
	local st=/tmp/policy_test.${1//\//_}.status
	rm -f "$st"
	mkdir -p "$1"
	(echo $BASHPID >"$1/cgroup.procs" &&
		exec "$WORKLOAD" -s "$2" -f 0.5 -t 1 "$st" 16) &
	WL_PID[$1]=$!
	WL_ST[$1]=$st
	HOGS+=($!)
	wl_wait "$1" pushed
}

# wl_wait CGROUP PHASE: wait for the status line of CGROUP's workload; a
# "touched" line with bad pages fails (the workload exits 1 too)
wl_wait() {
	local st=${WL_ST[$1]} t0=$SECONDS
	until [ -e "$st" ]; do
		kill -0 "${WL_PID[$1]}" 2>/dev/null || { echo "# workload in $1 died"; return 1; }
		[ $((SECONDS - t0)) -lt "$WRITE_TIMEOUT" ] || { hung "workload in $1"; return 1; }
		sleep 0.1
	done
	grep -Eq "^$2 .*(bad=0|reclaim_rc=)" "$st" && rm -f "$st"
}

# 6. refault_cost prefers a young memcg that never refaults to an old one
# that does: warm is pushed first (older by 4 s at least) and then reads
# back half its pages (zswpin 2048, as many as it still stores), cold is
# pushed between. Asked for less than cold holds, refault_cost takes it
# all from cold; coldest_first, on a twin subtree, starts with warm.
test_refault_cost() {
	local d t pids=() ok
	for d in rcost co_rcost; do
		mkcg "$CG/$d" || return 1
		workload "$CG/$d/warm" 21 || return 1
		pids+=(${WL_PID[$CG/$d/warm]})
	done
	t=$(now_ms)
	while [ $(($(now_ms) - t)) -lt 4000 ]; do sleep 0.5; done
	for d in rcost co_rcost; do
		fill "$CG/$d/cold" 16 22 || return 1
		pids+=(${HOGS[-1]})
	done
	for d in rcost co_rcost; do
		kill -HUP "${WL_PID[$CG/$d/warm]}" &&
			wl_wait "$CG/$d/warm" touched || return 1
	done
	tap_diag "warm: zswpin $(stat_of "$CG/rcost/warm" zswpin) pages, zswap $(stat_of "$CG/rcost/warm" zswap) B; cold: zswap $(stat_of "$CG/rcost/cold" zswap) B"
	TWIN=coldest_first run "$CG/rcost" "$CG/co_rcost" 4M refault_cost
	ok=$?
	# their 64 MB out of the pool before the pool-limit test
	kill "${pids[@]}"
	wait "${pids[@]}" 2>/dev/null
	[ $ok = 0 ] && [ "$R" = OK ] && [ "${GAVE[warm]}" = 0 ] &&
		[ "${GAVE[cold]}" -ge $((4 << 20)) ] &&
		# age alone takes warm first
		[ "$RR_R" = OK ] && [ "${RR_GAVE[warm]}" -gt 0 ]
}

# 7. Every policy steers pool-limit writeback: with the pool limit at 1 %,
# filling a memcg makes the shrinker run through the policy, which stays
# enabled.
test_pool_limit() {
	local p steps0 runs0 bytes0 ok=0 i=10
	POOL_PCT=$(cat /sys/module/zswap/parameters/max_pool_percent)
	echo 1 >/sys/module/zswap/parameters/max_pool_percent
	mkcg "$CG/pool" || return 1
	for p in $POLICIES; do
		load "$p" || { ok=1; continue; }
		steps0=$(counter bpf_steps)
		runs0=$(counter bpf_runs)
		bytes0=$(counter bpf_written_back_bytes)
		fill "$CG/pool/$p" 8 $i || ok=1
		i=$((i + 1))
		sleep 1
		tap_diag "pool limit, $p: runs +$(($(counter bpf_runs) - runs0)), steps +$(($(counter bpf_steps) - steps0)), bytes +$(($(counter bpf_written_back_bytes) - bytes0)), state $(awk '$1 == "state" { print $2 }' "$DBG/bpf_policy")"
		[ $(($(counter bpf_steps) - steps0)) -gt 0 ] &&
			[ $(($(counter bpf_written_back_bytes) - bytes0)) -gt 0 ] &&
			grep -q "^state enabled" "$DBG/bpf_policy" || ok=1
		unload
	done
	echo "$POOL_PCT" >/sys/module/zswap/parameters/max_pool_percent
	return $ok
}

tap_plan 7
# In the project's VM the hook and the policies are there: their absence
# is a failure
[ -e "$DBG/bpf_policy" ] ||
	tap_bail "no $DBG/bpf_policy: kernel without CONFIG_ZSWAP_BPF (boot the kernel built from kernel-patches/)"
for t in "$Z" "$MEMHOG" "$WORKLOAD"; do
	[ -x "$t" ] || tap_bail "missing $t (make all test-progs)"
done
for p in round_robin $POLICIES; do
	[ -e "$ZSWAP_BPF_POLICY_DIR/$p.bpf.o" ] ||
		tap_bail "missing $ZSWAP_BPF_POLICY_DIR/$p.bpf.o (make policies)"
done

start=$(date +%s)
setup || tap_bail "could not set up the cgroups"
tap_diag "setup: $(($(date +%s) - start)) s"
tap_check "coldest_first: old data first, min_age_ms spares young data; round_robin takes both" test_coldest_first
tap_check "largest_first: the largest memcg first; round_robin the small one" test_largest_first
tap_check "proportional: split within 10% of the size ratio; round_robin favours the small" test_proportional
tap_check "weighted: weight 0 untouched, 1:3 split within 10%; round_robin 1:1, weight 0 too" test_weighted
tap_check "refault_aware: a refaulting memcg left alone; round_robin takes it" test_refault_aware
tap_check "refault_cost: young idle data before old refaulting data; coldest_first the other way" test_refault_cost
tap_check "pool-limit writeback through every policy" test_pool_limit
tap_diag "total: $(($(date +%s) - start)) s"
tap_done
