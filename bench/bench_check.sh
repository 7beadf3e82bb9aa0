#!/bin/sh
# Symbolic check benchmark (issue 12): connected packs of 1k, 10k and 100k
# questions, two shapes (seeds), against a bare cJSON parse.
# Usage: bench/bench_check.sh BUILDDIR
set -eu
build=${1:-build}
mkdir -p "$build/bench"
for seed in 1 7; do
  echo "seed $seed"
  "$build/bench/bench_check" "$build/bench" "$seed"
done
