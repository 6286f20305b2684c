#!/bin/bash
# In-guest tests of `zswap-bpf agent` (issue 16 item 3): under a steady
# workload it holds its target (the pool under --pool-max; nothing older
# than --max-age left while younger data stays); under an io storm it
# backs off (its back-off counter rises and it writes nothing, where the
# same agent without the back-off writes); on SIGTERM it exits at once,
# mid-write too, and leaves the policies as it found them.  Its bad input
# is tested on the host (tests/unit/test_agent_cli.sh).
#
# usage (on the host): tests/vm/run -- tests/vm/test_agent.sh
# To see a test fail on a broken agent: AGENT_BIN=PATH runs that binary
# instead of build/zswap-bpf, AGENT_ONLY=test_NAME that test alone (the
# plan is then wrong: for a run by hand).
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
tap_plan 7
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
Z=${AGENT_BIN:-$B/zswap-bpf}
BPFTOOL=$B/bpftool/bpftool
export ZSWAP_BPF_POLICY_DIR=$B/policies
CG=/sys/fs/cgroup/zbagent
PIN=/sys/fs/bpf/zswap-bpf
T=$(mktemp -d /tmp/agent.XXXXXX)
export ZSWAP_BPF_RUN_DIR=$T/run
AGENT=
STORM=
MB=$((1 << 20))

cleanup() {
	local h
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	storm_stop
	for h in "${HOGS[@]}"; do kill "$h" 2>/dev/null && wait "$h" 2>/dev/null; done
	"$Z" unload --if-loaded --cgroup "$CG" >/dev/null 2>&1
	"$Z" unload --if-loaded >/dev/null 2>&1
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
	rm -rf "$T" /var/tmp/agent-storm.*
}
trap cleanup EXIT

# agent_start ARGS...: zswap-bpf agent in the background, its log in $T/log
agent_start() {
	"$Z" agent "$@" 2>"$T/log" &
	AGENT=$!
	# up once its state file is there (after any policy load)
	for _ in $(seq 100); do
		[ -e "$ZSWAP_BPF_RUN_DIR/agent-$(cgid "$AGENT_CG")" ] && return 0
		kill -0 "$AGENT" 2>/dev/null || break
		sleep 0.1
	done
	tap_diag "the agent did not start: $(cat "$T/log")"
	return 1
}

# agent_stop: SIGTERM, and its exit status (KILL and 1 if it is still
# there 10 s later); the log to the diagnostics
agent_stop() {
	local rc
	kill -TERM "$AGENT"
	for _ in $(seq 100); do kill -0 "$AGENT" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$AGENT" 2>/dev/null; then
		tap_diag "the agent did not exit within 10 s of SIGTERM"
		kill -KILL "$AGENT"
	fi
	wait "$AGENT"
	rc=$?
	AGENT=
	tap_diag "agent log: $(tr '\n' '|' <"$T/log")"
	return $rc
}

# field KEY: the running agent's counter KEY (its state file)
field() { awk -v k="$1" '$1 == k { print $2 }' "$ZSWAP_BPF_RUN_DIR/agent-$(cgid "$AGENT_CG")"; }
zswap_of() { stat_of "$1" zswap; }
link_of() { "$BPFTOOL" -j link show pinned "$1/link" 2>/dev/null | sed -n 's/^{"id":\([0-9]*\).*/\1/p'; }
io_avg10() { awk '/^some/ { sub("avg10=", "", $2); print int($2) }' /proc/pressure/io; }

# Small synchronous O_DIRECT writes to the scratch disk from 6 writers,
# each rewriting its own 4 MiB: io pressure.  Under TCG the CPU, not the
# disk, is the bottleneck, so this reaches only some 10-25% io some avg10.
storm_start() {
	local i
	for i in 1 2 3 4 5 6; do
		(while :; do dd if=/dev/zero of=/var/tmp/agent-storm.$i bs=4k count=1024 \
			oflag=direct,dsync conv=notrunc 2>/dev/null; done) &
		STORM="$STORM $!"
	done
}
storm_stop() {
	local p
	for p in $STORM; do
		kill "$p" 2>/dev/null
		pkill -P "$p" dd 2>/dev/null
		wait "$p" 2>/dev/null
	done
	STORM=
}

mkcg "$CG"

