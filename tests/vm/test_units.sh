#!/bin/bash
# In-guest test of the systemd units' commands (issue 14 item 3): the
# Exec lines of zswap-bpf.service and zswap-bpf-cgroup@.service, as
# installed, run the way systemd runs them (specifiers %f and %i of the
# instance, the unit's Environment=), against the real loader and kernel.
# Stopping or reloading one instance acts on its cgroup's attachment only:
# another instance's and the root's stay, same links; stop is idempotent,
# also after the cgroup is gone.  The guest has no systemd: this checks
# the commands, systemd-analyze verify (tests/unit/test_install.sh) the
# unit files.
#
# usage (on the host): tests/vm/run -- tests/vm/test_units.sh
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

B=$TOP/build
BPFTOOL=$B/bpftool/bpftool
export ZSWAP_BPF_POLICY_DIR=$B/policies
CG=/sys/fs/cgroup/zbunit
PIN=/sys/fs/bpf/zswap-bpf
U=$(mktemp -d /tmp/units.XXXXXX)

tap_plan 8

cleanup() {
	local c
	for c in a b; do "$B/zswap-bpf" unload --if-loaded --cgroup "$CG/$c" >/dev/null 2>&1; done
	"$B/zswap-bpf" unload --if-loaded >/dev/null 2>&1
	find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
	rm -rf "$U"
}
trap cleanup EXIT

# The units as make install writes them, with the loader of build/
for u in zswap-bpf.service zswap-bpf-cgroup@.service; do
	sed -e "s|@SBINDIR@|$B|g" -e "s|@LIBDIR@|$B/policies|g" "$TOP/systemd/$u.in" >"$U/$u"
done

# run UNIT INSTANCE KEY [VAR=VALUE...]: run UNIT's KEY= line (ExecStart...)
# for INSTANCE (an escaped cgroup path without \x escapes; '' for the
# root's unit) as systemd would: %i, %f replaced, the unit's Environment=
# then the given variables set, $VAR and ${VAR} expanded.  Its exit status.
run() {
	local unit=$1 inst=$2 key=$3 line env
	shift 3
	line=$(sed -n "s/^$key=//p" "$U/$unit")
	[ -n "$line" ] || { tap_diag "$unit has no $key="; return 1; }
	line=${line//%i/$inst}
	line=${line//%f/\/${inst//-//}}
	env=$(sed -n 's/^Environment=//p' "$U/$unit")
	# shellcheck disable=SC2086 # words, as systemd splits them
	env -i PATH="$PATH" ZSWAP_BPF_POLICY_DIR="$ZSWAP_BPF_POLICY_DIR" $env "$@" \
		bash -c "$line" >"$U/out" 2>&1 || { tap_diag "$unit $inst $key: $line: $(cat "$U/out")"; return 1; }
}

# link_of DIR: the id of the link pinned in DIR ('' if none)
link_of() { "$BPFTOOL" -j link show pinned "$1/link" 2>/dev/null | sed -n 's/^{"id":\([0-9]*\).*/\1/p'; }
attached() { awk -v id="cgroup_id=$1" '$1 == "attachment" && $2 == id { for (i = 3; i <= NF; i++) if ($i ~ /^name=/) { sub(/^name=/, "", $i); print $i } }' "$DBG/bpf_policy"; }

setup() {
	mkcg "$CG" && mkcg "$CG/a" && mkcg "$CG/b" &&
		run zswap-bpf.service '' ExecStart ZSWAP_BPF_POLICY=round_robin &&
		run zswap-bpf-cgroup@.service zbunit-a ExecStart &&
		run zswap-bpf-cgroup@.service zbunit-b ExecStart ZSWAP_BPF_POLICY=largest_first
}

# Three units, three attachments: the root's, a's (the template's default
# policy) and b's (its own)
three() {
	local ia ib
	ia=$(cgid "$CG/a") ib=$(cgid "$CG/b")
	ROOT_LINK=$(link_of "$PIN") A_LINK=$(link_of "$PIN/cgroup-$ia") B_LINK=$(link_of "$PIN/cgroup-$ib")
	tap_diag "links: root $ROOT_LINK, a $A_LINK, b $B_LINK; a: $(attached "$ia"), b: $(attached "$ib")"
	[ -n "$ROOT_LINK" ] && [ -n "$A_LINK" ] && [ -n "$B_LINK" ] &&
		[ "$(attached "$ia")" = coldest_first ] && [ "$(attached "$ib")" = largest_first ]
}

# Reloading a swaps a's policy, in place; b's and the root's links stay
reload_a() {
	local ia
	ia=$(cgid "$CG/a")
	run zswap-bpf-cgroup@.service zbunit-a ExecReload ZSWAP_BPF_POLICY=round_robin || return 1
	[ "$(attached "$ia")" = round_robin ] && [ "$(link_of "$PIN/cgroup-$ia")" = "$A_LINK" ] &&
		[ "$(link_of "$PIN")" = "$ROOT_LINK" ] && [ "$(link_of "$PIN/cgroup-$(cgid "$CG/b")")" = "$B_LINK" ]
}

# Stopping a unloads a's policy only
stop_a() {
	local ia
	ia=$(cgid "$CG/a")
	run zswap-bpf-cgroup@.service zbunit-a ExecStop || return 1
	[ ! -e "$PIN/cgroup-$ia" ] && [ -z "$(attached "$ia")" ] &&
		[ "$(link_of "$PIN")" = "$ROOT_LINK" ] && [ "$(link_of "$PIN/cgroup-$(cgid "$CG/b")")" = "$B_LINK" ] &&
		[ "$(attached "$(cgid "$CG/b")")" = largest_first ]
}

# b's cgroup removed: the kernel detached its policy; stopping b succeeds
stop_b_gone() {
	local ib
	ib=$(cgid "$CG/b")
	rmdir "$CG/b" || return 1
	run zswap-bpf-cgroup@.service zbunit-b ExecStop || return 1
	rm -rf "$PIN/cgroup-$ib"
	[ "$(link_of "$PIN")" = "$ROOT_LINK" ]
}

# The root's stop leaves an instance's attachment alone
stop_root() {
	local ia
	run zswap-bpf-cgroup@.service zbunit-a ExecStart || return 1
	ia=$(cgid "$CG/a")
	A_LINK=$(link_of "$PIN/cgroup-$ia")
	run zswap-bpf.service '' ExecStop || return 1
	[ ! -e "$PIN/link" ] && [ -n "$A_LINK" ] && [ "$(link_of "$PIN/cgroup-$ia")" = "$A_LINK" ] &&
		run zswap-bpf-cgroup@.service zbunit-a ExecStop
}

# The root cgroup is no instance: the unit's assertion fails for '-'
root_refused() {
	local a
	a=$(sed -n 's/^AssertPathExists=//p' "$U/zswap-bpf-cgroup@.service")
	[ ! -e "${a//%f//}" ] && [ -e "${a//%f//zbunit/a}" ]
}

tap_check "start: the root's unit and two instances" setup
tap_check "three attachments, each with its unit's policy" three
tap_check "reload of instance a swaps a's policy only" reload_a
tap_check "stop of instance a unloads a's policy only" stop_a
tap_check "stop of instance a again succeeds (idempotent)" run zswap-bpf-cgroup@.service zbunit-a ExecStop
tap_check "stop of instance b after its cgroup was removed succeeds" stop_b_gone
tap_check "stop of the root's unit leaves instance a's policy" stop_root
tap_check "the root cgroup is refused as an instance" root_refused
tap_done
