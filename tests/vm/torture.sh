#!/bin/bash
# Torture test for the debug kernel (make torture): everything that touches
# zswap writeback, at once, for a while, then look for what went wrong.
#
# For DURATION, all concurrently:
# - pagecheck workers fill memory with per-page verifiable data (page
#   index, generation, seed) and keep verifying and rewriting it while it
#   goes to zswap, to disk and back (MADV_PAGEOUT, memory.high, a pusher
#   doing plain memory.reclaim);
# - reclaimers write "SIZE source=zswap" to memory.reclaim of overlapping
#   subtrees; SIGUSR1 now and then interrupts one (EINTR);
# - a policy loop loads, replaces and unloads build/policies/*.bpf.o with
#   build/zswap-bpf, at the root and at two cgroups the reclaimers name,
#   and the bad policies of tests/bpf/ (misbehave in each of its modes and
#   targets; the others as they come);
# - a churn loop creates cgroups, leaves tmpfs data in zswap charged to
#   them, removes them (their entries then belong to an offline memcg;
#   every other one has a policy attached, which its rmdir detaches) and
#   verifies the data later from elsewhere;
# - a pool loop shrinks (down to 0) and restores max_pool_percent
#   (pool-limit writeback), switches the compressor, toggles
#   memory.zswap.writeback of a leaf no reclaimer names and disables zswap
#   at runtime one pass in four.
# Then it stops them all, verifies every page, and checks: memory.reclaim
# returned only documented errnos (0, EAGAIN, EINTR: no cgroup the
# reclaimers name has writeback disabled, so no EINVAL); no BUG, WARNING,
# KASAN, lockdep, RCU, hung-task, soft-lockup report in dmesg; kmemleak
# finds no new leak; after the workloads exit and swapoff, zswap's
# stored_pages and pool_total_size are 0.  TAP on stdout, exit 1 on any
# finding.
#
# usage (on the host): tests/vm/run --debug -- tests/vm/torture.sh [DURATION]
#   DURATION: seconds, or with a suffix s, m, h (default 3m)
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"

B=$TOP/build
LOADER=$B/zswap-bpf
BPFTOOL=$B/bpftool/bpftool
PAGECHECK=$B/tests/pagecheck
RECLAIMER=$B/tests/reclaimer
CG=/sys/fs/cgroup/torture
DBG=/sys/kernel/debug/zswap
PIN=/sys/fs/bpf/zswap-bpf
PARAMS=/sys/module/zswap/parameters
KMEMLEAK=/sys/kernel/debug/kmemleak
W=$(mktemp -d /tmp/torture.XXXXXX)
SHM=/dev/shm/torture
STOP=$W/stop
WORKERS=()
RECLAIMERS=()
LOOPS=()
ATTACH_AT=("$CG/a" "$CG/b/c")

# Kernel reports that are findings (kmemleak's are checked in its file,
# where what boot left is cleared first).  Every pattern is one kind of report;
# KNOWN lists the stock-kernel ones we accept, with the reason, as
# "extended regex<TAB>reason" (keep it empty unless justified).
SPLATS='BUG:|WARNING:|KASAN|UBSAN|Oops|general protection|kernel BUG|possible circular locking|inconsistent lock state|possible recursive locking|possible irq lock inversion|suspicious RCU usage|lock held when returning|bad unlock balance|DEBUG_LOCKS_WARN_ON|INFO: task .* blocked for more than|soft lockup|hard LOCKUP|rcu_sched detected stalls|rcu: INFO|list_add corruption|list_del corruption|Out of memory|invoked oom-killer'
KNOWN=""

duration() { # 90, 90s, 3m, 1h -> seconds
	case $1 in
	*[0-9]s) echo "${1%s}" ;;
	*[0-9]m) echo $((${1%m} * 60)) ;;
	*[0-9]h) echo $((${1%h} * 3600)) ;;
	*[0-9]) echo "$1" ;;
	*) return 1 ;;
	esac
}

