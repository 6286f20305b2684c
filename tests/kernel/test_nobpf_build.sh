#!/bin/bash
# The CONFIG_ZSWAP_BPF=n kernel is built from a copy of the normal kernel's
# built tree (config.nobpf asks scripts/build-kernel to), so that make
# compiles only what CONFIG_ZSWAP_BPF touches: a few minutes of a cold
# make check, not a whole kernel.  The objects its build compiled are those
# newer than its .config, which the build writes before compiling.
#
# usage: tests/kernel/test_nobpf_build.sh [KERNEL_DIR NOBPF_KERNEL_DIR]
#   (default build/kernel build/kernel-nobpf, made by make all kernel-nobpf)
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"

BPF=${1:-$TOP/build/kernel}/src
NOBPF=${2:-$TOP/build/kernel-nobpf}/src

tap_plan 3
for k in "$BPF" "$NOBPF"; do
	[ -e "$k/vmlinux" ] || tap_bail "no $k/vmlinux (make all kernel-nobpf)"
done

differ=$(diff "$BPF/.config" "$NOBPF/.config" | grep '^[<>]')
tap_diag "the two .config differ in: $(echo "$differ" | paste -sd' ')"
tap_check "the two kernels' configurations differ in CONFIG_ZSWAP_BPF only" \
	eval '[ "$(echo "$differ" | sed -n "s/^[<>] \(# \)\{0,1\}\(CONFIG_[A-Z0-9_]*\).*/\2/p" | sort -u)" = CONFIG_ZSWAP_BPF ]'

all=$(find "$NOBPF" -name '*.o' | wc -l)
compiled=$(find "$NOBPF" -name '*.o' -newer "$NOBPF/.config" | wc -l)
tap_diag "the nobpf build compiled $compiled of its $all objects"
tap_check "mm/zswap.o was compiled again, without the hook" \
	eval '[ "$NOBPF/mm/zswap.o" -nt "$NOBPF/.config" ]'
tap_check "at most a tenth of the objects were compiled again" \
	[ $((compiled * 10)) -le "$all" ]
tap_done
