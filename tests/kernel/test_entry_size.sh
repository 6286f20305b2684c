#!/bin/bash
# CONFIG_ZSWAP_BPF must not make a zswap entry larger (issue 15): the store
# time lives in the padding after zswap_entry.referenced.  pahole reads the
# struct from the BTF/DWARF of the kernels make check built, with the hook
# and without it.
#
# usage: tests/kernel/test_entry_size.sh [KERNEL_DIR NOBPF_KERNEL_DIR]
#   (default build/kernel build/kernel-nobpf, made by make all kernel-nobpf)
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"

BPF=${1:-$TOP/build/kernel}/src
NOBPF=${2:-$TOP/build/kernel-nobpf}/src

# entry_size SRC: struct zswap_entry's size in that kernel's vmlinux
entry_size() {
	pahole -C zswap_entry "$1/vmlinux" 2>/dev/null |
		sed -n 's|.*/\* size: \([0-9]*\),.*|\1|p'
}

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
