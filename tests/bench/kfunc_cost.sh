#!/bin/bash
# What the kfuncs cost inside a callback, in this guest (make bench).
#
# bench_kfunc has LEAVES child memcgs; the first FILLED of them hold MB MiB
# each in zswap (their LRUs are not empty, so the age kfuncs read a head).
# tests/bpf/kfcost.bpf.o times, at each run begin, LOOPS calls of every
# kfunc on the run's root and an empty loop, then two walks of the subtree
# that count the memcgs with entries of their own: by cgroup id
# (bpf_zswap_next_memcg, bpf_zswap_memcg_stat) and by css (bpf_iter_css,
# bpf_zswap_css_candidate, bpf_zswap_css_stat). RUNS writes of
# "1K source=zswap" make RUNS samples. Prints ns per call, the empty
# loop's share subtracted, and ns per memcg walked; exits 1 if the two
# walks disagree. Asserts nothing about time.
#
# usage (on the host): tests/vm/run -- tests/bench/kfunc_cost.sh
#   RUNS (200), LOOPS (32), LEAVES (32), FILLED (4), MB (4)
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/vm/lib.sh"

Z=$TOP/build/zswap-bpf
OBJ=$TOP/build/tests/kfcost.bpf.o
CG=/sys/fs/cgroup/bench_kfunc
RUNS=${RUNS:-200}
LOOPS=${LOOPS:-32}
LEAVES=${LEAVES:-32}
FILLED=${FILLED:-4}
MB=${MB:-4}

cleanup() {
	"$Z" unload --if-loaded >/dev/null 2>&1 || true
	[ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null && wait 2>/dev/null
	rmdir $CG/* $CG 2>/dev/null || true
}
trap cleanup EXIT

per() { awk -v t="$1" -v e="$2" -v c="$3" 'BEGIN { printf "%.0f", (t - e) / c }'; }

mkcg $CG
for i in $(seq "$LEAVES"); do
	if [ "$i" -le "$FILLED" ]; then fill $CG/l$i "$MB"; else mkdir $CG/l$i; fi
done
"$Z" load "$OBJ" --set loops="$LOOPS" >/dev/null
for _ in $(seq "$RUNS"); do writeback $CG 1K >/dev/null || true; done
read -r -a ns <<<"$(bss_global kfcost ns)"
read -r -a visited <<<"$(bss_global kfcost visited)"
read -r -a found <<<"$(bss_global kfcost found)"
calls=$(bss_global kfcost calls)
walks=$(bss_global kfcost walks)

echo "--- kfunc cost: $calls calls each, ns per call (empty loop subtracted)"
printf '  %-44s %8s\n' kfunc "ns/call"
i=1
for k in "bpf_zswap_memcg_stat(id, STORED_PAGES_LOCAL)" \
	"bpf_zswap_memcg_lru_head_age_ns(id)" "bpf_zswap_next_memcg(id, 0)" \
	"bpf_zswap_css_stat(css, STORED_PAGES_LOCAL)" \
	"bpf_zswap_css_lru_head_age_ns(css)" "bpf_zswap_css_candidate(css)" \
	"bpf_cgroup_from_id + bpf_cgroup_release"; do
	printf '  %-44s %8s\n' "$k" "$(per "${ns[$i]}" "${ns[0]}" "$calls")"
	i=$((i + 1))
done
printf '  %-44s %8s\n' "(empty loop, per iteration)" "$(per "${ns[0]}" 0 "$calls")"

echo "--- a walk of $((LEAVES + 1)) memcgs counting those with entries ($walks walks)"
printf '  %-10s %10s %10s %14s\n' walk "memcgs" "with entries" "ns per memcg"
for w in 0 1; do
	printf '  %-10s %10s %10s %14s\n' "$([ $w = 0 ] && echo by-id || echo by-css)" \
		$((visited[w] / walks)) $((found[w] / walks)) \
		"$(per "${ns[$((8 + w))]}" 0 "${visited[w]}")"
done
awk -v a="${ns[8]}" -v b="${ns[9]}" 'BEGIN { printf "  by-css / by-id time: %.2f\n", b / a }'
# bpf_zswap_next_stored_memcg() returns only the memcgs with entries: its
# time is per memcg returned, the others it passes are not seen
printf '  %-10s %10s %10s %14s\n' stored - $((found[2] / walks)) \
	"$(per "${ns[10]}" 0 "${visited[2]}")"
awk -v a="${ns[8]}" -v b="${ns[10]}" 'BEGIN { printf "  stored / by-id time: %.2f\n", b / a }'
[ "${visited[0]}" = "${visited[1]}" ] && [ "${found[0]}" = "${found[1]}" ] &&
	[ "${visited[2]}" = "${found[0]}" ] && [ "${found[2]}" = "${found[0]}" ] || {
	echo "kfunc_cost: the walks disagree (by id ${visited[0]}/${found[0]}, by css ${visited[1]}/${found[1]}, stored ${visited[2]}/${found[2]})" >&2
	exit 1
}
