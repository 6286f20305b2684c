#!/bin/bash
# What a cold TLB costs the hook's callbacks and the built-in select under
# TCG: runs each scenario with and without a TLB flush before every select
# (the policy's select_memcg and the built-in one, pool-limit and
# proactive), alternately in one boot, and sorts both selects by duration.
# Needs a kernel with cold-tlb.diff on top of kernel-patches/, an
# experiment that is not part of the series (x86 only; its counters are
# not atomic, and the kernel's callback timing then includes its own clock
# read).  From the top of the project, after `make all test-progs kernel`:
#
#   cp -a build/kernel/src /tmp/ktlb       # the series' tree, built in place
#   patch -d /tmp/ktlb -p1 < tests/bench/experiments/cold-tlb.diff
#   make -C /tmp/ktlb -j2 CC="ccache gcc" bzImage   # the CC it was built with
#   tests/vm/run --kernel /tmp/ktlb/arch/x86/boot/bzImage -- \
#           tests/bench/experiments/cold-tlb.sh [pool_limit] [proactive]
#
# Both scenarios: about 8 minutes under TCG.  Prints, for each setting,
# ab's pool-limit hook cost per step or proactive.sh's callbacks per
# writing step, and the selects by bucket: calls and their mean in us.
# Asserts nothing.
set -eu -o pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
P=/sys/module/zswap/parameters
[ -w $P/exp_tlb ] || {
	echo "cold-tlb.sh: $P/exp_tlb missing: boot a kernel with tests/bench/experiments/cold-tlb.diff applied" >&2
	exit 2
}
trap 'echo 0 > $P/exp_tlb' EXIT
cd "$TOP"

reset() {
	echo 0,0,0,0,0,0,0,0,0,0 > $P/exp_h
	echo 0,0,0,0,0,0,0,0,0,0 > $P/exp_hns
}

# the selects by duration: calls and their mean, under 2 us, 2-20, 20-100,
# 100-1000 and over 1000 us
buckets() {
	paste -d' ' <(tr , '\n' < $P/exp_h) <(tr , '\n' < $P/exp_hns) | awk '
		BEGIN { split("<2 2-20 20-100 100-1000 >1000", b, " ") }
		{ n[NR] = $1; ns[NR] = $2 }
		END {
			for (s = 0; s < 2; s++) {
				printf "%s selects:", s ? "built-in" : "policy  "
				for (i = 1; i <= 5; i++)
					printf "  %s us %d (%.1f)", b[i], n[s * 5 + i],
						n[s * 5 + i] ? ns[s * 5 + i] / n[s * 5 + i] / 1000 : 0
				printf "\n"
			}
		}'
}

pool_limit() {
	tests/bench/ab tests/bench/scenarios/pool_limit round_robin --repeat 1 \
		--no-oracle --json /tmp/cold-tlb-pl.json 2>&1 |
		sed -n '/hook cost per step/,/^JSON/p'
}

proactive() {
	HOOKED="y x" ROUNDS=5 JSON=/tmp/cold-tlb-pro.json \
		tests/bench/proactive.sh 2>&1 |
		{ grep -E "per round|hook cost|warm-up write" || true; }
}

[ $# -gt 0 ] || set -- pool_limit proactive
for what; do
	case $what in
	pool_limit | proactive) ;;
	*) echo "cold-tlb.sh: name pool_limit and/or proactive, not '$what'" >&2; exit 2 ;;
	esac
	for f in 0 1 0 1; do
		echo $f > $P/exp_tlb
		echo "=== $what, TLB flushed before each select: $f ($(date +%T))"
		reset
		$what
		buckets
	done
done