rand() { echo $((RANDOM % $1)); } # 0..N-1
pick() { shift $((RANDOM % $#)); echo "$1"; }
cgid() { stat -c %i "$1"; }
stopping() { [ -e "$STOP" ]; }

# in_cgroup CGROUP CMD...: run CMD (exec) in CGROUP
in_cgroup() {
	local cg=$1
	shift
	(echo $BASHPID >"$cg/cgroup.procs" && exec "$@")
}

# --- the cgroups ---------------------------------------------------------
#
#   torture            reclaimer 1
#   |- a               reclaimer 2, churn parent
#   |  |- w1           pagecheck 24M
#   |  `- w2           pagecheck 24M, memory.high 12M
#   |- b               reclaimer 3
#   |  |- w3           pagecheck 16M
#   |  `- c            reclaimer 3, churn parent
#   |     `- w4        pagecheck 16M, memory.zswap.writeback toggled
#   `- empty           a memcg with nothing (misbehave's stall target)
# reclaimer 2 also names a/w1, reclaimer 4 a/w2 and b/w3.
setup_cgroups() {
	local d
	for d in "$CG" "$CG/a" "$CG/b" "$CG/b/c"; do
		mkdir -p "$d" && echo +memory >"$d/cgroup.subtree_control" || return 1
	done
	mkdir -p "$CG/a/w1" "$CG/a/w2" "$CG/b/w3" "$CG/b/c/w4" "$CG/empty" || return 1
	echo 12M >"$CG/a/w2/memory.high"
}

# The workers and reclaimers are niced: under TCG they would otherwise
# starve the loops below, whose every command costs a fork and an exec.
start_workers() {
	local cg mb seed=1
	for cg in a/w1:24 a/w2:24 b/w3:16 b/c/w4:16; do
		mb=${cg#*:}
		cg=$CG/${cg%:*}
		(echo $BASHPID >"$cg/cgroup.procs" &&
			exec nice -n 10 "$PAGECHECK" -i 500 -s $seed "$mb" >"$W/pagecheck.$seed" 2>&1) &
		WORKERS+=($!)
		seed=$((seed + 1))
	done
}

start_reclaimers() {
	local n=1 set
	for set in "$CG" "$CG/a $CG/a/w1" "$CG/b $CG/b/c" "$CG/a/w2 $CG/b/w3"; do
		# shellcheck disable=SC2086 # $set is a list of cgroups
		nice -n 5 "$RECLAIMER" -m $((8 << 20)) -d 200 $set >"$W/reclaimer.$n" 2>&1 &
		RECLAIMERS+=($!)
		n=$((n + 1))
	done
}

# --- the loops -----------------------------------------------------------

# Plain reclaim: pushes the workers' anonymous memory into zswap
pusher_loop() {
	while ! stopping; do
		echo 8M >"$CG/a/memory.reclaim" 2>/dev/null
		echo 8M >"$CG/b/memory.reclaim" 2>/dev/null
		sleep 2
	done
}

# SIGUSR1 to a random reclaimer: the run it is in returns EINTR
signal_loop() {
	local n=0
	sleep 5 # let the reclaimers install their handler
	while ! stopping; do
		kill -USR1 "$(pick "${RECLAIMERS[@]}")" 2>/dev/null && n=$((n + 1))
		sleep 0.$((RANDOM % 10))
	done
	echo "$n" >"$W/signals"
}

# misbehave's cfg map: mode (0 target, 1 budget) and target, two u64 LE
set_cfg() {
	local v b=() i
	for v in "$1" "$2"; do
		for i in 0 1 2 3 4 5 6 7; do b+=($(((v >> (8 * i)) & 255))); done
	done
	"$BPFTOOL" map update name cfg key 0 0 0 0 value "${b[@]}" 2>/dev/null
}

# [--odd] One loader command; its status sorted into the counters.  0 ok,
# 1 a runtime error (unload with nothing loaded), 3 refused by the kernel;
# with --odd (tests/bpf objects that are not all policies) also 2, "not a
# zswap policy".  Any other status (usage error, crash) is a finding.
loader() {
	local rc ok='^[013]$'
	[ "$1" = --odd ] && ok='^[0123]$' && shift
	"$LOADER" "$@" >>"$W/loader.log" 2>&1
	rc=$?
	[[ $rc =~ $ok ]] ||
		echo "zswap-bpf $* exited with status $rc" >>"$W/loader.bad"
	return $rc
}

# policy_op KIND: one of policy_loop's commands, counted in its locals
policy_op() {
	case $1 in
	load)
		loader load "$(pick "${good[@]}")" --replace && loads=$((loads + 1)) ;;
	cgload)
		loader load "$(pick "${good[@]}")" --replace --cgroup "$(pick "${ATTACH_AT[@]}")" &&
			cgloads=$((cgloads + 1)) ;;
	cgunload)
		loader unload --cgroup "$(pick "${ATTACH_AT[@]}")" && unloads=$((unloads + 1)) ;;
	unload)
		loader unload && unloads=$((unloads + 1)) ;;
	misbehave)
		[ -e "$B/tests/misbehave.bpf.o" ] || return
		loader load "$B/tests/misbehave.bpf.o" --replace || return
		loads=$((loads + 1))
		if [ "$(rand 4)" = 0 ]; then
			set_cfg 1 $((1 << 62)) && cfgs=$((cfgs + 1))
		else
			# shellcheck disable=SC2086 # a list
			set_cfg 0 "$(pick $targets)" && cfgs=$((cfgs + 1))
		fi
		;;
	odd)
		[ ${#odd[@]} -gt 0 ] || return
		if loader --odd load "$(pick "${odd[@]}")" --replace; then
			loads=$((loads + 1))
		else
			refused=$((refused + 1))
		fi
		;;
	status)
		loader status ;;
	esac
}