# A steady workload: a second memhog joins while the agent runs; the pool
# comes down to --pool-max after each, at no more than --rate, and stays
# there (a memhog holds its memory; nothing else writes zswap back)
test_pool_target() {
	local pool before t0 secs wb ok=0
	AGENT_CG=$CG/pool
	fill "$CG/pool" 40 11 || return 1
	settle
	before=$(zswap_of "$CG/pool")
	tap_diag "pool before the agent: $before bytes"
	[ "$before" -gt $((12 * MB)) ] || { tap_diag "too little in zswap to test"; return 1; }
	t0=$SECONDS
	agent_start --cgroup "$CG/pool" --pool-max 6M --rate 4M --interval 1s \
		--psi-mem 100 --psi-io 100 || return 1
	sleep 6
	settle
	pool=$(zswap_of "$CG/pool")
	secs=$((SECONDS - t0))
	wb=$(stat_of "$CG/pool" zswpwb_proactive_b)
	tap_diag "after ${secs} s: pool $pool, written back $wb in $(field runs) runs, asked $(field requested_bytes) (rate 4M/s)"
	# at most the rate: a tick's worth a run, and the kernel wrote no more
	[ "$(field requested_bytes)" -le $(($(field runs) * 4 * MB)) ] || { tap_diag "more than --rate a tick"; ok=1; }
	[ "$wb" -le $(($(field requested_bytes) + MB)) ] || { tap_diag "wrote more than asked"; ok=1; }
	fill "$CG/pool" 24 12 || return 1
	# one memory.reclaim leaves much of a fresh memhog active: push it all
	for _ in 1 2 3; do echo 24M >"$CG/pool/memory.reclaim" 2>/dev/null; done
	tap_diag "a second memhog: pool $(zswap_of "$CG/pool"), anon $(stat_of "$CG/pool" anon)"
	sleep 8
	settle
	pool=$(zswap_of "$CG/pool")
	tap_diag "pool $pool, agent: ticks $(field ticks) runs $(field runs) requested $(field requested_bytes) written $(field written_bytes) idle $(field idle_ticks)"
	# at the target, less one step's batch and memory.stat's lag
	[ "$pool" -le $((7 * MB)) ] || { tap_diag "the pool is over the target"; ok=1; }
	[ "$pool" -ge $((2 * MB)) ] || { tap_diag "wrote back far below the target"; ok=1; }
	[ "$(field idle_ticks)" -gt 0 ] || { tap_diag "never idle at the target"; ok=1; }
	agent_stop || ok=1
	return $ok
}

# Two memcgs of one subtree: old data (older than --max-age when the
# agent starts) goes; young data stays until it is as old, then goes.
# Ages are whole seconds at the LRU head: the margins are seconds.
test_age_target() {
	local old0 young0 old young ok=0 ywb ty
	AGENT_CG=$CG/age
	mkcg "$CG/age"
	fill "$CG/age/old" 24 21 || return 1
	sleep 24
	fill "$CG/age/young" 24 22 || return 1
	ty=$SECONDS
	old0=$(zswap_of "$CG/age/old")
	young0=$(zswap_of "$CG/age/young")
	agent_start --cgroup "$CG/age" --max-age 20s --rate 64M --interval 1s \
		--psi-mem 100 --psi-io 100 || return 1
	# the agent's own policy, at its cgroup
	[ -n "$(link_of "$PIN/cgroup-$(cgid "$CG/age")")" ] || { tap_diag "no policy at $CG/age"; ok=1; }
	sleep 3
	settle
	old=$(zswap_of "$CG/age/old")
	young=$(zswap_of "$CG/age/young")
	ywb=$(stat_of "$CG/age/young" zswpwb)
	tap_diag "young $((SECONDS - ty)) s old: old $old0 -> $old, young $young0 -> $young (zswpwb $ywb)"
	[ $((SECONDS - ty)) -lt 18 ] || { tap_diag "too slow to tell young from old"; ok=1; }
	[ "$old" -le $((old0 / 5)) ] || { tap_diag "old data stayed"; ok=1; }
	[ "$ywb" = 0 ] && [ "$young" -ge $((young0 * 9 / 10)) ] || { tap_diag "young data went"; ok=1; }
	# young passes 20 s: now it goes too
	sleep $((ty + 27 - SECONDS))
	settle
	young=$(zswap_of "$CG/age/young")
	tap_diag "young $((SECONDS - ty)) s old: $young0 -> $young; partial runs $(field runs_partial) of $(field runs)"
	[ "$young" -le $((young0 / 5)) ] || { tap_diag "young data stayed past the target"; ok=1; }
	agent_stop || ok=1
	[ -z "$(link_of "$PIN/cgroup-$(cgid "$CG/age")")" ] || { tap_diag "the agent left its policy"; ok=1; }
	return $ok
}

