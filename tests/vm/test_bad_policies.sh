#!/bin/bash
# In-guest tests of policies that choose badly (tests/bpf/bad_policy.bpf.c,
# loaded with the loader and its knobs): cgroup ids outside the subtree,
# missing, random, 0 forever; step budgets of 0, U64_MAX and random; a
# callback that spends bpf_loop's whole bound; one the verifier refuses.
# For each, the kernel returns from memory.reclaim, writes back only from
# the subtree and within the budget, ejects the policy where the
# documentation says so, and `zswap-bpf status` says why.
#
# usage (on the host): tests/vm/run -- tests/vm/test_bad_policies.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=$B/zswap-bpf
BAD=$B/tests/bad_policy.bpf.o
TOO_COMPLEX=$B/tests/too_complex.bpf.o
CG=/sys/fs/cgroup/bad_test
PAGE=4096
RECLAIMER=$B/tests/reclaimer
U64_MAX=18446744073709551615

# What the kernel promises a policy that chooses badly (issues 12 and 19),
# in one place: an id outside the subtree or of no memcg is invalid, and
# INVALID_EJECT invalid choices in a row eject (ejected_invalid); a memcg
# with writeback disabled or offline is refused (REFUSED_COUNTER), never
# ejected for; each of both falls back to round-robin for its step
# (bpf_fallbacks). A pool-limit run a policy ends early goes on
# round-robin, counted as a fallback.
INVALID_EJECT=16
REFUSED_COUNTER=bpf_refused_choices

# load ARGS...: the bad policy with knobs, replacing whatever is attached
load() {
	timeout -s KILL "$WRITE_TIMEOUT" "$Z" load "$BAD" --replace "$@" >/dev/null
	[ $? != 137 ] || { hung "zswap-bpf load"; return 1; }
}
unload() { "$Z" unload >/dev/null 2>&1; }

# What a run may and may not have touched, before and after: the
# subtree's proactive bytes, the zswpwb (pages) of the sibling outside it,
# of the memcg with writeback off, of the subtree, and of the whole system
snap() { # -> "proactive_b out_zswpwb off_zswpwb x_zswpwb system_zswpwb"
	echo "$(stat_of "$CG/x" zswpwb_proactive_b) $(stat_of "$CG/out" zswpwb)" \
		"$(stat_of "$CG/x/off" zswpwb) $(stat_of "$CG/x" zswpwb) $(vmstat_of zswpwb)"
}

# outside BEFORE AFTER: nothing written back outside the subtree, nor from
# the memcg with writeback off. Not only the sibling we watch: every page
# the system wrote back (/proc/vmstat zswpwb) is one of the subtree's
# (its hierarchical memory.stat zswpwb), so a run that took from the root
# cgroup or any other memcg fails.
outside() {
	local b a
	read -ra b <<<"$1"
	read -ra a <<<"$2"
	tap_diag "  out zswpwb ${b[1]} -> ${a[1]}, off ${b[2]} -> ${a[2]}; pages written back: subtree +$((a[3] - b[3])), system +$((a[4] - b[4]))"
	[ "${a[1]}" = "${b[1]}" ] && [ "${a[2]}" = "${b[2]}" ] &&
		[ $((a[3] - b[3])) = $((a[4] - b[4])) ]
}

# within BEFORE AFTER BUDGET RESULT [WRITES]: nothing from outside the
# subtree or from the memcg with writeback off; the subtree's bytes within
# the budget (each of WRITES writes may overshoot by less than a page), and
# at least the budget when the write said OK
within() {
	local b a budget=$3 r=$4 writes=${5:-1} wrote
	read -ra b <<<"$1"
	read -ra a <<<"$2"
	wrote=$((a[0] - b[0]))
	tap_diag "  wrote $wrote of $budget ($r)"
	outside "$1" "$2" && [ $wrote -lt $((budget + writes * PAGE)) ] &&
		{ [ "$r" != OK ] || [ $wrote -ge "$budget" ]; }
}

