#!/bin/sh
# Symbolic check benchmark (issue 12): connected packs of ten shapes
# (bench_check.c), against a bare cJSON parse. CDG_BENCH_CHECK_MAX caps
# the sizes (default 100,000 questions).
# Usage: bench/bench_check.sh BUILDDIR
set -eu
build=${1:-build}
max=${CDG_BENCH_CHECK_MAX:-100000}
mkdir -p "$build/bench"
for run in "1 mixed" "7 mixed" "3 chain" "5 wide" "11 far" "13 fanin" \
    "17 numbers" "19 text" "23 sections" "29 multi" "31 tight"; do
  set -- $run
  "$build/bench/bench_check" "$build/bench" "$1" "$max" "$2"
done
