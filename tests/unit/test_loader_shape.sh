#!/bin/bash
# The loader's shape (issue 14): `zswap-bpf help`, the man page, the README
# and the source name the same commands and global options; global options
# are parsed as the man page says; one file per command family, one walk of
# the cgroup tree, exit codes only at a command's edge (do_*).  Each check
# fails when one side gains what the others lack.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
Z=$TOP/build/zswap-bpf
MAN=$TOP/docs/zswap-bpf.8.rst
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
tap_plan 17

[ -x "$Z" ] || tap_bail "build/zswap-bpf not built (make loader)"

# same NAME A B: the two word lists (one per line) are the same set
same() {
	local name=$1 a b
	a=$(sort -u <<<"$2")
	b=$(sort -u <<<"$3")
	[ -n "$a" ] && [ "$a" = "$b" ] && return 0
	tap_diag "$name differ:"
	tap_diag "$(diff <(echo "$a") <(echo "$b") | grep '^[<>]' | tr '\n' ' ')"
	return 1
}

# set_of TEXT KEY: the words of "KEY := { a | b | ... }" (across lines)
set_of() {
	python3 -c '
import re, sys
t = re.sub(r"\*\*|\*|\\", "", sys.stdin.read())
m = re.search(re.escape(sys.argv[1]) + r"\s*:=\s*\{(.*?)\}", t, re.S)
for w in (m.group(1) if m else "").replace("|", " ").split():
    if w.startswith("-") or w.isalpha() and w.islower():
        print(w)' "$2" <<<"$1"
}

