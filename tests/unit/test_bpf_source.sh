#!/bin/bash
# Host checks of the shape of include/ and bpf/ (issue 14): no macro in
# include/ defines a function (names stay visible where they are used, and
# the verifier's line info points at real lines); data macros take the
# name, as sched_ext's UEI_DEFINE(uei); a policy walks memcgs only through
# include/'s walk, so that no walk is pasted into bpf/ again; the select
# epilogue and the step report live in one helper each.  Reads the sources
# only: the build and the verifier are tests/vm/test_policies.sh's.
#
# usage: tests/unit/test_bpf_source.sh [TREE]   (default: this checkout)
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"
SRC=${1:-$TOP}

tap_plan 6

# scan MODE FILE...: prints what MODE finds, exits 1 if it finds anything
scan() {
	python3 - "$@" <<'PY'
import os, re, sys

mode, files = sys.argv[1], sys.argv[2:]
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "typeof",
            "__typeof__", "__attribute__", "_Static_assert"}
# a call-like head followed by a body: `name(...) {`, attributes allowed
FUNC = re.compile(r"([A-Za-z_]\w*)\s*\(((?:[^(){};]|\((?:[^(){};]|\([^(){};]*\))*\))*)\)"
                  r"\s*(?:__attribute__\s*\(\(.*?\)\)\s*)*\{")

def code(text):
    """text without comments and string literals, lines kept"""
    out = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"),
                 text, flags=re.S)
    out = re.sub(r"//[^\n]*", "", out)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', out)

headers = [code(open(h).read()) for h in os.environ.get("REPORT_HEADERS", "").split()]

found = 0
def report(msg):
    global found
    found += 1
    print("# " + msg)

# the body of the function whose opening brace ends at @start
def body(text, start):
    depth, i = 1, start
    while depth and i < len(text):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[start:i]

for f in files:
    text = code(open(f).read())
    if mode == "macro-functions":
        # each #define with its continuation lines
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)((?:[^\n]*\\\n)*[^\n]*)",
                             text, flags=re.M):
            body = m.group(2).replace("\\\n", " ")
            for fm in FUNC.finditer(body):
                if fm.group(1) not in KEYWORDS:
                    line = text.count("\n", 0, m.start()) + 1
                    report(f"{f}:{line}: macro {m.group(1)} defines a function "
                           f"{fm.group(1)}(): write it as a function of its own")
                    break
    elif mode == "walks":
        for n, l in enumerate(text.split("\n"), 1):
            if re.search(r"\b(bpf_zswap_next_memcg|bpf_iter_css\w*|css_next_descendant\w*"
                         r"|css_for_each_descendant\w*|bpf_for_each)\s*\(", l):
                report(f"{f}:{n}: walks memcgs itself: use zswap_bpf_for_each_memcg() "
                       f"or a walk of include/: {l.strip()}")
    elif mode == "epilogue":
        for n, l in enumerate(text.split("\n"), 1):
            if re.search(r"\bZSWAP_BPF_STAT_\w+|\bzswap_bpf_emit\s*\(", l):
                report(f"{f}:{n}: counts or emits itself: return zswap_bpf_selected(&stats, id) "
                       f"from select_memcg, and report steps with zswap_bpf_last_report() "
                       f"or zswap_bpf_step_report(): {l.strip()}")
    elif mode == "step-done":
        m = re.search(r"ZSWAP_WB_OP\(\s*void\s*,\s*\w+_step_done\b[^{]*\{", text)
        if m:
            if not re.search(r"\bzswap_bpf_step_report\s*\(", body(text, m.end())):
                report(f"{f}: step_done does not report through zswap_bpf_step_report()")
            continue
        # no step_done: select_memcg and run_end report the last step, if
        # need be through a function that does, of the policy's own or of
        # the headers in REPORT_HEADERS (include/zswap_bpf_run.bpf.h's)
        names = ["zswap_bpf_last_report"]
        for t in [text] + headers:
            for fm in re.finditer(r"^static[^;{(]*?\b(\w+)\s*\([^;{]*\)\s*\{", t, flags=re.M):
                if re.search(r"\bzswap_bpf_last_report\s*\(", body(t, fm.end())):
                    names.append(fm.group(1))
        calls = re.compile(r"\b(" + "|".join(names) + r")\s*\(")
        for cb in ("select_memcg", "run_end"):
            m = re.search(r"ZSWAP_WB_OP\([^,]*,\s*\w+_" + cb + r"\b[^{]*\{", text)
            if not m or not calls.search(body(text, m.end())):
                report(f"{f}: neither step_done nor zswap_bpf_last_report() in {cb}: "
                       f"its steps never reach `zswap-bpf trace`")
    elif mode == "maps":
        for want in ("ZSWAP_BPF_STATS_MAP(stats);", "ZSWAP_BPF_EVENTS_MAP(events);"):
            if not re.search(r"^" + re.escape(want).replace(r"\(", r"\(\s*")
                             .replace(r"\)", r"\s*\)"), text, flags=re.M):
                report(f"{f}: no {want} (the loader pins the maps by those names)")