# A debug guest under this load runs a loader command in tens of seconds
# to a minute, so a short torture gets a few commands in all: a load at a
# cgroup and one at the root come first, whatever the duration
# (check_policies wants both), then passes through every kind of command
# once each, in a random order.
policy_loop() {
	local good=() odd=() p loads=0 unloads=0 refused=0 cfgs=0 cgloads=0 targets op
	for p in "$B"/policies/*.bpf.o; do [ -e "$p" ] && good+=("$p"); done
	for p in "$B"/tests/*.bpf.o; do
		case ${p##*/} in
		oracle.bpf.o | misbehave.bpf.o) ;; # needs setup / below
		*) [ -e "$p" ] && odd+=("$p") ;;
		esac
	done
	# misbehave's targets: outside a/ (b/w3, inside torture/), writeback
	# toggled (b/c/w4), nothing to write back (empty), no such cgroup, none
	targets="$(cgid "$CG/b/w3") $(cgid "$CG/b/c/w4") $(cgid "$CG/empty") 123456789 0"
	policy_op cgload
	policy_op load
	while ! stopping; do
		for op in $(printf '%s\n' load cgload misbehave cgunload odd unload cgload status | shuf); do
			stopping && break
			policy_op "$op"
			sleep 0.$((RANDOM % 5))
		done
	done
	loader unload
	for p in "${ATTACH_AT[@]}"; do loader unload --if-loaded --cgroup "$p"; done
	echo "$loads $unloads $refused $cfgs $cgloads" >"$W/policy.count"
}

