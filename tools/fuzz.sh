#!/bin/sh
# Build the libFuzzer targets and run each for SECONDS.
# Usage: tools/fuzz.sh BUILDDIR SECONDS
set -eu
dir=$1
secs=$2
if ! command -v clang >/dev/null; then
  echo "cdguide: clang not found; fuzz targets not run"
  exit 0
fi
cmake --preset fuzz >/dev/null
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)"
for t in "$dir"/tests/fuzz/fuzz_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  corpus="$dir/corpus/$name"
  mkdir -p "$corpus"
  echo "fuzz: $name for ${secs}s"
  "$t" -max_total_time="$secs" -print_final_stats=1 "$corpus" \
    tests/fuzz/seeds/"${name#fuzz_}" 2>"$dir/$name.log" ||
    { tail -40 "$dir/$name.log"; exit 1; }
  grep -E 'stat::number_of_executed_units' "$dir/$name.log" || true
done