# run_storm PSI_IO: an agent with that io limit for 6 s of io storm; sets
# REQ and BACKOFFS to its counters; the agent keeps running
run_storm() {
	agent_start --cgroup "$CG/storm" --pool-max 1M --rate 1M --interval 1s \
		--psi-mem 100 --psi-io "$1" || return 1
	sleep 6
	REQ=$(field requested_bytes)
	BACKOFFS=$(field backoffs)
	tap_diag "psi-io $1: io avg10 $(io_avg10)%, ticks $(field ticks), backoffs $BACKOFFS, requested $REQ, psi_io $(field psi_io)"
}

# The same agent under an io storm, without and with the back-off (its
# limit half the storm's pressure): with it, the back-off counter rises
# and nothing is asked of memory.reclaim; after the storm it resumes
test_io_storm() {
	local i ok=0 req0 s lim
	AGENT_CG=$CG/storm
	fill "$CG/storm" 48 31 || return 1
	for _ in 1 2 3; do echo 48M >"$CG/storm/memory.reclaim" 2>/dev/null; done
	tap_diag "in zswap: $(zswap_of "$CG/storm")"
	storm_start
	sleep 10
	s=$(io_avg10)
	lim=$((s / 2))
	tap_diag "io some avg10 $s% after 10 s of storm: back-off limit $lim%"
	[ "$s" -ge 8 ] || { tap_diag "the storm is too weak to test"; return 1; }
	run_storm 100 || ok=1
	req0=$REQ
	agent_stop || ok=1
	[ "$req0" -gt 0 ] && [ "$BACKOFFS" = 0 ] || { tap_diag "without back-off it should write"; ok=1; }
	run_storm "$lim" || ok=1
	[ "$BACKOFFS" -ge 4 ] || { tap_diag "too few back-offs"; ok=1; }
	[ "$REQ" -lt "$req0" ] && [ "$REQ" = 0 ] || { tap_diag "wrote under the storm"; ok=1; }
	storm_stop
	# after the storm, avg10 decays below the limit and it writes again
	for i in $(seq 90); do [ "$(field requested_bytes)" -gt 0 ] && break; sleep 1; done
	tap_diag "after the storm: ${i} s, io avg10 $(io_avg10)%, backoffs $(field backoffs), requested $(field requested_bytes)"
	[ "$(field requested_bytes)" -gt 0 ] || { tap_diag "did not resume"; ok=1; }
	grep -q resuming "$T/log" || { tap_diag "no 'resuming' in the log"; ok=1; }
	agent_stop || ok=1
	return $ok
}

# SIGTERM mid-write (a budget of seconds of writeback) and mid-sleep (of
# 10 minutes): out within 3 s (the policy's unload included, under TCG
# next to other VMs), exit 0, its policy unloaded, the root's untouched, its state
# file gone
test_sigterm() {
	local root0 t0 ms rc ok=0 st
	AGENT_CG=$CG/term
	"$Z" load round_robin >/dev/null || return 1
	root0=$(link_of "$PIN")
	fill "$CG/term" 160 41 || return 1
	settle
	tap_diag "in zswap: $(zswap_of "$CG/term")"
	# the state file is there before the first write, which takes seconds
	agent_start --cgroup "$CG/term" --max-age 1s --rate 1G --interval 1s \
		--psi-mem 100 --psi-io 100 || return 1
	st=$ZSWAP_BPF_RUN_DIR/agent-$(cgid "$CG/term")
	sleep 0.5
	t0=$(date +%s%N)
	agent_stop
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	tap_diag "mid-write: exit $rc after $ms ms; written back $(zswap_of "$CG/term") left"
	[ $rc = 0 ] && [ $ms -le 3000 ] || ok=1
	grep -q "interrupted a write" "$T/log" || { tap_diag "not stopped mid-write"; ok=1; }
	grep -q "Interrupted\|EINTR" "$T/log" && { tap_diag "an EINTR reported as an error"; ok=1; }
	[ -z "$(link_of "$PIN/cgroup-$(cgid "$CG/term")")" ] || { tap_diag "its policy stayed"; ok=1; }
	[ "$(link_of "$PIN")" = "$root0" ] || { tap_diag "the root's policy changed"; ok=1; }
	[ ! -e "$st" ] || { tap_diag "its state file stayed"; ok=1; }
	agent_start --cgroup "$CG/term" --pool-max 1G --interval 10m || return 1
	sleep 1
	t0=$(date +%s%N)
	agent_stop
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	tap_diag "mid-sleep: exit $rc after $ms ms"
	[ $rc = 0 ] && [ $ms -le 3000 ] || ok=1
	"$Z" unload >/dev/null || ok=1
	return $ok
}

