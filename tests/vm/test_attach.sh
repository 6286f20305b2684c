#!/bin/bash
# In-guest tests of per-cgroup policy attachment (issue 13): a policy
# attached at a cgroup steers the writeback of that subtree, one per cgroup,
# its misbehaviour ejects it alone, removing its cgroup detaches it, and
# attaching, replacing or detaching never waits for a running write.
#
# usage (on the host): tests/vm/run -- tests/vm/test_attach.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=${ZSWAP_BPF:-$B/zswap-bpf}
BPFTOOL=${BPFTOOL:-$B/bpftool/bpftool}
MISBEHAVE=${MISBEHAVE:-$B/tests/misbehave.bpf.o}
export ZSWAP_BPF_POLICY_DIR=$B/policies
CG=/sys/fs/cgroup/attach_test
PIN=/sys/fs/bpf/zswap-bpf
PCT=/sys/module/zswap/parameters/max_pool_percent
ROOT=/sys/fs/cgroup
INVALID_EJECT=16
# MB written by each source=zswap write of test 7; ATTACH_NO_WAIT=0 skips
# it (run-all's debug-kernel boot: 1099 s with it, 546 s without, on a
# slow host; test_lifecycle covers replace and unload under writers there)
WRITE_MB=${ATTACH_WRITE_MB:-128}

# att_line CGROUP: the attachment's whole line, its free-text reason too
att_line() { awk -v id="cgroup_id=$(cgid "$1")" '$2 == id' "$DBG/bpf_policy"; }

# att CGROUP FIELD: FIELD of the attachment at CGROUP (debugfs bpf_policy)
att() {
	local id
	id=$(cgid "$1")
	awk -v id="cgroup_id=$id" -v k="$2" '
		$1 == "attachment" && $2 == id {
			for (i = 3; i <= NF; i++) {
				n = index($i, "=")
				if (substr($i, 1, n - 1) == k) {
					v = substr($i, n + 1)
					if (k == "reason")
						for (j = i + 1; j <= NF; j++)
							v = v " " $j
					print v
					exit
				}
			}
		}' "$DBG/bpf_policy"
}

