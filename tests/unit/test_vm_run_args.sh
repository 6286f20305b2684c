#!/bin/bash
# Host tests of tests/vm/run's argument handling: usage errors exit 2 with a
# message and never boot anything; --help exits 0.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
RUN=$TOP/tests/vm/run
# A kernel file that exists, so that only the option under test is wrong;
# QEMU=false makes sure nothing boots if a check lets the call through.
K=$(mktemp)
trap 'rm -f "$K"' EXIT
export QEMU=false
tap_plan 10

# expect STATUS PATTERN ARGS...: run tests/vm/run, check status and output
expect() { tap_expect "$1" "$2" "$RUN" "${@:3}"; }

tap_check "--help prints usage, exits 0" expect 0 "usage: tests/vm/run" --help
tap_check "no command is a usage error" expect 2 "no command given" --kernel "$K"
tap_check "unknown option is a usage error" expect 2 "unknown option '--bogus'" --bogus -- true
tap_check "bad --accel is rejected" expect 2 "--accel must be tcg or kvm" --kernel "$K" --accel xen -- true
tap_check "bad --cpus is rejected" expect 2 "--cpus must be a number" --kernel "$K" --cpus two -- true
tap_check "bad --timeout is rejected" expect 2 "--timeout must be seconds" --kernel "$K" --timeout 1m -- true
tap_check "missing kernel names the fix" expect 2 "run 'make kernel'" --kernel /nonexistent/bzImage -- true
tap_check "option without value is rejected" expect 2 "--mem needs a value" --kernel "$K" --mem
tap_check "--kernel after --debug wins" expect 2 "no kernel at /nonexistent/bzImage" \
	--debug --kernel /nonexistent/bzImage -- true
# A copy of run in a tree with no build/: as on a machine without the
# debug kernel, whether or not this one has built it
BARE=$(mktemp -d)
trap 'rm -f "$K"; rm -rf "$BARE"' EXIT
mkdir -p "$BARE/tests/vm" && cp "$RUN" "$BARE/tests/vm/run"
RUN=$BARE/tests/vm/run tap_check "--debug without a debug kernel names the fix" \
	expect 2 "run 'make kernel KCONFIG=debug'" --debug -- true
tap_done