cleanup() {
	unload
	[ -n "${POOL_PCT:-}" ] && echo "$POOL_PCT" >/sys/module/zswap/parameters/max_pool_percent
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
	[ -z "${T:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

# bad_test/x/{1,2,empty,off}: the subtree every run writes back from
# (off has memory.zswap.writeback 0); bad_test/out: a sibling outside it
setup() {
	mkdir -p "$CG/x" && echo +memory >"$CG/cgroup.subtree_control" &&
		echo +memory >"$CG/x/cgroup.subtree_control" || return 1
	fill "$CG/x/1" 32 && fill "$CG/x/2" 32 && fill "$CG/out" 8 &&
		fill "$CG/x/off" 8 || return 1
	echo 0 >"$CG/x/off/memory.zswap.writeback"
	mkdir -p "$CG/x/empty"
	settle
}

# check_ejected TARGET KIND [MODE]: a policy always choosing TARGET (or in
# MODE) is ejected with KIND, the built-in round-robin takes over (the
# steps the kernel refused fell back, counted) so that the write meets its
# budget, its run stays in the subtree, and status says why
check_ejected() {
	local target=$1 kind=$2 mode=${3:-BAD_FIXED} before after r out ej0 inv0 fb0 inv fb
	ej0=$(counter bpf_ejections)
	inv0=$(counter bpf_invalid_choices)
	fb0=$(counter bpf_fallbacks)
	load --set mode="$mode" --set target="$target" || return 1
	before=$(snap)
	r=$(writeback "$CG/x" 2M)
	inv=$(($(counter bpf_invalid_choices) - inv0))
	fb=$(($(counter bpf_fallbacks) - fb0))
	settle
	after=$(snap)
	out=$("$Z" status)
	tap_diag "  $(echo "$out" | grep -E '^(state|last exit)' | tr '\n' ' ')invalid +$inv, fallbacks +$fb"
	if [ "$kind" = ejected_invalid ]; then
		[ "$inv" = $INVALID_EJECT ] && [ "$fb" = $INVALID_EJECT ] || return 1
	fi
	within "$before" "$after" $((2 << 20)) "$r" && [ "$r" = OK ] &&
		[ "$(policy_field state)" = ejected ] &&
		[ "$(policy_field last_exit)" = "$kind" ] &&
		[ "$(counter bpf_ejections)" = $((ej0 + 1)) ] &&
		echo "$out" | grep -q "^last exit  $kind: " &&
		echo "$out" | grep -q "^note       the kernel ejected bad_policy"
}

# 1-2, 4. Ids outside the subtree and of no cgroup are invalid (16 in a row
# eject); an empty memcg chosen again and again stalls (16 repeats eject).
test_outside() { check_ejected "$(cgid "$CG/out")" ejected_invalid; }
test_nonexistent() { check_ejected $((1 << 40)) ejected_invalid; }
test_empty() { check_ejected "$(cgid "$CG/x/empty")" ejected_stall; }

# 3. A memcg with writeback off is refused, not invalid: counted apart,
# each step falls back, the policy stays enabled, and the write meets its
# budget from the rest of the subtree without touching it.
test_wb_off() {
	local before after r inv0 ref0 fb0 inv ref fb
	inv0=$(counter bpf_invalid_choices)
	ref0=$(counter $REFUSED_COUNTER 2>/dev/null) || ref0=missing
	fb0=$(counter bpf_fallbacks)
	load --set mode=BAD_FIXED --set target="$(cgid "$CG/x/off")" || return 1
	before=$(snap)
	r=$(writeback "$CG/x" 2M)
	inv=$(($(counter bpf_invalid_choices) - inv0))
	ref=$(($(counter $REFUSED_COUNTER 2>/dev/null || echo 0) - ${ref0/missing/0}))
	fb=$(($(counter bpf_fallbacks) - fb0))
	settle
	after=$(snap)
	tap_diag "  refused +$ref ($REFUSED_COUNTER $ref0), invalid +$inv, fallbacks +$fb, state $(policy_field state), last exit $(policy_field last_exit)"
	within "$before" "$after" $((2 << 20)) "$r" && [ "$r" = OK ] &&
		[ "$ref0" != missing ] && [ "$ref" -gt 0 ] && [ "$inv" = 0 ] &&
		[ "$fb" = "$ref" ] && [ "$(policy_field state)" = enabled ]
}

# 5. The reason names the last bad id, and a load without --replace says
# the attached policy was ejected (exit 3); --replace revives writeback
# through a policy.
test_ejected_messages() {
	local out rc
	load --set mode=BAD_FIXED --set target=$((1 << 40)) || return 1
	writeback "$CG/x" 1M >/dev/null
	out=$("$Z" load "$B/policies/round_robin.bpf.o" 2>&1)
	rc=$?
	tap_diag "  $out (exit $rc)"
	[ $rc = 3 ] && echo "$out" | grep -q "the kernel ejected it (ejected_invalid: 16 invalid choices in a row, last cgroup id $((1 << 40)))" &&
		"$Z" load "$B/policies/round_robin.bpf.o" --replace >/dev/null &&
		[ "$(policy_field state)" = enabled ] &&
		[ "$("$Z" -j status | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_exit"])')" = ejected_invalid ]
}

# 6. Random 64-bit ids: none is a memcg of the subtree (2^-40 odds), so
# the policy is ejected as invalid.
test_random() { check_ejected 0 ejected_invalid BAD_RANDOM; }

# 7. Random ids among the small ones the guest has: subtree members, the
# sibling, the memcg with writeback off, cgroups without memcg, unused ids
# and 0 (ends the run). Whether it is ejected is chance; every write
# returns, and nothing outside the subtree or beyond the budgets moves.
test_random_range() {
	local before after i r max n=20 res=()
	max=$(($(find /sys/fs/cgroup -type d -exec stat -c %i {} + | sort -n | tail -1) + 8))
	load --set mode=BAD_RANDOM_RANGE --set target=$max || return 1
	before=$(snap)
	for ((i = 0; i < n; i++)); do
		r=$(writeback "$CG/x" 256K)
		res+=("$r")
		[ "$r" = TIMEOUT ] && break
	done
	settle
	after=$(snap)
	tap_diag "  ids 0..$max, $n writes of 256K: $(printf '%s\n' "${res[@]}" | sort | uniq -c | tr -s ' \n' ' '); state $(policy_field state), invalid choices $(counter bpf_invalid_choices)"
	# each write within its own budget: the sum within the sum
	within "$before" "$after" $((n * (256 << 10))) EAGAIN $n &&
		! printf '%s\n' "${res[@]}" | grep -qv '^OK$\|^EAGAIN$'
}

# 8. 0 forever ends every run at once: the write returns EAGAIN having
# written nothing. A policy may decline to write back, so it is not
# ejected: documented as "0 ends the run".
test_zero() {
	local before after r runs0
	load --set mode=BAD_ZERO || return 1
	runs0=$(counter bpf_runs)
	before=$(snap)
	r=$(writeback "$CG/x" 1M)
	settle
	after=$(snap)
	tap_diag "  0 forever: $r, runs +$(($(counter bpf_runs) - runs0)), state $(policy_field state)"
	[ "$r" = EAGAIN ] && [ "$before" = "$after" ] &&
		[ "$(policy_field state)" = enabled ] &&
		[ "$(counter bpf_runs)" -gt "$runs0" ] &&
		"$Z" status | grep -qE '^  ended +[1-9]'
}

# 9. Pool-limit writeback under a policy that ends every run: the pool
# limit is the kernel's promise, so the rest of each such run goes
# round-robin, counted as a fallback, and pages are written back; a new
# memhog completes. (Whether a policy that does this run after run is
# ejected is the kernel's choice: not checked here.)
test_zero_pool_limit() {
	local runs0 fb0 wb0 ok=0
	load --set mode=BAD_ZERO || return 1
	POOL_PCT=$(cat /sys/module/zswap/parameters/max_pool_percent)
	runs0=$(counter bpf_runs)
	fb0=$(counter bpf_fallbacks)
	wb0=$(vmstat_of zswpwb)
	echo 1 >/sys/module/zswap/parameters/max_pool_percent
	fill "$CG/pool0" 32 || ok=1
	sleep 1
	echo "$POOL_PCT" >/sys/module/zswap/parameters/max_pool_percent
	tap_diag "  pool-limit runs +$(($(counter bpf_runs) - runs0)), fallbacks +$(($(counter bpf_fallbacks) - fb0)), pages written back +$(($(vmstat_of zswpwb) - wb0)), pool_limit_hit $(cat "$DBG"/pool_limit_hit), state $(policy_field state)"
	[ $ok = 0 ] && [ "$(counter bpf_runs)" -gt "$runs0" ] &&
		[ "$(counter bpf_fallbacks)" -gt "$fb0" ] &&
		[ "$(vmstat_of zswpwb)" -gt "$wb0" ]
}

# 10-12. Step budgets: 0 keeps the built-in batch; U64_MAX and random
# 64-bit budgets are clamped to what the run still misses.
check_budget() { # KNOBS...
	local before after r
	# BAD_BURN with one iteration: round-robin ids, the budget under test
	load --set mode=BAD_BURN --set loops=1 "$@" || return 1
	before=$(snap)
	r=$(writeback "$CG/x" 1M)
	settle
	after=$(snap)
	within "$before" "$after" $((1 << 20)) "$r" && [ "$r" = OK ] &&
		[ "$(policy_field state)" = enabled ]
}

test_budget_zero() { check_budget --set budget=0; }
test_budget_max() { check_budget --set budget=$U64_MAX; }
test_budget_random() {
	local i
	for i in 1 2 3; do
		check_budget --set random_budget=true || return 1
	done
}

# 13. Pool-limit runs have no budget of their own: a policy budget of
# U64_MAX must mean what 2^30 does, "the whole batch" (ZSWAP_BPF_BATCH
# entries a node). The first step of each run writes one entry
# (first_budget=1), so that the others start with bytes written. The
# kernel adds the budget to the bytes written so far; unclamped, U64_MAX
# wrapped to one entry a step (found by this test, fixed in patch 6). A
# step that wrote more than two pages' worth proves it did not wrap: one
# compressed entry is at most a page. (Bytes a step on average varied 2-4x
# between episodes with second-chance rotations of fresh entries, too much
# to compare the two budgets by.)
# pool_episode BUDGET N: a pool-limit episode under round-robin ids and
# BUDGET a step; POOL_BYTES, POOL_STEPS and POOL_MAX get what it wrote,
# the steps it took and the most one step wrote (not from $(...): the
# memhog left running would hold its pipe open)
pool_episode() {
	local s0 b0
	load --set mode=BAD_BURN --set loops=1 --set budget="$1" \
		--set first_budget=1 || return 1
	POOL_PCT=$(cat /sys/module/zswap/parameters/max_pool_percent)
	s0=$(counter bpf_steps)
	b0=$(counter bpf_written_back_bytes)
	echo 1 >/sys/module/zswap/parameters/max_pool_percent
	fill "$CG/pool$2" 32 || return 1
	sleep 1
	echo "$POOL_PCT" >/sys/module/zswap/parameters/max_pool_percent
	POOL_BYTES=$(($(counter bpf_written_back_bytes) - b0))
	POOL_STEPS=$(($(counter bpf_steps) - s0))
	POOL_MAX=$(bss_global bad_poli max_step_bytes)
}

test_budget_max_pool_limit() {
	local a big page
	page=$(getconf PAGESIZE)
	pool_episode $((1 << 30)) 1 || return 1
	a="$POOL_BYTES bytes in $POOL_STEPS steps, at most $POOL_MAX"
	big=$POOL_MAX
	pool_episode $U64_MAX 2 || return 1
	tap_diag "  pool limit, budget 2^30: $a a step; U64_MAX: $POOL_BYTES bytes in $POOL_STEPS steps, at most $POOL_MAX a step; state $(policy_field state)"
	[ "$POOL_STEPS" -gt 0 ] && [ "$(policy_field state)" = enabled ] &&
		[ "${big:-0}" -gt $((2 * page)) ] &&
		[ "${POOL_MAX:-0}" -gt $((2 * page)) ]
}

# 14. A callback that spends bpf_loop's whole bound (2^23 iterations) in
# select_memcg and again in step_budget loads (the verifier checks the
# loop body once), and the run still meets its budget, only slower.
# A policy that burns bpf_loop at its bound either stays under the kernel's
# bound on a callback's time (bpf_max_call_us) or is ejected for it
# (ejected_slow): which one depends on how fast this machine runs the loop.
# Either way the write returns and meets its budget.
enabled_or_slow() {
	[ "$(policy_field state)" = enabled ] ||
		[ "$(policy_field last_exit)" = ejected_slow ]
}

test_burn() {
	local before after r t0 t1 steps0
	# pool-limit writeback in 9 and 13 takes from x too: give it fresh data
	fill "$CG/x/burn" 8 || return 1
	load --set mode=BAD_BURN --set loops=$((1 << 23)) || return 1
	steps0=$(counter bpf_steps)
	before=$(snap)
	t0=$(date +%s.%N)
	r=$(writeback "$CG/x" 512K)
	t1=$(date +%s.%N)
	settle
	after=$(snap)
	tap_diag "  2x 2^23 bpf_loop iterations a step: $r in $(echo "$t1 - $t0" | bc) s, $(($(counter bpf_steps) - steps0)) steps"
	within "$before" "$after" $((512 << 10)) "$r" && [ "$r" = OK ] &&
		enabled_or_slow
}

# 14b. bpf_loop inside a bpf_loop callback loads too: the verifier bounds
# each loop, not their product, so nothing bounds the time one callback
# takes (2^23 x 2^23 iterations would run for days, in the kernel, signals
# unseen). Here 2 x 2^20 iterations a call: the write still meets its
# budget.
test_burn_nested() {
	local before after r
	fill "$CG/x/burn_nested" 8 || return 1
	load --set mode=BAD_BURN_NESTED --set outer=2 --set loops=$((1 << 20)) || return 1
	before=$(snap)
	r=$(writeback "$CG/x" 64K)
	settle
	after=$(snap)
	within "$before" "$after" $((64 << 10)) "$r" && [ "$r" = OK ] &&
		enabled_or_slow
}

# 14c. A signal interrupts a write under a policy: SIGUSR1 (caught, no
# SA_RESTART) to build/tests/reclaimer writing up to 64M at a time while
# every callback spends 2^23 bpf_loop iterations; some writes return
# EINTR, none anything but 0, EAGAIN or EINTR, and nothing outside the
# subtree moves.
test_eintr() {
	local before after pid i hist rc
	fill "$CG/x/eintr" 16 || return 1
	load --set mode=BAD_BURN --set loops=$((1 << 23)) || return 1
	before=$(snap)
	"$RECLAIMER" -m $((64 << 20)) -d 0 "$CG/x" >"$T/reclaimer" 2>&1 &
	pid=$!
	sleep 1
	for ((i = 0; i < 20; i++)); do
		kill -USR1 $pid 2>/dev/null || break
		sleep 0.5
	done
	kill -TERM $pid 2>/dev/null
	timeout -s KILL "$WRITE_TIMEOUT" tail --pid=$pid -f /dev/null
	wait $pid
	rc=$?
	settle
	after=$(snap)
	hist=$(tail -1 "$T/reclaimer")
	tap_diag "  $i signals: $hist (exit $rc), policy $(policy_field state)"
	[ $rc = 0 ] && [[ $hist == "reclaimer: writes="* ]] &&
		[[ " $hist " == *" EINTR="[1-9]* ]] &&
		! tr ' ' '\n' <<<"${hist#reclaimer: }" | grep -vqE '^(writes|ok|EAGAIN|EINTR)=' &&
		outside "$before" "$after" && enabled_or_slow
}

# 15. A loop the verifier must walk a million times is refused at load:
# exit 3, the verifier's reason in the message (without -v), nothing
# attached.
test_too_complex() {
	local out rc
	unload
	out=$("$Z" load "$TOO_COMPLEX" 2>&1)
	rc=$?
	tap_diag "  exit $rc: $(echo "$out" | grep -m1 Error)"
	echo "$out" | grep -iE "too complex|too large|processed" | head -2 | sed 's/^/#   /'
	[ $rc = 3 ] && echo "$out" | grep -q "Error: the kernel refused policy" &&
		echo "$out" | grep -qiE "is too complex|program is too large" &&
		[ -z "$(policy_field name)" ] && [ ! -e /sys/fs/bpf/zswap-bpf/link ]
}

# 16. None of the above left a splat.
test_dmesg() {
	! dmesg | grep -E "WARNING:|BUG:|Oops|KASAN|UBSAN|INFO: task .* blocked|circular locking"
}

tap_plan 18
for t in "$Z" "$BAD" "$TOO_COMPLEX" "$MEMHOG" "$RECLAIMER"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
# In the project's VM the hook is there: its absence is a failure
[ -e "$DBG/bpf_policy" ] ||
	tap_bail "no $DBG/bpf_policy: kernel without CONFIG_ZSWAP_BPF (boot the kernel built from kernel-patches/)"
T=$(mktemp -d)

setup || tap_bail "could not set up the cgroups"
# BAD_TESTS="3 13": run only those (numbers as in the TAP output)
TESTS=(
	"id outside the subtree: 16 invalid, fallbacks, ejected_invalid, write met" test_outside
	"nonexistent id: 16 invalid, fallbacks, ejected_invalid, write met" test_nonexistent
	"writeback-disabled memcg: refused, fallbacks, not ejected, write met" test_wb_off
	"empty memcg forever: ejected_stall, write met" test_empty
	"ejection named by status and load; --replace revives" test_ejected_messages
	"random 64-bit ids: ejected_invalid" test_random
	"random small ids: subtree and budgets kept" test_random_range
	"0 forever: EAGAIN, nothing written, not ejected" test_zero
	"0 forever under pool-limit writeback: round-robin goes on (fallbacks)" test_zero_pool_limit
	"budget 0: the built-in batch" test_budget_zero
	"budget U64_MAX: clamped to the run's budget" test_budget_max
	"random budgets: clamped" test_budget_random
	"budget U64_MAX under pool-limit writeback" test_budget_max_pool_limit
	"bpf_loop at its bound: loads, run meets its budget" test_burn
	"nested bpf_loop: loads, run meets its budget" test_burn_nested
	"SIGUSR1 under a slow policy: EINTR, subtree kept" test_eintr
	"verifier-refused loop: exit 3 with the reason" test_too_complex
	"no splat in dmesg" test_dmesg
)
for ((i = 0; i < ${#TESTS[@]}; i += 2)); do
	n=$((i / 2 + 1))
	if [ -n "${BAD_TESTS:-}" ] && ! [[ " $BAD_TESTS " = *" $n "* ]]; then
		tap_skip "${TESTS[i]}" "not in BAD_TESTS"
		continue
	fi
	if "${TESTS[i + 1]}"; then
		tap_ok "${TESTS[i]}"
	else
		tap_not_ok "${TESTS[i]}"
	fi
done
tap_done
