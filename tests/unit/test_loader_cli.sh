#!/bin/bash
# Host tests of build/zswap-bpf: usage errors, input errors and the paths
# that need no kernel support, each with its exit code and message. The
# kernel's files are faked through ZSWAP_BPF_DEBUGFS_DIR and
# ZSWAP_BPF_CGROUP_ROOT; the policy objects are stand-ins built here
# (tests/unit/fixtures), which open with libbpf but never load.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
Z=$TOP/build/zswap-bpf
CLANG=${CLANG:-clang-19}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
tap_plan 63

[ -x "$Z" ] || tap_bail "build/zswap-bpf not built (make loader)"

# expect STATUS PATTERN ARGS...: run zswap-bpf, check status and output
expect() { tap_expect "$1" "$2" "$Z" "${@:3}"; }

# expect_caps STATUS PATTERN WRAPPER ARGS...: expect, with zswap-bpf run
# under WRAPPER (newline-separated words, e.g. a setpriv command line)
expect_caps() {
	local want=$1 pat=$2 out rc
	local -a wrap
	mapfile -t wrap <<<"$3"
	shift 3
	out=$("${wrap[@]}" "$Z" "$@" 2>&1 </dev/null) && rc=0 || rc=$?
	if [ "$rc" != "$want" ] || [[ $out != *"$pat"* ]]; then
		tap_diag "zswap-bpf $* under ${wrap[*]}: exit $rc, want $want and '$pat':"
		tap_diag "$out"
		return 1
	fi
}

# CAPS: what load and unload need, and DAC override to read root's files
CAPS=+bpf,+perfmon,+sys_admin,+dac_override,+dac_read_search
# not_refused ARGS...: zswap-bpf ARGS as uid 4711 with CAPS does not stop at
# the capability check, nor at a permission check of its own
not_refused() {
	local out
	out=$(setpriv --reuid 4711 --regid 4711 --clear-groups --inh-caps "$CAPS" \
		--ambient-caps "$CAPS" -- "$Z" "$@" 2>&1 </dev/null) || true
	tap_diag "  as uid 4711 with $CAPS: zswap-bpf $*: $(head -1 <<<"$out")"
	[[ $out != *"needs CAP_"* && $out != *"needs root"* &&
		$out != *"Permission denied"* ]]
}

# json_ok PYTHON_EXPR ARGS...: stdout is JSON and the expression on it (j) holds
json_ok() {
	local expr=$1 out
	shift
	out=$("$Z" "$@" 2>/dev/null </dev/null) || true
	python3 -c 'import json, sys; j = json.loads(sys.stdin.read()); sys.exit(0 if ('"$expr"') else 1)' \
		<<<"$out" || { tap_diag "zswap-bpf $*: '$expr' fails on: $out"; return 1; }
}

tap_check "--help lists commands and exit codes" expect 0 "3 refused by the kernel" --help
tap_check "--version" expect 0 "zswap-bpf 0." --version
tap_check "no command is a usage error" expect 2 "Usage:"
tap_check "unknown command" expect 2 "unknown command 'bogus'" bogus
tap_check "ambiguous prefix" expect 2 "command 'stat' is ambiguous" stat
tap_check "unique prefix runs the command" expect 0 "Usage: zswap-bpf reclaim" rec help
tap_check "COMMAND -h is the command's help" expect 0 "Usage: zswap-bpf load" load -h
tap_check "--policy-dir without value" expect 2 "'--policy-dir' needs a directory" list --policy-dir
tap_check "JSON error object" json_ok 'j["error"].startswith("unknown command")' -j bogus

