#!/bin/sh
# Session journal benchmark: one appended answer with fsync against a bare
# write+fsync, and the resume of a 10,000-event journal (time, max RSS).
# Usage: bench/bench_journal.sh BUILDDIR
set -eu
build=${1:-build}
mkdir -p "$build/bench"
"$build/bench/bench_journal" "$build/bench" "$build/cdguide"