HELP=$("$Z" help)
help_cmds=$(set_of "$HELP" COMMAND)
help_opts=$(set_of "$HELP" OPTIONS)
man_cmds=$(set_of "$(cat "$MAN")" '| COMMAND')
man_opts=$(set_of "$(cat "$MAN")" '| OPTIONS')
# the COMMANDS section's entries: "**zswap-bpf NAME** ...", its text indented
man_entries=$(sed -n '/^COMMANDS$/,/^DESCRIPTION$/p' "$MAN" | awk '
	term != "" && /^  / { print term }
	{ term = "" }
	/^\*\*zswap-bpf [a-z]+\*\*/ { term = $1 " " $2; gsub(/\*|zswap-bpf /, "", term) }')
# the OPTIONS section's entries: "-j, --json", "--policy-dir DIR"
man_opt_entries=$(sed -n '/^OPTIONS$/,/^EXIT STATUS$/p' "$MAN" |
	grep -E '^-' | tr ',' '\n' | awk '{print $1}')
# the README's command table: "| `zswap-bpf NAME ...` | ... |"
readme_cmds=$(sed -n 's/^| `zswap-bpf \([a-z]*\).*/\1/p' "$TOP/README.md")
# the dispatch table of main.c and the getopt_long table of parse.c
src_cmds=$(sed -n 's/^\t{ "\([a-z]*\)", do_[a-z]* },$/\1/p' "$TOP/loader/main.c")
src_opts=$(sed -n 's/^\t{ "\([a-z-]*\)", [a-z_]*_argument, NULL, \(.*\) },$/--\1 \2/p' \
	"$TOP/loader/parse.c" | awk '{print $1; if ($2 != "'"'P'"'") print "-" substr($2, 2, 1)}')

tap_check "help and the man page's SYNOPSIS name the same commands" \
	same "help, man SYNOPSIS" "$help_cmds" "$man_cmds"
tap_check "the man page's COMMANDS section documents each command" \
	same "help, man COMMANDS" "$help_cmds" "$man_entries"
tap_check "the README's command table names each command" \
	same "help, README" "$help_cmds" "$readme_cmds"
tap_check "main.c dispatches exactly the commands help lists" \
	same "help, main.c cmds[]" "$help_cmds" "$src_cmds"
tap_check "help and the man page name the same global options" \
	same "help, man SYNOPSIS" "$help_opts" "$man_opts"
tap_check "the man page's OPTIONS section documents each global option" \
	same "help, man OPTIONS" "$help_opts" "$man_opt_entries"
tap_check "parse.c's getopt_long table has exactly help's global options" \
	same "help, parse.c" "$help_opts" "$src_opts"

# synopsis_of CMD: CMD's synopsis in help (with its continuation lines),
# one line, spaces squeezed
synopsis_of() {
	awk -v c="zswap-bpf $1" '
		$1 " " $2 == c { on = 1; sub(/^ +/, ""); printf "%s", $0; next }
		on && /^ +\[/ { printf " %s", $0; next }
		{ on = 0 }' <<<"$HELP" | tr -s ' '
}

# usage_of CMD: the usage line(s) of 'zswap-bpf CMD help', the same way
usage_of() {
	"$Z" "$1" help | awk 'NR > 1 && !/^ +\[/ { exit } { sub(/^Usage: /, ""); sub(/^ +/, " "); printf "%s", $0 }' |
		tr -s ' '
}

# help's synopsis of each command is that command's own usage
synopses_match() {
	local c ok=0
	for c in $help_cmds; do
		[ "$c" = help ] && continue
		[ "$(synopsis_of "$c")" = "$(usage_of "$c")" ] && continue
		tap_diag "help:       $(synopsis_of "$c")"
		tap_diag "$c help: $(usage_of "$c")"
		ok=1
	done
	return $ok
}
tap_check "help's synopsis of each command is the command's own usage" synopses_match

# expect STATUS PATTERN ARGS...: zswap-bpf ARGS exits STATUS, prints PATTERN
expect() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$(ZSWAP_BPF_POLICY_DIR=$T "$Z" "$@" 2>&1 </dev/null) && rc=0 || rc=$?
	[ "$rc" = "$want" ] && [[ $out == *"$pat"* ]] && return 0
	tap_diag "zswap-bpf $*: exit $rc, want $want and '$pat': $out"
	return 1
}

# json_list ARGS...: zswap-bpf ARGS prints list's JSON (an empty array here)
json_list() {
	local out
	out=$(ZSWAP_BPF_POLICY_DIR=$T "$Z" "$@" 2>/dev/null </dev/null) || return 1
	python3 -c 'import json, sys; sys.exit(json.loads(sys.stdin.read()) != [])' <<<"$out" ||
		{ tap_diag "zswap-bpf $*: not list's JSON: $out"; return 1; }
}

placement() {
	json_list -j list && json_list list -j && json_list --json list &&
		json_list list --json && json_list --js list && json_list -jv list &&
		json_list -p list && json_list --policy-dir="$T" list -j
}
tap_check "global options before the command, after it, bundled, abbreviated" placement
tap_check "an unknown option before the command is a usage error naming it" \
	expect 2 "unknown option '--bogus'" --bogus list
tap_check "an unknown short option before the command too" \
	expect 2 "unknown option '-x'" -x list
tap_check "after the command, an option is the command's own" \
	expect 2 "unknown option '-x' (see 'zswap-bpf load help')" load -x
tap_check "after --, a global option is an argument" \
	expect 2 "unexpected argument '-j'" -- list -j
tap_check "a global option's missing value is a usage error" \
	expect 2 "option '--policy-dir' needs a directory" list --policy-dir

# One file per command family: each do_<cmd> in its own file
families() {
	local f fn bad=0
	for f in load:do_load load:do_unload status:do_status trace:do_trace \
		reclaim:do_reclaim stats:do_stats set:do_set list:do_list; do
		fn=${f#*:}
		grep -q "^int $fn(" "$TOP/loader/${f%%:*}.c" && continue
		tap_diag "$fn is not in loader/${f%%:*}.c"
		bad=1
	done
	return $bad
}
tap_check "one file per command family" families

# The functions of loader/*.c that read a directory; cgtree.c's walk() is
# the only one that walks the cgroup tree (a second walker fails this)
dir_readers() {
	local got want
	got=$(awk '
		/^[a-z].*\(/ && !/;$/ { fn = $0; sub(/\(.*/, "", fn); sub(/.*[ *]/, "", fn) }
		/(scandir|opendir|readdir)\(/ { print FILENAME ":" fn }
	' "$TOP"/loader/*.c | sed "s|$TOP/loader/||" | sort -u)
	# the others read a directory that is not a cgroup tree: policies,
	# pins, the agents' state files
	want=$(printf '%s\n' cgtree.c:walk list.c:list_dir pin.c:cgroup_pin_dirs \
		pin.c:unpin_params set.c:params_pinned agent.c:views_each | sort)
	same "directory readers" "$want" "$got"
}
tap_check "one walk of the cgroup tree (cgtree.c)" dir_readers

# Exit codes only at a command's edge: outside do_*, main() and the mappings
# (exit_code_from_errno(), errno_as()), no function returns an EXIT_ constant or an exit_code_from_errno()
exit_codes_at_edge() {
	local out
	out=$(awk '
		/^[a-z].*\(/ && !/;$/ { fn = $0; sub(/\(.*/, "", fn); sub(/.*[ *]/, "", fn) }
		{ line = $0; sub(/\/\*.*/, "", line); sub(/^[ \t]*\*.*/, "", line)
		  gsub(/errno_as\([^)]*\)/, "", line) }
		fn !~ /^(do_.*|main|exit_code_from_errno|errno_as)$/ &&
		line ~ /return.*(EXIT_[A-Z]+|exit_code_from_errno\()/ {
			print FILENAME ":" FNR ": " fn ": " $0
		}
	' "$TOP"/loader/*.c)
	[ -z "$out" ] && return 0
	tap_diag "exit codes returned outside do_*:"
	while IFS= read -r l; do tap_diag "  ${l#"$TOP"/}"; done <<<"$out"
	return 1
}
tap_check "no helper returns an exit code (only do_* and main)" exit_codes_at_edge

tap_done
