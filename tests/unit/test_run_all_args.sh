#!/bin/bash
# Host tests of tests/run-all's options: it takes one of --host, --vm,
# --debug, then `--` and tests/vm/run's options; anything else before `--`
# is a usage error (exit 2) that runs no test, rather than an option passed
# on to tests/vm/run or a run of every test.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
# Nothing may boot or run long if a check lets the call through: QEMU=false
# ends any guest at once, and the timeout ends a run of the host tests.
export QEMU=false
tap_plan 4

# expect STATUS PATTERN ARGS...: run tests/run-all, check status and output
expect() { tap_expect "$1" "$2" timeout 20 "$TOP/tests/run-all" "${@:3}"; }

tap_check "an unknown option is a usage error" \
	expect 2 "unknown option '--bogus'" --bogus
tap_check "two modes are a usage error, not an option for tests/vm/run" \
	expect 2 "one of --host, --vm, --debug" --vm --debug
tap_check "options after -- go to tests/vm/run" \
	expect 1 "tests/vm/run: unknown option '--nope'" --vm -- --nope
tap_check "--help prints the usage, exits 0" \
	expect 0 "usage: tests/run-all" --help
tap_done
