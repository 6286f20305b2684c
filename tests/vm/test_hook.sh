#!/bin/bash
# In-guest tests of the zswap_writeback_ops hook (CONFIG_ZSWAP_BPF): policies
# steer proactive and pool-limit writeback, and the kernel refuses, counts
# and ejects bad ones without writing back from the wrong place or hanging.
#
# usage (on the host): tests/vm/run -- tests/vm/test_hook.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
BPFTOOL=${BPFTOOL:-$B/bpftool/bpftool}
RR=${RR:-$B/policies/round_robin.bpf.o}
MISBEHAVE=${MISBEHAVE:-$B/tests/misbehave.bpf.o}
CG=/sys/fs/cgroup/hook_test
PIN=/sys/fs/bpf/hook_test
PAGE=4096
# the most one writeback step writes: ZSWAP_WB_BATCH entries of a page at most
STEP_MAX=$((64 * PAGE))

# What the kernel promises a policy that chooses badly (issues 12 and 19),
# in one place: an id outside the subtree or of no memcg is invalid
# (bpf_invalid_choices, a fallback step; INVALID_EJECT in a row eject with
# ejected_invalid); a memcg with writeback disabled or offline is refused
# (REFUSED_COUNTER, a fallback step, no ejection; step_done gets -EPERM or
# -ESRCH); choosing again a memcg step_done just called empty (-ENOENT)
# STALL_EJECT times in a row ejects with ejected_stall.
INVALID_EJECT=16
STALL_EJECT=16
# ... and IDLE_HANDBACK steps in a row on memcgs with nothing to write back
# (never the same one twice: no stall) hand the rest of the run to
# round-robin, without ejecting the policy.
IDLE_HANDBACK=32
REFUSED_COUNTER=bpf_refused_choices

# mkleaf PATH: a cgroup for processes (no internal processes in cgroup v2)
mkleaf() { mkdir -p "$1"; }

attach() { # OBJ: register the policy, pinning its link under $PIN
	mkdir -p "$PIN"
	"$BPFTOOL" struct_ops register "$1" "$PIN" >/dev/null
}