# load: argument and object errors come before any kernel check
if $CLANG -g -O2 -target bpf -c "$TOP/tests/unit/fixtures/knobs.bpf.c" -o "$T/knobs.bpf.o" &&
	$CLANG -g -O2 -target bpf -c "$TOP/tests/unit/fixtures/not_a_policy.bpf.c" -o "$T/not_a_policy.bpf.o"; then
	K=$T/knobs.bpf.o
	tap_check "load without POLICY" expect 2 "load needs a POLICY" load
	tap_check "load unknown option" expect 2 "unknown option '--bogus'" load "$K" --bogus
	tap_check "load nonexistent path" expect 2 "policy file '/nonexistent/x.bpf.o'" load /nonexistent/x.bpf.o
	tap_check "load unknown name names the dirs" expect 2 "no policy 'nosuch' in $T" --policy-dir "$T" load nosuch
	tap_check "load by name from ZSWAP_BPF_POLICY_DIR" \
		bash -c 'ZSWAP_BPF_POLICY_DIR="$1" "$0" load nosuch 2>&1 | grep -q "in $1"' "$Z" "$T"
	tap_check "load not a policy" expect 2 "is not a zswap policy" load "$T/not_a_policy.bpf.o"
	echo junk >"$T/junk.bpf.o"
	tap_check "load not an ELF object" expect 2 "cannot open '$T/junk.bpf.o' as a BPF object" load "$T/junk.bpf.o"
	tap_check "--set unknown knob lists the knobs" expect 2 "has no knob 'nope'; its knobs: budget_kb (u32" load "$K" --set nope=1
	tap_check "--set without =" expect 2 "bad --set 'budget_kb': expected NAME=VALUE" load "$K" --set budget_kb
	tap_check "--set without value" expect 2 "--set needs NAME=VALUE" load "$K" --set
	tap_check "--set bad number" expect 2 "bad value 'abc' for knob 'budget_kb'" load "$K" --set budget_kb=abc
	tap_check "--set out of range" expect 2 "bad value '200' for knob 'bias' (s8, -128..127): out of range" load "$K" --set bias=200
	tap_check "--set unknown enumerator" expect 2 "enum knobs_order: ORDER_OLDEST, ORDER_LARGEST" load "$K" --set order=NEWEST
	# valid knobs pass; then root, the hook, bpffs decide (refused here)
	tap_check "--set valid knobs reach the kernel checks" expect 3 "" load "$K" \
		--set budget_kb=128 --set bias=-5 --set verbose=true --set order=ORDER_LARGEST --set max_bytes=1G
	if ! grep -q 'zswap_writeback_ops' /proc/kallsyms 2>/dev/null; then
		tap_check "load on a kernel without the hook names the fix" expect 3 "boot the kernel built from kernel-patches/" load "$K"
	else
		tap_skip "load on a kernel without the hook" "this kernel has the hook"
	fi
	# The kernel checks capabilities, not the uid, and so must the loader:
	# root without CAP_SYS_ADMIN is told so; a user granted the
	# capabilities (and DAC override, to read root's files here) gets past
	# the check to the next one (the hook, absent on most hosts).
	if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		tap_check "load by root without CAP_SYS_ADMIN names it" \
			expect_caps 3 "loading a policy needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN (this process lacks CAP_SYS_ADMIN): run it as root or grant them" \
			"$(printf 'setpriv\n--bounding-set\n-sys_admin\n--')" load "$K"
		tap_check "unload by root without CAP_BPF names it" \
			expect_caps 3 "unloading a policy needs CAP_BPF and CAP_SYS_ADMIN (this process lacks CAP_BPF)" \
			"$(printf 'setpriv\n--bounding-set\n-bpf\n--')" unload
		tap_check "load by a user with the capabilities is not refused for them" \
			not_refused load "$K"
		tap_check "unload by a user with the capabilities is not refused for them" \
			not_refused unload
	else
		for _ in 1 2 3 4; do tap_skip "capability checks" "needs root and setpriv"; done
	fi
	cp "$TOP/tests/unit/fixtures/knobs.bpf.c" "$T/"
	tap_check "list shows the description" expect 0 "a stand-in policy for the loader's host tests." --policy-dir "$T" list
	tap_check "list --json" json_ok 'any(p["name"] == "knobs" and p["path"].endswith("/knobs.bpf.o") for p in j)' -j --policy-dir "$T" list
else
	tap_bail "$CLANG cannot build the fixtures in tests/unit/fixtures (make deps)"
fi

# status: faked debugfs
D=$T/debugfs
mkdir -p "$D"
tap_check "status without bpf_policy: no hook" \
	bash -c 'ZSWAP_BPF_DEBUGFS_DIR="$1" "$0" status 2>&1 | grep -q "this kernel has no zswap_writeback_ops"' "$Z" "$D"
printf 'name round_robin\nstate enabled\nlast_exit replaced\nlast_exit_reason replaced\n' >"$D/bpf_policy"
for c in bpf_runs bpf_steps bpf_written_back_bytes bpf_invalid_choices bpf_refused_choices bpf_fallbacks bpf_ejections; do
	echo 7 >"$D/$c"
done
echo 4096 >"$D/bpf_written_back_bytes"
export ZSWAP_BPF_DEBUGFS_DIR=$D ZSWAP_BPF_PIN_DIR=$T/nopins
tap_check "status shows policy and counters" expect 0 "written_back_bytes   4096" status
tap_check "status shows last exit" expect 0 "last exit  replaced: replaced" status
tap_check "status --json" json_ok 'j["policy"] == "round_robin" and j["state"] == "enabled" and j["kernel"]["written_back_bytes"] == 4096 and j["link"] is None' -j status
printf 'name \nstate none\nlast_exit none\nlast_exit_reason \n' >"$D/bpf_policy"
tap_check "status --json with no policy" json_ok 'j["policy"] is None and j["state"] == "none"' -p status
tap_check "status extra argument" expect 2 "unexpected argument 'x'" status x
tap_check "unload with nothing loaded" expect 1 "no policy loaded" unload
# systemd's ExecStop of zswap-bpf-cgroup@.service after the cgroup went:
# the kernel detached its policy with it, so nothing to do
mkdir -p "$T/cgroot"
ZSWAP_BPF_CGROUP_ROOT=$T/cgroot tap_check "unload --if-loaded of a removed cgroup succeeds" \
	expect 0 "cgroup 'gone' does not exist: no policy loaded there" unload --if-loaded --cgroup gone
