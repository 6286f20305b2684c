#!/bin/bash
# Host tests of scripts/build-kernel's bookkeeping: the cache key must change
# with every input and only then, a bad patch must be named, a cached kernel
# must be reused and linked, old kernels pruned.  Runs in a scratch copy of
# the script with a fake source tarball: no kernel is built.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export ZSWAP_BPF_CACHE=$W/cache
tap_plan 25

mkdir -p "$W/repo/scripts" "$W/repo/kernel-patches"
cp "$TOP/scripts/build-kernel" "$W/repo/scripts/"
cp "$TOP/kernel-patches/config.fragment" "$W/repo/kernel-patches/"
BK=$W/repo/scripts/build-kernel
KP=$W/repo/kernel-patches

key() { "$BK" --print-key; }

mkpatch() { # name old new: a patch turning Makefile line old into new
	cat >"$KP/$1" <<PATCH
--- a/Makefile
+++ b/Makefile
@@ -1 +1 @@
-$2
+$3
PATCH
}

K0=$(key)
tap_check "key is a sha256" eval '[[ $K0 =~ ^[0-9a-f]{64}$ ]]'
tap_check "key is stable" [ "$(key)" = "$K0" ]

: >"$KP/series"
tap_check "empty series = no series (stock kernel)" [ "$(key)" = "$K0" ]

echo "# CONFIG_FOO is not set" >>"$KP/config.fragment"
K1=$(key)
tap_check "fragment change changes key" [ "$K1" != "$K0" ]

mkpatch 0001-a.patch "VERSION = 6" "VERSION = 6 # a"
echo 0001-a.patch >"$KP/series"
K2=$(key)
tap_check "adding a patch changes key" [ "$K2" != "$K1" ]

sed -i 's/# a$/# b/' "$KP/0001-a.patch"
K3=$(key)
tap_check "editing a patch changes key" [ "$K3" != "$K2" ]

echo "   # a comment" >>"$KP/series"
tap_check "series comments are hashed, not applied" [ "$(key)" != "$K3" ]

echo 0002-missing.patch >>"$KP/series"
out=$("$BK" --print-key 2>&1) && rc=0 || rc=$?
tap_check "missing patch is an error naming it" \
	eval '[ $rc != 0 ] && [[ $out == *0002-missing.patch* ]]'

# A patch that does not apply stops the build and is named.
mkdir -p "$W/tar/linux-source-6.12"
echo "VERSION = 6" >"$W/tar/linux-source-6.12/Makefile"
tar -cJf "$W/src.tar.xz" -C "$W/tar" linux-source-6.12
mkpatch 0002-bad.patch "VERSION = 5" "VERSION = 7"
printf '0001-a.patch\n0002-bad.patch\n' >"$KP/series"
out=$(ZSWAP_BPF_KSRC_TARBALL=$W/src.tar.xz "$BK" 2>&1) && rc=0 || rc=$?
tap_check "failing patch stops the build and is named" \
	eval '[ $rc != 0 ] && [[ $out == *"patch '"'"'0002-bad.patch'"'"' does not apply"* ]]'
tap_check "first patch was applied before" grep -q "# b" "$(ls -d "$ZSWAP_BPF_CACHE"/kernel-*/src)/Makefile"
tap_check "failed build is not marked done" eval '! ls "$ZSWAP_BPF_CACHE"/kernel-*/.done 2>/dev/null'

# A finished kernel is reused: no build, build/kernel linked to it, and only
# the 3 most recently used cache dirs are kept.
rm -rf "$ZSWAP_BPF_CACHE"
echo 0001-a.patch >"$KP/series"
dir=$ZSWAP_BPF_CACHE/kernel-$(key | cut -c1-12)
for old in 1 2 3 4; do
	mkdir -p "$ZSWAP_BPF_CACHE/kernel-old$old"
	touch -d "$old hours ago" "$ZSWAP_BPF_CACHE/kernel-old$old"