detach() { rm -f "$PIN"/*; }

# mb_errs: what misbehave's step_done was told since it was attached,
# "EPERM ESRCH ENOENT OTHER OK" (counts of steps)
mb_errs() {
	"$BPFTOOL" -j map lookup name mb_errs key 0 0 0 0 | python3 -c '
import json, sys
b = bytes(int(x, 16) for x in json.load(sys.stdin)["value"])
print(*(int.from_bytes(b[i:i + 8], "little") for i in range(0, 40, 8)))'
}

cleanup() {
	detach 2>/dev/null
	[ -n "${POOL_PCT:-}" ] && echo "$POOL_PCT" >/sys/module/zswap/parameters/max_pool_percent
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap cleanup EXIT

setup() {
	mkcg "$CG" || return 1
	for t in x y; do
		mkcg "$CG/$t" || return 1
		for c in 1 2; do
			mkleaf "$CG/$t/$c"
			fill "$CG/$t/$c" 16 $c || return 1
		done
	done
	mkleaf "$CG/out"
	fill "$CG/out" 8 || return 1
	mkleaf "$CG/x/empty"
	settle
}

# run_times_ok CPU WALL ELAPSED: one run's counted CPU and wall time (ns)
# are set, within the write's ELAPSED, and the CPU time within the wall time
# (two clocks, read at different points: sched_clock() may stray from ktime
# by up to a tick, 4 ms at HZ=250, and a percent)
run_times_ok() {
	[ "$1" -gt 0 ] && [ "$1" -le "$3" ] &&
		[ "$2" -gt 0 ] && [ "$2" -le "$3" ] &&
		[ "$1" -le $(($2 + $2 / 100 + 4000000)) ]
}

# 1. round_robin through the hook writes back what the built-in path writes
# back, memcg by memcg, from two subtrees holding the same data. Not byte for
# byte: ordinary reclaim, which fills zswap, does not store the same pages in
# the same order twice, and the two walks may start at different leaves, so
# with an odd number of steps one leaf gets a step more. Within one step's
# most per memcg, ZSWAP_WB_BATCH (64) pages: 256K of a leaf's 4M (a
# different order, say one memcg drained first, is off by 100%). The hook
# must have run: without steps through it, the second write is the
# built-in path again. bpf_call_ns, the kernel's timing of the callbacks,
# grows in the hooked write only.
test_rr_matches_builtin() {
	local budget=$((8 << 20)) bx1 bx2 by1 by2 r1 r2 steps0 steps
	local wb0 wb1 wb2 runs0 runs1 runs2 cpu0 cpu1 cpu2 t0 t1 t2 t3
	local wall0 wall1 wall2 call0 call1 call2

	call0=$(counter bpf_call_ns)
	wb0=$(counter wb_steps)
	runs0=$(counter wb_runs_proactive)
	cpu0=$(counter wb_cpu_ns_proactive)
	wall0=$(counter wb_wall_ns_proactive)
	t0=$(date +%s%N)
	r1=$(writeback "$CG/x" $budget)
	t1=$(date +%s%N)
	wb1=$(counter wb_steps)
	runs1=$(counter wb_runs_proactive)
	cpu1=$(counter wb_cpu_ns_proactive)
	wall1=$(counter wb_wall_ns_proactive)
	call1=$(counter bpf_call_ns)
	attach "$RR" || return 1
	steps0=$(counter bpf_steps)
	t2=$(date +%s%N)
	r2=$(writeback "$CG/y" $budget)
	t3=$(date +%s%N)
	steps=$(($(counter bpf_steps) - steps0))
	wb2=$(counter wb_steps)
	runs2=$(counter wb_runs_proactive)
	cpu2=$(counter wb_cpu_ns_proactive)
	wall2=$(counter wb_wall_ns_proactive)
	call2=$(counter bpf_call_ns)
	detach
	settle
	bx1=$(stat_of "$CG/x/1" zswpwb_proactive_b)
	bx2=$(stat_of "$CG/x/2" zswpwb_proactive_b)
	by1=$(stat_of "$CG/y/1" zswpwb_proactive_b)
	by2=$(stat_of "$CG/y/2" zswpwb_proactive_b)
	tap_diag "built-in: $r1 x/1 $bx1 x/2 $bx2; round_robin: $r2 y/1 $by1 y/2 $by2, $steps steps through the hook"
	tap_diag "wb_steps: built-in +$((wb1 - wb0)), hooked +$((wb2 - wb1)); wb_runs_proactive +$((runs1 - runs0)), +$((runs2 - runs1)); wb_cpu_ns_proactive +$((cpu1 - cpu0)) of $((t1 - t0)) ns, +$((cpu2 - cpu1)) of $((t3 - t2)) ns; wb_wall_ns_proactive +$((wall1 - wall0)), +$((wall2 - wall1)); bpf_call_ns +$((call1 - call0)), +$((call2 - call1))"
	# the built-in loop's runs and steps are counted as the hook's are,
	# and so are their CPU and wall time; the time in callbacks only
	# grows with a policy, and within the run's own time
	[ $((runs1 - runs0)) = 1 ] && [ $((runs2 - runs1)) = 1 ] &&
		[ "$call1" = "$call0" ] && [ $((call2 - call1)) -gt 0 ] &&
		[ $((call2 - call1)) -lt $((wall2 - wall1)) ] &&
		[ $((wb1 - wb0)) -gt 0 ] && [ $((wb2 - wb1)) -ge "$steps" ] &&
		run_times_ok $((cpu1 - cpu0)) $((wall1 - wall0)) $((t1 - t0)) &&
		run_times_ok $((cpu2 - cpu1)) $((wall2 - wall1)) $((t3 - t2)) &&
	[ "$steps" -gt 0 ] &&
		[ "$r1" = OK ] && [ "$r2" = OK ] && [ $((bx1 + bx2)) -ge $budget ] &&
		[ "$bx1" -gt 0 ] && [ "$bx2" -gt 0 ] &&
		[ $((bx1 - by1)) -le $STEP_MAX ] &&
		[ $((by1 - bx1)) -le $STEP_MAX ] &&
		[ $((bx2 - by2)) -le $STEP_MAX ] &&
		[ $((by2 - bx2)) -le $STEP_MAX ]
}

# 2-3. A policy choosing TARGET, an invalid id, never writes back from it:
# exactly INVALID_EJECT choices are counted, each step falls back to
# round-robin (so the write still meets its budget), and the policy is
# ejected with ejected_invalid.
check_invalid() { # TARGET
	local target=$1 inv0 fb0 out0 r kind inv fb
	inv0=$(counter bpf_invalid_choices)
	fb0=$(counter bpf_fallbacks)
	out0=$(stat_of "$CG/out" zswpwb)
	attach "$MISBEHAVE" || return 1
	set_cfg 0 "$target" || return 1
	r=$(writeback "$CG/x" 1M)
	kind=$(policy_field last_exit)
	inv=$(($(counter bpf_invalid_choices) - inv0))
	fb=$(($(counter bpf_fallbacks) - fb0))
	tap_diag "target $target: writeback $r, invalid +$inv, fallbacks +$fb, state $(policy_field state), exit $kind: $(policy_field last_exit_reason)"
	detach
	settle
	[ "$r" = OK ] && [ "$(stat_of "$CG/out" zswpwb)" = "$out0" ] &&
		[ "$inv" = $INVALID_EJECT ] && [ "$fb" = $INVALID_EJECT ] &&
		[ "$kind" = ejected_invalid ]
}

test_outside_subtree() { check_invalid "$(cgid "$CG/out")"; }
test_nonexistent() { check_invalid 123456789; }

# 4. A memcg whose writeback is disabled is refused, not invalid: each
# choice is counted in REFUSED_COUNTER and falls back to round-robin, the
# policy is told -EPERM and never ejected for it, the write meets its
# budget from the others, and the memcg gives nothing.
test_wb_disabled() {
	local ret=0 r inv0 ref0 fb0 wb0 inv ref fb errs=()
	echo 0 >"$CG/x/2/memory.zswap.writeback"
	inv0=$(counter bpf_invalid_choices)
	ref0=$(counter $REFUSED_COUNTER 2>/dev/null || echo missing)
	fb0=$(counter bpf_fallbacks)
	wb0=$(stat_of "$CG/x/2" zswpwb)
	attach "$MISBEHAVE" || ret=1
	set_cfg 0 "$(cgid "$CG/x/2")" || ret=1
	r=$(writeback "$CG/x" 1M)
	inv=$(($(counter bpf_invalid_choices) - inv0))
	ref=$(($(counter $REFUSED_COUNTER 2>/dev/null || echo 0) - ${ref0/missing/0}))
	fb=$(($(counter bpf_fallbacks) - fb0))
	read -ra errs <<<"$(mb_errs)"
	tap_diag "writeback-disabled target: writeback $r, refused +$ref ($REFUSED_COUNTER ${ref0}), invalid +$inv, fallbacks +$fb, step_done EPERM ${errs[0]:-?}, state $(policy_field state), exit $(policy_field last_exit)"
	[ "$(policy_field state)" = enabled ] || ret=1
	detach
	settle
	echo 1 >"$CG/x/2/memory.zswap.writeback"
	[ $ret = 0 ] && [ "$r" = OK ] && [ "$ref0" != missing ] &&
		[ "$ref" -gt 0 ] && [ "$inv" = 0 ] && [ "$fb" = "$ref" ] &&
		[ "${errs[0]:-0}" = "$ref" ] &&
		[ "$(stat_of "$CG/x/2" zswpwb)" = "$wb0" ]
}

# 5. A policy that keeps choosing a memcg with nothing to write back cannot
# hang the writer: after STALL_EJECT choices of it right after step_done
# said -ENOENT the policy is ejected as stalled, the built-in round-robin
# takes over, and the write returns having met its budget.
test_stall() {
	local r start errs=() kind wb0 wb ok=0
	settle
	wb0=$(stat_of "$CG/x" zswpwb_proactive_b)
	attach "$MISBEHAVE" || return 1
	set_cfg 0 "$(cgid "$CG/x/empty")" || return 1
	start=$(date +%s)
	r=$(writeback "$CG/x" 1M)
	kind=$(policy_field last_exit)
	read -ra errs <<<"$(mb_errs)"
	tap_diag "stalling policy: $r after $(($(date +%s) - start)) s, step_done ENOENT ${errs[2]:-?} times, exit $kind: $(policy_field last_exit_reason)"
	detach
	settle
	wb=$(($(stat_of "$CG/x" zswpwb_proactive_b) - wb0))
	tap_diag "  x wrote $wb"
	# The first empty step, then STALL_EJECT choices of the same memcg
	# right after it said -ENOENT; the last may be refused before its step
	[ "$r" = OK ] && [ "$kind" = ejected_stall ] &&
		[ "${errs[2]:-0}" -ge $STALL_EJECT ] &&
		[ "${errs[2]:-0}" -le $((STALL_EJECT + 1)) ] &&
		[ "$wb" -ge $((1 << 20)) ] && [ "$wb" -lt $(((1 << 20) + PAGE)) ] || ok=1
	return $ok
}

# 6. A policy's budget never takes a proactive run beyond its own budget.
test_budget_clamped() {
	local before after r
	settle
	before=$(stat_of "$CG/y" zswpwb_proactive_b)
	attach "$MISBEHAVE" || return 1
	set_cfg 1 $(((1 << 62))) || return 1
	r=$(writeback "$CG/y" 1M)
	detach
	settle
	after=$(stat_of "$CG/y" zswpwb_proactive_b)
	tap_diag "1M with a 2^62 step budget: $r, wrote $((after - before))"
	[ "$r" = OK ] && [ $((after - before)) -ge $((1 << 20)) ] &&
		[ $((after - before)) -lt $(((1 << 20) + PAGE)) ]
}

# 7. One policy at a time: a second attach fails with EBUSY; the policy shows
# in bpftool struct_ops show under its name.
test_second_attach() {
	local out ok=0
	attach "$RR" || return 1
	"$BPFTOOL" struct_ops show | grep -q round_robin || ok=1
	out=$("$BPFTOOL" struct_ops register "$MISBEHAVE" "$PIN" 2>&1) && ok=1
	tap_diag "second attach: $(echo "$out" | tail -1)"
	echo "$out" | grep -qi "busy" || ok=1
	[ "$(policy_field name)" = round_robin ] || ok=1
	detach
	return $ok
}

# 8. Detach and re-attach in a loop while writeback runs: no splat, no leak.
# 20 cycles: each loads and verifies round_robin, 1.7 s under TCG on a slow
# host (200 took 342 s); the lifecycle test and the torture churn longer.
test_attach_detach_loop() {
	local i n=${HOOK_CYCLES:-20} writer maps0 maps1
	maps0=$("$BPFTOOL" map list | grep -c struct_ops)
	(while :; do echo "256K source=zswap" >"$CG/y/memory.reclaim" 2>/dev/null; done) &
	writer=$!
	for ((i = 0; i < n; i++)); do
		attach "$RR" || break
		detach
	done
	kill $writer
	wait $writer 2>/dev/null
	sleep 1
	maps1=$("$BPFTOOL" map list | grep -c struct_ops)
	tap_diag "$i/$n attach+detach cycles under writeback; struct_ops maps $maps0 -> $maps1"
	[ $i = "$n" ] && [ "$maps1" = "$maps0" ] &&
		! dmesg | grep -E "WARNING:|BUG:|Oops|INFO: task .* blocked|circular locking"
}

# 9. Pool-limit writeback goes through the policy too.
test_pool_limit() {
	local steps0 runs0 wb0 pl0 cpu0
	POOL_PCT=$(cat /sys/module/zswap/parameters/max_pool_percent)
	attach "$RR" || return 1
	steps0=$(counter bpf_steps)
	runs0=$(counter bpf_runs)
	wb0=$(counter wb_steps)
	pl0=$(counter wb_runs_pool_limit)
	cpu0=$(counter wb_cpu_ns_pool_limit)
	echo 1 >/sys/module/zswap/parameters/max_pool_percent
	mkleaf "$CG/pool"
	fill "$CG/pool" 64 || return 1
	sleep 1
	echo "$POOL_PCT" >/sys/module/zswap/parameters/max_pool_percent
	tap_diag "pool limit: runs +$(($(counter bpf_runs) - runs0)), steps +$(($(counter bpf_steps) - steps0)), pool_limit_hit $(cat $DBG/pool_limit_hit); wb_runs_pool_limit +$(($(counter wb_runs_pool_limit) - pl0)), wb_steps +$(($(counter wb_steps) - wb0)), wb_pool_limit_gave_up $(counter wb_pool_limit_gave_up), wb_cpu_ns_pool_limit +$(($(counter wb_cpu_ns_pool_limit) - cpu0))"
	detach
	[ $(($(counter bpf_steps) - steps0)) -gt 0 ] &&
		[ $(($(counter wb_cpu_ns_pool_limit) - cpu0)) -gt 0 ] &&
		[ $(($(counter wb_runs_pool_limit) - pl0)) -ge $(($(counter bpf_runs) - runs0)) ] &&
		[ $(($(counter wb_steps) - wb0)) -ge $(($(counter bpf_steps) - steps0)) ]
}

# 10. A policy choosing, turn about, two memcgs with nothing to write back
# is never a stall (no choice repeats the empty one step_done just named),
# but its run cannot spin on it: it gets exactly IDLE_HANDBACK steps, each
# -ENOENT, then round-robin writes the rest (those steps are not counted
# as fallbacks: the policy is no longer asked); the write meets its budget
# and the policy stays enabled.
test_idle_handback() {
	local r steps0 steps errs=() state
	mkleaf "$CG/x/empty2"
	# round-robin's rest of the 1M: the writes and the pool-limit writeback
	# before may have left x less (the suite saw EAGAIN)
	fill "$CG/x/3" 8 3 || return 1
	settle
	attach "$MISBEHAVE" || return 1
	set_cfg 2 $(($(cgid "$CG/x/empty2") << 32 | $(cgid "$CG/x/empty"))) || return 1
	steps0=$(counter bpf_steps)
	r=$(writeback "$CG/x" 1M)
	steps=$(($(counter bpf_steps) - steps0))
	read -ra errs <<<"$(mb_errs)"
	state=$(policy_field state)
	detach
	tap_diag "two empty memcgs in turn: $r, policy steps +$steps, step_done ENOENT ${errs[2]:-?}, state $state"
	[ "$r" = OK ] && [ "$steps" = $IDLE_HANDBACK ] &&
		[ "${errs[2]:-0}" = $IDLE_HANDBACK ] &&
		[ "$state" = enabled ]
}

# The css kfuncs (0015) see what the id kfuncs see. A subtree with a filled
# leaf, an empty one, a writeback-disabled branch (filled) and a cgroup
# without a memcg of its own (nomem/x: nomem does not enable the memory
# controller for its children): tests/bpf/kfcost walks it at each run begin
# by id (bpf_zswap_next_memcg) and by css (bpf_iter_css +
# bpf_zswap_css_candidate), counting candidates and those with entries;
# and with bpf_zswap_next_stored_memcg (0016), which must return just the
# candidates with entries: a, not b (empty) nor off/d (writeback disabled).
test_css_kfuncs() {
	local c=/sys/fs/cgroup/hook_css v f walks
	mkcg $c && mkcg $c/off && mkdir -p $c/nomem/x &&
		echo 0 >$c/off/memory.zswap.writeback || return 1
	fill $c/a 4 && mkleaf $c/b && fill $c/off/d 4 || return 1
	"$B/zswap-bpf" load "$B/tests/kfcost.bpf.o" --set loops=1 >/dev/null || return 1
	writeback $c 1K >/dev/null
	writeback $c 1K >/dev/null
	read -ra v <<<"$(bss_global kfcost visited)"
	read -ra f <<<"$(bss_global kfcost found)"
	walks=$(bss_global kfcost walks)
	"$B/zswap-bpf" unload >/dev/null
	kill "${HOGS[@]}" 2>/dev/null
	wait 2>/dev/null
	HOGS=()
	rmdir $c/a $c/b $c/off/d $c/off $c/nomem/x $c/nomem $c 2>/dev/null
	tap_diag "$walks walks; candidates by id ${v[0]:-?}, by css ${v[1]:-?}, stored ${v[2]:-?}; with entries ${f[0]:-?}, ${f[1]:-?}, ${f[2]:-?}"
	# per walk: hook_css, a, b, nomem (4 candidates); a has entries
	[ "${walks:-0}" -ge 2 ] || return 1
	[ "${v[0]}" = $((4 * walks)) ] && [ "${v[1]}" = "${v[0]}" ] &&
		[ "${f[0]}" = "$walks" ] && [ "${f[1]}" = "${f[0]}" ] &&
		[ "${v[2]}" = "$walks" ] && [ "${f[2]}" = "$walks" ]
}

# 12. A run's priv (0017) is zeroed when the run begins and is its own:
# tests/bpf/priv keeps its cursor there and checks, at every callback, the
# token its run_begin wrote to the first and last words and the task it
# recorded for that token. Two writes at once on one subtree (they must
# overlap: most_active 2; the gate starts them within milliseconds, and a
# pair that still did not overlap is tried again, up to 3 times), then
# pool-limit runs from the shrink worker, which the policy must have seen.
# Today both the run's initialiser and run begin zero priv: "dirty" guards
# the contract, not one line.
test_priv() {
	local z=$B/zswap-bpf w=/tmp/hook_priv r1 r2 pl0 pl ok=0 v tries=0
	local runs pool_runs dirty checks foreign most
	POOL_PCT=${POOL_PCT:-$(cat /sys/module/zswap/parameters/max_pool_percent)}
	mkcg "$CG/p" && fill "$CG/p/1" 24 && fill "$CG/p/2" 24 || return 1
	settle
	"$z" load "$B/tests/priv.bpf.o" >/dev/null || return 1
	while :; do
		tries=$((tries + 1))
		writeback_together "$CG/p" 8M $w.1 $w.2
		read -r r1 <$w.1
		read -r r2 <$w.2
		rm -f $w.1 $w.2
		[ "$r1" = OK ] && [ "$r2" = OK ] && [ $tries -lt 3 ] &&
			[ "$(bss_global priv most_active)" -lt 2 ] || break
	done
	pl0=$(counter wb_runs_pool_limit)
	echo 1 >/sys/module/zswap/parameters/max_pool_percent
	fill "$CG/p/3" 32 || ok=1
	sleep 1
	echo "$POOL_PCT" >/sys/module/zswap/parameters/max_pool_percent
	pl=$(($(counter wb_runs_pool_limit) - pl0))
	for v in runs pool_runs dirty checks foreign most_active; do
		printf -v "${v%_active}" %s "$(bss_global priv $v)"
	done
	"$z" unload >/dev/null
	tap_diag "writes $r1 $r2; pool-limit runs +$pl; policy: $runs runs ($pool_runs pool-limit), at most $most at once (pair $tries of 3), $checks checks, $dirty dirty, $foreign foreign"
	[ $ok = 0 ] && [ "$r1" = OK ] && [ "$r2" = OK ] && [ "$most" -ge 2 ] &&
		[ "$pl" -gt 0 ] && [ "$pool_runs" -gt 0 ] &&
		[ "$runs" -gt 2 ] && [ "$checks" -gt "$runs" ] &&
		[ "$dirty" = 0 ] && [ "$foreign" = 0 ]
}

# 13. A policy that writes to the context outside priv is refused at load,
# with the verifier's reason: ctx->step, the 8 bytes after priv, and 8-byte
# writes across either edge of it.
test_priv_bad_write() {
	local w out rc span
	for w in 1 2 3 4; do
		out=$("$B/zswap-bpf" load "$B/tests/priv.bpf.o" --set bad_write=$w 2>&1)
		rc=$?
		tap_diag "bad_write=$w: exit $rc, $(echo "$out" | grep -m1 -o 'write to zswap_wb_ctx.*')"
		# priv's offset moves as fields are added before it; its size does not
		span=$(echo "$out" | sed -n 's/.*only priv (off \([0-9]*\)-\([0-9]*\)) is writable.*/\1 \2/p' | head -1)
		[ $rc = 3 ] && [ -n "$span" ] && [ $((${span#* } - ${span% *} + 1)) = 64 ] &&
			[ -z "$(policy_field name)" ] || return 1
	done
}

tap_plan 13
for t in "$BPFTOOL" "$RR" "$MISBEHAVE" "$MEMHOG"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
# In the project's VM the hook is there: its absence is a failure
[ -e "$DBG/bpf_policy" ] ||
	tap_bail "no $DBG/bpf_policy: kernel without CONFIG_ZSWAP_BPF (boot the kernel built from kernel-patches/)"

setup || tap_bail "could not set up the cgroups"
tap_check "round_robin through the hook = built-in, bpf_steps grew, wb_* count both" test_rr_matches_builtin
tap_check "choice outside the subtree: 16 invalid, 16 fallbacks, ejected, write met" test_outside_subtree
tap_check "nonexistent cgroup id: 16 invalid, 16 fallbacks, ejected, write met" test_nonexistent
tap_check "writeback-disabled memcg refused (-EPERM), falls back, not ejected" test_wb_disabled
tap_check "stalling policy ejected after 16 repeated empty choices, writer met its budget" test_stall
tap_check "policy budget clamped to the run's budget" test_budget_clamped
tap_check "second attach EBUSY, bpftool shows the name" test_second_attach
tap_check "attach/detach loop under writeback" test_attach_detach_loop
tap_check "pool-limit writeback through the policy" test_pool_limit
tap_check "32 idle steps in a row hand the run to round-robin, no ejection" test_idle_handback
tap_check "css kfuncs: a walk by css finds what a walk by id finds" test_css_kfuncs
tap_check "priv: zeroed at each run begin, a run's own (two at once, pool-limit runs)" test_priv
tap_check "priv: a write to the context outside it is refused at load" test_priv_bad_write
tap_done
