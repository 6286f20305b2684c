#!/bin/bash
# The bash completion of zswap-bpf (completion/zswap-bpf.bash): commands,
# policy names from 'zswap-bpf list', cgroups, options, parameter maps.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"
tap_plan 8
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# shellcheck source=../../completion/zswap-bpf.bash
. "$TOP/completion/zswap-bpf.bash"
mkdir -p "$T/cg/job/a" "$T/cg/other" "$T/pins" "$T/bin"
: >"$T/pins/link" && : >"$T/pins/weight"
printf '#!/bin/sh\necho "round_robin      the baseline"\necho "weighted         weights"\n' >"$T/bin/zswap-bpf"
chmod +x "$T/bin/zswap-bpf"
export PATH=$T/bin:$PATH ZSWAP_BPF_CGROUP_ROOT=$T/cg ZSWAP_BPF_PIN_DIR=$T/pins

# completes WANT WORDS...: completing the last word gives exactly WANT
completes() {
	local want=$1 got
	shift
	COMP_WORDS=(zswap-bpf "$@")
	COMP_CWORD=$#
	_zswap_bpf
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
	[ "$got" = "$want" ] || { tap_diag "zswap-bpf $*<TAB>: got '$got', want '$want'"; return 1; }
}

tap_check "commands" completes "set stats status" s
tap_check "after global options" completes "load" -j lo
tap_check "policy names from list" completes "round_robin weighted" load ""
tap_check "load options" completes "--cgroup --replace --set" load weighted --
tap_check "unload options" completes "--cgroup --if-loaded" unload -
tap_check "cgroups for reclaim" completes "job/" reclaim j
tap_check "nested cgroups" completes "job/a/" stats job/
tap_check "parameter maps, not the fixed pins" completes "weight" set ""
tap_done
