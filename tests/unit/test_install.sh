#!/bin/bash
# make install / make uninstall into a temporary DESTDIR: the files appear
# where the loader looks for them, and all go away again.  Needs a built
# tree (make all); without one it skips rather than build a kernel.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"
tap_plan 12

if [ ! -x "$TOP/build/zswap-bpf" ] || [ ! -e "$TOP/build/kernel/.done" ]; then
	tap_skip install "no build/zswap-bpf or kernel: run 'make all' first"
	tap_done
	exit
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
D=$TMP/dest
P=$D/usr/local
unset ZSWAP_BPF_POLICY_DIR

mk() { make --no-print-directory -C "$TOP" "$@" >"$TMP/make.log" 2>&1 || { sed 's/^/# /' "$TMP/make.log"; return 1; }; }

# Every policy built, with the source `list` reads its description from;
# none built is a failure, not a vacuous pass
installed_policies() {
	local o n nr=0
	for o in "$TOP"/build/policies/*.bpf.o; do
		[ -e "$o" ] || continue
		n=$(basename "$o" .bpf.o)
		[ -f "$P/lib/zswap-bpf/$n.bpf.o" ] && [ -f "$P/lib/zswap-bpf/$n.bpf.c" ] || return 1
		nr=$((nr + 1))
	done
	[ $nr -gt 0 ] || { tap_diag "no policies in build/policies: run 'make policies'"; return 1; }
}

# The installed binary finds the installed policies (PREFIX/lib/zswap-bpf)
list_finds_them() {
	local out
	[ -e "$TOP/build/policies/round_robin.bpf.o" ] || return 0
	out=$("$P/sbin/zswap-bpf" list) || return 1
	echo "$out" | grep -q '^round_robin .*the kernel.s built-in order'
}

man_page() {
	[ -f "$P/share/doc/zswap-bpf/zswap-bpf.8.rst" ] || return 1
	# rendered only where rst2man is installed
	if command -v rst2man >/dev/null || command -v rst2man.py >/dev/null; then
		[ -s "$P/share/man/man8/zswap-bpf.8" ]
	fi
}

# The root's unit: reload replaces, stop tolerates an
# unloaded policy, and the service is confined
unit_ok() {
	local u=$P/lib/systemd/system/zswap-bpf.service l
	for l in 'ExecStart=/usr/local/sbin/zswap-bpf load --replace ${ZSWAP_BPF_POLICY} $ZSWAP_BPF_ARGS' \
		'ExecReload=/usr/local/sbin/zswap-bpf load --replace ${ZSWAP_BPF_POLICY} $ZSWAP_BPF_ARGS' \
		'ExecStop=/usr/local/sbin/zswap-bpf unload --if-loaded' \
		'Type=oneshot' 'RemainAfterExit=yes' 'NoNewPrivileges=yes' \
		'ProtectSystem=strict' 'ReadWritePaths=/sys/fs/bpf' 'PrivateNetwork=yes' \
		'CapabilityBoundingSet=CAP_BPF CAP_SYS_ADMIN CAP_PERFMON CAP_DAC_READ_SEARCH'; do
		grep -qxF "$l" "$u" || { tap_diag "$u lacks: $l"; return 1; }
	done
	[ ! -e "$P/lib/systemd/system/zswap-bpf@.service" ]
}

# One instance per cgroup: every command of it names its own cgroup (%f,
# the instance unescaped as a path), so that stopping or reloading one
# never touches another's attachment or the root's; same confinement as
# the root's unit; the root cgroup is refused (it has no cgroup.type)
template_ok() {
	local u=$P/lib/systemd/system/zswap-bpf-cgroup@.service l n
	local cg='--cgroup /sys/fs/cgroup%f'
	for l in "ExecStart=/usr/local/sbin/zswap-bpf load --replace $cg \${ZSWAP_BPF_POLICY} \$ZSWAP_BPF_ARGS" \
		"ExecReload=/usr/local/sbin/zswap-bpf load --replace $cg \${ZSWAP_BPF_POLICY} \$ZSWAP_BPF_ARGS" \
		"ExecStop=/usr/local/sbin/zswap-bpf unload --if-loaded $cg" \
		'EnvironmentFile=-/etc/default/zswap-bpf-cgroup/%i' \
		'AssertPathExists=/sys/fs/cgroup%f/cgroup.type' \
		'Type=oneshot' 'RemainAfterExit=yes'; do
		grep -qxF -- "$l" "$u" || { tap_diag "$u lacks: $l"; return 1; }
	done
	# no Exec line without the instance's cgroup
	n=$(grep -c '^Exec' "$u")
	[ "$(grep -c -- "^Exec.* $cg" "$u")" = "$n" ] ||
		{ tap_diag "an Exec line of $u lacks $cg"; return 1; }
	# the same hardening, line for line
	diff <(sed -n '/^CapabilityBoundingSet=/,/^SystemCallArchitectures=/p' \
		"$P/lib/systemd/system/zswap-bpf.service") \
		<(sed -n '/^CapabilityBoundingSet=/,/^SystemCallArchitectures=/p' "$u") >"$TMP/hardening.diff" ||
		{ tap_diag "hardening differs: $(cat "$TMP/hardening.diff")"; return 1; }
}

# One agent per cgroup: its ExecStart names the instance's cgroup, stop is
# SIGTERM (the agent's clean exit), no restart loop on bad arguments
agent_unit_ok() {
	local u=$P/lib/systemd/system/zswap-bpf-agent@.service l
	for l in 'ExecStart=/usr/local/sbin/zswap-bpf agent --cgroup /sys/fs/cgroup%f $ZSWAP_BPF_AGENT_ARGS' \
		'Environment="ZSWAP_BPF_AGENT_ARGS=--max-age 2m"' \
		'EnvironmentFile=-/etc/default/zswap-bpf-agent/%i' \
		'AssertPathExists=/sys/fs/cgroup%f/cgroup.type' \
		'Type=simple' 'RestartPreventExitStatus=2 3' 'RuntimeDirectoryPreserve=yes' \
		'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateNetwork=yes'; do
		grep -qxF -- "$l" "$u" || { tap_diag "$u lacks: $l"; return 1; }
	done
	[ "$(grep -c '^Exec' "$u")" = 1 ]
}

nothing_left() {
	local left
	left=$(find "$D" -type f)
	[ -z "$left" ] || { echo "# left behind: $left"; return 1; }
}

# systemd-analyze checks that ExecStart exists: install for real under a
# temporary PREFIX, and verify the unit there.  Any message is a finding.
unit_verifies() {
	local p=$TMP/prefix out rc
	mk install PREFIX="$p" || return 1
	# the template as an instance (systemd-escape --path /workload.slice/a-b)
	out=$(systemd-analyze verify --man=no "$p/lib/systemd/system/zswap-bpf.service" \
		"$p/lib/systemd/system/zswap-bpf-cgroup@workload.slice-a\\x2db.service" \
		"$p/lib/systemd/system/zswap-bpf-agent@workload.slice-a\\x2db.service" 2>&1) && rc=0 || rc=$?
	[ -z "$out" ] || tap_diag "$out"
	[ $rc = 0 ] && [ -z "$out" ] && mk uninstall PREFIX="$p"
}

tap_check "make install DESTDIR" mk install DESTDIR="$D"
tap_check "loader installed to sbin" test -x "$P/sbin/zswap-bpf"
tap_check "policies and their sources in lib/zswap-bpf" installed_policies
tap_check "installed zswap-bpf lists the installed policies" list_finds_them
tap_check "man page installed" man_page
tap_check "systemd unit installed" unit_ok
tap_check "per-cgroup template unit installed" template_ok
tap_check "agent template unit installed" agent_unit_ok
tap_check "bash completion installed" test -f "$P/share/bash-completion/completions/zswap-bpf"
tap_check "make uninstall DESTDIR" mk uninstall DESTDIR="$D"
tap_check "uninstall leaves no files" nothing_left
if command -v systemd-analyze >/dev/null; then
	tap_check "systemd-analyze verify zswap-bpf.service, zswap-bpf-cgroup@.service, zswap-bpf-agent@.service" unit_verifies
else
	tap_skip "systemd-analyze verify zswap-bpf.service, zswap-bpf-cgroup@.service, zswap-bpf-agent@.service" "no systemd-analyze (Debian: apt-get install systemd)"
fi
tap_done
