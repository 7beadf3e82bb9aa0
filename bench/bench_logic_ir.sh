#!/bin/sh
# bench_logic_ir.sh: instructions per evaluation of each rule of a case
# file (callgrind), steadier than seconds on a loaded machine: for each
# rule, bench_logic --per-case runs it 1 and 1+N times, and the difference
# over N is printed; "fill" is one frame fill from the data.
# Usage: bench/bench_logic_ir.sh BUILDDIR CASES.json [N]
set -eu
build=${1:-build}
cases=${2:-bench/logic_cases.json}
n=${3:-200}
bin="$build/bench/bench_logic"
ir() { # BENCH_CASE ITERS -> total instructions
  BENCH_CASE=$1 BENCH_ITERS=$2 valgrind --tool=callgrind \
    --callgrind-out-file=/dev/null "$bin" --per-case "$cases" 2>&1 |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
count=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).rules.length)' "$cases" 2>/dev/null ||
        python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["rules"]))' "$cases")
a=$(ir fill 1)
b=$(ir fill $((n + 1)))
total=$(( (b - a) / n ))
echo "fill $total Ir"
i=0
while [ "$i" -lt "$count" ]; do
  a=$(ir "$i" 1)
  b=$(ir "$i" $((n + 1)))
  per=$(( (b - a) / n ))
  total=$((total + per))
  rule=$(BENCH_CASE=$i BENCH_ITERS=1 "$bin" --per-case "$cases" | cut -d' ' -f5-)
  printf 'case %d %d Ir %s\n' "$i" "$per" "$rule"
  i=$((i + 1))
done
echo "sum $total Ir"
