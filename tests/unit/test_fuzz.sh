#!/bin/bash
# A short, fixed-seed run of the libFuzzer harnesses of the loader's parsers
# (tests/fuzz/run): 20000 inputs per target from the committed seed
# corpora, so that a parser change that breaks an invariant or trips
# ASan/UBSan fails make check. Longer runs: make fuzz FUZZ_RUNS=...
set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec "$TOP/tests/fuzz/run" --runs "${FUZZ_UNIT_RUNS:-20000}" --seed 1
