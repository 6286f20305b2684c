#!/bin/bash
# zswap-bpf stats --prometheus, read back by a strict parser of the text
# exposition format (issue 14 item 8): label values escape only \\, \" and
# \n, every family has one HELP and TYPE before its samples, counters end in
# _total, and cgroup names with a tab, a quote, a backslash or a newline
# come back as they are.  The kernel's files are faked as in
# test_loader_cli.sh.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"
tap_plan 8
Z=$TOP/build/zswap-bpf
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if [ ! -x "$Z" ]; then
	tap_skip "stats --prometheus" "build/zswap-bpf not built (make loader)"
	tap_done
	exit 0
fi

C=$T/cg D=$T/debug
NAMES=("tab	name" 'quote"name' 'back\slash' "new
line" "plain")
mkdir -p "$C" "$D"
for n in "${NAMES[@]}"; do
	mkdir "$C/$n"
	printf 'zswap 4096\nzswapped 8192\nzswpin 0\nzswpout 3\nzswpwb 1\nzswpwb_proactive_b 50\n' >"$C/$n/memory.stat"
done
# memory.stat's zswapped is in bytes, as every page-state item there
printf 'zswap 8192\nzswapped 16384\nzswpin 1\nzswpout 9\nzswpwb 2\nzswpwb_proactive_b 100\n' >"$C/memory.stat"
printf 'name weighted\nstate ejected\nlast_exit ejected_stall\nlast_exit_reason x\n' >"$D/bpf_policy"
for c in bpf_runs bpf_steps bpf_written_back_bytes bpf_invalid_choices bpf_refused_choices bpf_fallbacks bpf_ejections; do
	echo 3 >"$D/$c"
done
export ZSWAP_BPF_CGROUP_ROOT=$C ZSWAP_BPF_DEBUGFS_DIR=$D ZSWAP_BPF_PIN_DIR=$T/nopins

# a kernel without patch 0018 has no bpf_call_ns: the family is left out
"$Z" stats --prometheus >"$T/out.nocall" 2>&1 || true
echo 123456789 >"$D/bpf_call_ns"
"$Z" stats --prometheus >"$T/out" 2>"$T/err" || { tap_diag "$(cat "$T/err")"; }

# parse WANT_EXPR: parse $T/out into families; the expression on them holds
parse() {
	python3 - "$T/out" "$1" <<'EOF'
import re, sys

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
SAMPLE = re.compile(r'(%s)(?:\{((?:%s)(?:,%s)*)?\})? (\S+)(?: -?\d+)?$' % (NAME, LABEL, LABEL))
UNESC = {'\\\\': '\\', '\\"': '"', '\\n': '\n'}

def fail(msg):
    print('# ' + msg)
    sys.exit(1)

fam, seen, done = {}, None, set()
text = open(sys.argv[1], encoding='utf-8').read()
if not text.endswith('\n'):
    fail('no newline at the end')
for line in text[:-1].split('\n'):
    if line.startswith('# HELP ') or line.startswith('# TYPE '):
        kind, name, rest = line[2:6], *line[7:].split(' ', 1)
        if not re.fullmatch(NAME, name):
            fail('bad metric name: %r' % line)
        f = fam.setdefault(name, {'samples': []})
        if kind in f or f['samples']:
            fail('%s twice or after samples: %r' % (kind, line))
        f[kind] = rest
        if kind == 'TYPE' and rest not in ('counter', 'gauge', 'untyped'):
            fail('bad type: %r' % line)
        continue
    if line.startswith('#') or not line:
        continue
    m = SAMPLE.match(line)
    if not m:
        fail('not a sample line: %r' % line)
    name = m.group(1)
    if name not in fam or 'TYPE' not in fam[name]:
        fail('sample before its TYPE: %r' % line)
    if name != seen:
        if name in done:
            fail('samples of %s not together' % name)
        if seen:
            done.add(seen)
        seen = name
    labels = {k: re.sub(r'\\[\\"n]', lambda e: UNESC[e.group(0)], v)
              for k, v in re.findall(LABEL, m.group(2) or '')}
    float(m.group(m.lastindex))
    fam[name]['samples'].append((labels, float(m.group(m.lastindex))))
for name, f in fam.items():
    if f.get('TYPE') == 'counter' and not name.endswith('_total'):
        fail('counter %s lacks _total' % name)
    if 'HELP' not in f:
        fail('%s has no HELP' % name)
def cgroups(name):
    return sorted(l['cgroup'] for l, v in fam[name]['samples'])
def value(name, **want):
    return [v for l, v in fam[name]['samples'] if all(l.get(k) == w for k, w in want.items())]
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

tap_check "stats --prometheus: exit 0" test ! -s "$T/err"
tap_check "the output parses as the exposition format" parse True
tap_check "cgroup names with tab, quote, backslash, newline come back whole" \
	parse "cgroups('zswap_bpf_zswap_bytes') == sorted(['/'] + ['/' + n for n in ['tab\\tname', 'quote\"name', 'back\\\\slash', 'new\\nline', 'plain']])"
tap_check "zswapped_pages is memory.stat's zswapped (bytes) in pages" \
	parse "value('zswap_bpf_zswapped_pages', cgroup='/') == [16384 // $(getconf PAGESIZE)] and value('zswap_bpf_zswapped_pages', cgroup='/plain') == [8192 // $(getconf PAGESIZE)]"
tap_check "policy state: one series per state, the current one 1" \
	parse "value('zswap_bpf_policy_state', policy='weighted', state='ejected') == [1] and value('zswap_bpf_policy_state', state='enabled') == [0]"
tap_check "the kernel's ejections and fallbacks as counters" \
	parse "value('zswap_bpf_kernel_ejections_total') == [3] and value('zswap_bpf_kernel_fallbacks_total') == [3]"
tap_check "the kernel's time in callbacks (bpf_call_ns) as a counter" \
	parse "value('zswap_bpf_kernel_call_ns_total') == [123456789]"
tap_check "no bpf_call_ns, no call_ns family" \
	eval '! grep -q zswap_bpf_kernel_call_ns "$T/out.nocall" && grep -q zswap_bpf_kernel_runs_total "$T/out.nocall"'
tap_done
