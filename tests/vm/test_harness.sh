#!/bin/bash
# In-guest sanity test of the VM harness: everything the other guest tests
# take for granted.  Run by tests/vm/suite (or: tests/vm/run -- tests/vm/test_harness.sh).
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
tap_plan 16

swap_active() { [ "$(awk 'NR > 1' /proc/swaps | wc -l)" -ge 1 ]; }
zswap_enabled() { [ "$(cat /sys/module/zswap/parameters/enabled)" = Y ]; }
memcg_on() { grep -qw memory /sys/fs/cgroup/cgroup.subtree_control; }
fs_mounted() { awk -v t="$1" -v d="$2" '$3 == t && $2 == d { f = 1 } END { exit !f }' /proc/mounts; }
writable() { local f; f=$(mktemp -p "$1") && rm -f "$f"; }
root_readonly() { ! touch /usr/.zswap-bpf-probe 2>/dev/null; }

tap_check "in the VM (ZSWAP_BPF_VM=1)" [ "${ZSWAP_BPF_VM:-}" = 1 ]
tap_check "swap active" swap_active
tap_check "zswap enabled" zswap_enabled
tap_check "cgroup2 mounted" fs_mounted cgroup2 /sys/fs/cgroup
tap_check "memory controller in subtree_control" memcg_on
tap_check "debugfs mounted" fs_mounted debugfs /sys/kernel/debug
tap_check "bpffs mounted" fs_mounted bpf /sys/fs/bpf
tap_check "/tmp writable" writable /tmp
tap_check "ext4 scratch disk at /var/tmp" fs_mounted ext4 /var/tmp
tap_check "all --cpus online (needs ACPI)" [ "$(nproc)" = "${ZSWAP_BPF_VM_CPUS:-}" ]
tap_check "project tree writable" writable "$TOP"
tap_check "host root read-only" root_readonly
tap_check "BTF present" [ -s /sys/kernel/btf/vmlinux ]
# The kernel can report what the tests look for in dmesg: WARN() and BUG()
# exist (CONFIG_BUG: clear_warn_once), a WARN panics (panic_on_warn=1 from
# tests/vm/run), hung tasks are detected (CONFIG_DETECT_HUNG_TASK)
tap_check "WARN/BUG compiled in (CONFIG_BUG)" [ -e /sys/kernel/debug/clear_warn_once ]
tap_check "panic_on_warn=1" [ "$(cat /proc/sys/kernel/panic_on_warn)" = 1 ]
tap_check "hung task detector" [ -e /proc/sys/kernel/hung_task_timeout_secs ]
tap_done
