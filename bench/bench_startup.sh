#!/bin/sh
# bench_startup.sh: interactive start-up. The time from starting cdguide in
# a pseudo-terminal to its first prompt (target: under 10 ms), measured by
# bench_startup_pty; then a whole piped run (start, first question, q, exit)
# for comparison, including the shell's fork and exec.
# Usage: bench/bench_startup.sh BUILDDIR    (N from BENCH_N, default 200)
set -eu
build=${1:-build}
bin=$build/cdguide
n=${BENCH_N:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_STATE_HOME="$tmp/state"

[ -x "$bin" ] || { echo "cdguide: bench: no $bin; build first" >&2; exit 1; }
"$build/bench/bench_startup_pty" "$bin" "$n" "$tmp"

start=$(date +%s%N)
i=0
while [ "$i" -lt "$n" ]; do
  printf 'q\n' | "$bin" --session "$tmp/p-$i.json" >/dev/null 2>&1
  i=$((i + 1))
done
end=$(date +%s%N)
echo "piped run to q and exit ($n runs): mean" \
  "$(( (end - start) / n / 1000 )) us"
