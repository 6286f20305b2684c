#!/bin/bash
# The Makefile's demo and bench on a fresh tree: the policies they compare
# are those built by their own first recipe line, not those that existed
# when make read the recipe (issue 14 item 1).  Runs the real Makefile in an
# empty directory where $(MAKE) "builds" by creating the policy objects and
# tests/bench/ab records its arguments; nothing is compiled or booted.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"
tap_plan 15

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# fresh_tree DIR: the Makefile, and stubs of what its recipes run
fresh_tree() {
	local d=$1 f
	mkdir -p "$d/scripts" "$d/tests/vm" "$d/tests/bench" "$d/tests/kernel"
	cp "$TOP/Makefile" "$d/"
	# each records its name and arguments in steps.log, in the order run
	for f in scripts/install-deps tests/bench/chart tests/bench/proactive.sh \
		tests/bench/policy_cost.sh tests/bench/kfunc_cost.sh \
		tests/bench/summary tests/kernel/test_entry_size.sh \
		tests/vm/demo.sh; do
		printf '#!/bin/sh\necho "%s $*" >>"%s/steps.log"\n' "$f" "$d" >"$d/$f"
	done
	# tests/vm/run [OPTIONS] -- CMD...: records OPTIONS in vm.log, runs CMD here
	printf '#!/bin/sh\no=\nwhile [ "$1" != -- ]; do o="$o $1"; shift; done\nshift\necho "${o# }" >>"%s/vm.log"\nexec "$@"\n' \
		"$d" >"$d/tests/vm/run"
	# tests/bench/ab SCENARIO POLICIES... [OPTIONS]: one line per call
	printf '#!/bin/sh\necho "$*" >>"%s/ab.log"\n' "$d" >"$d/tests/bench/ab"
	# tests/bench/apps POLICIES... [OPTIONS]: as an A/B of scenario "apps"
	printf '#!/bin/sh\necho "tests/bench/scenarios/apps $*" >>"%s/ab.log"\n' "$d" \
		>"$d/tests/bench/apps"
	# $(MAKE) all test-progs: the build makes the policy objects
	printf '#!/bin/sh\nmkdir -p build/policies\nfor p in %s; do : >build/policies/$p.bpf.o; done\n' \
		"round_robin coldest_first largest_first weighted" >"$d/fake-make"
	chmod +x "$d"/scripts/* "$d"/tests/vm/* "$d"/tests/bench/* "$d"/tests/kernel/* \
		"$d/fake-make"
}

# made TARGET: `make TARGET` in a fresh tree; prints the tree's path (its
# make.log on stderr, as diagnostics, if make failed)
made() {
	local d
	d=$(mktemp -d -p "$T")
	fresh_tree "$d"
	make --no-print-directory -C "$d" "$1" MAKE="$d/fake-make" >"$d/make.log" 2>&1 ||
		{ sed 's/^/# /' "$d/make.log" >&2; return 1; }
	echo "$d"
}

# steps TARGET: "ab" once per A/B run, then the other stubbed scripts
# TARGET ran, in order, one a line
steps() {
	local d
	d=$(made "$1") || return 1
	[ ! -e "$d/ab.log" ] || sed 's/ .*//; s/^.*$/ab/' "$d/ab.log"
	[ ! -e "$d/steps.log" ] || cut -d' ' -f1 "$d/steps.log"
}

# make bench ends with the charts, the entry sizes, then the table, which
# reads what they and the VM runs wrote (issue 15 item 4)
bench_ends_with_summary() {
	local got
	got=$(steps bench | tail -n 3 | tr '\n' ' ') || return 1
	[ "$got" = "tests/bench/chart tests/kernel/test_entry_size.sh tests/bench/summary " ] ||
		{ tap_diag "make bench ends with '$got'"; return 1; }
}

# every guest of make bench gets BENCH_VM_TIMEOUT (VM_ARGS' --timeout after
# it, which wins): on a slow host the scale A/B took more than tests/vm/run's
# default 1800 s, and the run lost its last parts
bench_timeouts() {
	local d want=$1
	shift
	d=$(mktemp -d -p "$T")
	fresh_tree "$d"
	make --no-print-directory -C "$d" bench MAKE="$d/fake-make" "$@" >"$d/make.log" 2>&1 ||
		{ sed 's/^/# /' "$d/make.log"; return 1; }
	[ "$(grep -c . "$d/vm.log")" -ge 5 ] && ! grep -v -x -- "$want" "$d/vm.log" ||
		{ tap_diag "make bench $*: tests/vm/run options, want '$want' each:"; sed 's/^/# /' "$d/vm.log"; return 1; }
}

# make bench-summary only prints the table: no VM, no A/B, no build
summary_only() {
	local got
	got=$(steps bench-summary | tr '\n' ' ') || return 1
	[ "$got" = "tests/bench/summary " ] ||
		{ tap_diag "make bench-summary ran '$got'"; return 1; }
}

# ab_names TARGET SCENARIO: the policies TARGET's A/B run of SCENARIO got
ab_names() {
	local d
	d=$(made "$1") || return 1
	grep -o "^tests/bench/scenarios/$2 [a-z_ ]*" "$d/ab.log" | cut -d' ' -f2-
}

# expect_names TARGET SCENARIO NAMES: the A/B run names exactly NAMES
expect_names() {
	local got
	got=$(ab_names "$1" "$2") || return 1
	got=$(echo $got)	# one space between names
	[ "$got" = "$3" ] || { tap_diag "make $1: A/B of $2 got '$got', want '$3'"; return 1; }
}

