#!/bin/bash
# CONFIG_ZSWAP_BPF must not make a zswap entry larger (issue 15): the store
# time lives in the padding after zswap_entry.referenced.  pahole reads the
# struct from the BTF/DWARF of the kernels make check built, with the hook
# and without it.
#
# usage: tests/kernel/test_entry_size.sh [--json FILE] [KERNEL_DIR NOBPF_KERNEL_DIR]
#   (default build/kernel build/kernel-nobpf, made by make all kernel-nobpf)
#   --json FILE: no test, write both sizes to FILE for tests/bench/summary
#   (make bench), so that the table and this test read them the same way
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=
if [ "${1:-}" = --json ]; then
	OUT=${2:?--json needs a file}
	shift 2
fi

BPF=${1:-$TOP/build/kernel}/src
NOBPF=${2:-$TOP/build/kernel-nobpf}/src

# entry_size SRC: struct zswap_entry's size in that kernel's vmlinux
entry_size() {
	pahole -C zswap_entry "$1/vmlinux" 2>/dev/null |
		sed -n 's|.*/\* size: \([0-9]*\),.*|\1|p'
}

# json_sizes: both sizes as JSON (null where pahole could not read one)
json_sizes() {
	local with without
	command -v pahole >/dev/null || { echo "no pahole (apt-get install dwarves; make deps does)" >&2; return 1; }
	with=$(entry_size "$BPF")
	without=$(entry_size "$NOBPF")
	[ -n "$with" ] || echo "no struct zswap_entry size from $BPF/vmlinux (make all)" >&2
	[ -n "$without" ] || echo "no struct zswap_entry size from $NOBPF/vmlinux (make kernel-nobpf)" >&2
	printf '{"kind": "entry_size", "date": "%s",\n "with_bpf": %s, "without_bpf": %s,\n "with_vmlinux": "%s", "without_vmlinux": "%s"}\n' \
		"$(date +%Y-%m-%dT%H:%M:%S%z)" "${with:-null}" "${without:-null}" \
		"$BPF/vmlinux" "$NOBPF/vmlinux"
}

if [ -n "$OUT" ]; then
	mkdir -p "$(dirname "$OUT")"
	json_sizes >"$OUT" || exit 1
	echo "entry sizes: $OUT"
	exit 0
fi

. "$TOP/tests/lib/tap.sh"
tap_plan 3
command -v pahole >/dev/null || tap_bail "no pahole (apt-get install dwarves; make deps does)"
for k in "$BPF" "$NOBPF"; do
	[ -e "$k/vmlinux" ] || tap_bail "no $k/vmlinux (make all kernel-nobpf)"
done
grep -q '^CONFIG_ZSWAP_BPF=y' "$BPF/.config" || tap_bail "$BPF is not built with CONFIG_ZSWAP_BPF=y"
grep -q '^CONFIG_ZSWAP_BPF=y' "$NOBPF/.config" && tap_bail "$NOBPF is built with CONFIG_ZSWAP_BPF=y"

with=$(entry_size "$BPF")
without=$(entry_size "$NOBPF")
tap_diag "struct zswap_entry: $with bytes with CONFIG_ZSWAP_BPF, $without without"
tap_check "pahole reads struct zswap_entry from both kernels" \
	eval '[ -n "$with" ] && [ -n "$without" ]'
tap_check "CONFIG_ZSWAP_BPF=y adds no byte to a zswap entry" [ "$with" = "$without" ]
tap_check "a zswap entry is 56 bytes, as in Linux 6.12" [ "$without" = 56 ]
tap_done
