# shellcheck shell=bash
# Minimal kselftest-style TAP for shell tests (sourced; bash).
#   tap_plan N              prints the plan `1..N`: call it before the first
#                           result (tests/run-all and tests/vm/suite fail a
#                           program whose plan comes last or not at all)
#   tap_check NAME CMD...   ok if CMD succeeds
#   tap_expect STATUS PATTERN CMD...
#                           true if CMD exits STATUS and prints PATTERN
#                           (a check for tap_check)
#   tap_skip NAME REASON    (run-all fails skips that are not on its list)
#   tap_bail REASON         one `not ok` with the reason, then `Bail out!`;
#                           exits 1 (the planned tests that did not run
#                           count as failures in run-all and the suite)
#   tap_done                exits 1 if anything failed or the count of
#                           results differs from the plan
# TAP_FAIL_FAST=1 in the environment: the first `not ok` bails out (exit 1),
# for tests/mutants/run, which only needs to know whether a test fails.
TAP_N=0
TAP_FAILED=0
TAP_PLAN=
echo "TAP version 13"

tap_plan() { TAP_PLAN=$1; echo "1..$1"; }
tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N $1"; }
tap_not_ok() {
	TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N $1"
	if [ -n "${TAP_FAIL_FAST:-}" ]; then
		echo "Bail out! TAP_FAIL_FAST: stopping at the first failure"
		exit 1
	fi
}
tap_skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N $1 # SKIP $2"; }
tap_diag() { echo "# $*"; }

# A check that took 10 s or more says how long, to show where a run's time
# goes (make check must fit CI's time limit).
tap_check() {
	local name=$1 t0=$SECONDS
	shift
	if "$@"; then
		tap_ok "$name"
	else
		tap_not_ok "$name"
	fi
	[ $((SECONDS - t0)) -lt 10 ] || tap_diag "$((SECONDS - t0)) s"
}

tap_bail() {
	tap_not_ok "$1"
	echo "Bail out! $1"
	exit 1
}

tap_done() {
	if [ -z "$TAP_PLAN" ]; then
		echo "1..$TAP_N"
		tap_diag "no plan before the results (tap_plan N)"
		return 1
	fi
	if [ "$TAP_N" != "$TAP_PLAN" ]; then
		tap_diag "planned $TAP_PLAN tests, ran $TAP_N"
		return 1
	fi
	[ $TAP_FAILED = 0 ]
}

# tap_expect STATUS PATTERN CMD...: CMD (stdin from /dev/null) exits with
# STATUS and prints PATTERN (a glob) on stdout or stderr; says what it got
# if not.  For usage-error tests: tap_check NAME tap_expect 2 "usage:" CMD
tap_expect() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1 </dev/null) && rc=0 || rc=$?
	if [ "$rc" != "$want" ]; then
		tap_diag "$*: exit $rc, want $want"
		return 1
	fi
	if [[ $out != *$pat* ]]; then
		tap_diag "$*: output lacks '$pat':"
		tap_diag "$out"
		return 1
	fi
}
