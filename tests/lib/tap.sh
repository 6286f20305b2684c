# Minimal kselftest-style TAP for shell tests (sourced; bash).
#   tap_check NAME CMD...   ok if CMD succeeds
#   tap_skip NAME REASON
#   tap_done                prints the plan, exits 1 if anything failed
TAP_N=0
TAP_FAILED=0
echo "TAP version 13"

tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N $1"; }
tap_not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N $1"; }
tap_skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N $1 # SKIP $2"; }
tap_diag() { echo "# $*"; }

tap_check() {
	local name=$1
	shift
	if "$@"; then
		tap_ok "$name"
	else
		tap_not_ok "$name"
	fi
}

tap_done() {
	echo "1..$TAP_N"
	[ $TAP_FAILED = 0 ]
}
