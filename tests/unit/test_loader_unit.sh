#!/bin/bash
# Unit tests of the loader's parsers and JSON writer (loader_unit.c): built
# here with the host compiler into build/tests/, then run; TAP from it.
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$TOP/build/tests/loader_unit
SRCS=("$TOP/tests/unit/loader_unit.c" "$TOP/loader/parse.c" "$TOP/loader/json_writer.c")

mkdir -p "$(dirname "$OUT")"
${CC:-gcc} -g -O1 -Wall -Wextra -Werror -I "$TOP/loader" -o "$OUT" "${SRCS[@]}"
exec "$OUT"