# subtree_wb CGROUP: zswpwb_proactive_b of the leaves under CGROUP, summed
subtree_wb() {
	local s=0 d
	for d in "$1"/*/; do
		[ -e "$d/memory.stat" ] || continue
		s=$((s + $(stat_of "$d" zswpwb_proactive_b)))
	done
	echo $s
}

load() { "$Z" load "$@" >/dev/null; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

cleanup() {
	local c
	[ -n "${POOL_PCT:-}" ] && echo "$POOL_PCT" >$PCT
	for c in a b c e late; do
		"$Z" unload --cgroup "$CG/$c" >/dev/null 2>&1
	done
	"$Z" unload >/dev/null 2>&1
	rm -rf "$PIN"/cgroup-* 2>/dev/null
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap cleanup EXIT

setup() {
	local t c
	mkcg "$CG" || return 1
	for t in a b c; do
		mkcg "$CG/$t" || return 1
		for c in 1 2; do
			fill "$CG/$t/$c" 16 $c || return 1
		done
	done
	settle
}

# 1. Two policies at two sibling cgroups steer their own subtrees' writes,
# run at the same time: each attachment counts runs, steps and bytes, and
# each subtree wrote back its budget. The root's policy steers pool-limit
# writeback meanwhile.
test_siblings() {
	local ra rb wa0 wb0 wa wb steps0 runs0 pa pb i
	load largest_first --cgroup "$CG/a" || return 1
	load round_robin --cgroup "$CG/b" || return 1
	load round_robin || return 1
	wa0=$(subtree_wb "$CG/a")
	wb0=$(subtree_wb "$CG/b")
	writeback "$CG/a" 4M >/tmp/att_a &
	pa=$!
	writeback "$CG/b" 4M >/tmp/att_b &
	pb=$!
	# not a bare wait: the memhogs are children too, and never end
	wait $pa $pb
	ra=$(cat /tmp/att_a)
	rb=$(cat /tmp/att_b)
	settle
	wa=$(($(subtree_wb "$CG/a") - wa0))
	wb=$(($(subtree_wb "$CG/b") - wb0))
	tap_diag "a: $ra, $wa B, $(att "$CG/a" name) runs $(att "$CG/a" runs) steps $(att "$CG/a" steps) bytes $(att "$CG/a" written_back_bytes)"
	tap_diag "b: $rb, $wb B, $(att "$CG/b" name) runs $(att "$CG/b" runs) steps $(att "$CG/b" steps) bytes $(att "$CG/b" written_back_bytes)"
	[ "$ra" = OK ] && [ "$rb" = OK ] &&
		[ "$wa" -ge $((4 << 20)) ] && [ "$wb" -ge $((4 << 20)) ] &&
		[ "$(att "$CG/a" name)" = largest_first ] &&
		[ "$(att "$CG/b" name)" = round_robin ] &&
		[ "$(att "$CG/a" runs)" = 1 ] && [ "$(att "$CG/b" runs)" = 1 ] &&
		[ "$(att "$CG/a" steps)" -gt 0 ] && [ "$(att "$CG/b" steps)" -gt 0 ] &&
		[ "$(att "$CG/a" written_back_bytes)" -ge $((4 << 20)) ] &&
		[ "$(att "$CG/b" written_back_bytes)" -ge $((4 << 20)) ] &&
		[ "$(att "$ROOT" runs)" = 0 ] || return 1

	# the root's policy, and only it, steers pool-limit writeback: 8 MB at
	# a time until it has, not 64 MB at once (on the debug kernel that
	# made 346 pool-limit runs and took 300 s)
	POOL_PCT=$(cat $PCT)
	steps0=$(att "$ROOT" steps)
	runs0=$(att "$CG/a" runs)
	echo 1 >$PCT
	for i in 1 2 3 4 5 6 7 8; do
		fill "$CG/c/pool$i" 8 || return 1
		sleep 1
		[ "$(att "$ROOT" steps)" -gt "$steps0" ] && break
	done
	echo "$POOL_PCT" >$PCT
	tap_diag "pool limit, $i fills of 8 MB: root runs $(att "$ROOT" runs) steps $(att "$ROOT" steps), a runs $(att "$CG/a" runs), pool_limit_hit $(cat "$DBG/pool_limit_hit"); root: $(att_line "$ROOT")"
	[ "$(att "$ROOT" steps)" -gt "$steps0" ] && [ "$(att "$CG/a" runs)" = "$runs0" ]
}

# 2. A policy at c choosing outside c (a memcg of b) is refused: 16 invalid
# choices eject it, from c only; the write still meets its budget; a, b and
# the root keep their policies, and a's still steers a's writes.
test_outside_ejected() {
	local r steps0
	# test 1's pool-limit phase can write a's and b's entries all back, and
	# this test and test_trace need steps at a and b: fresh entries there
	fill "$CG/a/3" 8 && fill "$CG/b/3" 8 || return 1
	load "$MISBEHAVE" --cgroup "$CG/c" || return 1
	set_cfg 0 "$(cgid "$CG/b/1")" || return 1
	r=$(writeback "$CG/c" 1M)
	steps0=$(att "$CG/a" steps)
	writeback "$CG/a" 1M >/dev/null
	tap_diag "c: $r, state $(att "$CG/c" state), invalid $(att "$CG/c" invalid_choices), exit $(att "$CG/c" exit): $(att "$CG/c" reason)"
	tap_diag "a $(att "$CG/a" state) steps $steps0 -> $(att "$CG/a" steps), b $(att "$CG/b" state) invalid $(att "$CG/b" invalid_choices), root: $(att_line "$ROOT")"
	[ "$r" = OK ] && [ "$(att "$CG/c" state)" = ejected ] &&
		[ "$(att "$CG/c" invalid_choices)" = $INVALID_EJECT ] &&
		[ "$(att "$CG/c" exit)" = ejected_invalid ] &&
		[ "$(att "$CG/a" state)" = enabled ] &&
		[ "$(att "$CG/b" state)" = enabled ] &&
		[ "$(att "$CG/b" invalid_choices)" = 0 ] &&
		[ "$(att "$ROOT" state)" = enabled ] &&
		[ "$(att "$CG/a" steps)" -gt "$steps0" ] &&
		"$Z" status | grep -q "attach_test/c (cgroup id $(cgid "$CG/c")): policy misbehave, ejected"
}

# 3. A second policy at the same cgroup is refused (EBUSY), and the first
# stays; another cgroup, or --replace, is fine.
test_ebusy() {
	local out rc
	out=$("$Z" load round_robin --cgroup "$CG/a" 2>&1)
	rc=$?
	tap_diag "second attach at a: rc $rc: $out"
	[ $rc = 3 ] && echo "$out" | grep -q "already attached" &&
		echo "$out" | grep -q -- "--replace [^ ]*round_robin.bpf.o --cgroup $CG/a'" &&
		[ "$(att "$CG/a" name)" = largest_first ] &&
		load --replace round_robin --cgroup "$CG/a" &&
		[ "$(att "$CG/a" name)" = round_robin ] &&
		[ "$(att "$CG/a" state)" = enabled ]
}

# 3b. One trace follows every attachment: each step names the attachment
# whose policy made it, and the cgroup it chose lies below that attachment
test_trace() {
	local tr out=/tmp/att_trace
	"$Z" -j trace >$out 2>/dev/null &
	tr=$!
	# steps from before the trace opened the ring buffers are not shown
	for _ in $(seq 100); do
		[ "$(ls -l /proc/$tr/fd 2>/dev/null | grep -c bpf-map)" -ge 3 ] && break
		sleep 0.1
	done
	writeback "$CG/a" 1M >/dev/null
	writeback "$CG/b" 1M >/dev/null
	sleep 1
	kill -INT $tr
	wait $tr || return 1
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {}
for e in ev:
    by.setdefault(e["attachment"], 0)
    by[e["attachment"]] += 1
    if not (e["cgroup"] or "").startswith(e["attachment"] + "/"):
        sys.exit("step in %s made by the policy at %s" % (e["cgroup"], e["attachment"]))
print("# steps per attachment: %s" % by)
sys.exit(0 if by.get("/attach_test/a") and by.get("/attach_test/b") else 1)' $out
}

# detached ID: wait until the attachment at cgroup ID leaves debugfs (an
# offline runs from a workqueue); up to 10 s
detached() {
	local i
	for i in $(seq 50); do
		grep -q "cgroup_id=$1 " "$DBG/bpf_policy" || return 0
		sleep 0.2
	done
	return 1
}

# 4. rmdir of a cgroup with a policy detaches it: the attachment is gone,
# the exit says why (zswap-bpf status shows it), and the struct_ops map is
# released once its pin goes.
test_rmdir() {
	local id out maps0
	mkdir "$CG/late" || return 1
	id=$(cgid "$CG/late")
	maps0=$("$BPFTOOL" struct_ops show 2>/dev/null | wc -l)
	load round_robin --cgroup "$CG/late" || return 1
	[ "$(att "$CG/late" state)" = enabled ] || return 1
	rmdir "$CG/late" || return 1
	detached "$id"
	out=$("$Z" status)
	tap_diag "after rmdir: $(echo "$out" | grep '^last exit')"
	rm -rf "$PIN/cgroup-$id"
	sleep 1
	! grep -q "cgroup_id=$id " "$DBG/bpf_policy" &&
		echo "$out" | grep -q "^last exit  cgroup_removed: cgroup /attach_test/late (id $id) removed" &&
		[ "$("$BPFTOOL" struct_ops show 2>/dev/null | wc -l)" = "$maps0" ]
}

# 4b. Disabling the memory controller at a cgroup (in its parent's
# cgroup.subtree_control) detaches the policy there too, with an exit kind
# of its own: the cgroup is still there
test_memcg_off() {
	local id out
	mkcg "$CG/m" && mkdir "$CG/m/x" || return 1
	id=$(cgid "$CG/m/x")
	load round_robin --cgroup "$CG/m/x" || return 1
	echo -memory >"$CG/m/cgroup.subtree_control" || return 1
	detached "$id"
	out=$("$Z" status)
	tap_diag "after -memory: $(echo "$out" | grep '^last exit')"
	rm -rf "$PIN/cgroup-$id"
	[ -d "$CG/m/x" ] && ! grep -q "cgroup_id=$id " "$DBG/bpf_policy" &&
		echo "$out" | grep -q "^last exit  memcg_disabled: memory controller disabled at cgroup /attach_test/m/x (id $id)"
}

# during_write CGROUP OP...: start a WRITE_MB source=zswap write at CGROUP, run
# OP as soon as the write has written back its first page (debugfs, not the
# memcg's counters: those lag); prints OP's latency and whether the write was
# still running when OP returned ("running" or "ended")
during_write() {
	local cg=$1 wpid t0 t1 st=running n0 n i
	shift
	read -r n0 <"$DBG/written_back_pages"
	writeback "$cg" ${WRITE_MB}M >/tmp/att_e &
	wpid=$!
	for ((i = 0; i < 1000; i++)); do
		read -r n <"$DBG/written_back_pages"
		[ "$n" -gt "$n0" ] && break
		sleep 0.01
	done
	t0=$(date +%s.%N)
	"$@" >/dev/null || st=failed
	t1=$(date +%s.%N)
	[ $st = running ] && ! kill -0 $wpid 2>/dev/null && st=ended
	wait $wpid
	echo "$(secs "$t0" "$t1") s (the write ended $(secs "$t0" "$(date +%s.%N)") s after it began), write $(cat /tmp/att_e), $st"
}

# no_wait_one I OP...: fill e/I with twice WRITE_MB (about 1.1 times it
# compressed: the budget counts compressed bytes), time OP during a write
# there, then free e/I again: three such fills at once would meet the pool
# limit, and pool-limit writeback would share the write's time
no_wait_one() {
	local i=$1 hog
	shift
	fill "$CG/e/$i" $((2 * WRITE_MB)) "$i" || return 1
	hog=${HOGS[-1]}
	during_write "$CG/e/$i" "$@" >/tmp/att_r"$i"
	kill "$hog"
	wait "$hog" 2>/dev/null
	unset 'HOGS[-1]'
	return 0
}

# 5. While a big write runs below e (a second or more under TCG), replacing
# e's policy, detaching it and attaching at another cgroup each return
# before the write ends: nothing on those paths waits for writeback. Each
# operation loads and verifies round_robin first, its slowest part: the
# write is the larger, and the operation starts as soon as it is under way.
# Latencies are printed, not asserted.
test_no_wait() {
	local r
	mkcg "$CG/e" || return 1
	load round_robin --cgroup "$CG/e" || return 1
	no_wait_one 1 load --replace round_robin --cgroup "$CG/e" &&
		no_wait_one 2 "$Z" unload --cgroup "$CG/e" &&
		no_wait_one 3 load round_robin --cgroup "$CG/b/1" || return 1
	tap_diag "during a ${WRITE_MB}M source=zswap write: replace $(cat /tmp/att_r1); unload $(cat /tmp/att_r2); attach elsewhere $(cat /tmp/att_r3)"
	"$Z" unload --cgroup "$CG/b/1" >/dev/null
	for r in /tmp/att_r1 /tmp/att_r2 /tmp/att_r3; do
		case $(cat $r) in *"write OK, running") ;; *) return 1 ;; esac
	done
}

tap_plan 8
for t in "$Z" "$BPFTOOL" "$MISBEHAVE" "$MEMHOG" "$B/policies/round_robin.bpf.o" \
	"$B/policies/largest_first.bpf.o"; do
	[ -e "$t" ] || tap_bail "missing $t (make all test-progs)"
done
[ -e "$DBG/bpf_policy" ] ||
	tap_bail "no $DBG/bpf_policy: kernel without CONFIG_ZSWAP_BPF (boot the kernel built from kernel-patches/)"

setup || tap_bail "could not set up the cgroups"
tap_check "policies at two siblings steer their own subtrees at once; the root's steers pool-limit writeback" test_siblings
tap_check "a policy choosing outside its cgroup is ejected from it alone; the others keep running" test_outside_ejected
tap_check "second attach at a cgroup refused (EBUSY); --replace there works" test_ebusy
tap_check "trace: every attachment's steps, each named by its attachment" test_trace
tap_check "rmdir of a cgroup detaches its policy, exit cgroup_removed in status" test_rmdir
tap_check "memory controller disabled at a cgroup detaches its policy, exit memcg_disabled" test_memcg_off
if [ "${ATTACH_NO_WAIT:-1}" = 0 ]; then
	tap_skip "replace, unload and attach elsewhere return while a ${WRITE_MB}M write runs" \
		"ATTACH_NO_WAIT=0 (the debug kernel: test_lifecycle replaces and unloads under writers there)"
else
	tap_check "replace, unload and attach elsewhere return while a ${WRITE_MB}M write runs" test_no_wait
fi
tap_check "no kernel report (WARN, lockdep, KASAN, hung task) in dmesg" no_kernel_report
tap_done