# Cgroups that leave zswap data behind: tmpfs data charged to a new cgroup,
# pushed out, the cgroup removed; the data is verified and deleted later.
churn_loop() {
	local i=0 parent cg files=() f verified=0 failed=0 t id gone removed=()
	mkdir -p "$SHM"
	while ! stopping; do
		i=$((i + 1))
		parent=$(pick "$CG/a" "$CG/b/c")
		cg=$parent/churn$i
		f=$SHM/churn$i
		mkdir "$cg" || break
		# half of them with a tiny zswap limit: stores over it write back
		[ $((i % 2)) = 0 ] && echo 256K >"$cg/memory.zswap.max"
		# the other half with a policy of their own, attached at rmdir;
		# its pins stay until check_churn has seen the rmdir detach it
		id=
		if [ $((i % 2)) = 1 ]; then
			id=$(cgid "$cg") && echo "$id" >>"$W/churn.pins"
			loader load "$(pick "$B"/policies/*.bpf.o)" --cgroup "$cg" || id=
		fi
		in_cgroup "$cg" "$PAGECHECK" -m fill -s $((1000 + i)) -f "$f" 2 >/dev/null
		echo "1M source=zswap" >"$cg/memory.reclaim" 2>/dev/null
		# the filler has exited, but its exit may still be under way
		gone=0
		for t in $(seq 20); do rmdir "$cg" 2>/dev/null && gone=1 && break; sleep 0.5; done
		[ $gone = 1 ] || echo "$cg: rmdir failed for 10 s" >>"$W/churn.stuck"
		[ -n "$id" ] && [ $gone = 1 ] && removed+=("$id")
		files+=("$i")
		if [ ${#files[@]} -gt 6 ]; then
			check_churned "${files[0]}" && verified=$((verified + 1)) || failed=$((failed + 1))
			files=("${files[@]:1}")
		fi
		sleep 0.$((RANDOM % 5))
	done
	for f in "${files[@]}"; do
		check_churned "$f" && verified=$((verified + 1)) || failed=$((failed + 1))
	done
	echo "$i $verified $failed" >"$W/churn.count"
	echo "${removed[*]}" >"$W/churn.attached"
}

check_churned() { # N: verify and delete churn file N
	local rc
	"$PAGECHECK" -m check -s $((1000 + $1)) -f "$SHM/churn$1" 2 >>"$W/churn.log" 2>&1
	rc=$?
	rm -f "$SHM/churn$1"
	return $rc
}

pool_loop() {
	local pct0 comp0 n=0 comps=() c offs=0
	pct0=$(cat $PARAMS/max_pool_percent)
	comp0=$(cat $PARAMS/compressor)
	for c in lzo lz4 zstd; do
		grep -qw "$c" /proc/crypto && comps+=("$c")
	done
	while ! stopping; do
		n=$((n + 1))
		# 0: every store hits the limit and the shrink worker
		# writes back the whole pool
		pick 0 1 2 5 "$pct0" >$PARAMS/max_pool_percent
		[ $((n % 8)) = 0 ] && [ ${#comps[@]} -gt 1 ] &&
			pick "${comps[@]}" >$PARAMS/compressor 2>/dev/null
		[ $((n % 3)) = 0 ] && echo $((n / 3 % 2)) >"$CG/b/c/w4/memory.zswap.writeback"
		# zswap off at runtime one pass in four: stores go to disk,
		# writeback and the policies go on with what the pool holds
		if [ $((n % 4)) = 2 ]; then
			echo N >$PARAMS/enabled && offs=$((offs + 1))
		else
			echo Y >$PARAMS/enabled
		fi
		sleep $((1 + RANDOM % 3))
	done
	echo Y >$PARAMS/enabled
	echo "$pct0" >$PARAMS/max_pool_percent
	echo "$comp0" >$PARAMS/compressor
	echo 1 >"$CG/b/c/w4/memory.zswap.writeback"
	echo "$n $offs" >"$W/pool.count"
}

progress() { # SECONDS_ELAPSED
	tap_diag "t=$1s: stored_pages $(cat $DBG/stored_pages), written_back_pages $(cat $DBG/written_back_pages), pool_limit_hit $(cat $DBG/pool_limit_hit), bpf_runs $(cat $DBG/bpf_runs 2>/dev/null || echo -), policy '$(awk '$1 == "name" { print $2 }' $DBG/bpf_policy 2>/dev/null)'"
}

# --- the checks ----------------------------------------------------------

timed() { # CMD...: run CMD, say how long it took (kmemleak, swapoff are slow)
	local t=$SECONDS rc
	"$@"
	rc=$?
	tap_diag "($1: $((SECONDS - t))s)"
	return $rc
}

# sum_field FILES KEY: the sum of KEY=N over the summary lines of FILES
sum_field() {
	local k=$1
	shift
	cat "$@" 2>/dev/null | tr ' ' '\n' | awk -F= -v k="$k" '$1 == k { s += $2 } END { print s + 0 }'
}

check_workers() {
	local pid rc=0 i=1
	for pid in "${WORKERS[@]}"; do
		wait "$pid" || { rc=1; tap_diag "pagecheck $i failed: $(tail -5 "$W/pagecheck.$i" | tr '\n' ' ')"; }
		i=$((i + 1))
	done
	VERIFIED=$(sum_field verified "$W"/pagecheck.*)
	tap_diag "pagecheck: $(cat "$W"/pagecheck.* | grep -c '^pagecheck:') workers, passes $(sum_field passes "$W"/pagecheck.*), pages verified $VERIFIED, rewritten $(sum_field rewritten "$W"/pagecheck.*), bad $(sum_field bad "$W"/pagecheck.*)"
	[ $rc = 0 ] && [ "$VERIFIED" -gt 0 ]
}

# Every reclaimer exited 0 (SIGTERM ends its loop cleanly), its writes
# returned only 0, EAGAIN, EINTR, and the signals did interrupt writes:
# at least one EINTR (a 3-minute run sends hundreds of signals)
check_reclaim() {
	local pid hist k bad=0 rc eintr=0 signals
	for pid in "${RECLAIMERS[@]}"; do
		wait "$pid"
		rc=$?
		[ $rc = 0 ] || { bad=1; tap_diag "reclaimer $pid exited with status $rc"; }
	done
	WRITES=$(sum_field writes "$W"/reclaimer.*)
	hist=$(cat "$W"/reclaimer.* | tr ' ' '\n' | grep '=' | grep -v '^writes=' |
		awk -F= '{ s[$1] += $2 } END { for (k in s) printf "%s=%d ", k, s[k] }')
	signals=$(cat "$W/signals" 2>/dev/null || echo 0)
	tap_diag "reclaim writes $WRITES: $hist(signals sent $signals)"
	for k in $hist; do
		case ${k%=*} in ok | EAGAIN) ;; EINTR) eintr=${k#*=} ;; *) bad=1 ;; esac
	done
	[ "$eintr" -gt 0 ] || tap_diag "no write returned EINTR"
	[ "$WRITES" -gt 0 ] && [ $bad = 0 ] && [ "$signals" -gt 0 ] && [ "$eintr" -gt 0 ]
}

# Loads at the root and at cgroups both happened (policy_loop's first two
# commands), and the loader never failed unexpectedly
check_policies() {
	local loads unloads refused cfgs cgloads
	read -r loads unloads refused cfgs cgloads <"$W/policy.count" 2>/dev/null || return 1
	SWAPS=$loads
	tap_diag "policies: $loads loads/replaces at the root, $cgloads at cgroups, $unloads unloads, $refused refused, $cfgs misbehave configs; kernel: runs $(cat $DBG/bpf_runs), steps $(cat $DBG/bpf_steps), invalid choices $(cat $DBG/bpf_invalid_choices), fallbacks $(cat $DBG/bpf_fallbacks), ejections $(cat $DBG/bpf_ejections)"
	if [ -e "$W/loader.bad" ]; then
		tap_diag "$(head -5 "$W/loader.bad")"
		tap_diag "$(tail -5 "$W/loader.log")"
		return 1
	fi
	[ "$loads" -gt 0 ] && [ "$cgloads" -gt 0 ]
}

# The churned cgroups' data came back intact, and every policy attached at
# one of them went with its rmdir (detaching is done by then: allow 10 s).
# Their pins hold their links until now: removing a pin detaches too.
check_churn() {
	local n verified bad ids id left i
	read -r n verified bad <"$W/churn.count" 2>/dev/null || return 1
	read -r -a ids <"$W/churn.attached" || ids=()
	CHURNED=$n
	for ((i = 0; i < 20; i++)); do
		left=()
		for id in "${ids[@]}"; do
			grep -q "^attachment cgroup_id=$id " $DBG/bpf_policy && left+=("$id")
		done
		[ ${#left[@]} = 0 ] && break
		sleep 0.5
	done
	remove_churn_pins
	tap_diag "cgroups churned $n, their tmpfs data verified $verified, bad $bad; ${#ids[@]} removed with a policy attached, still attached: ${left[*]:-none}"
	[ -e "$W/churn.stuck" ] && tap_diag "$(head -3 "$W/churn.stuck")"
	[ "$bad" = 0 ] || tap_diag "$(grep -v '^pagecheck: passes' "$W/churn.log" | head -5)"
	[ "$bad" = 0 ] && [ "$verified" -gt 0 ] && [ ${#ids[@]} -gt 0 ] && [ ${#left[@]} = 0 ]
}

remove_churn_pins() {
	local id
	[ -e "$W/churn.pins" ] || return 0
	while read -r id; do rm -rf "$PIN/cgroup-$id"; done <"$W/churn.pins"
	rm -f "$W/churn.pins"
}

# After everything exited and swapoff: nothing left in zswap.  Freeing
# a compressor's old pool is deferred (percpu_ref, work): allow a minute.
check_empty() {
	local i stored size
	swapoff -a || { tap_diag "swapoff failed"; return 1; }
	for ((i = 0; i < 60; i++)); do
		stored=$(cat $DBG/stored_pages)
		size=$(cat $DBG/pool_total_size)
		[ "$stored" = 0 ] && [ "$size" = 0 ] && break
		sleep 1
	done
	tap_diag "after swapoff: stored_pages $stored, pool_total_size $size (after ${i}s)"
	[ "$stored" = 0 ] && [ "$size" = 0 ]
}

check_dmesg() {
	local found known
	found=$(dmesg | grep -E "$SPLATS")
	if [ -n "$KNOWN" ] && [ -n "$found" ]; then
		known=$(echo "$KNOWN" | cut -f1 | grep -v '^$' | paste -sd'|')
		found=$(echo "$found" | grep -vE "$known")
	fi
	[ -z "$found" ] && return 0
	tap_diag "kernel reports:"
	echo "$found" | head -20 | sed 's/^/#   /'
	dmesg >"$W/dmesg"
	tap_diag "first report in context:"
	grep -m1 -n -E "$SPLATS" "$W/dmesg" | cut -d: -f1 |
		while read -r l; do sed -n "$((l > 5 ? l - 5 : 1)),$((l + 40))p" "$W/dmesg"; done |
		sed 's/^/#   /'
	return 1
}

# Objects unreferenced for two scans after the torture began
check_kmemleak() {
	local leaks
	sleep 6 # kmemleak ignores objects younger than 5 s
	echo scan >$KMEMLEAK
	echo scan >$KMEMLEAK
	leaks=$(grep -c '^unreferenced object' $KMEMLEAK)
	tap_diag "kmemleak: $leaks unreferenced objects"
	[ "$leaks" = 0 ] && return 0
	head -40 $KMEMLEAK | sed 's/^/#   /'
	return 1
}

cleanup() {
	touch "$STOP"
	kill "${WORKERS[@]}" "${RECLAIMERS[@]}" 2>/dev/null
	wait 2>/dev/null
	"$LOADER" unload >/dev/null 2>&1
	remove_churn_pins
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
	rm -rf "$SHM" "$W"
}

main() {
	local secs t0 t p offs
	secs=$(duration "${1:-3m}") || { echo "usage: $0 [DURATION]" >&2; exit 2; }
	tap_plan 7
	for p in "$LOADER" "$BPFTOOL" "$PAGECHECK" "$RECLAIMER"; do
		[ -x "$p" ] || tap_bail "missing $p (make all test-progs)"
	done
	[ -e $DBG/bpf_policy ] || tap_bail "kernel without CONFIG_ZSWAP_BPF"
	trap cleanup EXIT
	tap_diag "kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ { print int($2 / 1024) " MB" }' /proc/meminfo), duration ${secs}s"
	if [ -e $KMEMLEAK ]; then
		# Forget what boot left unreferenced: only new leaks count
		echo scan >$KMEMLEAK
		tap_diag "kmemleak: $(grep -c '^unreferenced object' $KMEMLEAK) objects unreferenced since boot, cleared"
		echo clear >$KMEMLEAK
	else
		tap_diag "no $KMEMLEAK: not the debug kernel (make kernel-debug; tests/vm/run --debug)"
	fi
	setup_cgroups || tap_bail "cannot set up $CG"
	start_workers
	start_reclaimers
	pusher_loop & LOOPS+=($!)
	signal_loop & LOOPS+=($!)
	policy_loop & LOOPS+=($!)
	churn_loop & LOOPS+=($!)
	pool_loop & LOOPS+=($!)

	t0=$SECONDS
	while [ $((t = SECONDS - t0)) -lt "$secs" ]; do
		sleep $((secs - t < 30 ? secs - t : 30))
		progress $((SECONDS - t0))
	done
	touch "$STOP"
	tap_diag "stopping after $((SECONDS - t0))s"
	wait "${LOOPS[@]}"
	tap_diag "loops ended after $((SECONDS - t0))s"
	kill -TERM "${RECLAIMERS[@]}" "${WORKERS[@]}" 2>/dev/null

	tap_check "every page verified intact (pagecheck)" timed check_workers
	tap_check "memory.reclaim source=zswap: only 0, EAGAIN, EINTR, and EINTR seen" timed check_reclaim
	tap_check "policies loaded, replaced, unloaded; loader never crashed" timed check_policies
	tap_check "cgroups churned; their zswap data intact after rmdir" timed check_churn
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
	tap_check "zswap empty after the workloads exit and swapoff" timed check_empty
	if [ -e $KMEMLEAK ]; then
		tap_check "kmemleak: no new unreferenced objects" timed check_kmemleak
	else
		tap_skip "kmemleak: no new unreferenced objects" "kernel without kmemleak"
	fi
	tap_check "dmesg: no BUG, WARNING, KASAN, lockdep, hung task, soft lockup" timed check_dmesg
	read -r p offs <"$W/pool.count" 2>/dev/null
	tap_diag "pool loop: ${p:-0} passes, zswap disabled at runtime ${offs:-0} times"
	tap_diag "summary: ${secs}s, reclaim writes ${WRITES:-0}, policy loads ${SWAPS:-0}, cgroups churned ${CHURNED:-0}, pages verified ${VERIFIED:-0}"
	tap_done
}

main "$@"