ZSWAP_BPF_CGROUP_ROOT=$T/cgroot tap_check "... without --if-loaded it is an error" \
	expect 2 "cgroup 'gone' does not exist" unload --cgroup gone
tap_check "trace bad interval" expect 2 "bad INTERVAL 'fast'" trace fast
tap_check "set needs PARAM and CGROUP=VALUE" expect 2 "set needs PARAM and CGROUP=VALUE" set weight
tap_check "set rejects a bad VALUE" expect 2 "bad 'db=-1'" set weight db=-1
tap_check "set rejects a VALUE out of range" expect 2 "(out of range)" set weight db=4294967296
tap_check "set with nothing loaded" expect 1 "no policy loaded" set weight db=0
mkdir -p "$T/pins" && : >"$T/pins/link" && : >"$T/pins/stats"
ZSWAP_BPF_PIN_DIR=$T/pins tap_check "set names the parameters the policy has" \
	expect 2 "no parameter 'weight' (no map $T/pins/weight); its parameters: none" set weight db=0

# reclaim and stats: a faked cgroup tree
C=$T/cg
mkdir -p "$C/job/a" "$C/job/b" "$C/nomem"
printf 'anon 1\nzswap 8192\nzswapped 16384\nzswpin 1\nzswpout 9\nzswpwb 2\nzswpwb_proactive_b 100\n' >"$C/memory.stat"
for d in job job/a job/b; do
	printf 'zswap 4096\nzswapped 8192\nzswpin 0\nzswpout 3\nzswpwb 1\nzswpwb_proactive_b 50\n' >"$C/$d/memory.stat"
	echo 1 >"$C/$d/memory.zswap.writeback"
	: >"$C/$d/memory.reclaim"
done
echo 0 >"$C/job/b/memory.zswap.writeback"
export ZSWAP_BPF_CGROUP_ROOT=$C
tap_check "reclaim needs two arguments" expect 2 "reclaim needs CGROUP and SIZE" reclaim job
for s in 12X 0 -1 1.5M ""; do
	tap_check "reclaim rejects SIZE '$s'" expect 2 "bad SIZE '$s'" reclaim job "$s"
done
tap_check "reclaim rejects huge SIZE" expect 2 "too large" reclaim job 99999999999999999999
tap_check "reclaim nonexistent cgroup" expect 2 "cgroup 'nosuch' does not exist (no directory $C/nosuch)" reclaim nosuch 1M
tap_check "reclaim cgroup with '..'" expect 2 "bad CGROUP '../x'" reclaim ../x 1M
tap_check "reclaim cgroup without memory controller" expect 2 "has no memory controller" reclaim nomem 1M
tap_check "reclaim writes SIZE source=zswap in bytes" \
	bash -c '"$0" reclaim job 64M >/dev/null && [ "$(cat "$1/job/memory.reclaim")" = "67108864 source=zswap" ]' "$Z" "$C"
tap_check "reclaim --json result" json_ok 'j["requested_bytes"] == 1048576 and j["result"] == "met" and j["written_back_bytes"] == 0' -j reclaim "$C/job" 1M
# A Ctrl-C after reclaim set its handler, before its write(2) began: the
# write must not run (to its end, on a real memory.reclaim), exit 5. The
# shim raises SIGINT as the handler is installed.
sigint_early() {
	local rc=0
	${CC:-cc} -shared -fPIC -o "$T/sigint_early.so" \
		"$TOP/tests/unit/fixtures/sigint_early.c" -ldl || return 1
	: >"$C/job/memory.reclaim"
	LD_PRELOAD=$T/sigint_early.so "$Z" reclaim job 1M >/dev/null 2>&1 || rc=$?
	tap_diag "  exit $rc, memory.reclaim: '$(cat "$C/job/memory.reclaim")'"
	[ "$rc" = 5 ] && [ ! -s "$C/job/memory.reclaim" ]
}
tap_check "reclaim: SIGINT before the write starts interrupts it (exit 5)" sigint_early
tap_check "stats lists the subtree" expect 0 "/job/a" stats job
tap_check "stats shows writeback off" bash -c '"$0" stats | grep "^/job/b " | grep -q " off$"' "$Z"
tap_check "stats --json ids are inode numbers" json_ok "len(j['cgroups']) == 4 and j['cgroups'][1]['cgroup'] == '/job' and j['cgroups'][1]['id'] == $(stat -c %i "$C/job") and j['cgroups'][0]['zswpwb_proactive_b'] == 100 and j['cgroups'][0]['writeback'] is None" -j stats
tap_check "stats --prometheus" expect 0 'zswap_bpf_zswap_bytes{cgroup="/job/a",id="' stats --prometheus
tap_check "stats nonexistent cgroup" expect 2 "cgroup 'nosuch' does not exist" stats nosuch
tap_done