# A policy attached at the cgroup is not the agent's to change: --max-age
# is refused (exit 3, saying what to do) and that policy stays, same link
test_refuses_attached() {
	local l0 out rc ok=0
	"$Z" load --cgroup "$CG/term" round_robin >/dev/null || return 1
	l0=$(link_of "$PIN/cgroup-$(cgid "$CG/term")")
	out=$("$Z" agent --cgroup "$CG/term" --max-age 1m 2>&1) && rc=0 || rc=$?
	tap_diag "agent -> $rc: $out"
	[ $rc = 3 ] && [[ $out == *"unload --cgroup"* ]] || ok=1
	[ "$(link_of "$PIN/cgroup-$(cgid "$CG/term")")" = "$l0" ] || { tap_diag "the policy changed"; ok=1; }
	# --pool-max alone works under any policy, and leaves it
	AGENT_CG=$CG/term
	agent_start --cgroup "$CG/term" --pool-max 1G --interval 1s || ok=1
	agent_stop || ok=1
	[ "$(link_of "$PIN/cgroup-$(cgid "$CG/term")")" = "$l0" ] || { tap_diag "the policy changed"; ok=1; }
	"$Z" unload --cgroup "$CG/term" >/dev/null || ok=1
	return $ok
}

# One agent a cgroup: a second one is refused while the first runs
test_one_agent() {
	local out rc ok=0
	AGENT_CG=$CG/term
	agent_start --cgroup "$CG/term" --pool-max 1G --interval 1s || return 1
	out=$("$Z" agent --cgroup "$CG/term" --pool-max 1G 2>&1) && rc=0 || rc=$?
	tap_diag "second agent -> $rc: $out"
	[ $rc = 3 ] && [[ $out == *"another agent"* ]] || ok=1
	agent_stop || ok=1
	return $ok
}

# stats shows the agent's counters: text, JSON, Prometheus
test_stats() {
	local ok=0
	AGENT_CG=$CG/term
	agent_start --cgroup "$CG/term" --pool-max 1G --interval 200ms || return 1
	sleep 1
	"$Z" stats "$CG/term" | sed 's/^/# /'
	"$Z" stats "$CG" | grep -q "^agent /zbagent/term: running" || { "$Z" stats "$CG" | tap_diag "$(cat)"; ok=1; }
	"$Z" -j stats "$CG" | python3 -c '
import json, sys
a = json.load(sys.stdin)["agents"]
sys.exit(not (len(a) == 1 and a[0]["running"] and a[0]["ticks"] >= 2 and a[0]["cgroup"] == "/zbagent/term"))' || ok=1
	"$Z" stats --prometheus | grep -q '^zswap_bpf_agent_ticks_total{cgroup="/zbagent/term",id="[0-9]*"} [1-9]' || ok=1
	agent_stop || ok=1
	# gone with it
	"$Z" -j stats | python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["agents"] != [])' || ok=1
	return $ok
}

if [ -n "${AGENT_ONLY:-}" ]; then
	tap_check "$AGENT_ONLY with $Z" "$AGENT_ONLY"
	exit
fi
tap_check "agent --pool-max holds the pool at its target under a steady workload, at most --rate" test_pool_target
tap_check "agent --max-age writes back what is older than the target and spares younger data until then" test_age_target
tap_check "agent backs off under an io storm (writes nothing; without back-off it writes), resumes after" test_io_storm
tap_check "agent stops at once on SIGTERM, mid-write and mid-sleep, and leaves the policies as found" test_sigterm
tap_check "agent --max-age refuses a cgroup with a policy of its own, and leaves it" test_refuses_attached
tap_check "one agent a cgroup" test_one_agent
tap_check "stats shows the agent's counters (text, JSON, Prometheus)" test_stats
