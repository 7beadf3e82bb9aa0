#!/bin/sh
# Symbolic check benchmark (issue 12): connected packs, two shapes (seeds),
# against a bare cJSON parse. CDG_BENCH_CHECK_MAX caps the sizes: the
# check of a connected pack is far from linear yet (10k questions take
# about a minute), so the default stops at 10,000 questions.
# Usage: bench/bench_check.sh BUILDDIR
set -eu
build=${1:-build}
max=${CDG_BENCH_CHECK_MAX:-10000}
mkdir -p "$build/bench"
for seed in 1 7; do
  echo "seed $seed (up to $max questions)"
  "$build/bench/bench_check" "$build/bench" "$seed" "$max"
done
