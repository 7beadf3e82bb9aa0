#!/bin/sh
# Build the libFuzzer targets (the `fuzz` preset: clang, ASan, UBSan) and
# run each for SECONDS from its seeds (tests/fuzz/seeds/TARGET) and
# dictionary (tests/fuzz/TARGET.dict), one after another. The growing
# corpus is kept in BUILDDIR/corpus/TARGET. On a crash, leak or timeout it
# prints the end of the log and the input to copy into
# tests/fuzz/regressions/TARGET/, and exits 1.
# Usage: tools/fuzz.sh BUILDDIR SECONDS [TARGET...]   (run from the source
# tree; default targets: all)
set -eu
dir=$1
secs=$2
shift 2
targets=${*:-pack logic answers session}
if ! command -v clang >/dev/null; then
  echo "cdguide: clang not found; fuzz targets not run"
  exit 0
fi
cmake --preset fuzz >/dev/null
build=
for t in $targets; do build="$build fuzz_$t"; done
# shellcheck disable=SC2086  # one word per target
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" --target $build
for t in $targets; do
  exe="$dir/tests/fuzz/fuzz_$t"
  corpus="$dir/corpus/$t"
  mkdir -p "$corpus" "$dir/artifacts"
  log="$dir/fuzz_$t.log"
  # -timeout: a unit slower than that is a bug (the linter's path budget
  # keeps a pack well under it); -rss_limit_mb: the default of 2 GB.
  if ! "$exe" -max_total_time="$secs" -print_final_stats=1 -timeout=25 \
      -dict="tests/fuzz/$t.dict" -artifact_prefix="$dir/artifacts/$t-" \
      "$corpus" "tests/fuzz/seeds/$t" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz_$t: FAILED (log $log; input in $dir/artifacts/)"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "fuzz_$t: ${runs:-?} executions in ${secs}s (${rate:-?}/s), no crash"
done
