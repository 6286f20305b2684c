#!/bin/bash
# Unit tests of the loader's parsers, JSON writer and trace formatting
# (loader_unit.c): built here with the host compiler into build/tests/, then
# run; TAP from it.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$TOP/build/tests/loader_unit
SRCS=("$TOP/tests/unit/loader_unit.c" "$TOP/loader/parse.c" "$TOP/loader/json_writer.c"
	"$TOP/loader/event.c" "$TOP/loader/cgtree.c")

mkdir -p "$(dirname "$OUT")"
${CC:-gcc} -g -O1 -Wall -Wextra -Werror -I "$TOP/loader" -I "$TOP/include" -o "$OUT" "${SRCS[@]}"
exec "$OUT"