sys.exit(1 if found else 0)
PY
}

shopt -s nullglob
HEADERS=("$SRC"/include/*.h)
POLICIES=("$SRC"/bpf/*.bpf.c)
if [ ${#HEADERS[@]} = 0 ] || [ ${#POLICIES[@]} = 0 ]; then
	tap_bail "no include/*.h or bpf/*.bpf.c under $SRC"
fi

tap_check "no macro in include/ defines a function" scan macro-functions "${HEADERS[@]}"
tap_check "bpf/ walks memcgs only through include/'s walks" scan walks "${POLICIES[@]}"
tap_check "bpf/ counts and emits only through zswap_bpf_selected() and the step reports" \
	scan epilogue "${POLICIES[@]}"
# a policy may report through a function of include/ (zswap_bpf_run_last_step())
export REPORT_HEADERS="${HEADERS[*]}"
tap_check "every policy reports its steps, in step_done or from the run's context" scan step-done "${POLICIES[@]}"
tap_check "every policy names its stats and events maps as the loader expects" \
	scan maps "${POLICIES[@]}"

# The checks themselves: each finds what it is there to find
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cat >"$W/bad.h" <<'EOF'
#define FINE(x) struct { int a; } x SEC(".maps")
#define LOOP(i) for (i = 0; i < 3; i++) if (i) { }
#define BAD(name) \
	int name; \
	static __always_inline void name##_emit(void *m, \
						int x) \
	{ \
	}
EOF
cat >"$W/bad.bpf.c" <<'EOF'
ZSWAP_BPF_STATS_MAP;
ZSWAP_WB_OP(void, bad_step_done, struct zswap_wb_ctx *wb)
{
	bpf_for(i, 0, 9) {
		id = bpf_zswap_next_memcg(wb->root_cgid, id);
	}
	zswap_bpf_stat_add(&stats, ZSWAP_BPF_STAT_SELECTED, 1);
}
EOF
cat >"$W/good.bpf.c" <<'EOF'
/* bpf_zswap_next_memcg(): in prose only */
ZSWAP_BPF_STATS_MAP(stats);
ZSWAP_BPF_EVENTS_MAP(events);
ZSWAP_WB_OP(void, good_step_done, struct zswap_wb_ctx *wb)
{
	if (wb) {
		zswap_bpf_step_report(&stats, &events, wb, 0, 0, 0);
	}
}
EOF
cat >"$W/bad_last.bpf.c" <<'EOF'
ZSWAP_WB_OP(u64, bad_last_select_memcg, struct zswap_wb_ctx *wb)
{
	zswap_bpf_last_report(&stats, &events, wb);
	return 0;
}
ZSWAP_WB_OP(void, bad_last_run_end, struct zswap_wb_ctx *wb)
{
}
EOF
cat >"$W/good_last.bpf.c" <<'EOF'
static __always_inline void good_last_step(struct zswap_wb_ctx *wb)
{
	zswap_bpf_last_report(&stats, &events, wb);
}
ZSWAP_WB_OP(u64, good_last_select_memcg, struct zswap_wb_ctx *wb)
{
	good_last_step(wb);
	return 0;
}
ZSWAP_WB_OP(void, good_last_run_end, struct zswap_wb_ctx *wb)
{
	zswap_bpf_last_report(&stats, &events, wb);
}
EOF
out=$(scan macro-functions "$W/bad.h" || true
	for m in walks epilogue step-done maps; do
		scan $m "$W/bad.bpf.c" "$W/good.bpf.c" || true
	done
	scan step-done "$W/bad_last.bpf.c" "$W/good_last.bpf.c" || true)
tap_diag "the checks on samples:"
while IFS= read -r l; do tap_diag "  ${l#\# }"; done <<<"$out"
tap_check "the checks find a function in a macro, a walk, a count, a silent step_done, a run_end that reports nothing and an unnamed map, and only those" \
	eval '[ "$(grep -c "bad.h:3: macro BAD" <<<"$out")" = 1 ] &&
	      [ "$(grep -c "bad.h" <<<"$out")" = 1 ] &&
	      grep -q "bad.bpf.c:5: walks memcgs itself" <<<"$out" &&
	      grep -q "bad.bpf.c:7: counts or emits itself" <<<"$out" &&
	      grep -q "bad.bpf.c: step_done does not report" <<<"$out" &&
	      grep -q "bad.bpf.c: no ZSWAP_BPF_STATS_MAP(stats);" <<<"$out" &&
	      [ "$(grep -c "bad_last.bpf.c" <<<"$out")" = 1 ] &&
	      grep -q "bad_last.bpf.c: neither step_done nor zswap_bpf_last_report() in run_end" <<<"$out" &&
	      ! grep -q "good.bpf.c\|good_last.bpf.c" <<<"$out"'
tap_done
