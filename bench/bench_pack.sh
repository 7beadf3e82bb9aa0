#!/bin/sh
# Load+lint benchmark: synthetic packs of 1k, 10k and 100k questions are
# written under BUILDDIR/bench and timed against a bare cJSON parse; then
# the load alone of every pack there (bench_check's too, when it has run),
# CPU time against the parse and max RSS against the file.
# Usage: bench/bench_pack.sh BUILDDIR
set -eu
build=${1:-build}
mkdir -p "$build/bench"
"$build/bench/bench_pack" "$build/bench"
"$build/bench/bench_pack" "$build/bench" "$build"/bench/bench-*.json