# make bench runs every policy it built on every A/B scenario
every_scenario() {
	local sc
	for sc in pool_limit protect scale; do
		expect_names bench $sc "round_robin coldest_first largest_first weighted" ||
			return 1
	done
}

# make demo's A/B run: all configurations at once, built-in included
demo_simultaneous() {
	local d line
	d=$(made demo) || return 1
	line=$(grep "^tests/bench/scenarios/mixed " "$d/ab.log")
	tap_diag "ab $line"
	[[ " $line " == *" --simultaneous "* ]] && [[ " $line " != *" --no-builtin "* ]]
}

# The loader's compile and link lines carry the user's CPPFLAGS, CFLAGS
# and LDFLAGS (issue 14 item 11)
loader_flags() {
	local d out
	d=$(mktemp -d -p "$T")
	mkdir -p "$d/loader"
	cp "$TOP/Makefile" "$d/"
	echo 'int main(void) { return 0; }' >"$d/loader/main.c"
	out=$(make -n --no-print-directory -C "$d" loader MAKE=true V=1 \
		CPPFLAGS=-DZB_CPPFLAGS CFLAGS=-DZB_CFLAGS LDFLAGS=-Wl,-zZB_LDFLAGS 2>&1)
	grep -q -- "-DZB_CPPFLAGS.*-DZB_CFLAGS.* -c loader/main.c" <<<"$out" &&
		grep -q -- "-DZB_CFLAGS -Wl,-zZB_LDFLAGS -o build/zswap-bpf" <<<"$out" ||
		{ tap_diag "$out"; return 1; }
}

# make -n V=1 TARGET in a tree with the Makefile and one loader source: the
# commands TARGET would run, sub-makes included (the kernel trees' tools/
# have Makefiles that do nothing)
dry_run() {
	local d k
	d=$(mktemp -d -p "$T")
	mkdir -p "$d/loader"
	cp "$TOP/Makefile" "$d/"
	echo 'int main(void) { return 0; }' >"$d/loader/main.c"
	for k in kernel kernel-source; do
		mkdir -p "$d/build/$k/src/tools/lib/bpf" "$d/build/$k/src/tools/bpf/bpftool"
		printf '.DEFAULT:\n\t@:\n' >"$d/build/$k/src/tools/lib/bpf/Makefile"
		cp "$d/build/$k/src/tools/lib/bpf/Makefile" "$d/build/$k/src/tools/bpf/bpftool/"
	done
	make -n --no-print-directory -C "$d" V=1 "$@" 2>&1
}

# The loader, and installing it, need the kernel source, never a kernel
# build (issue 14 item 11); the policies still need the kernel (vmlinux.h)
needs_source_only() {
	local out
	out=$(dry_run "$@") || { tap_diag "$out"; return 1; }
	grep -q 'scripts/kernel-source' <<<"$out" &&
		! grep -q 'scripts/build-kernel' <<<"$out" ||
		{ tap_diag "$out"; return 1; }
}
policies_need_kernel() {
	dry_run policies | grep -q 'scripts/build-kernel'
}

# libbpf.a, linked into the loader, is compiled with them too
libbpf_flags() {
	local out
	out=$(dry_run loader CPPFLAGS=-DZB_CPPFLAGS CFLAGS=-DZB_CFLAGS) || { tap_diag "$out"; return 1; }
	grep -q -- 'tools/lib/bpf .*EXTRA_CFLAGS="-DZB_CPPFLAGS -DZB_CFLAGS"' <<<"$(tr -d '\\\n' <<<"$out")" ||
		{ tap_diag "$out"; return 1; }
}

# A user's CFLAGS=-O0 replaces the optimisation, not the warnings
keeps_warnings() {
	local out
	out=$(dry_run loader CFLAGS=-O0) || { tap_diag "$out"; return 1; }
	grep -q -- "-Wall -Wextra .*-O0 .*-c loader/main.c" <<<"$out" ||
		{ tap_diag "$out"; return 1; }
}

tap_check "make demo on a fresh tree compares the policies it built" \
	expect_names demo mixed "round_robin coldest_first"
tap_check "make demo runs its A/B in simultaneous mode, with the built-in twin" \
	demo_simultaneous
tap_check "make bench on a fresh tree compares the policies it built" \
	expect_names bench mixed "round_robin coldest_first largest_first weighted"
tap_check "... on every scenario (every policy built)" every_scenario
tap_check "... and on the applications (tests/bench/apps)" \
	expect_names bench apps "round_robin coldest_first largest_first weighted"
tap_check "make bench ends with the entry sizes and tests/bench/summary" \
	bench_ends_with_summary
tap_check "make bench-summary runs the summary alone" summary_only
tap_check "make bench gives every guest 2 hours" bench_timeouts "--timeout 7200"
tap_check "... BENCH_VM_TIMEOUT and VM_ARGS set it" \
	bench_timeouts "--timeout 60 --timeout 9" BENCH_VM_TIMEOUT=60 VM_ARGS="--timeout 9"
tap_check "the loader is built with CPPFLAGS, CFLAGS and LDFLAGS" loader_flags
tap_check "make CFLAGS=-O0 keeps the loader's warnings" keeps_warnings
tap_check "libbpf is built with CPPFLAGS and CFLAGS" libbpf_flags
tap_check "make loader builds no kernel, only extracts its source" needs_source_only loader
tap_check "make install-loader builds no kernel" needs_source_only install-loader
tap_check "make policies still builds the kernel (vmlinux.h)" policies_need_kernel
tap_done
