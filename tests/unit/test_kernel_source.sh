#!/bin/bash
# Host tests of scripts/kernel-source (issue 14 item 11): the source tree the
# tools and the loader are built from is extracted and patched, never
# configured or compiled; its key follows the source and the patches, not
# the config fragments; a cached tree is reused and linked at
# build/kernel-source; scripts/build-kernel's keys do not see it.  Runs in a
# scratch copy with a fake source tarball.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export ZSWAP_BPF_CACHE=$W/cache
tap_plan 9

mkdir -p "$W/repo/scripts" "$W/repo/kernel-patches" "$W/tar/linux-source-6.12"
cp "$TOP/scripts/kernel-source" "$TOP/scripts/build-kernel" "$W/repo/scripts/"
cp "$TOP/kernel-patches/config.fragment" "$W/repo/kernel-patches/"
KS=$W/repo/scripts/kernel-source
KP=$W/repo/kernel-patches
echo "VERSION = 6" >"$W/tar/linux-source-6.12/Makefile"
tar -cJf "$W/src.tar.xz" -C "$W/tar" linux-source-6.12
export ZSWAP_BPF_KSRC_TARBALL=$W/src.tar.xz

key() { "$KS" --print-key; }
cat >"$KP/0001-a.patch" <<'PATCH'
--- a/Makefile
+++ b/Makefile
@@ -1 +1 @@
-VERSION = 6
+VERSION = 6 # a
PATCH

K0=$(key)
BK0=$("$W/repo/scripts/build-kernel" --print-key)
echo "# CONFIG_FOO is not set" >>"$KP/config.fragment"
tap_check "a fragment change keeps the source key" [ "$(key)" = "$K0" ]
tap_check "... and changes the kernel's" [ "$("$W/repo/scripts/build-kernel" --print-key)" != "$BK0" ]
echo 0001-a.patch >"$KP/series"
K1=$(key)
tap_check "adding a patch changes the source key" [ "$K1" != "$K0" ]

out=$("$KS" 2>&1) && rc=0 || rc=$?
dir=$ZSWAP_BPF_CACHE/source-$(echo "$K1" | cut -c1-12)
tap_check "extracts, prints the tree" eval '[ $rc = 0 ] && [[ $out == *"$dir"* ]] && [ -f "$dir/.done" ]'
tap_check "the series is applied" grep -qx "VERSION = 6 # a" "$dir/src/Makefile"
tap_check "nothing is configured" [ ! -e "$dir/src/.config" ]
tap_check "build/kernel-source links to it" [ "$(readlink "$W/repo/build/kernel-source")" = "$dir" ]
out=$("$KS" 2>&1)
tap_check "a cached tree is reused" eval '[[ $out != *EXTRACT* ]]'

printf '0001-a.patch\n0002-missing.patch\n' >"$KP/series"
out=$("$KS" 2>&1) && rc=0 || rc=$?
tap_check "a missing patch is an error naming it" \
	eval '[ $rc != 0 ] && [[ $out == *0002-missing.patch* ]]'
tap_done