done
mkdir -p "$dir"
touch "$dir/.done"
touch -d "1 day ago" "$dir"
out=$("$BK" 2>&1) && rc=0 || rc=$?
tap_check "cached kernel: success, path printed" eval '[ $rc = 0 ] && [[ $out == *"$dir"* ]]'
tap_check "cached kernel: build/kernel links to it" [ "$(readlink "$W/repo/build/kernel")" = "$dir" ]
tap_check "cache pruned to the 3 most recent" \
	eval '[ "$(ls "$ZSWAP_BPF_CACHE" | tr "\n" " ")" = "kernel-$(key | cut -c1-12) kernel-old1 kernel-old2 " ]'

# --config NAME: the fragment plus config.NAME, its own key, cache dir and
# link; the normal kernel's key, link and pruning do not see it.
K=$(key)
out=$("$BK" --config debug --print-key 2>&1) && rc=0 || rc=$?
tap_check "--config without its fragment is an error naming it" \
	eval '[ $rc != 0 ] && [[ $out == *config.debug* ]]'
echo "CONFIG_KASAN=y" >"$KP/config.debug"
KD=$("$BK" --config debug --print-key)
tap_check "variant key differs from the normal key" [ "$KD" != "$K" ]
tap_check "variant fragment does not change the normal key" [ "$(key)" = "$K" ]
echo "CONFIG_KMEMLEAK=y" >>"$KP/config.debug"
tap_check "editing the variant fragment changes its key" \
	[ "$("$BK" --config debug --print-key)" != "$KD" ]
KD=$("$BK" --config debug --print-key)
ddir=$ZSWAP_BPF_CACHE/debug/kernel-$(echo "$KD" | cut -c1-12)
mkdir -p "$ddir"
touch "$ddir/.done"
out=$("$BK" --config debug 2>&1) && rc=0 || rc=$?
tap_check "cached variant: linked at build/kernel-debug" \
	eval '[ $rc = 0 ] && [ "$(readlink "$W/repo/build/kernel-debug")" = "$ddir" ]'
tap_check "cached variant: build/kernel left alone" [ "$(readlink "$W/repo/build/kernel")" = "$dir" ]
for old in 5 6 7; do mkdir -p "$ZSWAP_BPF_CACHE/kernel-old$old"; done
"$BK" >/dev/null 2>&1
tap_check "pruning the normal kernels keeps the variant" [ -e "$ddir/.done" ]
out=$("$BK" --config 'a/b' 2>&1) && rc=0 || rc=$?
tap_check "bad --config name is rejected" eval '[ $rc != 0 ] && [[ $out == *"bad --config name"* ]]'

# A variant whose fragment asks for it starts from a copy of the normal
# kernel's tree, when that one is built; any other, from the tarball. (The
# fake trees cannot be configured: only where each build started counts.)
printf '# build-kernel: from the normal tree\n# CONFIG_ZSWAP_BPF is not set\n' \
	>"$KP/config.nobpf"
printf '# CONFIG_ZSWAP_BPF is not set\n' >"$KP/config.plain"
mkdir -p "$dir/src"
echo built >"$dir/src/vmlinux"
echo normal >"$dir/src/from-normal"
export ZSWAP_BPF_KSRC_TARBALL=$W/src.tar.xz
vsrc=$ZSWAP_BPF_CACHE/nobpf/kernel-$("$BK" --config nobpf --print-key | cut -c1-12)/src
out=$("$BK" --config nobpf 2>&1) || true
tap_check "a variant asking for the normal tree starts from a copy of it" \
	eval '[[ $out == *"COPY $dir/src"* ]] && [ -f "$vsrc/from-normal" ] && [ ! -e "$vsrc/vmlinux" ]'
rm "$dir/.done"
out=$("$BK" --config nobpf 2>&1) || true
tap_check "... from the tarball if the normal kernel is not built" \
	eval '[[ $out == *EXTRACT* ]] && [[ $out != *COPY* ]]'
touch "$dir/.done"
out=$("$BK" --config plain 2>&1) || true
tap_check "a variant not asking for it starts from the tarball" \
	eval '[[ $out == *EXTRACT* ]] && [[ $out != *COPY* ]]'

tap_done
