#!/bin/sh
# Load+lint benchmark: synthetic packs of 1k, 10k and 100k questions are
# written under BUILDDIR/bench and timed against a bare cJSON parse.
# Usage: bench/bench_pack.sh BUILDDIR
set -eu
build=${1:-build}
mkdir -p "$build/bench"
"$build/bench/bench_pack" "$build/bench"
