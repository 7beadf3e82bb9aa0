#!/bin/sh
# make bench: run every bench/bench_*.sh part; each prints its figures.
# Usage: bench/run.sh BUILDDIR
set -eu
build=${1:-build}
for part in bench/bench_*.sh; do
  [ -f "$part" ] || continue
  echo "== $part"
  sh "$part" "$build"
done
