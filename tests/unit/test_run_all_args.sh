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
expect() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$(timeout 20 "$TOP/tests/run-all" "$@" 2>&1 </dev/null) && rc=0 || rc=$?
	if [ "$rc" != "$want" ]; then
		tap_diag "tests/run-all $*: exit $rc, want $want"
		return 1
	fi
	if [[ $out != *$pat* ]]; then
		tap_diag "tests/run-all $*: output lacks '$pat':"
		tap_diag "$out"
		return 1
	fi
}

tap_check "an unknown option is a usage error" \
	expect 2 "unknown option '--bogus'" --bogus
tap_check "two modes are a usage error, not an option for tests/vm/run" \
	expect 2 "one of --host, --vm, --debug" --vm --debug
tap_check "options after -- go to tests/vm/run" \
	expect 1 "tests/vm/run: unknown option '--nope'" --vm -- --nope
tap_check "--help prints the usage, exits 0" \
	expect 0 "usage: tests/run-all" --help
tap_done
